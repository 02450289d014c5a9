"""The giao ước and its score sheets, pinned to the procedure (docs/pledges.md, "The process"
and "Scoring").

The moves are written out by hand, not read from the `PLEDGE` or `SCORE_SHEET` tables; the
tables are compared with them exactly, and every service is tried from every status it does not
start from. Adding a move needs a deliberate change here and in the procedure.
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from pledges.covenants import scoring, signing
from pledges.models import Pledge, ScoreSheet
from pledges.workflow import (
    AMENDABLE,
    PLEDGE,
    SCORE_SHEET,
    PledgeStatus,
    ScoreSheetStatus,
    ScoreStage,
    pledge_refusal,
    registration_refusal,
    review_refusal,
)
from portal.access import Cap
from tests.pledges.covenant_fixtures import drafted, scoring_table, sibling_leader
from tests.refusals import refused

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


def _moves(table) -> dict[tuple[str, str], tuple[str, Cap, str]]:
    return {
        (source, row.target): (row.action, row.cap, row.on)
        for row in table
        for source in row.sources
    }


def test_the_pledge_table_is_exactly_the_procedure():
    assert set(_moves(PLEDGE)) == PLEDGE_PINNED
    assert set(PLEDGE_SERVICES.values()) | {(P.IN_FORCE, P.SCORED)} == PLEDGE_PINNED


# Who makes each move of the giao ước, by which action: the bloc head's side opens it and puts
# it in force, each member's leader signs for the member (the last signature signs it); the
# organising unit's reviewer publishes the ranking and closes the year. Amendments (new
# versions) only while it is drafted or binds the members.
PLEDGE_PINNED_SIDE = {
    (P.DRAFT, P.OPEN): ("open", Cap.MANAGE_PLEDGE, "head"),
    (P.OPEN, P.SIGNED): ("sign", Cap.SIGN_PLEDGE, "member"),
    (P.SIGNED, P.IN_FORCE): ("in_force", Cap.MANAGE_PLEDGE, "head"),
    (P.IN_FORCE, P.SCORED): ("score", Cap.REVIEW_BLOC_SCORES, "organiser"),
    (P.SCORED, P.CLOSED): ("close", Cap.REVIEW_BLOC_SCORES, "organiser"),
}
PLEDGE_PINNED_AMENDABLE = {P.DRAFT, P.IN_FORCE}


def test_each_pledge_move_is_exactly_the_procedures_capability_and_side():
    assert _moves(PLEDGE) == PLEDGE_PINNED_SIDE
    assert set(AMENDABLE) == PLEDGE_PINNED_AMENDABLE


# Who completes each stage of a sheet: the member itself, the bloc head's officer, the
# organising unit's Nội vụ reviewer.
SHEET_PINNED_SIDE = {
    (Q.DRAFT, Q.SELF_SUBMITTED): (ScoreStage.SELF, Cap.REPORT_PROGRESS, "unit"),
    (Q.SELF_SUBMITTED, Q.HEAD_SCORED): (ScoreStage.HEAD, Cap.MANAGE_PLEDGE, "head"),
    (Q.HEAD_SCORED, Q.REVIEWED): (ScoreStage.REVIEWER, Cap.REVIEW_BLOC_SCORES, "organiser"),
}


def test_the_score_stages_are_exactly_the_procedure():
    pinned = {(source, target): stage for (source, stage), target in SHEET_PINNED.items()}
    assert {move: action for move, (action, _, _) in _moves(SCORE_SHEET).items()} == pinned
    assert _moves(SCORE_SHEET) == SHEET_PINNED_SIDE
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


def _pledge_refusal(source: str, target: str) -> tuple[str, str]:
    if target == P.SIGNED:
        return "pledge_not_open", "Giao ước không ở bước lấy chữ ký."
    return (
        "pledge.refused",
        f"Không thể chuyển giao ước từ “{P(source).label}” sang “{P(target).label}”.",
    )


@pytest.mark.parametrize("status", P.values)
def test_every_pledge_service_outside_the_procedure_is_refused(world, status):
    pledge = drafted(world)
    Pledge.objects.filter(pk=pledge.pk).update(status=status)
    tried = 0
    for name, call in _pledge_calls(world, pledge).items():
        source, target = PLEDGE_SERVICES[name]
        if status == source:
            continue
        code, message = _pledge_refusal(status, target)
        with refused(code) as refusal:
            call()
        assert refusal.value.message == message, name
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


def _sheet_refusal(status: str, stage: str) -> tuple[str, str]:
    if stage == ScoreStage.SELF:
        return "self_assessment_sent", "Phiếu tự chấm đã gửi, không sửa được."
    return "score_sheet.refused", f"Phiếu đang ở bước “{Q(status).label}”, chưa chấm được."


@pytest.mark.parametrize("status", Q.values)
def test_every_scoring_step_outside_the_procedure_is_refused(world, sheet, status):
    ScoreSheet.objects.filter(pk=sheet.pk).update(status=status)
    for stage, call in _sheet_calls(world, sheet).items():
        if (status, stage) in SHEET_PINNED:
            continue
        code, message = _sheet_refusal(status, stage)
        with refused(code) as refusal:
            call()
        assert refusal.value.message == message, stage
        assert ScoreSheet.objects.get(pk=sheet.pk).status == status


@pytest.mark.parametrize("stage", [ScoreStage.HEAD, ScoreStage.REVIEWER])
def test_scoring_a_criterion_outside_its_stage_is_refused(world, sheet, stage):
    score = sheet.scores.get(criterion=world.c_manual)
    for status in Q.values:
        if (status, stage) in SHEET_PINNED:
            continue
        ScoreSheet.objects.filter(pk=sheet.pk).update(status=status)
        actor = world.ward_officer if stage == ScoreStage.HEAD else world.reviewer
        with refused("score_sheet.refused") as refusal:
            scoring.score_criterion(
                score,
                actor=actor,
                stage=stage,
                value=Decimal(5),
                reason="Chấm lại.",
                expected_version=score.version,
            )
        assert refusal.value.message == (
            f"Phiếu đang ở bước “{Q(status).label}”, chưa chấm được."
        ), status


def test_the_sheet_moves_exactly_as_pinned(world, sheet):
    calls = _sheet_calls(world, sheet)
    for (source, stage), target in SHEET_PINNED.items():  # in the procedure's order
        assert ScoreSheet.objects.get(pk=sheet.pk).status == source
        calls[stage]()
        assert ScoreSheet.objects.get(pk=sheet.pk).status == target


def test_a_refusal_names_both_statuses_or_another_status_when_no_target_is_known():
    """The wording an officer reads for a move the table refuses: from which status to which,
    and "trạng thái khác" when the move asked for has no target status (an action the table
    does not know), for a registration, a unit review and a giao ước alike."""
    assert registration_refusal("draft", "accepted") == (
        "Không thể chuyển bản đăng ký từ “Đang soạn” sang “Đã được chấp thuận”."
    )
    assert registration_refusal("returned", "") == (
        "Không thể chuyển bản đăng ký từ “Bị trả lại” sang “trạng thái khác”."
    )
    assert review_refusal("draft", "submitted") == (
        "Không thể chuyển báo cáo từ “Đang soạn” sang “Đã gửi”."
    )
    assert review_refusal("submitted", "") == (
        "Không thể chuyển báo cáo từ “Đã gửi” sang “trạng thái khác”."
    )
    assert pledge_refusal("open", "in_force") == (
        "Không thể chuyển giao ước từ “Đang lấy chữ ký” sang “Đang có hiệu lực”."
    )
    assert pledge_refusal("closed", "") == (
        "Không thể chuyển giao ước từ “Đã kết thúc năm” sang “trạng thái khác”."
    )


def _buttons(page: str) -> set[tuple[str, str]]:
    """Every (action, wording) the pledge page offers as a button."""
    return {
        (action, " ".join(text.split()))
        for action, text in re.findall(r'name="action" value="([^"]+)"[^>]*>([^<]+)</button>', page)
    }


# Two moves are never a button of their own: the last member's signature (the per-unit
# "Ký giao ước thay mặt …" form) signs the pledge, and publishing the ranking on the results
# page scores it. A bare "Ký" or "Công bố kết quả" button would post a move with no unit or no
# ranking behind it.
def test_the_pledge_page_offers_no_button_for_a_move_another_step_makes(client, world):
    pledge = drafted(world)
    signing.open_pledge(pledge, actor=world.ward_officer)
    url = f"/giao-uoc/{pledge.pk}/"
    client.force_login(world.ward_leader)
    assert _buttons(client.get(url).content.decode()) == {
        ("sign", f"Ký giao ước thay mặt {world.ward.name}")
    }

    signing.sign_pledge(pledge, actor=world.ward_leader, unit=world.ward)
    signing.sign_pledge(pledge, actor=sibling_leader(world), unit=world.sibling_ward)
    signing.put_pledge_in_force(pledge, actor=world.ward_officer)
    client.force_login(world.reviewer)
    assert _buttons(client.get(url).content.decode()) == set()
