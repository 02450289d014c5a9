"""Every refusal of the awards procedure, by its code (#19): each test drives a service through
its public function into one rule and checks that nothing was written."""

from __future__ import annotations

import datetime

import pytest

from awards.models import (
    AwardDecision,
    AwardRecord,
    Ballot,
    Batch,
    CentralAuthority,
    CentralDecision,
    CentralResult,
    Choice,
    ClearanceRequest,
    ClearanceStatus,
    CouncilSession,
    CriterionOpinion,
    DecisionKind,
)
from awards.procedure import (
    appraisal,
    bulk,
    central,
    clearance,
    council,
    decisions,
    submission,
)
from awards.workflow import Status
from portal.models import Membership, Role
from tests.awards.central_helpers import central_draft, ready, second_person, sent
from tests.awards.nomination_helpers import (
    TODAY,
    checked,
    council_of,
    issued,
    received,
    refresh,
)
from tests.factories import make_member
from tests.refusals import refused


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(TODAY, tick=False)


# --- council ------------------------------------------------------------------------------


def _on_agenda(world, *, size: int = 3, present: int | None = None):
    """A Chiến sĩ thi đua cơ sở dossier of the ward on the agenda of a ward council."""
    nomination = checked(world, code="cstd-co-so")
    c = council_of(world, world.ward, size=size, present=present)
    c.item = council.put_on_agenda(nomination, actor=world.reviewer, session=c.session)
    c.nomination = nomination
    return c


def test_a_written_ballot_needs_a_seat_of_the_same_session(world):
    c = _on_agenda(world)
    other = council_of(world, world.ward, size=3, present=2)
    with refused("ballot_seat_other_session"):
        council.record_written_vote(
            c.item, actor=world.reviewer, seat=other.seats[2], choice=Choice.YES
        )
    assert not Ballot.objects.filter(item=c.item).exists()


def test_a_ballot_is_yes_or_no(world):
    c = _on_agenda(world, present=2)
    with refused("ballot_choice_invalid"):
        council.cast_vote(c.item, actor=c.users[0], choice=Choice.RECUSED)
    with refused("ballot_choice_invalid"):
        council.record_written_vote(c.item, actor=world.reviewer, seat=c.seats[2], choice="maybe")
    assert not Ballot.objects.filter(item=c.item).exists()


def test_a_present_member_votes_in_person_not_in_writing(world):
    c = _on_agenda(world)
    with refused("present_member_votes_in_person"):
        council.record_written_vote(
            c.item, actor=world.reviewer, seat=c.seats[0], choice=Choice.YES
        )
    assert not Ballot.objects.filter(item=c.item).exists()


def test_a_conflict_of_interest_needs_its_reason(world):
    c = _on_agenda(world)
    with refused("conflict_reason_missing"):
        council.declare_conflict(c.item, actor=c.users[2], reason="   ")
    assert not Ballot.objects.filter(item=c.item).exists()


def test_a_dossier_every_member_is_recused_from_cannot_be_tallied(world):
    c = _on_agenda(world, size=2)
    for user in c.users:
        council.declare_conflict(c.item, actor=user, reason="Là người thân của người được đề nghị.")
    with refused("everyone_recused"):
        council.close_session(c.session, actor=world.reviewer)
    assert refresh(c.nomination).status == Status.ON_AGENDA
    c.session.refresh_from_db()
    assert c.session.minutes is None


def test_the_chair_of_the_meeting_is_a_seat_of_this_session(world):
    c = _on_agenda(world)
    other = council_of(world, world.ward, size=3)
    with refused("presiding_not_seated"):
        council.close_session(c.session, actor=world.reviewer, chair=other.seats[0])
    assert refresh(c.nomination).status == Status.ON_AGENDA


def test_a_session_without_a_dossier_cannot_close(world):
    c = council_of(world, world.ward, size=3)
    with refused("agenda_empty"):
        council.close_session(c.session, actor=world.reviewer)
    c.session.refresh_from_db()
    assert c.session.minutes is None


def test_a_council_has_members(world):
    with refused("council_without_members"):
        council.create_session(
            world.ward, actor=world.reviewer, title="Phiên họp", held_on=TODAY.date(), members=[]
        )
    assert not CouncilSession.objects.exists()


@pytest.mark.parametrize("quorum", [0, 101])
def test_the_quorum_is_a_percentage(world, quorum):
    with refused("quorum_out_of_range"):
        council.create_session(
            world.ward,
            actor=world.reviewer,
            title="Phiên họp",
            held_on=TODAY.date(),
            members=[(world.council, "Chủ tịch Hội đồng")],
            quorum_percent=quorum,
        )
    assert not CouncilSession.objects.exists()


def test_a_member_sits_once_in_a_council(world):
    member = make_member(world.ward, Role.COUNCIL_MEMBER)
    with refused("council_member_twice"):
        council.create_session(
            world.ward,
            actor=world.reviewer,
            title="Phiên họp",
            held_on=TODAY.date(),
            members=[(member, "Chủ tịch Hội đồng"), (member, "Ủy viên")],
        )
    assert not CouncilSession.objects.exists()


def test_a_council_has_one_chairman(world):
    with refused("council_chair_twice"):
        council.create_session(
            world.ward,
            actor=world.reviewer,
            title="Phiên họp",
            held_on=TODAY.date(),
            members=[
                (world.ward_leader, "Chủ tịch Hội đồng"),
                (make_member(world.ward, Role.COUNCIL_MEMBER), "Chủ tịch Hội đồng"),
            ],
        )
    assert not CouncilSession.objects.exists()
    # One Chủ tịch with Phó Chủ tịch beside him: the deputies do not count as a second chair.
    deputies = [make_member(world.ward, Role.COUNCIL_MEMBER) for _ in range(2)]
    session = council.create_session(
        world.ward,
        actor=world.reviewer,
        title="Phiên họp",
        held_on=TODAY.date(),
        members=[
            (world.ward_leader, "Chủ tịch Hội đồng"),
            (deputies[0], "Phó Chủ tịch Hội đồng"),
            (deputies[1], "Phó Chủ tịch Hội đồng"),
        ],
    )
    assert session.seats.count() == 3


def test_only_who_may_vote_in_the_units_council_is_seated(world):
    """A seat is a vote in this unit's council: a council member of the province, an officer
    of the ward, an administrator and a former member are refused a seat at the ward, and
    nothing of the session is kept."""
    former = make_member(world.ward, Role.COUNCIL_MEMBER)
    Membership.objects.filter(user=former).update(role=Role.VIEWER)
    for stranger in (world.council, world.ward_officer, world.admin, former):
        with refused("council_member_not_entitled"):
            council.create_session(
                world.ward,
                actor=world.reviewer,
                title="Phiên họp",
                held_on=TODAY.date(),
                members=[(world.ward_leader, "Chủ tịch Hội đồng"), (stranger, "Ủy viên")],
            )
    assert not CouncilSession.objects.exists()
    assert not CouncilSession.history.exists()
    session = council.create_session(
        world.ward,
        actor=world.reviewer,
        title="Phiên họp",
        held_on=TODAY.date(),
        members=[(world.ward_leader, "Chủ tịch Hội đồng")],
    )
    assert [(s.user, s.role) for s in session.seats.all()] == [
        (world.ward_leader, "Chủ tịch Hội đồng")
    ]
    assert session.seats.get().history.get().history_change_reason == "awards.council.seated"


def test_a_dossier_goes_on_the_agenda_of_its_own_council(world):
    nomination = checked(world, code="cstd-co-so")
    other = council_of(world, world.sibling_ward, size=3)
    with refused("agenda_other_council"):
        council.put_on_agenda(nomination, actor=world.reviewer, session=other.session)
    assert refresh(nomination).status == Status.CHECKED
    assert not other.session.items.exists()


# --- central ------------------------------------------------------------------------------

SIGNED = datetime.date(2026, 2, 20)


def _outcome(world, nomination, **overrides):
    fields = {
        "actor": world.reviewer,
        "number": "123/QĐ-TTg",
        "signed_on": SIGNED,
        "authority": CentralAuthority.PRIME_MINISTER,
        "result": CentralResult.APPROVED,
    }
    fields.update(overrides)
    return central.record_central_outcome(nomination, **fields)


def test_a_central_paper_is_signed_by_a_known_authority(world):
    nomination = sent(world)
    with refused("central_authority_invalid"):
        _outcome(world, nomination, authority="ubnd_tinh")
    with refused("central_authority_invalid"):
        central.record_central_decision(
            [nomination],
            actor=world.reviewer,
            number="123/QĐ-TTg",
            signed_on=SIGNED,
            authority="ubnd_tinh",
            result=CentralResult.APPROVED,
        )
    assert refresh(nomination).status == Status.SENT_TO_CENTRAL
    assert not CentralDecision.objects.exists()


def test_a_central_paper_has_a_known_result(world):
    nomination = sent(world)
    with refused("central_result_invalid"):
        _outcome(world, nomination, result="deferred")
    assert refresh(nomination).status == Status.SENT_TO_CENTRAL
    assert not CentralDecision.objects.exists()


def test_one_central_paper_keeps_its_date_for_every_dossier(world):
    first = sent(world)
    second = sent(world, person=second_person(world))
    _outcome(world, first)
    with refused("central_paper_mismatch"):
        _outcome(world, second, signed_on=SIGNED - datetime.timedelta(days=3))
    assert refresh(second).status == Status.SENT_TO_CENTRAL
    assert CentralDecision.objects.get().nominations.count() == 1


def test_an_award_is_decided_by_the_authority_that_confers_it(world):
    nomination = sent(world)
    with refused("central_authority_mismatch"):
        _outcome(world, nomination, authority=CentralAuthority.PRESIDENT, number="45/QĐ-CTN")
    assert refresh(nomination).status == Status.SENT_TO_CENTRAL
    assert not CentralDecision.objects.exists()
    assert not AwardRecord.objects.exists()


def test_a_toi_trinh_to_central_names_at_least_one_dossier(world):
    with refused("central_nothing_chosen"):
        central.send_to_central([], actor=world.reviewer)
    assert not Batch.objects.filter(is_central=True).exists()


def test_a_toi_trinh_to_central_carries_dossiers_of_one_level(world):
    at_the_province = ready(world)
    at_the_city = central_draft(world, person=second_person(world))
    submission.submit_batch([at_the_city], actor=world.ward_officer, sender=world.ward)
    appraisal.receive_nomination(refresh(at_the_city), actor=world.reviewer)
    appraisal.check_nomination(refresh(at_the_city), actor=world.reviewer, opinion="Đủ hồ sơ.")
    assert refresh(at_the_city).handling_unit == world.district
    with refused("central_mixed_levels"):
        central.send_to_central([at_the_province, refresh(at_the_city)], actor=world.reviewer)
    assert refresh(at_the_province).status == Status.APPROVED
    assert refresh(at_the_city).status == Status.CHECKED
    assert not Batch.objects.filter(is_central=True).exists()


# --- clearance, appraisal, criteria -------------------------------------------------------

DUE = datetime.date(2026, 3, 9)


def _ask(world, nominations) -> ClearanceRequest:
    return clearance.request_clearance(
        nominations,
        actor=world.reviewer,
        body_name="Ủy ban Kiểm tra Thị ủy Long Khánh",
        subject="việc chấp hành pháp luật về an ninh, trật tự.",
        due_on=DUE,
    )


def test_one_letter_asks_about_dossiers_of_one_level(world):
    at_the_ward = received(world)
    at_the_city = central_draft(world, person=second_person(world))
    submission.submit_batch([at_the_city], actor=world.ward_officer, sender=world.ward)
    at_the_city = appraisal.receive_nomination(refresh(at_the_city), actor=world.reviewer)
    assert (at_the_ward.handling_unit, at_the_city.handling_unit) == (world.ward, world.district)
    with refused("clearance_mixed_levels"):
        _ask(world, [at_the_ward, at_the_city])
    assert not ClearanceRequest.objects.exists()


def test_an_answer_is_not_dated_after_today(world):
    request = _ask(world, [received(world)])
    with refused("clearance_answer_in_future"):
        clearance.record_clearance_answer(
            request,
            actor=world.reviewer,
            verdict=ClearanceStatus.AGREED,
            text="",
            answered_on=TODAY.date() + datetime.timedelta(days=1),
        )
    assert ClearanceRequest.objects.get(pk=request.pk).is_pending


def test_the_check_needs_the_reviewers_opinion(world):
    nomination = received(world)
    with refused("opinion_missing"):
        appraisal.check_nomination(nomination, actor=world.reviewer, opinion="  ")
    assert refresh(nomination).status == Status.RECEIVED
    assert not CriterionOpinion.objects.filter(nomination=nomination).exists()


def test_the_check_waits_for_every_body_asked(world):
    nomination = received(world)
    _ask(world, [nomination])
    with refused("clearance_pending"):
        appraisal.check_nomination(nomination, actor=world.reviewer, opinion="Đủ điều kiện.")
    assert refresh(nomination).status == Status.RECEIVED


def test_an_objection_confirmed_as_not_met_does_not_end_the_check(world):
    nomination = received(world)
    request = _ask(world, [nomination])
    clearance.record_clearance_answer(
        request,
        actor=world.reviewer,
        verdict=ClearanceStatus.OBJECTION,
        text="Bà Hồng bị xử phạt hành chính năm 2025.",
        answered_on=TODAY.date(),
    )
    with refused("clearance_objection_unresolved"):
        appraisal.check_nomination(nomination, actor=world.reviewer, opinion="Đủ điều kiện.")
    assert refresh(nomination).status == Status.RECEIVED
    assert not CriterionOpinion.objects.filter(nomination=nomination).exists()


# --- decisions, bulk ----------------------------------------------------------------------


def test_a_revocation_names_at_least_one_award(world):
    with refused("revocation_nothing_chosen"):
        decisions.revoke_awards([], actor=world.ward_leader, reason="Phát hiện khai man.")
    assert not AwardDecision.objects.exists()


@pytest.mark.parametrize("central_first", [False, True])
def test_a_revocation_covers_awards_of_one_level(world, central_first):
    # Whichever was written first: the central dossier once came first and crashed the check.
    if central_first:
        prime_ministers = central_draft(world, person=second_person(world))
        ward_award = issued(world)
    else:
        ward_award = issued(world)
        prime_ministers = central_draft(world, person=second_person(world))
    with refused("revocation_mixed_levels"):
        decisions.revoke_awards(
            [ward_award, prime_ministers], actor=world.ward_leader, reason="Phát hiện khai man."
        )
    assert refresh(ward_award).status == Status.ISSUED
    assert not AwardDecision.objects.filter(kind=DecisionKind.REVOCATION).exists()


def test_a_decision_names_at_least_one_dossier(world):
    with refused("decision_nothing_chosen"):
        decisions.draft_decision([], actor=world.reviewer)
    assert not AwardDecision.objects.exists()


def test_a_bulk_action_is_one_of_the_known_ones(world):
    nomination = received(world)
    with refused("bulk_action_unknown"):
        bulk.bulk_apply("approve", [nomination], actor=world.reviewer, reason="Đạt.")
    assert refresh(nomination).status == Status.RECEIVED
