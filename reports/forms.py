from django import forms

from reports.periods import PeriodKind


class ScheduleForm(forms.Form):
    kinds = forms.MultipleChoiceField(
        label="Lập báo cáo định kỳ",
        choices=PeriodKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Bỏ chọn tất cả: đơn vị không lập báo cáo định kỳ.",
    )
