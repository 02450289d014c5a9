"""The transition table, walked: every action from every status it does not start from is
refused; and two reviewers racing on one dossier on PostgreSQL: exactly one wins."""

from __future__ import annotations

import datetime
import threading

import pytest
from django.db import connections

from awards.models import Nomination, VoteRule
from awards.procedure import (
    appraisal,
    approval,
    central,
    council,
    decisions,
    public_comment,
    submission,
)
from awards.workflow import TABLE, Status
from awards.workflow import Status as S
from portal.access import Cap, Role
from portal.errors import RuleViolation
from tests.awards.central_helpers import at_province
from tests.awards.nomination_helpers import TODAY, draft, issued, refresh, submitted
from tests.factories import make_member
from tests.races import needs_row_locks, race
from tests.refusals import refused


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(TODAY, tick=False)


def _set_status(nomination: Nomination, status: str) -> Nomination:
    nomination.status = status
    nomination.save(update_fields=["status"])
    return nomination


# The procedure (docs/awards.md, "Nomination workflow" and "The central leg"), written out by
# hand: action → (the statuses it starts from, where it leads). Adding a step or a source to the
# table must change this and the procedure together, never follow the table silently.
PINNED = {
    "submit": ({S.DRAFT, S.RETURNED}, S.SUBMITTED),
    "recall": ({S.SUBMITTED}, S.DRAFT),
    "receive": ({S.SUBMITTED}, S.RECEIVED),
    "return": ({S.SUBMITTED, S.RECEIVED, S.CHECKED}, S.RETURNED),
    "open_comment": ({S.RECEIVED}, S.PUBLIC_COMMENT),
    "check": ({S.RECEIVED, S.PUBLIC_COMMENT}, S.CHECKED),
    "forward": ({S.CHECKED}, S.SUBMITTED),
    "put_on_agenda": ({S.CHECKED}, S.ON_AGENDA),
    "council_pass": ({S.ON_AGENDA}, S.APPROVED),
    "council_fail": ({S.ON_AGENDA}, S.REJECTED),
    "approve": ({S.CHECKED}, S.APPROVED),
    "reject": ({S.CHECKED}, S.REJECTED),
    "fast_track": ({S.RECEIVED}, S.APPROVED),
    "draft_decision": ({S.APPROVED}, S.DECIDED),
    "issue": ({S.DECIDED}, S.ISSUED),
    "publish": ({S.ISSUED}, S.PUBLISHED),
    "revoke": ({S.ISSUED, S.PUBLISHED}, S.REVOKED),
    # The central leg.
    "send_to_central": ({S.CHECKED, S.APPROVED, S.CENTRAL_RETURNED}, S.SENT_TO_CENTRAL),
    "central_return": ({S.SENT_TO_CENTRAL}, S.CENTRAL_RETURNED),
    "return_to_sender": ({S.CENTRAL_RETURNED}, S.RETURNED),
    "central_approve": ({S.SENT_TO_CENTRAL}, S.CENTRAL_DECIDED),
    "central_reject": ({S.SENT_TO_CENTRAL}, S.REJECTED),
}
# The steps that need a written reason.
PINNED_REASONED = {
    "recall",
    "return",
    "reject",
    "revoke",
    "central_return",
    "return_to_sender",
    "central_reject",
}


# Who takes each step: the proposing unit sends and recalls, the leader decides, the Nội vụ
# does the rest (the central leg included).
PINNED_CAPABILITY = {
    **{a: Cap.REVIEW_NOMINATIONS for a in PINNED},
    "submit": Cap.PROPOSE_AWARDS,
    "recall": Cap.PROPOSE_AWARDS,
    **dict.fromkeys(
        ["approve", "reject", "fast_track", "issue", "publish", "revoke"], Cap.DECIDE_AWARDS
    ),
}


# The groups of statuses the procedure names: the proposer's own (editable), the ones under
# consideration (open), the dead ends (final) and those running against a legal time limit.
PINNED_GROUPS = {
    "EDITABLE": {S.DRAFT, S.RETURNED},
    "OPEN": {
        S.SUBMITTED,
        S.RECEIVED,
        S.PUBLIC_COMMENT,
        S.CHECKED,
        S.ON_AGENDA,
        S.APPROVED,
        S.DECIDED,
        S.SENT_TO_CENTRAL,
        S.CENTRAL_RETURNED,
    },
    "FINAL": {S.REJECTED, S.REVOKED},
    "TIMED": {S.SUBMITTED, S.RECEIVED, S.CHECKED, S.APPROVED, S.SENT_TO_CENTRAL},
}


def test_the_status_groups_are_exactly_the_procedure():
    from awards import workflow

    assert {name: set(getattr(workflow, name)) for name in PINNED_GROUPS} == PINNED_GROUPS


# Whose unit the capability is held on: the sender's for sending and recalling, the level
# holding the dossier for everything else.
PINNED_SENDER_STEPS = {"submit", "recall"}


def test_each_step_needs_the_procedures_capability():
    assert {t.action: t.cap for t in TABLE} == PINNED_CAPABILITY


def test_each_step_is_held_on_the_procedures_side():
    assert {t.action for t in TABLE if t.on == "sender"} == PINNED_SENDER_STEPS
    assert {t.on for t in TABLE if t.action not in PINNED_SENDER_STEPS} == {"holder"}


def test_the_nomination_table_is_exactly_the_procedure():
    table = {t.action: (set(t.sources), t.target) for t in TABLE}
    assert table == PINNED
    assert {t.action for t in TABLE if t.needs_reason} == PINNED_REASONED


def _assert_refused_at(info, status: str) -> None:
    """The table's refusal, in the user's words, names the step the dossier is at."""
    assert info.value.message.startswith(
        f"Không thể chuyển hồ sơ đang ở bước “{Status(status).label}” sang “"
    ), info.value.message


# Internal steps are taken only inside close_session, issue_decision and publish_decision,
# which the tests below exercise on their own.
INTERNAL = {"council_pass", "council_fail", "issue", "publish"}


def _calls(world, session):
    admin = world.admin
    return {
        "submit": lambda n: submission.submit_batch([n], actor=admin, sender=world.ward),
        "recall": lambda n: submission.recall_nomination(n, actor=admin, reason="Rút."),
        "receive": lambda n: appraisal.receive_nomination(n, actor=admin),
        "return": lambda n: appraisal.return_nomination(n, actor=admin, reason="Bổ sung."),
        "open_comment": lambda n: public_comment.open_public_comment(n, actor=admin),
        "check": lambda n: appraisal.check_nomination(n, actor=admin, opinion="Đạt."),
        "forward": lambda n: submission.forward_batch([n], actor=admin),
        "put_on_agenda": lambda n: council.put_on_agenda(n, actor=admin, session=session),
        "approve": lambda n: approval.approve_nomination(n, actor=admin),
        "reject": lambda n: approval.reject_nomination(n, actor=admin, reason="Không đạt."),
        "fast_track": lambda n: approval.fast_track_nomination(n, actor=admin),
        "draft_decision": lambda n: decisions.draft_decision([n], actor=admin),
        "revoke": lambda n: decisions.revoke_awards([n], actor=admin, reason="Sai phạm."),
        **_central_calls(admin),
    }


def _central_calls(actor):
    signed = datetime.date(2026, 2, 20)
    return {
        "send_to_central": lambda n: central.send_to_central([n], actor=actor),
        "central_return": lambda n: central.record_central_return(
            n, actor=actor, reason="Bổ sung."
        ),
        "return_to_sender": lambda n: central.return_to_sender(n, actor=actor, reason="Bổ sung."),
        "central_approve": lambda n: central.record_central_outcome(
            n,
            actor=actor,
            number="123/QĐ-TTg",
            signed_on=signed,
            authority="prime_minister",
            result="approved",
        ),
        "central_reject": lambda n: central.record_central_outcome(
            n,
            actor=actor,
            number="512/BNV-TĐKT",
            signed_on=signed,
            authority="home_affairs",
            result="not_approved",
            reason="Không đủ điều kiện.",
        ),
    }


CENTRAL_ACTIONS = ["send_to_central", "central_return", "return_to_sender", "central_approve"]


@pytest.mark.parametrize("action", [*CENTRAL_ACTIONS, "central_reject"])
def test_each_central_step_is_taken_from_each_of_its_sources_by_the_province(world, action):
    """A Bằng khen của Thủ tướng dossier at the province, put at each source in turn."""
    # Straight from the check only where no council vote is due: a province without one.
    VoteRule.objects.filter(award_form__code="bang-khen-thu-tuong").delete()
    nomination = at_province(world)
    sources, target = PINNED[action]
    call = _central_calls(world.reviewer)[action]
    for source in sorted(sources):
        _set_status(nomination, source)
        call(refresh(nomination))
        moved = refresh(nomination)
        assert moved.status == target, source
        assert moved.events.last().action == action


def test_the_central_steps_are_refused_from_every_other_status(world):
    nomination = at_province(world)
    count = 0
    for action, call in _central_calls(world.reviewer).items():
        for status in Status.values:
            if status in PINNED[action][0]:
                continue
            _set_status(nomination, status)
            with refused("nomination.refused") as info:
                call(refresh(nomination))
            _assert_refused_at(info, status)
            assert refresh(nomination).status == status
            count += 1
    assert count == sum(
        len(Status.values) - len(PINNED[a][0]) for a in [*CENTRAL_ACTIONS, "central_reject"]
    )


def test_every_action_is_refused_from_every_status_outside_its_sources(world):
    nomination = submitted(world)
    # Waiting at the district for a province decision: every gate is the table's own.
    nomination.handling_unit = world.district
    nomination.conferring_unit = world.province
    nomination.save(update_fields=["handling_unit", "conferring_unit"])
    session = council.create_session(
        world.district,
        actor=world.admin,
        title="Phiên họp",
        held_on=TODAY.date(),
        members=[(make_member(world.district, Role.COUNCIL_MEMBER), "Ủy viên")],
    )
    calls = _calls(world, session)
    assert set(calls) | INTERNAL == set(PINNED)
    count = 0
    for action, call in calls.items():
        for status in Status.values:
            if status in PINNED[action][0]:
                continue
            _set_status(nomination, status)
            with refused("nomination.refused") as info:
                call(refresh(nomination))
            _assert_refused_at(info, status)
            assert refresh(nomination).status == status
            count += 1
    assert count == sum(len(Status.values) - len(PINNED[a][0]) for a in calls)


def test_an_issued_decision_cannot_be_issued_again_nor_a_draft_published(world):
    nomination = issued(world)
    with refused("award_decision.refused"):
        decisions.issue_decision(nomination.decision, actor=world.ward_leader)
    other = draft(world, year=2024)
    other = submitted(world, other)
    appraisal.receive_nomination(other, actor=world.reviewer)
    appraisal.check_nomination(refresh(other), actor=world.reviewer, opinion="Đạt.")
    approval.approve_nomination(refresh(other), actor=world.ward_leader)
    decision = decisions.draft_decision([refresh(other)], actor=world.reviewer)
    with refused("award_decision.refused"):
        decisions.publish_decision(decision, actor=world.ward_leader)


@race
def test_two_reviewers_receiving_the_same_dossier_at_once_exactly_one_wins(world):
    needs_row_locks()
    from portal.models import Role
    from tests.factories import make_member

    second_reviewer = make_member(world.province, Role.REVIEWER, "noivu2", "Đinh Văn Hai")
    nomination = submitted(world)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []
    lock = threading.Lock()

    def act(actor) -> None:
        try:
            barrier.wait()
            appraisal.receive_nomination(Nomination.objects.get(pk=nomination.pk), actor=actor)
            result = "won"
        except RuleViolation:
            result = "refused"
        finally:
            connections.close_all()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=act, args=(a,)) for a in (world.reviewer, second_reviewer)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["refused", "won"]
    assert refresh(nomination).status == Status.RECEIVED
    assert refresh(nomination).events.filter(action="receive").count() == 1
