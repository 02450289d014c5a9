"""Forms of the council pages: a new session, closing it."""

from __future__ import annotations

from django import forms

from portal.forms import PortalForm, date_field
from portal.models import User


class SessionForm(PortalForm):
    title = forms.CharField(label="Tên phiên họp", max_length=255)
    held_on = date_field("Ngày họp")
    starts_at = forms.TimeField(
        label="Bắt đầu lúc (giờ:phút)",
        required=False,
        input_formats=["%H:%M", "%Hg%M", "%H giờ %M"],
    )
    place = forms.CharField(label="Địa điểm", max_length=255, required=False)
    quorum_percent = forms.IntegerField(
        label="Tỉ lệ có mặt tối thiểu (%)", min_value=1, max_value=100, initial=67
    )
    members = forms.ModelMultipleChoiceField(
        label="Thành viên Hội đồng", queryset=User.objects.none()
    )

    def __init__(self, *args, candidates, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = candidates


class CloseSessionForm(PortalForm):
    chair_name = forms.CharField(label="Chủ tịch Hội đồng", max_length=150)
    secretary_name = forms.CharField(label="Thư ký", max_length=150)
    ends_at = forms.TimeField(
        label="Kết thúc lúc (để trống: bây giờ)",
        required=False,
        input_formats=["%H:%M", "%Hg%M", "%H giờ %M"],
    )
