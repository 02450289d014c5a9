from django import forms

from portal.models import Unit

from .models import AwardForm, BasisKind, EmulationTitle, Item

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


class EligibilityPreviewForm(forms.Form):
    """Try a title or form against someone's history before drafting a nomination."""

    item = forms.ChoiceField(label="Danh hiệu / hình thức")
    year = forms.IntegerField(label="Năm thành tích", min_value=1945, max_value=2100)
    basis = forms.ChoiceField(label="Loại khen thưởng", choices=BasisKind.choices)
    conferring_unit = forms.TypedChoiceField(
        label="Cấp quyết định", coerce=int, required=False, empty_value=None
    )

    def __init__(self, *args, recipient_kind: str, home: Unit, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        titles = [
            (f"title-{t.pk}", t.name)
            for t in EmulationTitle.objects.filter(is_active=True)
            if t.accepts_recipient(recipient_kind)
        ]
        award_forms = [
            (f"form-{f.pk}", f.name)
            for f in AwardForm.objects.filter(is_active=True)
            if f.accepts_recipient(recipient_kind)
        ]
        self.fields["item"].choices = [
            ("Danh hiệu thi đua", titles),
            ("Hình thức khen thưởng", award_forms),
        ]
        self.units = {u.pk: u for u in [*home.ancestors(), home]}
        self.fields["conferring_unit"].choices = [("", "— không kiểm tra thẩm quyền —")] + [
            (u.pk, u.name) for u in self.units.values()
        ]
        for name, field in self.fields.items():
            small = (
                "form-control form-control-sm" if name == "year" else "form-select form-select-sm"
            )
            field.widget.attrs["class"] = small

    def clean_item(self) -> Item:
        kind, _, pk = self.cleaned_data["item"].partition("-")
        model = EmulationTitle if kind == "title" else AwardForm
        try:
            return model.objects.get(pk=int(pk))
        except (ValueError, model.DoesNotExist) as error:
            raise forms.ValidationError("Danh hiệu, hình thức không hợp lệ.") from error

    def clean_conferring_unit(self) -> Unit | None:
        pk = self.cleaned_data["conferring_unit"]
        return self.units.get(pk) if pk else None
