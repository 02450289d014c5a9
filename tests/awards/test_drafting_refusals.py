"""The refusals of drafting, submitting, forwarding, public comment and proposals, each by its
code (#19): each service is driven into its rule through its public function, and what was
there stays as it was."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from awards.models import (
    AuthorityRule,
    AwardForm,
    Decider,
    EmulationTitle,
    Evidence,
    Nomination,
    PublicComment,
    PublicCommentRule,
    RuleSet,
)
from awards.procedure import appraisal, drafting, public_comment, submission
from awards.procedure.proposals import nominate_review_proposals
from awards.workflow import Status
from pledges.models import AwardProposal, ProposalStatus
from tests.awards.nomination_helpers import (
    TODAY,
    checked,
    draft,
    rate,
    received,
    refresh,
    submitted,
)
from tests.awards.test_proposals import _submitted_review
from tests.campaign_fixtures import _documents_off_disk, city, city_campaign, draft_campaign
from tests.refusals import refused

# The campaign world's fixtures, used here by name (pytest finds them in this module).
__all__ = ["_documents_off_disk", "city", "city_campaign", "draft_campaign"]

ACHIEVEMENTS = "Hoàn thành xuất sắc nhiệm vụ văn hóa – xã hội."


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(TODAY, tick=False)


def _create(world, **fields):
    """Lao động tiên tiến for the ward's official, as the ward's officer drafts it."""
    values = dict(
        actor=world.ward_officer,
        item=EmulationTitle.objects.get(code="lao-dong-tien-tien"),
        year=2025,
        basis_kind="yearly",
        person=world.person,
        report_achievements=ACHIEVEMENTS,
    )
    values.update(fields)
    return drafting.create_nomination(world.ward, **values)


def _bang_khen_tinh(world):
    """A Bằng khen tỉnh for the ward's official: beyond the ward, it goes first to the city."""
    nomination = _create(
        world, item=AwardForm.objects.get(code="bang-khen-tinh"), basis_kind="merit"
    )
    return drafting.update_nomination(
        nomination,
        actor=world.ward_officer,
        justifications={f["code"]: "Có giải trình." for f in nomination.findings},
    )


def _checked_at_city(world):
    nomination = _bang_khen_tinh(world)
    submission.submit_batch([nomination], actor=world.ward_officer, sender=world.ward)
    appraisal.receive_nomination(refresh(nomination), actor=world.reviewer)
    appraisal.check_nomination(refresh(nomination), actor=world.reviewer, opinion="Đủ hồ sơ.")
    nomination = refresh(nomination)
    assert nomination.handling_unit == world.district
    return nomination


def _pdf() -> SimpleUploadedFile:
    return SimpleUploadedFile("bao-cao.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")


# ---------------------------------------------------------------------------------------------
# Drafting


def test_a_household_is_named_by_its_locality_not_by_a_person(world):
    with refused("household_by_locality"):
        _create(world, household_name="Hộ ông Nguyễn Văn Tư")
    assert not Nomination.objects.exists()


def test_a_recipient_is_one_person_or_one_unit(world):
    with refused("recipient_missing"):
        _create(world, person=None)
    with refused("recipient_missing"):
        _create(world, unit=world.ward)
    assert not Nomination.objects.exists()


def test_a_report_names_only_the_fields_it_has(world):
    with refused("unknown_field"):
        _create(world, report_secret="x")
    assert not Nomination.objects.exists()
    nomination = draft(world)
    with refused("unknown_field"):
        drafting.update_nomination(nomination, actor=world.ward_officer, report_secret="x")
    assert refresh(nomination).report_achievements == ACHIEVEMENTS


def test_a_report_states_its_achievements(world):
    with refused("achievements_missing"):
        _create(world, report_achievements="   ")
    assert not Nomination.objects.exists()
    nomination = draft(world)
    with refused("achievements_missing"):
        drafting.update_nomination(nomination, actor=world.ward_officer, report_achievements="")
    assert refresh(nomination).report_achievements == ACHIEVEMENTS


def test_the_unit_council_cannot_vote_yes_more_than_it_has_members(world):
    with refused("council_yes_exceeds_members"):
        _create(world, unit_council_members=5, unit_council_yes=6)
    assert not Nomination.objects.exists()
    nomination = draft(world, unit_council_members=5, unit_council_yes=5)
    with refused("council_yes_exceeds_members"):
        drafting.update_nomination(nomination, actor=world.ward_officer, unit_council_yes=7)
    assert refresh(nomination).unit_council_yes == 5


def test_a_submitted_report_is_not_edited(world):
    nomination = submitted(world)
    with refused("nomination_not_editable"):
        drafting.update_nomination(
            nomination, actor=world.ward_officer, report_achievements="Sửa sau khi trình."
        )
    nomination = refresh(nomination)
    assert nomination.status == Status.SUBMITTED
    assert nomination.report_achievements == ACHIEVEMENTS


def test_evidence_is_added_only_while_the_dossier_is_editable(world):
    nomination = submitted(world)
    with refused("evidence_not_editable"):
        drafting.add_evidence(
            nomination,
            actor=world.ward_officer,
            description="Giấy chứng nhận",
            link="https://example.vn/chung-nhan",
        )
    assert not Evidence.objects.exists()


@pytest.mark.parametrize(
    ("description", "link"),
    [("   ", "https://example.vn/chung-nhan"), ("Giấy chứng nhận", "")],
)
def test_evidence_has_a_description_and_a_file_or_link(world, description, link):
    nomination = draft(world)
    with refused("evidence_incomplete"):
        drafting.add_evidence(
            nomination, actor=world.ward_officer, description=description, link=link
        )
    assert not Evidence.objects.exists()


def test_the_signed_report_is_attached_only_while_the_dossier_is_editable(world):
    nomination = submitted(world)
    with refused("report_not_editable"):
        drafting.attach_signed_report(nomination, actor=world.ward_officer, file=_pdf())
    assert not refresh(nomination).signed_report


# ---------------------------------------------------------------------------------------------
# Submitting


def test_submitting_needs_a_dossier(world):
    with refused("submit_nothing_chosen"):
        submission.submit_batch([], actor=world.ward_officer, sender=world.ward)


def test_a_unit_submits_only_its_own_dossiers(world):
    nomination = draft(world)
    with refused("not_senders_nomination"):
        submission.submit_batch([nomination], actor=world.outsider, sender=world.sibling_ward)
    nomination = refresh(nomination)
    assert nomination.status == Status.DRAFT
    assert nomination.batch is None


def test_one_submission_goes_to_one_level(world):
    provincial = _bang_khen_tinh(world)
    own = draft(world)
    with refused("submit_mixed_levels"):
        submission.submit_batch([provincial, own], actor=world.ward_officer, sender=world.ward)
    assert {n.status for n in Nomination.objects.all()} == {Status.DRAFT}


def test_a_level_proposing_to_itself_needs_an_office_to_do_it_through(world):
    # Phường Xuân An has a chairman but no office under it to put the Tờ trình to him.
    rate(world.sibling_person, 2025, "htxsnv")
    nomination = drafting.create_nomination(
        world.sibling_ward,
        actor=world.outsider,
        item=EmulationTitle.objects.get(code="lao-dong-tien-tien"),
        year=2025,
        basis_kind="yearly",
        person=world.sibling_person,
        report_achievements=ACHIEVEMENTS,
    )
    with refused("sender_without_office"):
        submission.submit_batch([nomination], actor=world.outsider, sender=world.sibling_ward)
    nomination = refresh(nomination)
    assert nomination.status == Status.DRAFT
    assert nomination.batch is None


# ---------------------------------------------------------------------------------------------
# Forwarding


def test_forwarding_needs_a_dossier(world):
    with refused("forward_nothing_chosen"):
        submission.forward_batch([], actor=world.reviewer)


def test_a_dossier_within_the_levels_authority_is_not_forwarded(world):
    nomination = checked(world)
    with refused("forward_within_authority"):
        submission.forward_batch([nomination], actor=world.reviewer)
    nomination = refresh(nomination)
    assert nomination.status == Status.CHECKED
    assert nomination.handling_unit == world.ward


def test_one_forward_carries_dossiers_of_one_level(world):
    at_city = _checked_at_city(world)
    at_ward = checked(world)
    with refused("forward_mixed_levels"):
        submission.forward_batch([at_city, at_ward], actor=world.reviewer)
    assert refresh(at_city).handling_unit == world.district
    assert refresh(at_ward).handling_unit == world.ward


def test_an_item_conferred_outside_the_portal_is_not_forwarded_through_it(world):
    # The rule set gives Bằng khen tỉnh to a decider no level of the portal is (the rule is data).
    AuthorityRule.objects.filter(award_form__code="bang-khen-tinh").update(
        decider=Decider.ENTERPRISE
    )
    nomination = _checked_at_city(world)
    assert nomination.conferring_unit is None and not nomination.is_central
    with refused("forward_outside_portal"):
        submission.forward_batch([nomination], actor=world.reviewer)
    nomination = refresh(nomination)
    assert nomination.status == Status.CHECKED
    assert nomination.handling_unit == world.district


# ---------------------------------------------------------------------------------------------
# Public comment


@pytest.fixture
def comment_rule(db):
    """The province puts Lao động tiên tiến to public comment for 5 working days."""
    return PublicCommentRule.objects.create(
        rule_set=RuleSet.objects.national().valid_on(TODAY.date()).get(),
        title=EmulationTitle.objects.get(code="lao-dong-tien-tien"),
        working_days=5,
        article="Quy chế của tỉnh",
    )


def test_a_comment_window_does_not_start_in_the_past(world, comment_rule):
    nomination = received(world)
    with refused("public_comment_start_past"):
        public_comment.open_public_comment(
            nomination,
            actor=world.reviewer,
            opens_on=TODAY.date() - datetime.timedelta(days=1),
        )
    nomination = refresh(nomination)
    assert nomination.status == Status.RECEIVED
    assert nomination.comment_opens_on is None


@pytest.mark.parametrize(("author_name", "text"), [("  ", "Đồng tình."), ("Trần Văn Dân", " ")])
def test_a_public_comment_names_its_author_and_says_something(
    world, comment_rule, author_name, text
):
    nomination = public_comment.open_public_comment(received(world), actor=world.reviewer)
    with refused("public_comment_incomplete"):
        public_comment.add_public_comment(nomination, author_name=author_name, text=text)
    assert not PublicComment.objects.exists()


# ---------------------------------------------------------------------------------------------
# Proposals


def test_a_proposal_for_an_item_missing_from_the_catalogue_is_not_nominated(city, city_campaign):
    review = _submitted_review(city, city_campaign)
    # The catalogue no longer holds Giấy khen under the code the review form proposes.
    AwardForm.objects.filter(code="giay-khen").update(code="giay-khen-cu")
    with refused("catalogue_item_missing"):
        nominate_review_proposals(review, actor=city.ward_officer)
    assert not Nomination.objects.exists()
    assert set(AwardProposal.objects.filter(review=review).values_list("status", flat=True)) == {
        ProposalStatus.PROPOSED
    }
