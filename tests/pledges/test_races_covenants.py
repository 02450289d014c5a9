"""Races on a bloc's giao ước: drafted, and after signing the score table created and
published, a sheet self-assessed or completed, the ranking published, the leaders proposed and
the proposals nominated, each by two callers at the same instant.

PostgreSQL only (tests/races.py); how a lock-free variant was shown to fail: docs/testing.md.
Each service reads a status (or what exists already) and writes on it: without the row's lock
both callers read the same and both write, so a table gets two sets of sheets, a ranking two
sets of places, a leader two proposals.
"""

from __future__ import annotations

import time
from decimal import Decimal

import pytest

from awards.models import Nomination
from awards.procedure.proposals import nominate_bloc_proposals
from pledges.covenants import proposals as bloc_proposals
from pledges.covenants import ranking, scoring, signing
from pledges.models import (
    BlocAwardProposal,
    BlocProposalStatus,
    Pledge,
    RankingEntry,
    Score,
    ScoreSheet,
    ScoreTable,
)
from pledges.workflow import PledgeStatus, ScoreSheetStatus, ScoreStage, ScoreTableStatus
from tests.pledges.covenant_fixtures import YEAR, drafted, in_force, scoring_table
from tests.races import at_once, kinds, needs_row_locks, race
from tests.refusals import refused

pytestmark = race

D = Decimal


def _slow_stamps(monkeypatch, module, pause: float) -> None:
    """The services stamp each row just before saving it: a pause there holds a caller between
    its read and its writes (the window a lock closes), and holds its locks the longer."""
    stamp = module.stamp

    def slow(row, **kwargs):
        time.sleep(pause)
        return stamp(row, **kwargs)

    monkeypatch.setattr(module, "stamp", slow)


@pytest.fixture
def slow_signing(monkeypatch):
    _slow_stamps(monkeypatch, signing, 0.3)


@pytest.fixture
def slow_scoring(monkeypatch):
    _slow_stamps(monkeypatch, scoring, 0.15)


def _entries(world, items: int) -> dict:
    return {
        world.c_ratio.pk: (D(80), "Báo cáo thu ngân sách số 12"),
        world.c_items.pk: (D(items), ""),
        world.c_manual.pk: (D(8), ""),
        world.c_penalty.pk: (D(0), ""),
    }


def _published(world):
    table = scoring_table(world)
    scoring.publish_score_table(table, actor=world.ward_officer)
    return table


def _self_assessed(world):
    """Both members of the bloc (Xuân Trung, its sibling Xuân An) have sent their sheets."""
    table = _published(world)
    for officer, unit, items in (
        (world.ward_officer, world.ward, 2),
        (world.outsider, world.sibling_ward, 3),
    ):
        sheet = ScoreSheet.objects.get(table=table, unit=unit, round=1)
        scoring.save_self_assessment(
            sheet, actor=officer, entries=_entries(world, items), submit=True
        )
    return table


def _reviewed(world):
    table = _self_assessed(world)
    for sheet in ScoreSheet.objects.filter(table=table, round=1):
        scoring.complete_scoring(sheet, actor=world.ward_officer, stage=ScoreStage.HEAD)
        scoring.complete_scoring(sheet, actor=world.reviewer, stage=ScoreStage.REVIEWER)
    return table


def test_a_score_table_created_twice_at_once_is_created_once(world, slow_scoring):
    """Two clicks on "Lập bảng chấm điểm" for one pledge: the pledge's lock makes the second
    wait and find the table made, a refusal. Without it both find none (the pause before the
    save holds each between its check and its insert) and both insert; the one-to-one index
    then makes the second fail with an IntegrityError (a 500)."""
    needs_row_locks()
    pledge = in_force(world)
    outcomes = at_once(
        lambda: scoring.create_score_table(pledge, actor=world.ward_officer),
        lambda: scoring.create_score_table(pledge, actor=world.ward_officer),
    )
    assert kinds(outcomes) == ["RuleViolation", "won"], outcomes
    with refused("score_table_exists"):
        raise next(o for o in outcomes if isinstance(o, Exception))
    won = next(o for o in outcomes if not isinstance(o, Exception))
    assert list(ScoreTable.objects.filter(pledge=pledge).values_list("pk", flat=True)) == [won.pk]


def test_a_score_table_published_twice_at_once_opens_one_sheet_per_member(world):
    """Without the table's lock both callers find it a draft and each opens a sheet for every
    member of the bloc."""
    needs_row_locks()
    table = scoring_table(world)
    outcomes = at_once(
        lambda: scoring.publish_score_table(table, actor=world.ward_officer),
        lambda: scoring.publish_score_table(table, actor=world.ward_officer),
    )
    assert kinds(outcomes) == ["RuleViolation", "won"]
    table.refresh_from_db()
    assert table.status == ScoreTableStatus.PUBLISHED
    members = set(table.pledge.members.values_list("unit_id", flat=True))
    sheets = list(ScoreSheet.objects.filter(table=table).values_list("unit_id", flat=True))
    assert sorted(sheets) == sorted(members)
    assert Score.objects.filter(sheet__table=table).count() == 4 * len(members)


def test_a_self_assessment_sent_twice_at_once_is_sent_once(world):
    """A sent sheet is no longer the member's to change: of two sendings at once, with two
    different counts, one is sent and the other refused, and the sheet holds the one sent."""
    needs_row_locks()
    table = _published(world)
    sheet = ScoreSheet.objects.get(table=table, unit=world.ward, round=1)

    def send(items):
        return lambda: scoring.save_self_assessment(
            sheet, actor=world.ward_officer, entries=_entries(world, items), submit=True
        )

    outcomes = at_once(send(2), send(3))
    assert kinds(outcomes) == ["RuleViolation", "won"]
    winner = next(o for o in outcomes if isinstance(o, ScoreSheet))
    sheet.refresh_from_db()
    assert sheet.status == ScoreSheetStatus.SELF_SUBMITTED
    items = Score.objects.get(sheet=sheet, criterion=world.c_items)
    # The stored count is the winner's, and the total agrees with it.
    assert sheet.total == winner.total
    assert items.self_points in (D(10), D(15))
    assert sheet.total == D(32) + items.self_points + D(8)


def test_a_sheet_completed_twice_at_once_by_the_head_is_completed_once(world):
    """Completing the head's scoring moves the sheet on once; the second caller finds it
    already scored and is refused (without the sheet's lock both "complete" it)."""
    needs_row_locks()
    table = _self_assessed(world)
    sheet = ScoreSheet.objects.get(table=table, unit=world.ward, round=1)
    outcomes = at_once(
        lambda: scoring.complete_scoring(sheet, actor=world.ward_officer, stage=ScoreStage.HEAD),
        lambda: scoring.complete_scoring(sheet, actor=world.ward_officer, stage=ScoreStage.HEAD),
    )
    assert kinds(outcomes) == ["RuleViolation", "won"]
    sheet.refresh_from_db()
    assert sheet.status == ScoreSheetStatus.HEAD_SCORED
    assert (
        sheet.history.filter(history_change_reason="pledges.score_sheet.head_completed").count()
        == 1
    )


def test_results_published_twice_at_once_are_published_once(world):
    """One ranking per round: of two publications at once one wins, the other is refused, and
    each member has one place."""
    needs_row_locks()
    table = _reviewed(world)
    outcomes = at_once(
        lambda: ranking.publish_results(table, actor=world.reviewer),
        lambda: ranking.publish_results(table, actor=world.reviewer),
    )
    assert kinds(outcomes) == ["RuleViolation", "won"]
    places = RankingEntry.objects.filter(table=table, round=1)
    assert sorted(places.values_list("unit_id", flat=True)) == sorted(
        [world.ward.pk, world.sibling_ward.pk]
    )
    table.refresh_from_db()
    assert table.status == ScoreTableStatus.LOCKED


def test_leaders_proposed_twice_at_once_are_proposed_once(world):
    """The head proposes the leading places with one action; two at once still give one
    proposal per place (the second finds them made)."""
    needs_row_locks()
    table = _reviewed(world)
    ranking.publish_results(table, actor=world.reviewer)
    outcomes = at_once(
        lambda: bloc_proposals.propose_leading_members(table, actor=world.ward_officer),
        lambda: bloc_proposals.propose_leading_members(table, actor=world.ward_officer),
    )
    assert kinds(outcomes) == ["won", "won"]
    assert sorted(len(o) for o in outcomes) == [0, 2]
    assert sorted(BlocAwardProposal.objects.values_list("award", flat=True)) == [
        "bang_khen_tinh",
        "co_tinh",
    ]


def test_the_bloc_proposals_nominated_twice_at_once_become_one_nomination_each(
    world, awards_catalogue
):
    """The organiser turns the proposals into draft nominations; two at once: one turns them,
    the other is refused whole (all or nothing), so no leader has two dossiers."""
    needs_row_locks()
    table = _reviewed(world)
    ranking.publish_results(table, actor=world.reviewer)
    bloc_proposals.propose_leading_members(table, actor=world.ward_officer)
    pledge = table.pledge
    before = Nomination.objects.count()
    outcomes = at_once(
        lambda: nominate_bloc_proposals(pledge, actor=world.officer),
        lambda: nominate_bloc_proposals(pledge, actor=world.officer),
    )
    assert kinds(outcomes) in (["RuleViolation", "won"], ["won", "won"])
    nominated = dict(BlocAwardProposal.objects.values_list("unit_id", "nomination_id"))
    assert set(nominated) == {world.ward.pk, world.sibling_ward.pk}
    assert Nomination.objects.count() == before + 2
    assert Nomination.objects.filter(pk__in=nominated.values()).count() == 2


def test_a_bloc_proposal_linked_twice_at_once_names_one_dossier(world, awards_catalogue):
    """The proposal's own lock: two dossiers made for one leader's proposal, each linked to it at
    the same instant. With the lock the second finds it nominated and is refused, so the proposal
    names the dossier that won; without it both read "proposed", both write, and the first
    caller's dossier is left linked to nothing (the test above cannot show this: the awards app
    orders its two callers before they reach the proposal). Three rounds: how far two short
    transactions overlap varies."""
    needs_row_locks()
    table = _reviewed(world)
    ranking.publish_results(table, actor=world.reviewer)
    bloc_proposals.propose_leading_members(table, actor=world.ward_officer)
    dossiers = nominate_bloc_proposals(table.pledge, actor=world.officer)
    proposal = BlocAwardProposal.objects.get(nomination_id=dossiers[0].pk)
    for round_ in range(3):
        BlocAwardProposal.objects.filter(pk=proposal.pk).update(
            status=BlocProposalStatus.PROPOSED, nomination_id=None
        )
        outcomes = at_once(
            *(
                lambda dossier=dossier: bloc_proposals.mark_bloc_proposal_nominated(
                    proposal, actor=world.officer, nomination_id=dossier.pk
                )
                for dossier in dossiers
            )
        )
        assert kinds(outcomes) == ["RuleViolation", "won"], f"round {round_}: {outcomes}"
        refusal = next(o for o in outcomes if isinstance(o, Exception))
        assert refusal.code == "proposal_already_nominated"
        won = next(o for o in outcomes if not isinstance(o, Exception))
        proposal.refresh_from_db()
        assert (proposal.status, proposal.nomination_id) == (
            BlocProposalStatus.NOMINATED,
            won.nomination_id,
        )


def test_a_giao_uoc_drafted_twice_at_once_is_drafted_once(world):
    """Two clicks on "Soạn giao ước" for one bloc and year: the bloc's lock makes the second
    wait and find the pledge drafted, a refusal. Without it both find none and both insert; the
    unique index (bloc, year) then makes the second fail with an IntegrityError (a 500), and
    without the index the bloc has two pledges for the year, each with its parties."""
    needs_row_locks()
    outcomes = at_once(lambda: drafted(world), lambda: drafted(world))
    assert kinds(outcomes) == ["RuleViolation", "won"], outcomes
    with refused("pledge_exists"):
        raise next(o for o in outcomes if isinstance(o, Exception))
    pledge = Pledge.objects.get(bloc=world.bloc, year=YEAR)
    assert sorted(pledge.members.values_list("unit_id", flat=True)) == sorted(
        [world.ward.pk, world.sibling_ward.pk]
    )
    assert pledge.commitments.count() == 2


def test_the_giao_uoc_amended_while_its_results_are_published_is_recorded_as_it_stands(
    world, slow_signing
):
    """The head's officer amends the pledge in force (a new version) while the reviewer
    publishes the results, which marks the pledge scored. The publication reads the pledge with
    the table, before the amendment is saved; the pledge's own lock makes it read the pledge
    again, as amended, before scoring it. Without that lock the status alone is written (its
    UPDATE still waits for the amendment), but the history's record of the scoring is the pledge
    as first read: the amendment's version and preamble lost from the latest record."""
    needs_row_locks()
    table = _reviewed(world)
    pledge = table.pledge
    preamble = "Căn cứ Luật Thi đua, khen thưởng năm 2022 và Nghị định 98/2023/NĐ-CP."
    outcomes = at_once(
        lambda: signing.amend_pledge(
            pledge, actor=world.ward_officer, reason="Bổ sung căn cứ", preamble=preamble
        ),
        lambda: ranking.publish_results(table, actor=world.reviewer),
    )
    amended, published = outcomes
    assert not isinstance(published, Exception), outcomes
    pledge.refresh_from_db()
    assert pledge.status == PledgeStatus.SCORED
    # Either order is right: amended then scored, or scored and the amendment refused.
    if isinstance(amended, Exception):
        with refused("pledge_not_amendable"):
            raise amended
        assert pledge.version == 1
    else:
        assert (pledge.preamble, pledge.version) == (preamble, 2)
    latest = pledge.history.first()
    assert (latest.status, latest.version, latest.preamble) == (
        pledge.status,
        pledge.version,
        pledge.preamble,
    )


def test_a_self_assessment_saved_twice_at_once_loses_neither_save(world, slow_scoring):
    """Two saves of one member's sheet at once (not sent), with two different counts: one
    follows the other, so each score is saved twice (version 2) and its changes chain, the
    second's old points being the first's new ones."""
    needs_row_locks()
    table = _published(world)
    sheet = ScoreSheet.objects.get(table=table, unit=world.ward, round=1)

    def save(items):
        return lambda: scoring.save_self_assessment(
            sheet, actor=world.ward_officer, entries=_entries(world, items)
        )

    outcomes = at_once(save(2), save(3))
    assert kinds(outcomes) == ["won", "won"], outcomes
    scores = Score.objects.filter(sheet=sheet)
    assert sorted(scores.values_list("version", flat=True)) == [2, 2, 2, 2]
    items = scores.get(criterion=world.c_items)
    changes = list(items.changes.order_by("pk").values_list("old_points", "new_points"))
    assert len(changes) == 2 and changes[0][0] is None, changes
    assert changes[1][0] == changes[0][1] != changes[1][1] == items.self_points, changes
    sheet.refresh_from_db()
    assert sheet.status == ScoreSheetStatus.DRAFT
    assert sheet.total == D(32) + items.self_points + D(8)


def test_a_criterion_scored_while_the_head_completes_the_sheet_keeps_its_score(world, slow_scoring):
    """The head's officer scores one criterion while completing the sheet (two tabs): the
    completion fills each criterion not yet scored by the head with the points before it. Of
    the two, the completion starts first: the criterion's score is then refused (the sheet is
    scored), or, had it come first, kept. Never a score accepted and then written over."""
    needs_row_locks()
    table = _self_assessed(world)
    sheet = ScoreSheet.objects.get(table=table, unit=world.ward, round=1)
    score = Score.objects.get(sheet=sheet, criterion=world.c_manual)
    assert score.self_points == D(8)
    outcomes = at_once(
        lambda: (
            time.sleep(0.05),
            scoring.score_criterion(
                score,
                actor=world.ward_officer,
                stage=ScoreStage.HEAD,
                value=D(5),
                reason="Thiếu minh chứng",
                expected_version=score.version,
            ),
        )[1],
        lambda: scoring.complete_scoring(sheet, actor=world.ward_officer, stage=ScoreStage.HEAD),
    )
    scored, completed = outcomes
    assert not isinstance(completed, Exception), outcomes
    score.refresh_from_db()
    if isinstance(scored, Exception):
        assert score.head_points == D(8), outcomes
        assert not score.changes.filter(stage=ScoreStage.HEAD).exists()
    else:
        assert score.head_points == D(5), outcomes
        assert list(score.changes.filter(stage=ScoreStage.HEAD).values_list("new_points")) == [
            (D(5),)
        ]
    sheet.refresh_from_db()
    assert sheet.status == ScoreSheetStatus.HEAD_SCORED
