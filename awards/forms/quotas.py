"""A campaign plan's award quota."""

from __future__ import annotations

from django import forms

from awards.forms.fields import item_choices, item_from_choice
from awards.models import Item
from portal.forms import PortalForm
from portal.models import Unit


class QuotaForm(PortalForm):
    """A campaign plan's cap: which item, for which proposing unit (or every one), how many."""

    item = forms.ChoiceField(label="Danh hiệu / hình thức khen thưởng")
    unit = forms.ModelChoiceField(
        label="Đơn vị đề nghị",
        queryset=Unit.objects.none(),
        required=False,
        empty_label="Mỗi đơn vị đề nghị",
    )
    limit = forms.IntegerField(label="Số lượng tối đa", min_value=0, max_value=10000)
    basis = forms.CharField(
        label="Căn cứ (mục, văn bản)",
        max_length=255,
        required=False,
        help_text="Ví dụ: Mục V Kế hoạch 157/KH-UBND. Để trống: văn bản phát động phong trào.",
    )
    reason = forms.CharField(
        label="Lý do điều chỉnh",
        required=False,
        help_text="Bắt buộc khi phong trào đã phát động.",
    )

    def __init__(self, *args, units=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["item"].choices = item_choices()
        if units is not None:
            self.fields["unit"].queryset = units

    def clean_item(self) -> Item:
        return item_from_choice(self.cleaned_data["item"])
