"""The giao ước and its score sheets, pinned to the procedure (docs/pledges.md, "The process"
and "Scoring").

The moves are written out by hand, not read from `PLEDGE_TRANSITIONS` or `STAGE_RULES`; the
tables are compared with them exactly, and every service is tried from every status it does not
start from. Adding a move needs a deliberate change here and in the procedure.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from pledges.covenants import scoring, signing
from pledges.models import Pledge, ScoreSheet
from pledges.workflow import (
    AMENDABLE,
    PLEDGE_TRANSITIONS,
    PledgeMove,
    PledgeStatus,
    ScoreSheetStatus,
    ScoreStage,
)
from portal.access import Cap
from portal.errors import RuleViolation
from tests.pledges.covenant_fixtures import drafted, scoring_table

P = PledgeStatus
Q = ScoreSheetStatus

PLEDGE_PINNED = {
    (P.DRAFT, P.OPEN),
    (P.OPEN, P.SIGNED),
    (P.SIGNED, P.IN_FORCE),
    (P.IN_FORCE, P.SCORED),
    (P.SCORED, P.CLOSED),
}
# Each service that moves a pledge by hand, and the move it makes. Signing and the uploaded
# scan both make the (open → signed) move; publishing the ranking makes (in force → scored) and
# is tried in tests/pledges/test_covenants.py (it needs a reviewed round).
PLEDGE_SERVICES = {
    "open_pledge": (P.DRAFT, P.OPEN),
    "sign_pledge": (P.OPEN, P.SIGNED),
    "upload_signed_pledge": (P.OPEN, P.SIGNED),
    "put_pledge_in_force": (P.SIGNED, P.IN_FORCE),
    "close_pledge_year": (P.SCORED, P.CLOSED),
}

SHEET_PINNED = {
    (Q.DRAFT, ScoreStage.SELF): Q.SELF_SUBMITTED,
    (Q.SELF_SUBMITTED, ScoreStage.HEAD): Q.HEAD_SCORED,
    (Q.HEAD_SCORED, ScoreStage.REVIEWER): Q.REVIEWED,
}


def test_the_pledge_table_is_exactly_the_procedure():
    assert set(PLEDGE_TRANSITIONS) == PLEDGE_PINNED
    assert set(PLEDGE_SERVICES.values()) | {(P.IN_FORCE, P.SCORED)} == PLEDGE_PINNED


# Who makes each move of the giao ước: the bloc head's side opens it, signs it and puts it in
# force; the organising unit's reviewer publishes the ranking and closes the year. Amendments
# (new versions) only while it is drafted or binds the members.
PLEDGE_PINNED_SIDE = {
    (P.DRAFT, P.OPEN): (Cap.MANAGE_PLEDGE, PledgeMove.HEAD),
    (P.OPEN, P.SIGNED): (Cap.SIGN_PLEDGE, PledgeMove.HEAD),
    (P.SIGNED, P.IN_FORCE): (Cap.MANAGE_PLEDGE, PledgeMove.HEAD),
    (P.IN_FORCE, P.SCORED): (Cap.REVIEW_BLOC_SCORES, PledgeMove.ORGANISER),
    (P.SCORED, P.CLOSED): (Cap.REVIEW_BLOC_SCORES, PledgeMove.ORGANISER),
}
PLEDGE_PINNED_AMENDABLE = {P.DRAFT, P.IN_FORCE}


def test_each_pledge_move_is_exactly_the_procedures_capability_and_side():
    assert {
        move: (t.capability, t.side) for move, t in PLEDGE_TRANSITIONS.items()
    } == PLEDGE_PINNED_SIDE
    assert set(AMENDABLE) == PLEDGE_PINNED_AMENDABLE


def test_the_score_stages_are_exactly_the_procedure():
    pinned = {stage: {source} for (source, stage) in SHEET_PINNED if stage != ScoreStage.SELF}
    assert {stage: set(statuses) for stage, (_, statuses) in scoring.STAGE_RULES.items()} == pinned
    assert set(Q.values) == {s for s, _ in SHEET_PINNED} | set(SHEET_PINNED.values())


def _pledge_calls(world, pledge):
    scan = SimpleUploadedFile("giao-uoc.pdf", b"%PDF-1.4\n%%EOF\n")
    return {
        "open_pledge": lambda: signing.open_pledge(pledge, actor=world.admin),
        "sign_pledge": lambda: signing.sign_pledge(
            pledge, actor=world.ward_leader, unit=world.ward
        ),
        "upload_signed_pledge": lambda: signing.upload_signed_pledge(
            pledge, actor=world.admin, file=scan
        ),
        "put_pledge_in_force": lambda: signing.put_pledge_in_force(pledge, actor=world.admin),
        "close_pledge_year": lambda: signing.close_pledge_year(pledge, actor=world.admin),
    }


def _pledge_refusal(source: str, target: str) -> str:
    if target == P.SIGNED:
        return "Giao ước không ở bước lấy chữ ký."
    return f"Không thể chuyển giao ước từ “{P(source).label}” sang “{P(target).label}”."


@pytest.mark.parametrize("status", P.values)
def test_every_pledge_service_outside_the_procedure_is_refused(world, status):
    pledge = drafted(world)
    Pledge.objects.filter(pk=pledge.pk).update(status=status)
    tried = 0
    for name, call in _pledge_calls(world, pledge).items():
        source, target = PLEDGE_SERVICES[name]
        if status == source:
            continue
        with pytest.raises(RuleViolation) as refused:
            call()
        assert refused.value.message == _pledge_refusal(status, target), name
        assert Pledge.objects.get(pk=pledge.pk).status == status
        tried += 1
    assert tried == sum(1 for source, _ in PLEDGE_SERVICES.values() if source != status)


@pytest.fixture
def sheet(world):
    table = scoring_table(world)
    scoring.publish_score_table(table, actor=world.ward_officer)
    world.table = table
    return ScoreSheet.objects.get(table=table, unit=world.ward, round=1)


def _sheet_calls(world, sheet):
    entries = {
        world.c_ratio.pk: (Decimal(80), "Báo cáo thu ngân sách số 12"),
        world.c_items.pk: (Decimal(2), ""),
        world.c_manual.pk: (Decimal(8), ""),
        world.c_penalty.pk: (Decimal(0), ""),
    }
    return {
        ScoreStage.SELF: lambda: scoring.save_self_assessment(
            sheet, actor=world.ward_officer, entries=entries, submit=True
        ),
        ScoreStage.HEAD: lambda: scoring.complete_scoring(
            sheet, actor=world.ward_officer, stage=ScoreStage.HEAD
        ),
        ScoreStage.REVIEWER: lambda: scoring.complete_scoring(
            sheet, actor=world.reviewer, stage=ScoreStage.REVIEWER
        ),
    }


def _sheet_refusal(status: str, stage: str) -> str:
    if stage == ScoreStage.SELF:
        return "Phiếu tự chấm đã gửi, không sửa được."
    return f"Phiếu đang ở bước “{Q(status).label}”."


@pytest.mark.parametrize("status", Q.values)
def test_every_scoring_step_outside_the_procedure_is_refused(world, sheet, status):
    ScoreSheet.objects.filter(pk=sheet.pk).update(status=status)
    for stage, call in _sheet_calls(world, sheet).items():
        if (status, stage) in SHEET_PINNED:
            continue
        with pytest.raises(RuleViolation) as refused:
            call()
        assert refused.value.message == _sheet_refusal(status, stage), stage
        assert ScoreSheet.objects.get(pk=sheet.pk).status == status


@pytest.mark.parametrize("stage", [ScoreStage.HEAD, ScoreStage.REVIEWER])
def test_scoring_a_criterion_outside_its_stage_is_refused(world, sheet, stage):
    score = sheet.scores.get(criterion=world.c_manual)
    for status in Q.values:
        if (status, stage) in SHEET_PINNED:
            continue
        ScoreSheet.objects.filter(pk=sheet.pk).update(status=status)
        actor = world.ward_officer if stage == ScoreStage.HEAD else world.reviewer
        with pytest.raises(RuleViolation) as refused:
            scoring.score_criterion(
                score,
                actor=actor,
                stage=stage,
                value=Decimal(5),
                reason="Chấm lại.",
                expected_version=score.version,
            )
        assert refused.value.message == (
            f"Phiếu đang ở bước “{Q(status).label}”, chưa chấm được."
        ), status


def test_the_sheet_moves_exactly_as_pinned(world, sheet):
    calls = _sheet_calls(world, sheet)
    for (source, stage), target in SHEET_PINNED.items():  # in the procedure's order
        assert ScoreSheet.objects.get(pk=sheet.pk).status == source
        calls[stage]()
        assert ScoreSheet.objects.get(pk=sheet.pk).status == target
