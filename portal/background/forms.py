"""Input forms of the notification centre and the jobs page: parsing only."""

from __future__ import annotations

from django import forms

from portal.forms import PortalForm, PortalFormMixin
from portal.models import NotificationPreference, Unit


class NotificationPreferenceForm(PortalFormMixin, forms.ModelForm):
    digest_hour = forms.TypedChoiceField(
        label="Giờ nhận bản tin hằng ngày",
        choices=[(hour, f"{hour:02d}:00") for hour in range(24)],
        coerce=int,
        help_text="Theo giờ Việt Nam. Nhắc việc có thời hạn luật định luôn được gửi, kể cả "
        "khi đã tắt kênh.",
    )

    class Meta:
        model = NotificationPreference
        fields = ["digest_hour", "mute_email", "mute_inbox"]


class ExportUnitsForm(PortalForm):
    unit = forms.ModelChoiceField(label="Đơn vị", queryset=Unit.objects.none())

    def __init__(self, *args, units, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
