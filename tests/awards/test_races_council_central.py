"""Races on the council's ballots and on the central leg's paper.

PostgreSQL only (tests/races.py): callers at the same instant, one outcome. How a lock-free
variant of each was shown to fail: docs/testing.md.
"""

from __future__ import annotations

import datetime

import pytest

from awards.models import Ballot, CentralDecision, Choice
from awards.procedure import central, council
from awards.workflow import Status
from portal.errors import RuleViolation
from tests.awards.central_helpers import second_person, sent
from tests.awards.nomination_helpers import TODAY, checked, council_of, refresh
from tests.races import at_once, kinds, needs_row_locks, race

pytestmark = race

SIGNED = datetime.date(2026, 2, 20)
RECUSED = "Thành viên đã không tham gia xét hồ sơ này (xung đột lợi ích)."


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(TODAY, tick=False)


def _on_agenda(world, *, present: int | None = None):
    nomination = checked(world, code="cstd-co-so")
    c = council_of(world, world.ward, size=3, present=present)
    item = council.put_on_agenda(nomination, actor=world.reviewer, session=c.session)
    return c, item


def test_each_members_vote_and_recusal_at_once_leave_one_recused_ballot_each(world):
    """Three members each vote and declare a conflict at the same instant. Without the session's
    lock both calls of a member find no ballot and both insert one (an IntegrityError). With it,
    whichever comes second sees the first: a vote after the recusal is refused, a recusal after
    the vote replaces it; either way the member's one ballot is the recusal."""
    needs_row_locks()
    c, item = _on_agenda(world)

    def vote(member):
        return lambda: council.cast_vote(item, actor=member, choice=Choice.YES)

    def recuse(member):
        return lambda: council.declare_conflict(item, actor=member, reason="Là người thân.")

    outcomes = at_once(*(call(member) for member in c.users for call in (vote, recuse)))

    assert set(kinds(outcomes)) <= {"won", "RuleViolation"}, outcomes
    assert all(o.message == RECUSED for o in outcomes if isinstance(o, RuleViolation))
    ballots = Ballot.objects.filter(item=item).select_related("seat")
    assert sorted(b.seat.user_id for b in ballots) == sorted(u.pk for u in c.users)
    assert {b.choice for b in ballots} == {Choice.RECUSED}
    assert {b.note for b in ballots} == {"Là người thân."}


def test_an_absent_members_two_written_ballots_at_once_leave_one_ballot_each(world):
    """The secretary's two entries of each absent member's written ballot at the same instant
    (a correction typed in a second tab): one ballot per member, in writing, never a duplicate
    row refused by the database."""
    needs_row_locks()
    c, item = _on_agenda(world, present=0)
    seats = [seat for seat in c.seats if not seat.present]
    assert len(seats) == 3

    def written(seat, choice):
        return lambda: council.record_written_vote(
            item, actor=world.reviewer, seat=seat, choice=choice
        )

    outcomes = at_once(*(written(s, choice) for s in seats for choice in (Choice.YES, Choice.NO)))

    assert kinds(outcomes) == ["won"] * 6
    ballots = Ballot.objects.filter(item=item)
    assert sorted(b.seat_id for b in ballots) == sorted(s.pk for s in seats)
    assert all(b.in_writing and b.choice in {Choice.YES, Choice.NO} for b in ballots)


def test_two_dossiers_of_one_new_central_paper_recorded_at_once_share_one_paper(world):
    """Two officers record the same Prime Minister's decision for two dossiers at the same
    instant. Neither finds the paper yet: without a lock that covers a paper not yet written,
    both insert it and the database refuses the second (a 500 instead of the dossier decided)."""
    needs_row_locks()
    first = sent(world)
    second = sent(world, person=second_person(world))

    def record(nomination):
        return lambda: central.record_central_outcome(
            nomination,
            actor=world.reviewer,
            number="123/QĐ-TTg",
            signed_on=SIGNED,
            authority="prime_minister",
            result="approved",
        )

    outcomes = at_once(record(first), record(second))

    assert kinds(outcomes) == ["won", "won"], outcomes
    paper = CentralDecision.objects.get()
    assert paper.number == "123/QĐ-TTg" and paper.signed_on == SIGNED
    for nomination in (refresh(first), refresh(second)):
        assert nomination.status == Status.CENTRAL_DECIDED
        assert nomination.central_decision == paper
    assert paper.history.count() == 1


def test_one_central_paper_recorded_at_once_with_two_dates_keeps_the_first(world):
    """The same number typed with two signing dates at the same instant: one is recorded, the
    other refused in Vietnamese (the paper is one), never both nor a database error."""
    needs_row_locks()
    first = sent(world)
    second = sent(world, person=second_person(world))

    def record(nomination, signed_on):
        return lambda: central.record_central_outcome(
            nomination,
            actor=world.reviewer,
            number="123/QĐ-TTg",
            signed_on=signed_on,
            authority="prime_minister",
            result="approved",
        )

    outcomes = at_once(record(first, SIGNED), record(second, SIGNED - datetime.timedelta(days=3)))

    assert kinds(outcomes) == ["RuleViolation", "won"], outcomes
    refused = next(o for o in outcomes if isinstance(o, RuleViolation))
    assert "đã được ghi nhận với ngày ký" in refused.message
    paper = CentralDecision.objects.get()
    statuses = sorted(refresh(n).status for n in (first, second))
    assert statuses == sorted([Status.CENTRAL_DECIDED, Status.SENT_TO_CENTRAL])
    assert paper.nominations.count() == 1
