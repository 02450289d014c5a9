"""Pages of the council (Hội đồng Thi đua – Khen thưởng): sessions, agenda, votes, closing."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from awards import row_html
from awards.forms.council import CloseSessionForm, SessionForm
from awards.models import AgendaItem, Choice, CouncilSeat, CouncilSession
from awards.procedure import council
from awards.workflow import SESSION_TABLE
from portal import access
from portal.access import Cap
from portal.errors import RuleViolation
from portal.models import Unit
from portal.paging import page_of
from portal.service_calls import REFUSED, attempt_and_tell


@login_required
def session_list(request: HttpRequest) -> HttpResponse:
    # For the council's secretariat (Nội vụ) and its voting members; others have no use for it.
    access.require_anywhere(request.user, Cap.REVIEW_NOMINATIONS, Cap.VOTE_IN_COUNCIL)
    sessions = (
        CouncilSession.objects.visible_to(request.user)
        .select_related("unit")
        .only("title", "held_on", "status", "unit__name")
    )
    page = page_of(request, sessions)
    units = access.units_where(request.user, Cap.REVIEW_NOMINATIONS)
    context = {"sessions": page, "rows": row_html.session_rows(page), "units": units}
    return render(request, "awards/nominations/sessions.html", context)


@login_required
def session_create(request: HttpRequest, unit_id: int) -> HttpResponse:
    unit = get_object_or_404(Unit.objects.visible_to(request.user), pk=unit_id)
    access.require(request.user, Cap.REVIEW_NOMINATIONS, unit)
    # Only those who may vote in this unit's council can be seated (the service checks it too).
    candidates = access.holders(Cap.VOTE_IN_COUNCIL, unit).order_by("full_name", "pk")
    form = SessionForm(request.POST or None, candidates=candidates)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        session = attempt_and_tell(
            request,
            council.create_session,
            unit,
            actor=request.user,
            title=data["title"],
            held_on=data["held_on"],
            starts_at=data["starts_at"],
            place=data["place"],
            quorum_percent=data["quorum_percent"],
            members=form.seats(),
        )
        if session is not REFUSED:
            return redirect("awards:session_detail", session_id=session.pk)
    return render(request, "awards/nominations/session_form.html", {"form": form, "unit": unit})


@login_required
def session_detail(request: HttpRequest, session_id: int) -> HttpResponse:
    session = get_object_or_404(
        CouncilSession.objects.visible_to(request.user).select_related("unit", "minutes"),
        pk=session_id,
    )
    seats = list(session.seats.select_related("user"))
    my_seat = next((s for s in seats if s.user_id == request.user.pk), None)
    items = list(
        session.items.select_related(
            "nomination__person__unit",
            "nomination__unit",
            "nomination__title",
            "nomination__award_form",
        ).prefetch_related("ballots")
    )
    mine = {}
    for item in items:
        for ballot in item.ballots.all():
            if my_seat and ballot.seat_id == my_seat.pk:
                mine[item.pk] = ballot
    context = {
        "session": session,
        "seats": seats,
        "present": sum(1 for s in seats if s.present),
        "items": items,
        "my_seat": my_seat,
        # A seat votes only while its holder may still vote in this council (a role withdrawn
        # since the seating takes the vote away; the service refuses it too).
        "may_vote": my_seat is not None
        and access.can(request.user, Cap.VOTE_IN_COUNCIL, session.unit),
        "mine": mine,
        "is_secretary": access.can(request.user, Cap.REVIEW_NOMINATIONS, session.unit),
        # The session's moves this user may make now (the table's); a member's own vote and
        # recusal hang on their seat, offered while the table still lets a vote be cast.
        "moves": {row.action for row in SESSION_TABLE.buttons(request.user, session, session.unit)},
        "voting": SESSION_TABLE.allowed(session.status, "cast_vote") is not None,
        "close_form": CloseSessionForm(session=session),
        "choices": [(Choice.YES, Choice.YES.label), (Choice.NO, Choice.NO.label)],
    }
    return render(request, "awards/nominations/session.html", context)


def _close(session: CouncilSession, user, post) -> None:
    form = CloseSessionForm(post, session=session)
    if not form.is_valid():
        raise RuleViolation(
            "Người chủ trì và Thư ký phải là thành viên có mặt; giờ kết thúc theo dạng giờ:phút.",
            code="session_closing_invalid",
        )
    council.close_session(session, actor=user, **form.cleaned_data)


def _seat(session: CouncilSession, post) -> CouncilSeat:
    return get_object_or_404(CouncilSeat, session=session, pk=post.get("seat") or 0)


def _item(session: CouncilSession, post) -> AgendaItem:
    return get_object_or_404(AgendaItem, session=session, pk=post.get("item") or 0)


# The service behind each action of the session table (awards.workflow.SESSION_TABLE) that the
# session's page posts, by its slug in the URL; dossiers are put on the agenda from the queue.
MOVE_SERVICES = {
    "close": _close,
    "set_attendance": lambda session, user, post: council.set_attendance(
        _seat(session, post), actor=user, present=post.get("present") == "1"
    ),
    "cast_vote": lambda session, user, post: council.cast_vote(
        _item(session, post), actor=user, choice=post.get("choice", "")
    ),
    "record_written_vote": lambda session, user, post: council.record_written_vote(
        _item(session, post), actor=user, seat=_seat(session, post), choice=post.get("choice", "")
    ),
    "declare_conflict": lambda session, user, post: council.declare_conflict(
        _item(session, post), actor=user, reason=post.get("reason", "")
    ),
}
DONE = {"close": "Đã kết thúc phiên họp, lập biên bản."}
SLUGS = {
    "dong": "close",
    "co-mat": "set_attendance",
    "bo-phieu": "cast_vote",
    "phieu-van-ban": "record_written_vote",
    "xung-dot": "declare_conflict",
}


@login_required
@require_POST
def session_act(request: HttpRequest, session_id: int, step: str) -> HttpResponse:
    """Votes, written ballots, recusals, attendance and closing: one service each."""
    session = get_object_or_404(CouncilSession.objects.visible_to(request.user), pk=session_id)
    action = SLUGS.get(step)
    if action is None:
        raise Http404
    attempt_and_tell(
        request,
        MOVE_SERVICES[action],
        session,
        request.user,
        request.POST,
        done=DONE.get(action, ""),
    )
    return redirect("awards:session_detail", session_id=session.pk)
