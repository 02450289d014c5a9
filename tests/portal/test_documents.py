"""Registers, numbering, issuing and the frozen snapshot of official documents."""

from __future__ import annotations

import datetime
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection

from portal import documents, services
from portal.documents import content as documents_content
from portal.documents import numbering
from portal.documents import verify as documents_verify
from portal.documents.demo import make_plan
from portal.models import DocumentKind, OfficialDocument, Register
from tests.races import race
from tests.refusals import refused

DAY = datetime.date(2026, 1, 2)


def notice(issuer, **fields):
    values = {
        "summary": "Kết quả bình xét thi đua quý I năm 2026",
        "body": "Ủy ban nhân dân thông báo kết quả bình xét thi đua quý I năm 2026.",
        "signer_name": "Trần Văn Hải",
        "signer_capacity": "TL.",
        "signer_authority": "CHỦ TỊCH",
        "signer_position": "CHÁNH VĂN PHÒNG",
        "recipients": ["Các sở, ban, ngành"],
    }
    values.update(fields)
    return documents.create_draft(DocumentKind.NOTICE, issuer=issuer, actor=None, **values)


def pledge(issuer, **fields):
    values = {
        "title": "Giao ước thi đua năm 2026",
        "summary": "Cụm thi đua số 1",
        "body": "Các đơn vị thành viên Cụm thi đua số 1 thống nhất ký kết giao ước thi đua.",
        "signer_name": "Võ Văn Phường",
        "signer_position": "TRƯỞNG CỤM",
        "recipients": ["Sở Nội vụ"],
        "co_signers": [
            {"title": "TM. UBND PHƯỜNG XUÂN TRUNG\nCHỦ TỊCH", "name": "Võ Văn Phường"},
            {"title": "TM. UBND PHƯỜNG XUÂN AN\nCHỦ TỊCH", "name": "Ngô Thị Lan"},
        ],
    }
    values.update(fields)
    return documents.create_draft(DocumentKind.PLEDGE, issuer=issuer, actor=None, **values)


def issue(document, day=DAY, **kwargs):
    return documents.issue_document(document, actor=None, issued_on=day, **kwargs)


def test_each_kind_has_its_own_series_starting_at_01(world):
    first_plan = issue(make_plan(world.province, pages=1))
    second_plan = issue(make_plan(world.province, pages=1))
    first_notice = issue(notice(world.province))
    assert first_plan.number_and_symbol == "01/KH-UBND"
    assert second_plan.number_and_symbol == "02/KH-UBND"
    assert first_notice.number_and_symbol == "01/TB-UBND"
    assert Register.objects.filter(issuer=world.province).count() == 2


def test_each_issuer_numbers_its_own_documents(world):
    issue(notice(world.province))
    department = issue(notice(world.home_affairs))
    assert department.number_and_symbol == "01/TB-SNV"


def test_a_shared_series_numbers_every_kind_that_has_no_register_of_its_own(world):
    Register.objects.create(issuer=world.province, kind="", name="Sổ chung")
    plan = issue(make_plan(world.province, pages=1))
    note = issue(notice(world.province))
    assert (plan.number_and_symbol, note.number_and_symbol) == ("01/KH-UBND", "02/TB-UBND")


def test_register_padding_widens_the_number(world):
    Register.objects.create(issuer=world.province, kind=DocumentKind.PLAN, name="KH", padding=4)
    plan = issue(make_plan(world.province, pages=1))
    assert plan.number_and_symbol == "0001/KH-UBND"


def test_numbers_restart_at_01_on_the_first_of_january(world):
    issue(notice(world.province), day=datetime.date(2025, 12, 31))
    issue(notice(world.province), day=datetime.date(2025, 12, 31))
    new_year = issue(notice(world.province), day=datetime.date(2026, 1, 1))
    assert new_year.number == "01"
    assert new_year.year == 2026


def test_a_pledge_is_unnumbered_unless_a_register_is_configured(world):
    unnumbered = issue(pledge(world.ward))
    assert unnumbered.number == ""
    assert unnumbered.number_and_symbol == ""
    Register.objects.create(
        issuer=world.ward, kind=DocumentKind.PLEDGE, name="Giao ước", type_abbreviation="GƯ"
    )
    numbered = issue(pledge(world.ward))
    assert numbered.number_and_symbol == "01/GƯ-UBND"


def test_the_database_refuses_a_duplicate_number_in_the_same_year(world):
    from django.db import IntegrityError, transaction

    first = issue(notice(world.province))
    with pytest.raises(IntegrityError), transaction.atomic():
        OfficialDocument.objects.create(
            kind=first.kind,
            issuer=first.issuer,
            status="issued",
            year=first.year,
            number=first.number,
            symbol=first.symbol,
            issued_on=first.issued_on,
            sha256="0" * 64,
            verification_code="DUPLICATE1",
        )


@race
def test_fifty_parallel_issues_get_fifty_distinct_consecutive_numbers(world):
    drafts = [notice(world.province).pk for _ in range(50)]
    start = threading.Barrier(50 if connection.vendor == "postgresql" else 1)

    def issue_one(pk: int) -> int:
        try:
            start.wait()
            return issue(OfficialDocument.objects.get(pk=pk)).sequence
        finally:
            connection.close()

    if connection.vendor == "postgresql":
        with ThreadPoolExecutor(max_workers=50) as pool:
            sequences = list(pool.map(issue_one, drafts))
    else:
        # SQLite serialises writers; the embedded setup issues one document at a time.
        sequences = [issue(OfficialDocument.objects.get(pk=pk)).sequence for pk in drafts]
    assert sorted(sequences) == list(range(1, 51))
    numbers = set(OfficialDocument.objects.issued().values_list("number", flat=True))
    assert numbers == {f"{n:02d}" for n in range(1, 51)}


def test_an_incomplete_document_is_refused_with_what_is_missing(world):
    draft = documents.create_draft(
        DocumentKind.SUBMISSION, issuer=world.home_affairs, actor=world.admin, summary="Đề nghị"
    )
    with refused("document_incomplete") as refusal:
        issue(draft)
    message = str(refusal.value)
    assert message.startswith("Chưa thể ban hành, văn bản còn thiếu:")
    for missing in ("nội dung", "nơi gửi (Kính gửi)", "họ tên người ký", "nơi nhận"):
        assert missing in message
    draft.refresh_from_db()
    assert draft.status == "draft" and draft.number == ""


def test_an_issuer_without_an_abbreviation_cannot_number_its_documents(world):
    draft = notice(world.ward_office)
    with refused("document_incomplete"):
        issue(draft)


def test_issued_document_keeps_the_issuing_body_it_had(world):
    plan = issue(make_plan(world.province, pages=1))
    pdf_before = plan.pdf.read()
    services.update_unit(world.province, actor=world.admin, name="Tỉnh Đồng Nai Mới")
    plan = OfficialDocument.objects.get(pk=plan.pk)
    assert plan.issuer_name == "ỦY BAN NHÂN DÂN\nTỈNH ĐỒNG NAI"
    assert documents.render_pdf(plan) == pdf_before


def test_an_issued_document_is_never_changed_nor_deleted(world):
    plan = issue(make_plan(world.province, pages=1))
    plan = OfficialDocument.objects.get(pk=plan.pk)
    plan.summary = "Sửa lén"
    with refused("issued_document_frozen"):
        plan.save()
    with refused("issued_document_kept"):
        plan.delete()
    with refused("issued_document_kept"):
        OfficialDocument.objects.filter(pk=plan.pk).delete()
    with refused("issued_document_frozen"):
        documents.update_draft(plan, actor=None, summary="Sửa")
    with refused("already_issued"):
        issue(plan)
    assert OfficialDocument.objects.get(pk=plan.pk).summary.startswith("Phát động")


def test_a_draft_can_be_edited_and_deleted(world):
    draft = notice(world.province)
    draft = documents.update_draft(draft, actor=world.officer, summary="  Thông báo  mới ")
    assert draft.summary == "Thông báo mới"
    draft.delete()
    assert not OfficialDocument.objects.filter(pk=draft.pk).exists()


def test_a_correction_and_a_revocation_are_new_documents_referring_to_the_old(world):
    plan = issue(make_plan(world.province, pages=1))
    correction = documents.correct_document(plan, actor=world.leader)
    assert correction.corrects == plan and correction.status == "draft"
    issue(correction)
    revocation = documents.revoke_document(
        plan, actor=world.leader, reason="Ban hành sai thẩm quyền"
    )
    assert revocation.kind == DocumentKind.DECISION
    issue(revocation)
    state = documents_verify.document_state(plan)
    assert state.label == "Đã bị thu hồi"
    assert [d.pk for d in state.corrected_by] == [correction.pk]
    with refused("document_revoked"):
        documents.correct_document(plan, actor=world.leader)


def test_a_correction_or_revocation_drafted_before_a_revocation_is_not_issued_after_it(world):
    plan = issue(make_plan(world.province, pages=1))
    correction = documents.correct_document(plan, actor=world.leader)
    second = documents.revoke_document(plan, actor=world.leader, reason="Ban hành sai thẩm quyền")
    issue(documents.revoke_document(plan, actor=world.leader, reason="Sai thể thức"))
    for late in (correction, second):
        with refused("document_revoked"):
            issue(late)
        assert OfficialDocument.objects.get(pk=late.pk).status == "draft"
    assert plan.revocations.filter(status="issued").count() == 1


def test_drafting_needs_the_capability_in_the_issuing_unit(world):
    with pytest.raises(PermissionDenied):
        documents.create_draft(DocumentKind.NOTICE, issuer=world.ward, actor=world.outsider)
    with pytest.raises(PermissionDenied):
        documents.create_draft(DocumentKind.NOTICE, issuer=world.province, actor=world.viewer)
    draft = notice(world.province)
    with pytest.raises(PermissionDenied):
        documents.issue_document(draft, actor=world.council)


def test_text_is_stored_in_nfc(world):
    decomposed = "Nguye\u0302\u0303n Thi\u0323 Ho\u0302\u0300ng"
    draft = notice(world.province, signer_name=decomposed)
    assert draft.signer_name == "Nguyễn Thị Hồng"


def test_the_date_line_has_leading_zeros_for_days_below_10_and_months_1_and_2():
    line = documents_content.place_date_line
    assert line("Đồng Nai", datetime.date(2024, 1, 2)) == "Đồng Nai, ngày 02 tháng 01 năm 2024"
    assert line("Đồng Nai", datetime.date(2024, 2, 28)) == "Đồng Nai, ngày 28 tháng 02 năm 2024"
    assert line("Bắc Ninh", datetime.date(2025, 12, 3)) == "Bắc Ninh, ngày 03 tháng 12 năm 2025"
    assert line("Bắc Ninh", datetime.date(2025, 3, 15)) == "Bắc Ninh, ngày 15 tháng 3 năm 2025"


def test_a_drafts_number_line_is_left_blank_for_the_registry(world):
    blank = "Số:" + "\xa0" * 10
    assert numbering.draft_number_line(notice(world.ward)) == f"{blank}/TB-UBND"
    # Showing a draft opens no register: the register is opened when a number is taken.
    assert not Register.objects.filter(issuer=world.ward).exists()
    # An unnumbered kind has no number line, until the unit opens a register for it.
    giao_uoc = pledge(world.ward)
    assert numbering.draft_number_line(giao_uoc) == ""
    assert not Register.objects.filter(issuer=world.ward, kind=DocumentKind.PLEDGE).exists()
    Register.objects.create(
        issuer=world.ward, kind=DocumentKind.PLEDGE, name="Sổ giao ước", type_abbreviation="GƯ"
    )
    assert numbering.draft_number_line(giao_uoc) == f"{blank}/GƯ-UBND"


def test_a_drafts_number_line_names_the_issuer_as_it_is_on_the_issue_date(world, time_machine):
    """A draft dated ahead keeps the abbreviation its issuer has on that day, not today's."""
    blank = "Số:" + "\xa0" * 10
    draft = notice(world.home_affairs)
    today = datetime.date.today()
    OfficialDocument.objects.filter(pk=draft.pk).update(
        issued_on=today + datetime.timedelta(days=10)
    )
    draft.refresh_from_db()
    time_machine.move_to(today + datetime.timedelta(days=30))
    world.home_affairs.abbreviation = "SNVMOI"
    world.home_affairs.save()
    assert numbering.draft_number_line(draft) == f"{blank}/TB-SNV"
    draft.issued_on = None
    assert numbering.draft_number_line(draft) == f"{blank}/TB-SNVMOI"


def test_verification_codes_are_fresh_and_from_the_unambiguous_alphabet(world):
    codes = {numbering.new_verification_code() for _ in range(20)}
    assert len(codes) == 20
    for code in codes:
        assert len(code) == 10 and set(code) <= set("ABCDEFGHJKLMNPQRSTUVWXYZ23456789")


def test_a_numbered_kind_without_a_register_opens_its_own_on_first_use(world):
    Register.objects.filter(issuer=world.ward).delete()
    assert numbering.register_for(world.ward, DocumentKind.PLAN, create=False) is None
    opened = numbering.register_for(world.ward, DocumentKind.PLAN)
    assert (opened.kind, opened.name) == (DocumentKind.PLAN, "Sổ văn bản đi – Kế hoạch")
    assert numbering.register_for(world.ward, DocumentKind.PLAN, create=False) == opened
    assert numbering.register_for(world.ward, DocumentKind.PLEDGE) is None  # never numbered


def test_the_symbol_is_the_kinds_abbreviation_then_the_issuers(world):
    assert numbering.symbol(None, DocumentKind.NOTICE, "UBND") == "TB-UBND"
    assert numbering.symbol(None, DocumentKind.NOTICE, "") == "TB"
    own = Register(issuer=world.ward, kind=DocumentKind.NOTICE, type_abbreviation="TB.VP")
    assert numbering.symbol(own, DocumentKind.NOTICE, "UBND") == "TB.VP-UBND"
