"""Forms of the council pages: a new session, closing it."""

from __future__ import annotations

from django import forms

from awards.models import CouncilSeat, CouncilSession
from awards.procedure.council import COUNCIL_ROLES
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
        label="Thành viên Hội đồng",
        queryset=User.objects.none(),
        help_text="Người có quyền biểu quyết trong Hội đồng của đơn vị (lãnh đạo, thành viên "
        "Hội đồng Thi đua – Khen thưởng).",
    )

    def __init__(self, *args, candidates, **kwargs) -> None:
        """`candidates`: who may be seated (those who may vote in the unit's council); each
        gets a choice of their role in the council, used if they are ticked."""
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = candidates
        self.candidates = list(candidates)
        for user in self.candidates:
            self.fields[f"role_{user.pk}"] = forms.ChoiceField(
                label=f"Chức danh trong Hội đồng – {user.get_full_name()}",
                choices=[(role, role) for role in COUNCIL_ROLES],
                initial=COUNCIL_ROLES[0],
                required=False,
            )

    def seats(self) -> list[tuple[User, str]]:
        """The members ticked, each with their role in the council."""
        data = self.cleaned_data
        return [(user, data.get(f"role_{user.pk}") or COUNCIL_ROLES[0]) for user in data["members"]]


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
