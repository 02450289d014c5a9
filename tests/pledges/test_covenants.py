"""The bloc's giao ước: drafting, signatures, versions, the scoring table, scoring, ranking."""

from __future__ import annotations

import datetime
import io
import re
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import close_old_connections
from pypdf import PdfReader, PdfWriter

from pledges.covenants import proposals as bloc_proposals
from pledges.covenants import ranking, scoring, signing
from pledges.models import (
    BlocAwardProposal,
    PledgeVersion,
    RankingEntry,
    Score,
    ScoreChange,
    ScoreSheet,
)
from pledges.workflow import (
    PledgeStatus,
    ScoreSheetStatus,
    ScoreStage,
    ScoreTableStatus,
)
from portal import documents
from portal.access import Role
from portal.errors import RuleViolation
from portal.models import BlocTerm, Post
from tests.factories import make_member, make_person, make_post
from tests.former_units import former_district
from tests.pledges.covenant_fixtures import (
    YEAR,
    drafted,
    in_force,
    scoring_table,
    sibling_leader,
)
from tests.races import needs_row_locks, race
from tests.refusals import refused

D = Decimal


def test_draft_snapshots_the_bloc_members_and_is_by_the_head_officer_only(world):
    with pytest.raises(PermissionDenied):
        signing.draft_pledge(world.bloc, actor=world.outsider, year=YEAR, preamble="Căn cứ")
    pledge = drafted(world)
    assert pledge.head == world.ward
    assert [m.unit for m in pledge.members.all()] == [world.ward, world.sibling_ward]
    assert pledge.commitments.count() == 2


def test_draft_needs_the_years_bloc_term(world):
    with refused("bloc_head_missing"):
        signing.draft_pledge(world.bloc, actor=world.ward_officer, year=2030, preamble="x")


def test_pledge_is_signed_only_when_every_member_leader_has_signed(world):
    pledge = drafted(world)
    signing.open_pledge(pledge, actor=world.ward_officer)
    with pytest.raises(PermissionDenied):
        signing.sign_pledge(pledge, actor=world.ward_officer, unit=world.ward)
    with pytest.raises(PermissionDenied):
        signing.sign_pledge(pledge, actor=world.ward_leader, unit=world.sibling_ward)
    signing.sign_pledge(pledge, actor=world.ward_leader, unit=world.ward)
    pledge.refresh_from_db()
    assert pledge.status == PledgeStatus.OPEN
    assert signing.missing_signers(pledge) == [world.sibling_ward]
    with refused("unit_already_signed"):
        signing.sign_pledge(pledge, actor=world.ward_leader, unit=world.ward)
    signing.sign_pledge(pledge, actor=sibling_leader(world), unit=world.sibling_ward)
    pledge.refresh_from_db()
    assert pledge.status == PledgeStatus.SIGNED
    assert signing.missing_signers(pledge) == []


def test_uploaded_signed_scan_stands_for_the_signatures(world):
    pledge = drafted(world)
    signing.open_pledge(pledge, actor=world.ward_officer)
    with pytest.raises(RuleViolation, match="PDF"):
        signing.upload_signed_pledge(
            pledge, actor=world.ward_officer, file=SimpleUploadedFile("a.pdf", b"not a pdf")
        )
    signing.upload_signed_pledge(
        pledge, actor=world.ward_officer, file=SimpleUploadedFile("a.pdf", b"%PDF-1.4\n%%EOF\n")
    )
    pledge.refresh_from_db()
    assert pledge.status == PledgeStatus.SIGNED
    assert signing.missing_signers(pledge) == []


def test_amendment_in_force_keeps_the_earlier_version_with_its_reason(world):
    pledge = in_force(world)
    first = list(pledge.commitments.all())
    with refused("reason_required"):
        signing.amend_pledge(pledge, actor=world.ward_officer, preamble="Mới")
    signing.amend_pledge(
        pledge,
        actor=world.ward_officer,
        reason="Điều chỉnh theo Nghị quyết giữa năm",
        commitments=[
            signing.CommitmentInput(text="Thu ngân sách vượt 5%.", id=first[0].pk),
            signing.CommitmentInput(text="Cam kết mới về chuyển đổi số."),
        ],
    )
    pledge.refresh_from_db()
    assert pledge.version == 2
    version = PledgeVersion.objects.get(pledge=pledge)
    assert version.number == 1
    assert version.reason == "Điều chỉnh theo Nghị quyết giữa năm"
    assert [c["text"] for c in version.content["commitments"]] == [c.text for c in first]
    first[1].refresh_from_db()
    assert first[1].withdrawn
    texts = list(pledge.commitments.filter(withdrawn=False).values_list("text", flat=True))
    assert texts == ["Thu ngân sách vượt 5%.", "Cam kết mới về chuyển đổi số."]


@pytest.mark.usefixtures("real_pdf")
def test_giao_uoc_pdf_carries_a_signature_block_for_every_member(world):
    pledge = in_force(world)
    document = signing.issue_pledge_document(pledge, actor=world.ward_officer)
    # The paper names the head's officer whose action drafted and issued it.
    assert (document.created_by, document.issued_by) == (world.ward_officer, world.ward_officer)
    reader = PdfReader(io.BytesIO(documents.render_pdf(document)))
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "GIAO ƯỚC THI ĐUA" in text
    # Each member's block: the capacity, the member's name, the post and the person holding
    # it on the date, not the label of the account that clicked "Ký" (Đặng Văn An's account
    # signed for Xuân An, whose chairman is Hà Văn An).
    blocks = {block["name"]: block["title"].split("\n") for block in document.co_signers}
    blocks[document.signer_name] = document.signer_position.split("\n")
    assert blocks == {
        "Hà Văn An": ["TM. ỦY BAN NHÂN DÂN", "PHƯỜNG XUÂN AN", "CHỦ TỊCH"],
        "Võ Văn Phường": ["TM. ỦY BAN NHÂN DÂN", "PHƯỜNG XUÂN TRUNG", "CHỦ TỊCH"],
    }
    flat = " ".join(text.split())
    for name in ("Võ Văn Phường", "Hà Văn An"):
        assert name in flat
    assert flat.count("TM. ỦY BAN NHÂN DÂN") == 2
    assert "PHƯỜNG XUÂN TRUNG" in flat and "PHƯỜNG XUÂN AN" in flat
    assert "Đặng Văn An" not in flat and "Huỳnh Thị Thu" not in flat and "ĐẠI DIỆN" not in flat
    assert "Hoàn thành 100% chỉ tiêu thu ngân sách" in text


@pytest.mark.usefixtures("real_pdf")
def test_a_deputy_who_signed_in_the_portal_signs_the_giao_uoc_for_the_chairman(world):
    # Xuân An's leader account belongs to its deputy chairman, who clicked "Ký".
    deputy = make_person(world.sibling_ward, "Đặng Văn An", user=sibling_leader(world))
    make_post(world.sibling_ward, deputy, "deputy", "Phó Chủ tịch")
    document = signing.issue_pledge_document(in_force(world), actor=world.ward_officer)
    assert document.co_signers == [
        {
            "title": "TM. ỦY BAN NHÂN DÂN\nPHƯỜNG XUÂN AN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH",
            "name": "Đặng Văn An",
            "person": deputy.pk,
            "unit": world.sibling_ward.pk,
        }
    ]
    text = " ".join(PdfReader(io.BytesIO(document.pdf.read())).pages[-1].extract_text().split())
    assert "KT. CHỦ TỊCH PHÓ CHỦ TỊCH Đặng Văn An" in text


def test_a_member_nobody_leads_on_the_date_stops_the_giao_uoc_with_a_reason(world):
    pledge = in_force(world)
    Post.objects.filter(unit=world.sibling_ward).update(ends_on=datetime.date(2021, 1, 1))
    with pytest.raises(RuleViolation) as refusal:
        signing.issue_pledge_document(pledge, actor=world.ward_officer)
    assert refusal.value.message.startswith("Chưa có lãnh đạo của Phường Xuân An giữ chức vụ ngày")
    pledge.refresh_from_db()
    assert pledge.document is None


def test_formulas_and_missing_evidence_score_zero(world):
    table = scoring_table(world)
    assert scoring.points_for(world.c_ratio, D(80), "Báo cáo số 5") == D("32.00")
    assert scoring.points_for(world.c_ratio, D(120), "Báo cáo số 5") == D("40.00")
    assert scoring.points_for(world.c_ratio, D(80), "  ") == D(0)
    assert scoring.points_for(world.c_items, D(3), "") == D("15.00")
    assert scoring.points_for(world.c_items, D(9), "") == D("20.00")
    assert scoring.points_for(world.c_manual, D("7.5"), "") == D("7.50")
    assert scoring.points_for(world.c_manual, D(12), "") == D("10.00")
    assert table.criteria.count() == 4


def test_published_table_cannot_change_and_prefills_from_linked_tasks(world, city_campaign):
    from tests.campaign_fixtures import registered

    registration = registered(world, city_campaign)
    task = registration.tasks.first()
    task.latest_percent = D(60)
    task.save()
    pledge = in_force(world)
    signing.link_task_to_commitment(pledge.commitments.first(), actor=world.ward_officer, task=task)
    table = scoring_table(world, pledge)
    scoring.publish_score_table(table, actor=world.ward_officer)
    with refused("score_table_published"):
        scoring.add_criterion(
            table, actor=world.ward_officer, group="I", text="x", max_points=D(1), formula="manual"
        )
    sheet = ScoreSheet.objects.get(table=table, unit=world.ward)
    assert sheet.scores.get(criterion=world.c_ratio).value == D(60)
    assert (
        ScoreSheet.objects.get(table=table, unit=world.sibling_ward)
        .scores.get(criterion=world.c_ratio)
        .value
        is None
    )


def _self_assess(world, table, unit_user, unit, items=2, late=0):
    """Ratio 80 % with its evidence, `items` new models, manual 8 points, `late` late reports."""
    sheet = ScoreSheet.objects.get(table=table, unit=unit, round=1)
    return scoring.save_self_assessment(
        sheet,
        actor=unit_user,
        entries={
            world.c_ratio.pk: (D(80), "Báo cáo thu ngân sách số 12"),
            world.c_items.pk: (D(items), ""),
            world.c_manual.pk: (D(8), ""),
            world.c_penalty.pk: (D(late), ""),
        },
        submit=True,
    )


@pytest.fixture
def scored_world(world):
    """Both members have self-assessed the published table."""
    table = scoring_table(world)
    scoring.publish_score_table(table, actor=world.ward_officer)
    world.table = table
    world.sibling_officer = world.outsider  # the officer of Xuân An, a member of the bloc
    _self_assess(world, table, world.ward_officer, world.ward)
    _self_assess(world, table, world.sibling_officer, world.sibling_ward, items=3, late=1)
    return world


def test_self_assessment_totals_with_penalty(scored_world):
    w = scored_world
    ward = ScoreSheet.objects.get(table=w.table, unit=w.ward)
    sibling = ScoreSheet.objects.get(table=w.table, unit=w.sibling_ward)
    assert ward.total == D("50.00")  # 32 + 10 + 8
    assert sibling.total == D("54.00")  # 32 + 15 + 8 - 1
    assert ward.status == ScoreSheetStatus.SELF_SUBMITTED


def test_a_score_change_needs_a_reason_shown_to_the_member(scored_world):
    w = scored_world
    score = Score.objects.get(sheet__unit=w.ward, criterion=w.c_manual)
    with refused("score_change_reason_required"):
        scoring.score_criterion(
            score,
            actor=w.ward_officer,
            stage=ScoreStage.HEAD,
            value=D(6),
            reason="",
            expected_version=score.version,
        )
    with refused("score_sheet.refused"):
        scoring.score_criterion(
            score,
            actor=w.reviewer,
            stage=ScoreStage.REVIEWER,
            value=D(6),
            reason="x",
            expected_version=score.version,
        )
    scoring.score_criterion(
        score,
        actor=w.ward_officer,
        stage=ScoreStage.HEAD,
        value=D(6),
        reason="Thiếu báo cáo quý III",
        expected_version=score.version,
    )
    change = ScoreChange.objects.filter(score=score, stage=ScoreStage.HEAD).get()
    assert (change.old_points, change.new_points) == (D(8), D(6))
    assert change.reason == "Thiếu báo cáo quý III"
    score.refresh_from_db()
    assert score.points == D(6)
    assert ScoreSheet.objects.get(pk=score.sheet_id).total == D("48.00")


def test_only_the_head_officer_and_the_organisers_reviewer_score(scored_world):
    w = scored_world
    score = Score.objects.get(sheet__unit=w.sibling_ward, criterion=w.c_manual)
    with pytest.raises(PermissionDenied):
        scoring.score_criterion(
            score,
            actor=w.sibling_officer,
            stage=ScoreStage.HEAD,
            value=D(10),
            reason="tự nâng điểm",
            expected_version=score.version,
        )


def test_a_stale_version_is_refused(scored_world):
    w = scored_world
    score = Score.objects.get(sheet__unit=w.ward, criterion=w.c_manual)
    seen = score.version
    scoring.score_criterion(
        score, actor=w.ward_officer, stage="head", value=D(7), reason="a", expected_version=seen
    )
    with refused("score_changed_meanwhile"):
        scoring.score_criterion(
            score, actor=w.ward_officer, stage="head", value=D(5), reason="b", expected_version=seen
        )


@race
def test_two_reviewers_scoring_at_once_never_lose_an_update(world):
    needs_row_locks()
    table = scoring_table(world)
    scoring.publish_score_table(table, actor=world.ward_officer)
    _self_assess(world, table, world.ward_officer, world.ward)
    sheet = ScoreSheet.objects.get(table=table, unit=world.ward)
    scoring.complete_scoring(sheet, actor=world.ward_officer, stage=ScoreStage.HEAD)
    score = Score.objects.get(sheet=sheet, criterion=world.c_manual)
    seen = score.version
    second = _second_reviewer(world)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def attempt(user, value):
        close_old_connections()
        try:
            barrier.wait()
            scoring.score_criterion(
                score,
                actor=user,
                stage=ScoreStage.REVIEWER,
                value=value,
                reason=f"Thẩm định {value}",
                expected_version=seen,
            )
            outcomes.append("saved")
        except RuleViolation:
            outcomes.append("refused")
        finally:
            close_old_connections()

    threads = [
        threading.Thread(target=attempt, args=(world.reviewer, D(5))),
        threading.Thread(target=attempt, args=(second, D(4))),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["refused", "saved"]
    score.refresh_from_db()
    changes = list(ScoreChange.objects.filter(score=score, stage=ScoreStage.REVIEWER))
    assert len(changes) == 1
    assert score.reviewer_points == changes[0].new_points
    assert score.version == seen + 1


def _second_reviewer(world):
    from portal.models import Role
    from tests.factories import make_member

    return make_member(world.province, Role.REVIEWER, "noivu2", "Trương Văn Hai")


def _review_all(w):
    for sheet in ScoreSheet.objects.filter(table=w.table, round=w.table.current_round):
        if sheet.status == ScoreSheetStatus.SELF_SUBMITTED:
            scoring.complete_scoring(sheet, actor=w.ward_officer, stage=ScoreStage.HEAD)
        scoring.complete_scoring(sheet, actor=w.reviewer, stage=ScoreStage.REVIEWER)


def test_ranking_by_total(scored_world):
    w = scored_world
    _review_all(w)
    entries = ranking.publish_results(w.table, actor=w.reviewer)
    assert [(e.unit, e.rank) for e in entries] == [(w.sibling_ward, 1), (w.ward, 2)]
    w.table.refresh_from_db()
    assert w.table.status == ScoreTableStatus.LOCKED
    w.table.pledge.refresh_from_db()
    assert w.table.pledge.status == PledgeStatus.SCORED


def _equal_totals(w):
    """Xuân Trung catches up to 54 on the manual criterion: a tie on the total."""
    score = Score.objects.get(sheet__unit=w.ward, criterion=w.c_manual)
    sheet = score.sheet
    scoring.complete_scoring(
        ScoreSheet.objects.get(table=w.table, unit=w.sibling_ward),
        actor=w.ward_officer,
        stage="head",
    )
    scoring.complete_scoring(sheet, actor=w.ward_officer, stage="head")
    score.refresh_from_db()
    scoring.score_criterion(
        score,
        actor=w.reviewer,
        stage="reviewer",
        value=D(10),
        reason="Bổ sung minh chứng mô hình",
        expected_version=score.version,
    )
    ratio = Score.objects.get(sheet__unit=w.ward, criterion=w.c_ratio)
    scoring.score_criterion(
        ratio,
        actor=w.reviewer,
        stage="reviewer",
        value=D(85),
        reason="Số liệu Kho bạc xác nhận 85%",
        expected_version=ratio.version,
    )


def test_a_tie_is_broken_by_the_first_tie_breaker(scored_world):
    w = scored_world
    _equal_totals(w)
    _review_all(w)
    entries = ranking.publish_results(w.table, actor=w.reviewer)
    assert [e.total for e in entries] == [D(54), D(54)]
    # Tie-breaker 1 is the "new models" criterion: Xuân An 15 points, Xuân Trung 10.
    assert [(e.unit, e.rank) for e in entries] == [(w.sibling_ward, 1), (w.ward, 2)]
    assert "Mô hình mới" in entries[0].tie_note


def test_the_vote_breaks_what_the_criteria_cannot(scored_world):
    w = scored_world
    _equal_totals(w)
    items = Score.objects.get(sheet__unit=w.ward, criterion=w.c_items)
    scoring.score_criterion(
        items,
        actor=w.reviewer,
        stage="reviewer",
        value=D(3),
        reason="Thêm mô hình được công nhận",
        expected_version=items.version,
    )
    ratio = Score.objects.get(sheet__unit=w.ward, criterion=w.c_ratio)
    scoring.score_criterion(
        ratio,
        actor=w.reviewer,
        stage="reviewer",
        value=D("72.5"),
        reason="Kho bạc xác nhận 72,5%",
        expected_version=ratio.version,
    )
    _review_all(w)
    assert ScoreSheet.objects.get(table=w.table, unit=w.ward).total == D(54)
    ranking.record_honour_vote(
        w.table,
        actor=w.ward_officer,
        ballots_issued=2,
        ballots_valid=2,
        counts={w.ward.pk: 2, w.sibling_ward.pk: 0},
    )
    entries = ranking.publish_results(w.table, actor=w.reviewer)
    assert [(e.unit, e.rank, e.votes) for e in entries] == [
        (w.ward, 1, 2),
        (w.sibling_ward, 2, 0),
    ]
    assert "bỏ phiếu" in entries[0].tie_note


def test_published_results_are_immutable_and_corrected_by_a_new_round(scored_world):
    w = scored_world
    _review_all(w)
    ranking.publish_results(w.table, actor=w.reviewer)
    score = Score.objects.get(sheet__unit=w.ward, criterion=w.c_manual, sheet__round=1)
    with refused("results_published"):
        scoring.score_criterion(
            score,
            actor=w.reviewer,
            stage="reviewer",
            value=D(10),
            reason="sửa",
            expected_version=score.version,
        )
    with refused("reason_required"):
        ranking.open_correction_round(w.table, actor=w.reviewer, reason=" ")
    ranking.open_correction_round(w.table, actor=w.reviewer, reason="Khiếu nại của Xuân Trung")
    w.table.refresh_from_db()
    assert w.table.current_round == 2
    fixed = Score.objects.get(sheet__unit=w.ward, criterion=w.c_items, sheet__round=2)
    scoring.score_criterion(
        fixed,
        actor=w.reviewer,
        stage="reviewer",
        value=D(4),
        reason="Công nhận thêm hai mô hình",
        expected_version=fixed.version,
    )
    _review_all(w)
    ranking.publish_results(w.table, actor=w.reviewer)
    first = RankingEntry.objects.filter(table=w.table, round=1).order_by("rank")
    second = RankingEntry.objects.filter(table=w.table, round=2).order_by("rank")
    assert [e.unit for e in first] == [w.sibling_ward, w.ward]
    assert [e.unit for e in second] == [w.ward, w.sibling_ward]
    assert second[0].total == D(60)


def test_leaders_are_proposed_with_one_action_carrying_the_sheet(scored_world):
    w = scored_world
    _review_all(w)
    ranking.publish_results(w.table, actor=w.reviewer)
    proposals = bloc_proposals.propose_leading_members(w.table, actor=w.ward_officer)
    assert [(p.unit, p.award) for p in proposals] == [
        (w.sibling_ward, "co_tinh"),
        (w.ward, "bang_khen_tinh"),
    ]
    assert proposals[0].entry.sheet.unit == w.sibling_ward
    # The score is written as the paper writes numbers: a decimal comma, never "83.00".
    assert re.search(r"đạt \d+,\d{2} điểm;", proposals[0].achievement)
    assert bloc_proposals.propose_leading_members(w.table, actor=w.ward_officer) == []
    assert BlocAwardProposal.objects.count() == 2


def test_the_organiser_turns_the_bloc_proposals_into_nominations_with_the_sheet(scored_world):
    from awards.procedure.proposals import nominate_bloc_proposals

    w = scored_world
    _review_all(w)
    ranking.publish_results(w.table, actor=w.reviewer)
    bloc_proposals.propose_leading_members(w.table, actor=w.ward_officer)
    with pytest.raises(PermissionDenied):
        nominate_bloc_proposals(w.table.pledge, actor=w.outsider)

    flag, merit = nominate_bloc_proposals(w.table.pledge, actor=w.officer)

    assert (flag.unit, flag.item.code) == (w.sibling_ward, "co-thi-dua-tinh")
    assert (merit.unit, merit.item.code) == (w.ward, "bang-khen-tinh")
    assert flag.proposing_unit == w.bloc.organiser
    sheet = RankingEntry.objects.get(table=w.table, unit=w.sibling_ward).sheet
    assert flag.evidence.get().link.endswith(f"/phieu-cham/{sheet.pk}/")
    assert set(BlocAwardProposal.objects.values_list("status", "nomination_id")) == {
        ("nominated", flag.pk),
        ("nominated", merit.pk),
    }
    assert nominate_bloc_proposals(w.table.pledge, actor=w.officer) == []


def test_closing_the_year_rotates_the_head_and_next_pledge_starts_from_this_one(scored_world):
    w = scored_world
    _review_all(w)
    ranking.publish_results(w.table, actor=w.reviewer)
    pledge = w.table.pledge
    with pytest.raises(PermissionDenied):
        signing.close_pledge_year(pledge, actor=w.ward_officer)
    signing.close_pledge_year(pledge, actor=w.reviewer)
    term = BlocTerm.objects.get(bloc=w.bloc, year=YEAR + 1)
    assert (term.head, term.deputy) == (w.sibling_ward, w.ward)
    pledge.refresh_from_db()
    with pytest.raises(PermissionDenied):
        signing.draft_next_pledge(pledge, actor=w.ward_officer)
    following = signing.draft_next_pledge(pledge, actor=w.sibling_officer)
    assert following.year == YEAR + 1
    assert following.head == w.sibling_ward
    assert following.drafted_from == pledge
    assert list(following.commitments.values_list("text", flat=True)) == list(
        pledge.commitments.filter(withdrawn=False).values_list("text", flat=True)
    )


@pytest.mark.usefixtures("real_pdf")
def test_score_report_pdf_lists_the_ranking(scored_world):
    w = scored_world
    _review_all(w)
    ranking.publish_results(w.table, actor=w.reviewer)
    with pytest.raises(PermissionDenied):
        ranking.issue_results_report(w.table, actor=w.outsider)
    document = ranking.issue_results_report(w.table, actor=w.ward_officer)
    w.table.refresh_from_db()
    assert w.table.report == document
    text = " ".join(
        p.extract_text() for p in PdfReader(io.BytesIO(documents.render_pdf(document))).pages
    )
    assert "Phường Xuân An" in text and "Phường Xuân Trung" in text
    assert "54,00" in text and "50,00" in text  # the Vietnamese decimal comma
    assert "Tỷ lệ thu ngân sách" in text
    # The head ward's paper, signed for it by its chairman, not by the account that issued it.
    assert "TM. ỦY BAN NHÂN DÂN" in text and "CHỦ TỊCH" in text and "Võ Văn Phường" in text
    assert "TRƯỞNG CỤM" not in text and "Huỳnh Thị Thu" not in text


# A giao ước of its year, of its organiser, signed by each member's own leader


def _paper_scan() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_a_system_administrator_cannot_sign_for_a_member(world):
    pledge = drafted(world)
    signing.open_pledge(pledge, actor=world.ward_officer)
    with refused("sign_not_own_unit"):
        signing.sign_pledge(pledge, actor=world.admin, unit=world.ward)
    assert not pledge.signatures.exists()


def test_a_system_administrator_records_a_paper_signature_with_its_scan(world):
    pledge = drafted(world)
    signing.open_pledge(pledge, actor=world.ward_officer)
    with refused("scan_not_pdf"):
        signing.sign_pledge(pledge, actor=world.admin, unit=world.ward, paper_scan=b"not a pdf")
    assert not pledge.signatures.exists()
    signature = signing.sign_pledge(
        pledge, actor=world.admin, unit=world.ward, paper_scan=_paper_scan()
    )
    assert signature.from_paper
    assert signature.history.first().history_change_reason.startswith(
        "pledges.pledge.paper_signature_recorded"
    )


@pytest.mark.usefixtures("real_pdf")
def test_the_giao_uoc_carries_the_organisers_header_and_the_place_it_gives(world):
    pledge = in_force(world)
    pledge.ceremony_place = "Biên Hòa"
    pledge.ceremony_on = datetime.date(2026, 3, 2)
    pledge.save()
    document = signing.issue_pledge_document(pledge, actor=world.ward_officer)
    assert document.issuer == world.bloc.organiser
    assert document.issuer_name == "ỦY BAN NHÂN DÂN\nTỈNH ĐỒNG NAI"
    assert document.place_name == "Biên Hòa"
    text = " ".join(PdfReader(io.BytesIO(document.pdf.read())).pages[0].extract_text().split())
    assert "Biên Hòa, ngày 02 tháng 3 năm 2026" in text


def test_a_former_towns_bloc_drafts_an_earlier_years_giao_uoc_with_its_members_of_then(world):
    former = former_district(world)
    BlocTerm.objects.create(bloc=former.bloc, year=2024, head=former.commune)
    officer = make_member(former.commune, Role.OFFICER, "cb_xuanhiep", "Lê Văn Hiệp")
    pledge = signing.draft_pledge(
        former.bloc, actor=officer, year=2024, preamble="Thực hiện Kế hoạch của UBND huyện."
    )
    assert pledge.year == 2024
    assert {m.unit for m in pledge.members.all()} == {former.commune, former.township}
