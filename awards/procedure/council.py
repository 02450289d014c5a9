"""The council (Hội đồng Thi đua – Khen thưởng): sessions, agenda, ballots, tally, Biên bản.

Every member votes on every dossier of the agenda; absent members vote in writing (the
secretary records their written ballot). A member who declares a conflict of interest on a
dossier is recused from it. The pass threshold is counted on the WHOLE membership of the
council (`awards.procedure.voting`), less the members recused on that dossier: a declared
conflict must neither help nor sink a dossier. The meeting is valid only with the quorum of
members present set by the council's rules. Closing the session tallies every dossier, approves
or rejects it, and issues the Biên bản generated from the ballots.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.utils import timezone

from awards.models import AgendaItem, Ballot, Choice, CouncilSeat, CouncilSession
from awards.paperwork import papers
from awards.procedure import voting
from awards.procedure.levels import must_vote_here
from awards.rules.rulebook import Rulebook
from awards.transitions import lock_nomination, move_nomination
from awards.workflow import SESSION_TABLE
from portal import access, documents
from portal.access import Cap
from portal.audit import stamp
from portal.errors import RuleViolation
from portal.models import DocumentKind, Person, Unit, User
from portal.text import fold, normalize_text

# A member's role in the council (chức danh), as the session's form offers it: the Chủ tịch
# (the head of the unit) chairs, a Phó Chủ tịch stands in, the Thư ký takes the minutes
# (`presiding` reads these words). The first is the default.
COUNCIL_ROLES = (
    "Ủy viên",
    "Chủ tịch Hội đồng",
    "Phó Chủ tịch Hội đồng",
    "Ủy viên, Thư ký Hội đồng",
)


@transaction.atomic
def create_session(
    unit: Unit,
    *,
    actor,
    title: str,
    held_on: datetime.date,
    members: Iterable[tuple[User, str]],
    quorum_percent: int = 67,
    place: str = "",
    starts_at: datetime.time | None = None,
) -> CouncilSession:
    access.require(actor, Cap.REVIEW_NOMINATIONS, unit)
    members = list(members)
    if not members:
        raise RuleViolation("Hội đồng cần có thành viên.", code="council_without_members")
    if not 1 <= quorum_percent <= 100:
        raise RuleViolation(
            "Tỉ lệ có mặt tối thiểu phải từ 1 đến 100 %.", code="quorum_out_of_range"
        )
    # A seat is a vote: only those whose own role lets them vote in this unit's council sit
    # in it (access.holders; an administrator's reach seats nobody).
    entitled = set(access.holder_ids(Cap.VOTE_IN_COUNCIL, [unit])[unit.pk])
    for user, _ in members:
        if user.pk not in entitled:
            raise RuleViolation(
                f"{user} không có quyền biểu quyết trong Hội đồng Thi đua – Khen thưởng của "
                f"{unit.name} nên không thể là thành viên phiên họp.",
                code="council_member_not_entitled",
            )
    if sum(1 for _, role in members if _duty(role) == "chair") > 1:
        raise RuleViolation("Hội đồng chỉ có một Chủ tịch.", code="council_chair_twice")
    session = CouncilSession(
        unit=unit,
        title=normalize_text(title) or f"Phiên họp ngày {held_on:%d/%m/%Y}",
        held_on=held_on,
        place=normalize_text(place),
        starts_at=starts_at,
        quorum_percent=quorum_percent,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    stamp(session, actor=actor, reason="awards.council.created")
    session.save()
    for user, role in members:
        seat = CouncilSeat(
            session=session, user=user, role=normalize_text(role) or COUNCIL_ROLES[0]
        )
        stamp(seat, actor=actor, reason="awards.council.seated")
        try:
            with transaction.atomic():
                seat.save()
        except IntegrityError as error:
            raise RuleViolation(
                f"{user} đã có tên trong Hội đồng.", code="council_member_twice"
            ) from error
    return session


def _open_session(session: CouncilSession, action: str) -> CouncilSession:
    """The session locked, if the session table lets `action` run on it now."""
    session = CouncilSession.objects.select_for_update().select_related("unit").get(pk=session.pk)
    SESSION_TABLE.ensure(session, action)
    return session


@transaction.atomic
def put_on_agenda(nomination, *, actor, session: CouncilSession) -> AgendaItem:
    session = _open_session(session, "put_on_agenda")
    nomination = lock_nomination(nomination)

    def guard(n) -> None:
        if n.handling_unit_id != session.unit_id:
            raise RuleViolation(
                f"Hồ sơ không thuộc Hội đồng của {session.unit.name}.", code="agenda_other_council"
            )
        must_vote_here(n)

    move_nomination(nomination, "put_on_agenda", actor=actor, before=guard)
    item = AgendaItem(session=session, nomination=nomination, position=session.items.count() + 1)
    stamp(item, actor=actor, reason="awards.council.agenda_added")
    item.save()
    return item


@transaction.atomic
def set_attendance(seat: CouncilSeat, *, actor, present: bool) -> CouncilSeat:
    seat = CouncilSeat.objects.select_for_update().get(pk=seat.pk)
    session = _open_session(seat.session, "set_attendance")
    access.require(actor, Cap.REVIEW_NOMINATIONS, session.unit)
    seat.present = present
    stamp(seat, actor=actor, reason="awards.council.attendance")
    seat.save(update_fields=["present"])
    return seat


def _save_ballot(item: AgendaItem, seat: CouncilSeat, *, actor, reason: str, **fields) -> Ballot:
    if item.session_id != seat.session_id:
        raise RuleViolation(
            "Thành viên không thuộc phiên họp này.", code="ballot_seat_other_session"
        )
    ballot = Ballot.objects.select_for_update().filter(item=item, seat=seat).first()
    if ballot is not None and ballot.choice == Choice.RECUSED:
        raise RuleViolation(
            "Thành viên đã không tham gia xét hồ sơ này (xung đột lợi ích).", code="member_recused"
        )
    ballot = ballot or Ballot(item=item, seat=seat)
    for key, value in fields.items():
        setattr(ballot, key, value)
    stamp(ballot, actor=actor, reason=reason)
    ballot.save()
    return ballot


def _own_seat(session: CouncilSession, actor) -> CouncilSeat:
    """The actor's seat in the session, if they may still vote in the session's council: a
    role withdrawn since they were seated takes the vote away (checked at each vote)."""
    seat = CouncilSeat.objects.filter(session=session.pk, user=actor).first()
    if seat is None:
        raise RuleViolation("Bạn không phải thành viên của phiên họp này.", code="not_seated")
    access.require(actor, Cap.VOTE_IN_COUNCIL, session.unit)
    return seat


@transaction.atomic
def cast_vote(item: AgendaItem, *, actor, choice: str) -> Ballot:
    """A present member votes on one dossier; the vote can be changed until the session ends."""
    session = _open_session(item.session, "cast_vote")
    seat = _own_seat(session, actor)
    if not seat.present:
        raise RuleViolation(
            "Thành viên vắng mặt gửi phiếu bằng văn bản qua thư ký.", code="absent_votes_in_writing"
        )
    if choice not in (Choice.YES, Choice.NO):
        raise RuleViolation("Phiếu phải là đồng ý hoặc không đồng ý.", code="ballot_choice_invalid")
    return _save_ballot(
        item, seat, actor=actor, reason="awards.council.voted", choice=choice, in_writing=False
    )


@transaction.atomic
def record_written_vote(item: AgendaItem, *, actor, seat: CouncilSeat, choice: str) -> Ballot:
    """The secretary records an absent member's written ballot, if the member may still vote
    in the council (as `_own_seat` for a vote in person)."""
    session = _open_session(item.session, "record_written_vote")
    access.require(actor, Cap.REVIEW_NOMINATIONS, session.unit)
    if seat.present:
        raise RuleViolation(
            "Thành viên có mặt tự bỏ phiếu tại phiên họp.", code="present_member_votes_in_person"
        )
    member = User.objects.get(pk=seat.user_id)
    if not access.holds_in_unit(member, Cap.VOTE_IN_COUNCIL, session.unit):
        raise RuleViolation(
            f"{member} không còn quyền biểu quyết trong Hội đồng của {session.unit.name} nên "
            "không ghi phiếu bằng văn bản của thành viên này.",
            code="written_vote_not_entitled",
        )
    if choice not in (Choice.YES, Choice.NO):
        raise RuleViolation("Phiếu phải là đồng ý hoặc không đồng ý.", code="ballot_choice_invalid")
    return _save_ballot(
        item,
        seat,
        actor=actor,
        reason="awards.council.written_vote",
        choice=choice,
        in_writing=True,
    )


@transaction.atomic
def declare_conflict(item: AgendaItem, *, actor, reason: str) -> Ballot:
    """A member recuses themself from a dossier; the recusal cannot be undone in the session."""
    session = _open_session(item.session, "declare_conflict")
    reason = normalize_text(reason)
    if not reason:
        raise RuleViolation("Cần nêu rõ xung đột lợi ích.", code="conflict_reason_missing")
    seat = _own_seat(session, actor)
    ballot = Ballot.objects.select_for_update().filter(item=item, seat=seat).first()
    ballot = ballot or Ballot(item=item, seat=seat)
    ballot.choice, ballot.note = Choice.RECUSED, reason
    stamp(ballot, actor=actor, reason="awards.council.recused")
    ballot.save()
    return ballot


def tally_item(item: AgendaItem, seats: int, on: datetime.date) -> voting.VoteOutcome:
    ballots = list(item.ballots.all())
    recused = sum(1 for b in ballots if b.choice == Choice.RECUSED)
    yes = sum(1 for b in ballots if b.choice == Choice.YES)
    members = seats - recused
    if members <= 0:
        raise RuleViolation(
            f"{item.nomination}: mọi thành viên đều không tham gia biểu quyết.",
            code="everyone_recused",
        )
    rulebook = Rulebook.for_day(on, item.session.unit)
    if rulebook is None:
        raise RuleViolation(
            f"Không có bộ quy tắc khen thưởng có hiệu lực ngày {on:%d/%m/%Y}.",
            code="rule_set_missing",
        )
    return voting.tally(item.nomination.item, yes=yes, members=members, rulebook=rulebook)


def seat_person(seat: CouncilSeat) -> Person:
    """The named person holding a seat: the person of its account. A council paper names
    people, never account labels (#13)."""
    person = getattr(seat.user, "person", None)
    if person is None:
        raise RuleViolation(
            f"Tài khoản {seat.user} của Hội đồng chưa gắn với một cá nhân (Quản trị → Cá nhân →"
            " tài khoản) nên không ghi được họ tên vào biên bản.",
            code="seat_without_person",
        )
    return person


def _duty(role: str) -> str:
    role = fold(role)
    if role.startswith("chu tich"):
        return "chair"
    if role.startswith("pho chu tich"):
        return "vice"
    return "secretary" if "thu ky" in role else ""


def presiding(
    seats: list[CouncilSeat],
    chair: CouncilSeat | None = None,
    secretary: CouncilSeat | None = None,
) -> tuple[CouncilSeat, CouncilSeat]:
    """Who chairs the meeting and who takes its minutes: the seats chosen, else by their role
    in the council: its Chủ tịch if present, else a Phó Chủ tịch; its Thư ký. Both must be at
    the meeting, in two different seats."""
    present = [s for s in seats if s.present]
    if chair is None:
        chair = next((s for s in present if _duty(s.role) == "chair"), None) or next(
            (s for s in present if _duty(s.role) == "vice"), None
        )
    if secretary is None:
        secretary = next((s for s in present if _duty(s.role) == "secretary"), None)
    if chair is None or secretary is None:
        raise RuleViolation(
            "Cần chọn người chủ trì (Chủ tịch hoặc Phó Chủ tịch Hội đồng) và Thư ký trong số "
            "thành viên có mặt để ký biên bản.",
            code="presiding_missing",
        )
    by_pk = {s.pk: s for s in seats}
    for seat, what in ((chair, "Người chủ trì"), (secretary, "Thư ký")):
        if seat.pk not in by_pk:
            raise RuleViolation(
                f"{what} phải là thành viên của phiên họp này.", code="presiding_not_seated"
            )
        if not by_pk[seat.pk].present:
            raise RuleViolation(f"{what} phải có mặt tại phiên họp.", code="presiding_absent")
    if chair.pk == secretary.pk:
        raise RuleViolation(
            "Người chủ trì và Thư ký phải là hai thành viên khác nhau.", code="chair_is_secretary"
        )
    return by_pk[chair.pk], by_pk[secretary.pk]


@transaction.atomic
def close_session(
    session: CouncilSession,
    *,
    actor,
    chair: CouncilSeat | None = None,
    secretary: CouncilSeat | None = None,
    ends_at: datetime.time | None = None,
) -> CouncilSession:
    """Tally every dossier on the whole membership, decide each, issue the council's Biên bản
    with the meeting's closing time (now, unless given), signed by the chair and the secretary
    of the meeting: seats of the session (`presiding`), printed as the persons who hold them."""
    session = _open_session(session, "close")
    session.ends_at = ends_at or timezone.localtime().time().replace(second=0, microsecond=0)
    if session.starts_at and session.ends_at < session.starts_at:
        raise RuleViolation(
            "Giờ kết thúc phiên họp phải sau giờ bắt đầu.", code="session_ends_before_start"
        )
    access.require(actor, Cap.REVIEW_NOMINATIONS, session.unit)
    seats = list(session.seats.select_related("user__person"))
    chair, secretary = presiding(seats, chair, secretary)
    names = {seat.pk: seat_person(seat).full_name for seat in seats}
    present = sum(1 for s in seats if s.present)
    if present * 100 < session.quorum_percent * len(seats):
        raise RuleViolation(
            f"Phiên họp không đủ số thành viên có mặt: {present}/{len(seats)}, quy chế yêu cầu "
            f"tối thiểu {session.quorum_percent} %.",
            code="quorum_not_met",
        )
    items = list(
        session.items.select_related(
            "nomination__person__unit",
            "nomination__unit",
            "nomination__title",
            "nomination__award_form",
        ).prefetch_related("ballots__seat__user", "nomination__criterion_opinions")
    )
    if not items:
        raise RuleViolation("Phiên họp chưa có hồ sơ nào.", code="agenda_empty")
    secret, named = {}, {}
    for item in items:
        outcome = tally_item(item, len(seats), session.held_on)
        item.yes = outcome.yes
        item.no = sum(1 for b in item.ballots.all() if b.choice == Choice.NO)
        item.members = outcome.members
        item.passed = outcome.passed
        item.summary = outcome.summary
        stamp(item, actor=actor, reason="awards.council.tallied")
        item.save(update_fields=["yes", "no", "members", "passed", "summary"])
        secret[item.pk] = outcome.secret_ballot
        named[item.pk] = [
            f"{names[b.seat_id]}: {b.get_choice_display().lower()}" for b in item.ballots.all()
        ]
    content = papers.minutes(
        session,
        items,
        present=present,
        seats=len(seats),
        secret=secret,
        named_votes=named,
        names=names,
        chair=chair,
        secretary=secretary,
        seat_list=seats,
    )
    draft = documents.create_draft(
        DocumentKind.MINUTES,
        issuer=session.unit,
        actor=actor,
        check_access=False,
        issued_as="council",
        **content,
    )
    minutes = documents.issue_document(
        draft, actor=actor, check_access=False, issued_on=session.held_on
    )
    for item in items:
        nomination = lock_nomination(item.nomination)
        nomination.council_summary = item.summary
        if item.passed:
            move_nomination(
                nomination,
                "council_pass",
                actor=actor,
                reason=item.summary,
                document=minutes,
                fields=["council_summary"],
            )
        else:
            move_nomination(
                nomination,
                "council_fail",
                actor=actor,
                reason=item.summary,
                document=minutes,
                fields=["council_summary"],
            )
    session.status = SESSION_TABLE.target_of("close")
    session.minutes = minutes
    stamp(session, actor=actor, reason="awards.council.closed")
    session.save(update_fields=["status", "minutes", "ends_at"])
    return session
