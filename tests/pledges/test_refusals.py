"""Each rule of the pledges app refuses by its code: the refusals the walks of
test_services.py and test_covenants.py do not reach, one rule after another."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from campaigns.models import Campaign, ReviewKind
from pledges import reviews, services
from pledges.covenants import proposals as bloc_proposals
from pledges.covenants import ranking, scoring, signing
from pledges.covenants.signing import CommitmentInput
from pledges.models import (
    AwardProposal,
    BlocAwardProposal,
    Formula,
    Pledge,
    PledgeMember,
    ProposedAward,
    ScoreSheet,
    Title,
)
from pledges.workflow import PledgeStatus, ScoreSheetStatus, ScoreStage
from tests.campaign_fixtures import days, registered, task_row
from tests.pledges.covenant_fixtures import YEAR, drafted, in_force, scoring_table
from tests.refusals import refused

# --- registrations and progress ---------------------------------------------------------


def test_registering_needs_an_open_campaign(city, draft_campaign):
    with refused("campaign_closed_for_registration"):
        services.start_registration(draft_campaign, actor=city.ward_officer, unit=city.ward)


def test_a_registration_is_edited_only_while_drafted_or_amended(city, city_campaign):
    registration = registered(city, city_campaign)
    with refused("registration_not_editable"):
        services.set_registration_tasks(registration, actor=city.ward_officer, tasks=[task_row(1)])


def test_titles_are_checked_one_by_one(city, city_campaign):
    registration = services.start_registration(
        city_campaign, actor=city.ward_officer, unit=city.ward
    )
    one = [(Title.TTLDTT, None)]
    with refused("titles_not_asked"):  # the city's campaign asks for none
        services.set_registered_titles(registration, actor=city.ward_officer, titles=one)
    Campaign.objects.filter(pk=city_campaign.pk).update(asks_for_titles=True)
    with refused("title_unknown"):
        services.set_registered_titles(registration, actor=city.ward_officer, titles=[("x", None)])
    with refused("title_collective_no_person"):
        services.set_registered_titles(
            registration, actor=city.ward_officer, titles=[(Title.TTLDTT, city.person)]
        )
    twice = one * 2
    with refused("title_registered_twice"):
        services.set_registered_titles(registration, actor=city.ward_officer, titles=twice)


def test_progress_is_checked_before_it_is_recorded(city, city_campaign):
    registration = registered(city, city_campaign)
    number, milestone = registration.tasks.all()

    def report(task, **fields):
        fields.setdefault("reported_on", days(0))
        fields.setdefault("narrative", "Đã triển khai.")
        return services.report_progress(task, actor=city.ward_officer, **fields)

    with refused("report_date_future"):
        report(number, value=D(1), reported_on=days(1))
    with refused("narrative_required"):
        report(number, value=D(1), narrative=" ")
    with refused("result_value_required"):
        report(number, value=D(-1))
    with refused("milestone_done_required"):
        report(milestone)
    with refused("link_not_http"):
        report(number, value=D(1), links="ftp://example.org/a")
    report(number, value=D(1))
    services.amend_registration(registration, actor=city.ward_officer, reason="Bổ sung")
    with refused("tasks_have_progress"):
        services.set_registration_tasks(registration, actor=city.ward_officer, tasks=[task_row(1)])


def test_progress_is_reported_while_the_campaign_runs(city, city_campaign):
    task = registered(city, city_campaign).tasks.first()
    Campaign.objects.filter(pk=city_campaign.pk).update(status="final_reviewed")
    with refused("campaign_closed_for_progress"):
        services.report_progress(
            task, actor=city.ward_officer, reported_on=days(0), narrative="x", value=D(1)
        )


# --- unit reviews -------------------------------------------------------------------------


def test_a_unit_review_is_opened_once_for_a_running_campaign(city, city_campaign):
    with refused("review_kind_unknown"):
        reviews.open_unit_review(city_campaign, actor=city.ward_officer, unit=city.ward, kind="x")
    reviews.open_unit_review(
        city_campaign, actor=city.ward_officer, unit=city.ward, kind=ReviewKind.FINAL
    )
    with refused("review_exists"):
        reviews.open_unit_review(
            city_campaign, actor=city.ward_officer, unit=city.ward, kind=ReviewKind.FINAL
        )
    Campaign.objects.filter(pk=city_campaign.pk).update(status="closed")
    city_campaign.refresh_from_db()
    with refused("campaign_closed_for_reviews"):
        reviews.open_unit_review(
            city_campaign, actor=city.ward_officer, unit=city.ward, kind=ReviewKind.MIDTERM
        )


def test_a_unit_review_is_filled_in_before_it_is_sent(city, city_campaign):
    review = reviews.open_unit_review(
        city_campaign, actor=city.ward_officer, unit=city.ward, kind=ReviewKind.MIDTERM
    )

    def update(**fields):
        return reviews.update_unit_review(
            review,
            actor=city.ward_officer,
            self_assessment="Hoàn thành.",
            strengths="",
            shortcomings="",
            **fields,
        )

    with refused("exemplar_kind_unknown"):
        update(exemplars=[reviews.ExemplarInput(kind="x", name="a", description="b")])
    with refused("exemplar_incomplete"):
        update(exemplars=[reviews.ExemplarInput(kind="good_practice", name="", description="b")])
    with refused("proposed_award_unknown"):
        update(proposals=[reviews.ProposalInput(award="x", achievement="a", unit=city.ward)])
    with refused("proposal_one_nominee"):
        update(proposals=[reviews.ProposalInput(award=ProposedAward.GIAY_KHEN, achievement="a")])
    with refused("achievement_required"):
        update(
            proposals=[
                reviews.ProposalInput(
                    award=ProposedAward.GIAY_KHEN, achievement=" ", unit=city.ward
                )
            ]
        )
    reviews.update_unit_review(
        review, actor=city.ward_officer, self_assessment="", strengths="", shortcomings=""
    )
    with refused("self_assessment_required"):
        reviews.submit_unit_review(review, actor=city.ward_officer)


def test_only_a_sent_reviews_proposal_is_handed_over_once(city, city_campaign):
    review = reviews.open_unit_review(
        city_campaign, actor=city.ward_officer, unit=city.ward, kind=ReviewKind.FINAL
    )
    reviews.update_unit_review(
        review,
        actor=city.ward_officer,
        self_assessment="Hoàn thành.",
        strengths="",
        shortcomings="",
        proposals=[
            reviews.ProposalInput(award=ProposedAward.GIAY_KHEN, achievement="a", unit=city.ward)
        ],
    )
    proposal = AwardProposal.objects.get(review=review)
    with refused("review_not_submitted"):
        reviews.mark_proposal_nominated(proposal, actor=city.ward_officer, nomination_id=1)
    reviews.submit_unit_review(review, actor=city.ward_officer)
    proposal = AwardProposal.objects.get(review=review)
    reviews.mark_proposal_nominated(proposal, actor=city.ward_officer, nomination_id=1)
    with refused("proposal_already_nominated"):
        reviews.mark_proposal_nominated(proposal, actor=city.ward_officer, nomination_id=2)


def test_the_review_report_needs_a_launched_campaign(city, draft_campaign):
    with refused("review_kind_unknown"):
        reviews.draft_review_report(draft_campaign, actor=city.city_officer, kind="x")
    with refused("campaign_not_launched"):
        reviews.draft_review_report(draft_campaign, actor=city.city_officer, kind=ReviewKind.FINAL)


# --- the giao ước -------------------------------------------------------------------------


def test_a_giao_uoc_is_drafted_once_a_year_with_its_content(world):
    with refused("pledge_preamble_required"):
        signing.draft_pledge(world.bloc, actor=world.ward_officer, year=YEAR, preamble=" ")
    pledge = drafted(world)
    with refused("pledge_exists"):
        drafted(world)

    def amend(*rows):
        signing.amend_pledge(pledge, actor=world.ward_officer, commitments=list(rows))

    with refused("commitment_text_required"):
        amend(CommitmentInput(text=" "))
    with refused("commitment_target_not_positive"):
        amend(CommitmentInput(text="Thu ngân sách", target_value=D(0), unit_of_measure="%"))
    with refused("commitment_unit_required"):
        amend(CommitmentInput(text="Thu ngân sách", target_value=D(5)))
    with refused("commitment_foreign"):
        amend(CommitmentInput(text="Thu ngân sách", id=-1))
    with refused("pledge_preamble_required"):
        signing.amend_pledge(pledge, actor=world.ward_officer, preamble=" ")
    with refused("pledge_year_not_closed"):
        signing.draft_next_pledge(pledge, actor=world.ward_officer)


def test_a_giao_uoc_is_opened_with_commitments_and_two_members(world):
    pledge = drafted(world)
    PledgeMember.objects.filter(pledge=pledge).exclude(unit=world.ward).delete()
    with refused("pledge_too_few_members"):
        signing.open_pledge(pledge, actor=world.ward_officer)
    pledge.commitments.update(withdrawn=True)
    with refused("pledge_without_commitments"):
        signing.open_pledge(pledge, actor=world.ward_officer)


def test_only_members_sign_and_only_a_signed_giao_uoc_is_issued(world):
    pledge = drafted(world)
    with refused("pledge_not_signed"):
        signing.issue_pledge_document(pledge, actor=world.ward_officer)
    signing.open_pledge(pledge, actor=world.ward_officer)
    with refused("unit_not_member"):
        signing.sign_pledge(pledge, actor=world.admin, unit=world.province, paper_scan=b"%PDF")
    with refused("pledge_not_amendable"):
        signing.amend_pledge(pledge, actor=world.ward_officer, reason="Điều chỉnh")


def test_the_head_signs_the_paper_only_while_a_member(world):
    pledge = in_force(world)
    PledgeMember.objects.filter(pledge=pledge, unit=world.ward).delete()
    with refused("head_not_member"):
        signing.issue_pledge_document(pledge, actor=world.ward_officer)


def test_a_task_is_linked_to_a_live_commitment_of_its_own_giao_uoc_once(world, city_campaign):
    pledge = in_force(world)
    registration = registered(world, city_campaign)
    task = registration.tasks.first()
    commitment = pledge.commitments.first()
    signing.link_task_to_commitment(commitment, actor=world.ward_officer, task=task)
    with refused("task_already_linked"):
        signing.link_task_to_commitment(commitment, actor=world.ward_officer, task=task)
    commitment.withdrawn = True
    commitment.save(update_fields=["withdrawn"])
    with refused("commitment_withdrawn"):
        signing.link_task_to_commitment(commitment, actor=world.ward_officer, task=task)


# --- scoring ------------------------------------------------------------------------------


def test_the_score_table_is_made_once_with_sound_criteria(world):
    pledge = in_force(world)
    table = scoring.create_score_table(pledge, actor=world.ward_officer)
    with refused("score_table_exists"):
        scoring.create_score_table(pledge, actor=world.ward_officer)

    def add(**fields):
        fields = {"group": "I", "text": "Tiêu chí", "max_points": D(10), **fields}
        fields.setdefault("formula", Formula.MANUAL)
        return scoring.add_criterion(table, actor=world.ward_officer, **fields)

    with refused("criterion_formula_unknown"):
        add(formula="x")
    with refused("max_points_not_positive"):
        add(max_points=D(0))
    with refused("points_per_item_required"):
        add(formula=Formula.PER_ITEM)
    other = Pledge.objects.create(bloc=world.bloc, year=YEAR + 5, head=world.ward, preamble="x")
    foreign = other.commitments.create(position=1, text="Cam kết khác")
    with refused("criterion_commitment_foreign"):
        add(commitment=foreign)
    with refused("criterion_text_required"):
        add(text=" ")
    with refused("score_table_empty"):
        scoring.publish_score_table(table, actor=world.ward_officer)
    first = add()
    with refused("tie_breakers_invalid"):
        scoring.set_tie_breakers(table, actor=world.ward_officer, order=[first, first])
    Pledge.objects.filter(pk=pledge.pk).update(status=PledgeStatus.SIGNED)
    with refused("pledge_not_in_force"):
        scoring.publish_score_table(table, actor=world.ward_officer)
    Pledge.objects.filter(pk=pledge.pk).update(status=PledgeStatus.IN_FORCE)
    scoring.publish_score_table(table, actor=world.ward_officer)
    with refused("score_table_published"):
        scoring.publish_score_table(table, actor=world.ward_officer)


@pytest.fixture
def published(world):
    table = scoring_table(world)
    scoring.publish_score_table(table, actor=world.ward_officer)
    world.table = table
    return world


def test_a_self_assessment_names_its_own_criteria_and_fills_them_all(published):
    w = published
    sheet = ScoreSheet.objects.get(table=w.table, unit=w.ward, round=1)
    with refused("criterion_foreign"):
        scoring.save_self_assessment(sheet, actor=w.ward_officer, entries={-1: (D(1), "")})
    with refused("self_assessment_incomplete"):
        scoring.save_self_assessment(
            sheet, actor=w.ward_officer, entries={w.c_manual.pk: (D(8), "")}, submit=True
        )
    with refused("score_stage_unknown"):
        scoring.complete_scoring(sheet, actor=w.ward_officer, stage=ScoreStage.SELF)


def _reviewed(w) -> None:
    for sheet in ScoreSheet.objects.filter(table=w.table, round=1):
        ScoreSheet.objects.filter(pk=sheet.pk).update(status=ScoreSheetStatus.HEAD_SCORED)
        scoring.complete_scoring(sheet, actor=w.reviewer, stage=ScoreStage.REVIEWER)


def test_votes_and_results_follow_their_round(published):
    w = published
    with refused("ranking_not_published"):
        bloc_proposals.propose_leading_members(w.table, actor=w.ward_officer)
    with refused("ranking_not_published"):
        ranking.issue_results_report(w.table, actor=w.ward_officer)
    with refused("correction_before_results"):
        ranking.open_correction_round(w.table, actor=w.reviewer, reason="Sai số liệu")
    with refused("sheets_not_reviewed"):
        ranking.publish_results(w.table, actor=w.reviewer)

    def vote(issued=2, valid=2, counts=None):
        ranking.record_honour_vote(
            w.table,
            actor=w.ward_officer,
            ballots_issued=issued,
            ballots_valid=valid,
            counts=counts if counts is not None else {w.ward.pk: 1, w.sibling_ward.pk: 1},
        )

    with refused("vote_for_non_member"):
        vote(counts={w.province.pk: 1})
    with refused("ballots_valid_exceed_issued"):
        vote(issued=1, valid=2)
    with refused("votes_exceed_valid"):
        vote(valid=1)
    vote()
    with refused("vote_already_recorded"):
        vote()
    _reviewed(w)
    ranking.publish_results(w.table, actor=w.reviewer)
    with refused("round_already_published"):
        w.table.refresh_from_db()
        w.table.status = "published"
        w.table.save(update_fields=["status"])
        ranking.publish_results(w.table, actor=w.reviewer)
    w.table.status = "locked"
    w.table.save(update_fields=["status"])
    with refused("vote_round_closed"):
        vote()
    proposal = bloc_proposals.propose_leading_members(w.table, actor=w.ward_officer)[0]
    bloc_proposals.mark_bloc_proposal_nominated(proposal, actor=w.officer, nomination_id=1)
    with refused("proposal_already_nominated"):
        bloc_proposals.mark_bloc_proposal_nominated(proposal, actor=w.officer, nomination_id=2)
    assert BlocAwardProposal.objects.filter(pk=proposal.pk, nomination_id=1).exists()


def test_results_are_published_on_a_published_table(world):
    table = scoring_table(world)
    with refused("score_table_not_published"):
        ranking.publish_results(table, actor=world.reviewer)
