"""The forms of the unit's API pages."""

from __future__ import annotations

from django import forms

from api.models import WebhookEventKind
from api.tokens import CAP_LABELS, OFFERED_CAPS
from portal.forms import PortalForm, date_field


class TokenForm(PortalForm):
    name = forms.CharField(label="Tên hệ thống sẽ dùng khóa", max_length=150)
    capabilities = forms.MultipleChoiceField(
        label="Quyền cấp cho khóa",
        choices=[(str(cap), CAP_LABELS[cap]) for cap in OFFERED_CAPS],
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Quyền xem luôn được cấp; không cấp được quyền mà bạn không có tại đơn vị.",
    )
    expires_on = date_field("Hết hạn ngày (dd/mm/yyyy)")


class WebhookForm(PortalForm):
    url = forms.URLField(label="Địa chỉ nhận (URL)", max_length=500, assume_scheme="https")
    events = forms.MultipleChoiceField(
        label="Sự kiện",
        choices=WebhookEventKind.choices,
        widget=forms.CheckboxSelectMultiple,
    )
