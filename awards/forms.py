from django import forms

MAX_UPLOAD = 10 * 1024 * 1024


class ImportHistoryForm(forms.Form):
    file = forms.FileField(label="Tệp Excel (.xlsx)")

    def clean_file(self):
        file = self.cleaned_data["file"]
        if not file.name.lower().endswith(".xlsx"):
            raise forms.ValidationError("Chỉ nhận tệp Excel định dạng .xlsx.")
        if file.size > MAX_UPLOAD:
            raise forms.ValidationError("Tệp quá lớn (tối đa 10 MB).")
        return file
