"""Forms of the award history: the Excel import, the eligibility preview, entries by hand."""

from __future__ import annotations

from django import forms

from awards.forms.fields import item_from_choice
from awards.models import (
    AwardForm,
    BasisKind,
    DisciplineLevel,
    EmulationTitle,
    FreezeKind,
    InitiativeLevel,
    Item,
    Rating,
    RecipientKind,
)
from portal import uploads
from portal.models import Unit
from portal.text import normalize_text
from portal.uploads import clean_upload


class ImportHistoryForm(forms.Form):
    file = forms.FileField(label="Tệp Excel (.xlsx)")

    def clean_file(self):
        return clean_upload(self.cleaned_data["file"], allowed=uploads.XLSX_ONLY)


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
        return item_from_choice(self.cleaned_data["item"])

    def clean_conferring_unit(self) -> Unit | None:
        pk = self.cleaned_data["conferring_unit"]
        return self.units.get(pk) if pk else None


class CleanTextMixin:
    """Strip and NFC-normalise every text input."""

    def clean(self):
        cleaned = super().clean()
        for name, value in cleaned.items():
            if isinstance(value, str) and not isinstance(self.fields[name], forms.ChoiceField):
                cleaned[name] = normalize_text(value)
        return cleaned


class StyledForm(CleanTextMixin, forms.Form):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            select = isinstance(field.widget, forms.Select)
            field.widget.attrs["class"] = "form-select" if select else "form-control"


def _date_field(label: str, required: bool = True) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        input_formats=["%d/%m/%Y"],
        widget=forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy"}),
    )


class AwardEntryForm(StyledForm):
    item = forms.ChoiceField(label="Danh hiệu / hình thức")
    year = forms.IntegerField(label="Năm thành tích", min_value=1945, max_value=2100)
    basis_kind = forms.ChoiceField(label="Loại khen thưởng", choices=BasisKind.choices)
    basis_reference = forms.CharField(label="Đợt, chuyên đề, sự kiện", required=False)
    decision_number = forms.CharField(label="Số quyết định", max_length=50)
    decision_date = _date_field("Ngày quyết định")
    decision_issuer_name = forms.CharField(label="Cơ quan ban hành", required=False)
    household_name = forms.CharField(
        label="Tên hộ gia đình (nếu khen hộ trên địa bàn)", required=False
    )

    def __init__(self, *args, recipient_kinds: list[str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if RecipientKind.HOUSEHOLD not in recipient_kinds:
            del self.fields["household_name"]
        self.fields["item"].choices = [
            (
                "Danh hiệu thi đua",
                [
                    (f"title-{t.pk}", t.name)
                    for t in EmulationTitle.objects.filter(is_active=True)
                    if any(t.accepts_recipient(k) for k in recipient_kinds)
                ],
            ),
            (
                "Hình thức khen thưởng",
                [
                    (f"form-{f.pk}", f.name)
                    for f in AwardForm.objects.filter(is_active=True)
                    if any(f.accepts_recipient(k) for k in recipient_kinds)
                ],
            ),
        ]

    def clean_item(self) -> Item:
        return item_from_choice(self.cleaned_data["item"])


class RatingEntryForm(StyledForm):
    year = forms.IntegerField(label="Năm", min_value=1945, max_value=2100)
    rating = forms.ChoiceField(label="Xếp loại", choices=Rating.choices)


class DisciplineEntryForm(StyledForm):
    level = forms.ChoiceField(label="Hình thức kỷ luật", choices=DisciplineLevel.choices)
    decided_on = _date_field("Ngày quyết định")
    effective_from = _date_field("Thời hạn từ")
    effective_to = _date_field("Thời hạn đến")
    decision_number = forms.CharField(label="Số quyết định", required=False)
    reason = forms.CharField(label="Lý do", required=False)


class FreezeEntryForm(StyledForm):
    kind = forms.ChoiceField(label="Lý do tạm dừng", choices=FreezeKind.choices)
    started_on = _date_field("Từ ngày")
    reference = forms.CharField(label="Văn bản, hồ sơ liên quan", required=False)
    note = forms.CharField(label="Ghi chú", required=False, widget=forms.Textarea({"rows": 2}))


class EndFreezeForm(StyledForm):
    ended_on = _date_field("Chấm dứt từ ngày")
    reason = forms.CharField(label="Kết luận")


class InitiativeEntryForm(StyledForm):
    name = forms.CharField(label="Tên sáng kiến", max_length=500)
    level = forms.ChoiceField(label="Cấp công nhận", choices=InitiativeLevel.choices)
    year = forms.IntegerField(label="Năm công nhận", min_value=1945, max_value=2100)
    recognised_on = _date_field("Ngày công nhận", required=False)
    recognised_by = forms.CharField(label="Cơ quan công nhận", required=False)
    decision_number = forms.CharField(label="Số quyết định công nhận", required=False)
