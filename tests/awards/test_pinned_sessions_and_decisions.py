"""The council session's and the award decision's life, pinned to the procedure.

Each has its table on the engine (`awards.workflow.SESSION_TABLE`, `DECISION_TABLE`); the moves
below are written out by hand from docs/awards.md ("Council", "Decision"), never read from the
tables, compared exactly with them, and every service is tried from every status it does not
start from. A service that starts accepting another status fails here until the procedure and
this list change with it.
"""

from __future__ import annotations

import pytest

from awards.models import AwardDecision, Choice, CouncilSession, DecisionStatus, SessionStatus
from awards.procedure import council, decisions
from awards.workflow import DECISION_TABLE, SESSION_TABLE, Status
from tests.awards.nomination_helpers import TODAY, checked, council_of, decided, refresh
from tests.refusals import refused

# (status, service) → the status it leads to; a service that does not move the record (it
# works inside the status) leads back to the same one.
SESSION_PINNED = {
    (SessionStatus.OPEN, "put_on_agenda"): SessionStatus.OPEN,
    (SessionStatus.OPEN, "set_attendance"): SessionStatus.OPEN,
    (SessionStatus.OPEN, "cast_vote"): SessionStatus.OPEN,
    (SessionStatus.OPEN, "record_written_vote"): SessionStatus.OPEN,
    (SessionStatus.OPEN, "declare_conflict"): SessionStatus.OPEN,
    (SessionStatus.OPEN, "close_session"): SessionStatus.CLOSED,
}
DECISION_PINNED = {
    (DecisionStatus.DRAFT, "set_decision_signer"): DecisionStatus.DRAFT,
    (DecisionStatus.DRAFT, "issue_decision"): DecisionStatus.ISSUED,
    (DecisionStatus.ISSUED, "publish_decision"): DecisionStatus.PUBLISHED,
}
# The table's action each service takes (its name in the table, where it differs).
ACTION_OF_SERVICE = {
    "close_session": "close",
    "set_decision_signer": "set_signer",
    "issue_decision": "issue",
    "publish_decision": "publish",
}


def _as_table(pinned: dict) -> dict:
    return {(s, ACTION_OF_SERVICE.get(name, name)): t for (s, name), t in pinned.items()}


def test_the_session_and_decision_tables_are_exactly_the_procedure():
    for table, pinned in [(SESSION_TABLE, SESSION_PINNED), (DECISION_TABLE, DECISION_PINNED)]:
        moves = {(source, row.action): row.target for row in table for source in row.sources}
        assert moves == _as_table(pinned), table.name


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(TODAY, tick=False)


def test_the_statuses_are_exactly_those_of_the_procedure():
    assert set(SessionStatus.values) == {s for s, _ in SESSION_PINNED} | set(
        SESSION_PINNED.values()
    )
    assert set(DecisionStatus.values) == {s for s, _ in DECISION_PINNED} | set(
        DECISION_PINNED.values()
    )


def _session_calls(world, c, item, spare):
    reviewer = world.reviewer
    return {
        "put_on_agenda": lambda: council.put_on_agenda(spare, actor=reviewer, session=c.session),
        "set_attendance": lambda: council.set_attendance(c.seats[4], actor=reviewer, present=False),
        "cast_vote": lambda: council.cast_vote(item, actor=c.users[0], choice=Choice.YES),
        "record_written_vote": lambda: council.record_written_vote(
            item, actor=reviewer, seat=c.seats[4], choice=Choice.YES
        ),
        "declare_conflict": lambda: council.declare_conflict(
            item, actor=c.users[3], reason="Người thân của người được đề nghị."
        ),
        "close_session": lambda: council.close_session(c.session, actor=reviewer),
    }


def test_every_session_service_runs_while_open_and_is_refused_once_closed(world):
    nomination = checked(world, code="cstd-co-so")
    spare = checked(world, code="cstd-co-so", year=2024)
    c = council_of(world, world.ward, size=5, present=4)
    item = council.put_on_agenda(nomination, actor=world.reviewer, session=c.session)
    calls = _session_calls(world, c, item, spare)
    assert {(SessionStatus.OPEN, name) for name in calls} == set(SESSION_PINNED)
    # Open: every service runs, and only the close moves the session.
    for name, call in calls.items():
        if name == "close_session":
            continue
        call()
        assert CouncilSession.objects.get(pk=c.session.pk).status == SessionStatus.OPEN, name
    for user in c.users[:3]:
        council.cast_vote(item, actor=user, choice=Choice.YES)
    calls["close_session"]()
    assert CouncilSession.objects.get(pk=c.session.pk).status == SessionStatus.CLOSED
    assert refresh(nomination).status in {Status.APPROVED, Status.REJECTED}
    # Closed: nothing is in the pinned set, so every service is refused.
    spare = checked(world, code="cstd-co-so", year=2023)
    calls = _session_calls(world, c, item, spare)
    for name, call in calls.items():
        assert (SessionStatus.CLOSED, name) not in SESSION_PINNED
        with refused("council_session.refused") as info:
            call()
        assert info.value.message == "Phiên họp đã kết thúc.", name
        assert CouncilSession.objects.get(pk=c.session.pk).status == SessionStatus.CLOSED


def _decision_calls(world, decision):
    return {
        "set_decision_signer": lambda: decisions.set_decision_signer(
            decision, actor=world.reviewer, signer=world.ward_deputy
        ),
        "issue_decision": lambda: decisions.issue_decision(decision, actor=world.ward_leader),
        "publish_decision": lambda: decisions.publish_decision(decision, actor=world.ward_leader),
    }


@pytest.mark.parametrize("status", DecisionStatus.values)
def test_every_decision_service_outside_the_procedure_is_refused(world, status):
    decision = decided(world).decision
    AwardDecision.objects.filter(pk=decision.pk).update(status=status)
    calls = _decision_calls(world, decision)
    assert {name for _, name in DECISION_PINNED} == set(calls)
    for name, call in calls.items():
        if (status, name) in DECISION_PINNED:
            continue
        with refused("award_decision.refused") as info:
            call()
        assert info.value.message.startswith(
            f"Quyết định đang ở bước “{DecisionStatus(status).label}”"
        ), name
        assert AwardDecision.objects.get(pk=decision.pk).status == status


def test_the_decision_moves_exactly_as_pinned(world):
    decision = decided(world).decision
    calls = _decision_calls(world, decision)
    for (source, name), target in DECISION_PINNED.items():  # in the procedure's order
        assert AwardDecision.objects.get(pk=decision.pk).status == source, name
        calls[name]()
        assert AwardDecision.objects.get(pk=decision.pk).status == target, name
