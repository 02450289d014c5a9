"""Forms of the council pages: a new session, closing it."""

from __future__ import annotations

from django import forms

from awards.models import CouncilSeat, CouncilSession
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


class SeatField(forms.ModelChoiceField):
    def label_from_instance(self, seat: CouncilSeat) -> str:
        person = getattr(seat.user, "person", None)
        return f"{person.full_name if person else seat.user} – {seat.role}"


class CloseSessionForm(PortalForm):
    """Who chaired and who took the minutes: seats of the session. Left empty, the council's
    Chủ tịch (else a Phó Chủ tịch) and its Thư ký present, by their role (`presiding`)."""

    chair = SeatField(
        label="Chủ trì phiên họp",
        queryset=CouncilSeat.objects.none(),
        required=False,
        empty_label="Theo chức danh trong Hội đồng",
    )
    secretary = SeatField(
        label="Thư ký",
        queryset=CouncilSeat.objects.none(),
        required=False,
        empty_label="Theo chức danh trong Hội đồng",
    )
    ends_at = forms.TimeField(
        label="Kết thúc lúc (để trống: bây giờ)",
        required=False,
        input_formats=["%H:%M", "%Hg%M", "%H giờ %M"],
    )

    def __init__(self, *args, session: CouncilSession, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        seats = session.seats.filter(present=True).select_related("user__person")
        self.fields["chair"].queryset = seats
        self.fields["secretary"].queryset = seats
