"""The awards app's reminder sources: dossiers and decisions against their legal time limits.

Every step of a nomination in `workflow.TIMED` runs against a limit in working days
(`StepLimit`, QĐ 311/QĐ-BNV, NĐ 98 Art. 32): the dossier's `due_on`. These reminders are
legal deadlines (`legal_deadline=True`): a recipient who muted a channel still gets them.

- awaiting the Nội vụ of the level that holds the dossier (its reviewers, or the nearest ones
  above it): receipt, check, forwarding up;
- awaiting the conferring level's decision: approve or put to the council, then the draft
  Quyết định (Nội vụ drafts, the leader signs);
- a drafted Quyết định not yet signed: the leader of the conferring level;
- an open council session where a seated member has not voted on every dossier: that member.

Not a legal deadline (it can be muted): a request for another body's opinion
(`clearance_answer_due`), due within two days or overdue, to the body's officers and leaders
when it is a unit of the portal; once overdue, to the asking level's Nội vụ when the body is
outside the portal, so that they chase the paper reply.

Each source costs a fixed number of queries, whatever the number of dossiers.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterator

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Min, Q
from django.urls import reverse

from awards.models import (
    AgendaItem,
    AwardDecision,
    Ballot,
    ClearanceRequest,
    ClearanceStatus,
    CouncilSeat,
    CouncilSession,
    DecisionKind,
    DecisionStatus,
    Nomination,
    SessionStatus,
)
from awards.workflow import TIMED, Status
from portal import access
from portal.access import Cap
from portal.background.reminders import DueItem, ReminderSource, register_source
from portal.calendar import working_days_between

NOMINATION_CHECK_KIND = "awards.nomination_check_due"
NOMINATION_DECISION_KIND = "awards.nomination_decision_due"
DECISION_SIGNATURE_KIND = "awards.decision_signature_due"
COUNCIL_VOTE_KIND = "awards.council_vote_due"
CLEARANCE_ANSWER_KIND = "awards.clearance_answer_due"

# Remind this many calendar days before a step's time limit, and every day after it.
REMIND_AHEAD_DAYS = 2
ITERATE_CHUNK = 2000

WAITING_FOR = {
    Status.SUBMITTED: "chờ tiếp nhận",
    Status.RECEIVED: "chờ thẩm định",
    Status.CHECKED: "chờ trình cấp trên",
}
DECIDING = {
    Status.CHECKED: "chờ chấp thuận hoặc đưa ra Hội đồng",
    Status.APPROVED: "chờ dự thảo, ký quyết định",
}


def is_overdue(today: datetime.date, due_on: datetime.date) -> bool:
    """Past the limit as the dossier's own clock counts it (Nomination.is_overdue)."""
    return working_days_between(today, due_on) < 0


def _recipient_name(nomination: Nomination) -> str:
    if nomination.person_id:
        return nomination.person.full_name
    if nomination.household_name:
        return f"Hộ {nomination.household_name}"
    return nomination.unit.name


def _timed_nominations(today: datetime.date, statuses: set[str]):
    return (
        Nomination.objects.filter(
            status__in=TIMED & statuses,
            due_on__isnull=False,
            handling_unit__isnull=False,
            due_on__lte=today + datetime.timedelta(days=REMIND_AHEAD_DAYS),
        )
        .select_related("person", "unit", "title", "award_form")
        .only(
            "pk",
            "status",
            "due_on",
            "handling_unit_id",
            "conferring_unit_id",
            "household_name",
            "person__full_name",
            "unit__name",
            "title__name",
            "award_form__name",
        )
        .order_by("due_on", "pk")
    )


def _decides_here(nomination: Nomination) -> bool:
    return nomination.conferring_unit_id == nomination.handling_unit_id


def _nomination_items(today: datetime.date, kind: str) -> Iterator[DueItem]:
    content_type = ContentType.objects.get_for_model(Nomination)
    deciding = kind == NOMINATION_DECISION_KIND
    steps = set(DECIDING if deciding else WAITING_FOR)
    for nomination in _timed_nominations(today, steps).iterator(ITERATE_CHUNK):
        status = nomination.status
        # A checked dossier either goes up (Nội vụ forwards it) or is decided at this level.
        at_decision = status == Status.APPROVED or (
            status == Status.CHECKED and _decides_here(nomination)
        )
        if at_decision != deciding:
            continue
        waiting = (DECIDING if deciding else WAITING_FOR)[status]
        url = (
            reverse("awards:queue") + f"?status={Status.APPROVED}"
            if status == Status.APPROVED
            else reverse("awards:nomination_detail", args=[nomination.pk])
        )
        yield DueItem(
            kind=kind,
            target_type_id=content_type.pk,
            target_id=nomination.pk,
            unit_id=nomination.handling_unit_id,
            title=(
                f"Hồ sơ đề nghị {nomination.item.name} – {_recipient_name(nomination)}: {waiting}"
            ),
            url=url,
            due_on=nomination.due_on,
            overdue=is_overdue(today, nomination.due_on),
        )


def nominations_to_check(today: datetime.date) -> Iterator[DueItem]:
    """Dossiers at the Nội vụ of the level holding them: to receive, check or forward up."""
    return _nomination_items(today, NOMINATION_CHECK_KIND)


def nominations_to_decide(today: datetime.date) -> Iterator[DueItem]:
    """Checked dossiers the level decides itself, and approved ones awaiting the Quyết định."""
    return _nomination_items(today, NOMINATION_DECISION_KIND)


def decisions_to_sign(today: datetime.date) -> Iterator[DueItem]:
    """Drafted award decisions: the leader signs within the limit of the approved step, which
    drafting does not restart (the earliest limit of the dossiers it lists)."""
    drafts = (
        AwardDecision.objects.filter(status=DecisionStatus.DRAFT, kind=DecisionKind.AWARD)
        .annotate(due=Min("nominations__due_on"), dossiers=Count("nominations"))
        .filter(due__lte=today + datetime.timedelta(days=REMIND_AHEAD_DAYS))
        .order_by("due", "pk")
        .values_list("pk", "unit_id", "due", "dossiers")
    )
    content_type = ContentType.objects.get_for_model(AwardDecision)
    for pk, unit_id, due_on, dossiers in drafts:
        yield DueItem(
            kind=DECISION_SIGNATURE_KIND,
            target_type_id=content_type.pk,
            target_id=pk,
            unit_id=unit_id,
            title=f"Dự thảo quyết định khen thưởng ({dossiers} hồ sơ): chờ ký ban hành",
            url=reverse("awards:decision_detail", args=[pk]),
            due_on=due_on,
            overdue=is_overdue(today, due_on),
        )


def council_votes_due(today: datetime.date) -> Iterator[DueItem]:
    """Open council sessions held within two days or earlier, for the seated members who have
    not voted (or recused themselves) on every dossier of the agenda. The session's date is the
    limit: the dossiers on its agenda wait for its tally."""
    sessions = CouncilSession.objects.filter(
        status=SessionStatus.OPEN, held_on__lte=today + datetime.timedelta(days=REMIND_AHEAD_DAYS)
    )
    agenda = defaultdict(int)
    for session_id, items in (
        AgendaItem.objects.filter(session__in=sessions)
        .values("session_id")
        .annotate(items=Count("pk"))
        .values_list("session_id", "items")
    ):
        agenda[session_id] = items
    voted = dict(
        Ballot.objects.filter(seat__session__in=sessions)
        .values("seat_id")
        .annotate(items=Count("item_id", distinct=True))
        .values_list("seat_id", "items")
    )
    waiting: dict[int, list[int]] = defaultdict(list)
    for seat_id, session_id, user_id in (
        CouncilSeat.objects.filter(session__in=sessions, user__is_active=True)
        .order_by("pk")
        .values_list("pk", "session_id", "user_id")
    ):
        if agenda[session_id] and voted.get(seat_id, 0) < agenda[session_id]:
            waiting[session_id].append(user_id)
    content_type = ContentType.objects.get_for_model(CouncilSession)
    for session in sessions.filter(pk__in=list(waiting)).order_by("held_on", "pk"):
        yield DueItem(
            kind=COUNCIL_VOTE_KIND,
            target_type_id=content_type.pk,
            target_id=session.pk,
            unit_id=session.unit_id,
            title=f"{session.title} ({session.held_on:%d/%m/%Y}): chưa biểu quyết đủ các hồ sơ",
            url=reverse("awards:session_detail", args=[session.pk]),
            due_on=session.held_on,
            overdue=is_overdue(today, session.held_on),
            recipient_ids=tuple(waiting[session.pk]),
        )


def clearances_to_answer(today: datetime.date) -> Iterator[DueItem]:
    """Pending requests for another body's opinion on nominees.

    A body that is a unit of the portal answers itself: its officers and leaders (those who
    hold ANSWER_CLEARANCE there) are reminded from two days before the requested date. A body
    outside the portal replies on paper: once the date has passed, the Nội vụ of the asking
    level (or the nearest above it) is reminded to chase the reply and record it. Overdue as
    the request page counts it: the day after `due_on`.
    """
    pending = list(
        ClearanceRequest.objects.filter(status=ClearanceStatus.PENDING)
        .filter(
            Q(
                body_unit__isnull=False,
                due_on__lte=today + datetime.timedelta(days=REMIND_AHEAD_DAYS),
            )
            | Q(body_unit__isnull=True, due_on__lt=today)
        )
        .select_related("asking_unit", "body_unit")
        .only(
            "pk",
            "body_unit_id",
            "body_name",
            "sent_on",
            "due_on",
            "due_article",
            "asking_unit__name",
            "asking_unit__path",
            "body_unit__path",
        )
        .annotate(dossiers=Count("nominations"))
        .order_by("due_on", "pk")
    )
    answerers = access.holder_ids(
        Cap.ANSWER_CLEARANCE,
        {c.body_unit for c in pending if c.body_unit_id},
    )
    reviewers = access.holder_ids(
        Cap.REVIEW_NOMINATIONS,
        {c.asking_unit for c in pending if c.body_unit_id is None},
        nearest=True,
    )
    content_type = ContentType.objects.get_for_model(ClearanceRequest)
    for request in pending:
        about = f"{request.dossiers} hồ sơ đề nghị khen thưởng"
        limit = f" (hạn theo {request.due_article})" if request.due_article else ""
        if request.body_unit_id:
            unit_id = request.body_unit_id
            title = f"{request.asking_unit.name} xin ý kiến về {about}: chờ trả lời{limit}"
            recipient_ids = answerers[unit_id]
        else:
            unit_id = request.asking_unit_id
            title = (
                f"Chưa nhận trả lời của {request.body_name} về {about} "
                f"(xin ý kiến ngày {request.sent_on:%d/%m/%Y}): đôn đốc và ghi nhận trả lời{limit}"
            )
            recipient_ids = reviewers[unit_id]
        yield DueItem(
            kind=CLEARANCE_ANSWER_KIND,
            target_type_id=content_type.pk,
            target_id=request.pk,
            unit_id=unit_id,
            title=title,
            url=reverse("awards:clearance_detail", args=[request.pk]),
            due_on=request.due_on,
            overdue=today > request.due_on,
            recipient_ids=recipient_ids,
        )


def register_awards_sources() -> None:
    register_source(
        ReminderSource(
            kind=NOMINATION_CHECK_KIND,
            label="Hồ sơ đề nghị khen thưởng chờ Nội vụ tiếp nhận, thẩm định (thời hạn luật định)",
            due_items=nominations_to_check,
            legal_deadline=True,
            # The Nội vụ of the level holding the dossier, else of the nearest level above.
            caps=(Cap.REVIEW_NOMINATIONS,),
        )
    )
    register_source(
        ReminderSource(
            kind=NOMINATION_DECISION_KIND,
            label="Hồ sơ đề nghị khen thưởng chờ quyết định (thời hạn luật định)",
            due_items=nominations_to_decide,
            legal_deadline=True,
            # The conferring leader, and the nearest Nội vụ reviewers.
            caps=(Cap.DECIDE_AWARDS, Cap.REVIEW_NOMINATIONS),
        )
    )
    register_source(
        ReminderSource(
            kind=DECISION_SIGNATURE_KIND,
            label="Quyết định khen thưởng chờ ký ban hành (thời hạn luật định)",
            due_items=decisions_to_sign,
            legal_deadline=True,
            caps=(Cap.DECIDE_AWARDS,),
        )
    )
    register_source(
        ReminderSource(
            kind=COUNCIL_VOTE_KIND,
            label="Phiên họp Hội đồng Thi đua – Khen thưởng chờ biểu quyết",
            due_items=council_votes_due,
            legal_deadline=True,
            # Only the seated members who have not voted (DueItem.recipient_ids).
            caps=(),
        )
    )
    register_source(
        ReminderSource(
            kind=CLEARANCE_ANSWER_KIND,
            label="Văn bản xin ý kiến cơ quan liên quan chờ trả lời",
            due_items=clearances_to_answer,
            # The date is the asking level's (its rule set, or typed on the request), not a
            # limit the law sets on the body asked; the dossier's own check limit, which a
            # pending request holds up, is reminded as a legal deadline (NOMINATION_CHECK_KIND).
            legal_deadline=False,
            # The body's answerers, or the asking level's Nội vụ (DueItem.recipient_ids).
            caps=(),
        )
    )
