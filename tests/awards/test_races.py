"""Races on the awards services that lock a row, and on the unit tree's path allocation.

PostgreSQL only (tests/races.py): two callers at the same instant, one outcome.
"""

from __future__ import annotations

import pytest

from awards.models import (
    AwardDecision,
    Ballot,
    Choice,
    CouncilSession,
    DecisionStatus,
    SessionStatus,
)
from awards.procedure import council, decisions
from portal import services as portal_services
from portal.errors import RuleViolation
from portal.models import Unit, UnitKind
from tests.awards.nomination_helpers import TODAY, checked, council_of, decided
from tests.races import at_once, kinds, needs_row_locks, race

pytestmark = race


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(TODAY, tick=False)


def test_a_decision_signed_twice_at_once_is_numbered_once(world):
    needs_row_locks()
    decision = decided(world).decision
    outcomes = at_once(*[lambda: decisions.issue_decision(decision, actor=world.ward_leader)] * 2)
    assert kinds(outcomes) == ["RuleViolation", "won"]
    refused = next(o for o in outcomes if isinstance(o, RuleViolation))
    assert refused.code == "award_decision.refused"
    decision = AwardDecision.objects.get(pk=decision.pk)
    assert decision.status == DecisionStatus.ISSUED
    assert decision.nominations.get().award_record is not None
    assert decision.document.sequence == 1


def test_a_session_closed_twice_at_once_is_closed_once(world):
    needs_row_locks()
    nomination = checked(world, code="cstd-co-so")
    c = council_of(world, world.ward, size=3)
    item = council.put_on_agenda(nomination, actor=world.reviewer, session=c.session)
    for user in c.users:
        council.cast_vote(item, actor=user, choice=Choice.YES)

    def close():
        return council.close_session(c.session, actor=world.reviewer)

    outcomes = at_once(close, close)
    assert kinds(outcomes) == ["RuleViolation", "won"]
    refused = next(o for o in outcomes if isinstance(o, RuleViolation))
    assert (refused.code, refused.message) == ("council_session.refused", "Phiên họp đã kết thúc.")
    assert CouncilSession.objects.get(pk=c.session.pk).status == SessionStatus.CLOSED
    assert nomination.events.filter(action="council_pass").count() == 1


def test_each_members_two_votes_at_once_leave_one_ballot_each(world):
    """Three members each vote yes and no at the same instant. Without the session's lock both
    calls of a member find no ballot and both insert one: the database's unique constraint
    refuses the second with an IntegrityError instead of the vote changing."""
    needs_row_locks()
    nomination = checked(world, code="cstd-co-so")
    c = council_of(world, world.ward, size=3)
    item = council.put_on_agenda(nomination, actor=world.reviewer, session=c.session)

    def vote(member, choice):
        return lambda: council.cast_vote(item, actor=member, choice=choice)

    outcomes = at_once(
        *(vote(member, choice) for member in c.users for choice in (Choice.YES, Choice.NO))
    )

    assert kinds(outcomes) == ["won"] * 6
    ballots = Ballot.objects.filter(item=item).select_related("seat")
    assert sorted(b.seat.user_id for b in ballots) == sorted(u.pk for u in c.users)
    assert all(b.choice in {Choice.YES, Choice.NO} and not b.in_writing for b in ballots)


def test_two_units_added_under_one_parent_at_once_get_distinct_paths(world):
    needs_row_locks()
    outcomes = at_once(
        *[
            lambda name=name: portal_services.create_unit(
                world.ward, actor=world.admin, kind=UnitKind.VILLAGE, name=name
            )
            for name in ("Khu phố 1", "Khu phố 2")
        ]
    )
    assert kinds(outcomes) == ["won", "won"]
    paths = {u.path for u in Unit.objects.filter(parent=world.ward, kind=UnitKind.VILLAGE)}
    assert len(paths) == 2
