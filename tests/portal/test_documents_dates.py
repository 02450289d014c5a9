"""Which day a paper may carry, and papers recorded from outside with their own number."""

from __future__ import annotations

import datetime
import hashlib
import io

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader, PdfWriter

from portal import documents
from portal.documents.demo import make_plan
from portal.errors import RuleViolation
from portal.models import DocumentKind, OfficialDocument, Unit
from tests.former_units import CLOSED_ON, former_district
from tests.portal.pdf_text import lines, paragraphs
from tests.refusals import refused


def pdf_text_of(pdf: bytes) -> str:
    return "\n".join(PdfReader(io.BytesIO(pdf)).pages[0].extract_text().splitlines())


def _scan() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _issue(world, day=None):
    plan = make_plan(world.province, actor=world.officer, pages=1)
    return documents.issue_document(plan, actor=world.leader, issued_on=day)


def test_issuing_dates_the_paper_today_by_default(world):
    assert _issue(world).issued_on == timezone.localdate()


def test_a_future_date_is_refused(world):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with refused("date_future") as refusal:
        _issue(world, tomorrow)
    assert "chưa đến" in refusal.value.message


def test_an_earlier_date_goes_back_only_to_the_last_paper_of_the_register(world):
    today = timezone.localdate()
    first = _issue(world, today - datetime.timedelta(days=2))
    second = _issue(world, today - datetime.timedelta(days=2))  # the same day is fine
    assert second.sequence == first.sequence + 1
    with refused("date_backwards") as refusal:
        _issue(world, today - datetime.timedelta(days=3))
    assert f"{first.issued_on:%d/%m/%Y}" in refusal.value.message
    assert not OfficialDocument.objects.filter(sequence=second.sequence + 1).exists()


def test_a_new_year_starts_its_register_afresh(world):
    with time_machine.travel(datetime.datetime(2027, 1, 4, 9, tzinfo=datetime.UTC)):
        late = _issue(world, datetime.date(2027, 1, 4))
        early = _issue(world, datetime.date(2026, 12, 30))
    assert late.sequence == 1 and late.year == 2027
    assert early.year == 2026


def test_a_dissolved_issuer_issues_nothing_after_its_dissolution_and_names_its_successor(world):
    former = former_district(world)
    plan = make_plan(former.district, actor=former.officer, pages=1)
    with refused("issuer_dissolved") as refusal:
        documents.issue_document(plan, actor=former.leader, issued_on=datetime.date(2025, 7, 2))
    assert "Xã Xuân Lộc" in refusal.value.message
    assert "30/06/2025" in refusal.value.message


def test_a_dissolved_issuer_still_issues_its_past_papers_under_its_own_header(world):
    former = former_district(world)
    plan = make_plan(former.district, actor=former.officer, pages=1)
    issued = documents.issue_document(
        plan, actor=former.leader, issued_on=datetime.date(2024, 3, 5)
    )
    assert issued.number_and_symbol == "01/KH-UBND"
    assert issued.issuer_name == "ỦY BAN NHÂN DÂN\nHUYỆN XUÂN LỘC"
    assert issued.place_name == "Xuân Lộc"
    assert issued.issued_on < CLOSED_ON


def _pdf_without_pages() -> bytes:
    out = io.BytesIO()
    PdfWriter().write(out)
    return out.getvalue()


def _record(
    world,
    number="12/CT-UBND",
    day=datetime.date(2024, 2, 20),
    kind=DocumentKind.DIRECTIVE,
    **fields,
):
    values = dict(
        issuer=world.province,
        actor=world.leader,
        number_and_symbol=number,
        issued_on=day,
        summary="Về việc phát động phong trào thi đua năm 2024",
        scan=_scan(),
    )
    values.update(fields)
    return documents.record_document(kind, **values)


def test_a_recorded_paper_keeps_its_number_date_and_scan_and_takes_its_number(world):
    recorded = _record(world)
    assert recorded.is_issued and recorded.is_recorded
    assert recorded.number_and_symbol == "12/CT-UBND"
    assert recorded.issued_on == datetime.date(2024, 2, 20)
    # The scan itself is kept, byte for byte, and its hash recorded.
    kept = recorded.pdf.read()
    assert kept == _scan()
    assert recorded.sha256 == hashlib.sha256(kept).hexdigest()
    assert recorded.sequence == 12 and recorded.year == 2024
    register = documents.register_for(world.province, DocumentKind.DIRECTIVE)
    assert recorded.register == register


def test_a_second_record_of_the_same_number_is_refused(world):
    _record(world)
    with refused("duplicate_number"):
        _record(world, day=datetime.date(2024, 2, 21))
    assert OfficialDocument.objects.filter(is_recorded=True).count() == 1


def test_a_recorded_number_is_never_handed_out_again(world):
    with time_machine.travel(datetime.datetime(2026, 3, 1, 9, tzinfo=datetime.UTC)):
        _record(world, number="03/KH-UBND", day=datetime.date(2026, 2, 1), kind=DocumentKind.PLAN)
    plan = make_plan(world.province, actor=world.officer, pages=1)
    issued = documents.issue_document(plan, actor=world.leader, issued_on=datetime.date(2026, 3, 1))
    assert issued.number == "04"


def test_the_same_number_and_symbol_in_another_register_is_refused(world):
    # A Kế hoạch written with a Chỉ thị's number and symbol: its own register has no 12 yet,
    # but the issuer's year already has 12/CT-UBND.
    _record(world, number="12/CT-UBND")
    with refused("number_symbol_taken"):
        _record(world, number="12/CT-UBND", kind=DocumentKind.PLAN)
    assert OfficialDocument.objects.filter(is_recorded=True).count() == 1


def test_a_recorded_date_must_fit_between_its_numbered_neighbours(world):
    _record(world, number="10/CT-UBND", day=datetime.date(2024, 5, 1))
    with refused("date_out_of_order"):
        _record(world, number="11/CT-UBND", day=datetime.date(2024, 4, 1))


@pytest.mark.parametrize(
    ("scan", "code", "said"),
    [
        (b"", "scan_missing", "Cần tải lên bản quét văn bản đã ký (PDF)."),
        # The project's one upload check (portal.uploads) reads the bytes, not the name.
        (b"GIF89a not a pdf", "scan_not_pdf", "không phải PDF (kiểm tra theo nội dung tệp"),
        (
            b"%PDF-1.7\n garbage cut short",
            "scan_not_pdf",
            "không phải PDF (kiểm tra theo nội dung tệp",
        ),
        (
            b"%PDF-1.7\n garbage that is no PDF\n%%EOF\n",
            "scan_broken",
            "là tệp PDF hỏng, không mở được",
        ),
        (_pdf_without_pages(), "scan_empty", "là tệp PDF không có trang nào"),
    ],
)
def test_a_scan_that_is_not_a_pdf_that_opens_is_refused(world, scan, code, said):
    with refused(code) as refusal:
        _record(world, scan=scan)
    assert said in refusal.value.message
    assert not OfficialDocument.objects.filter(is_recorded=True).exists()


def test_a_scan_over_the_upload_limit_is_refused_naming_the_limit(world, settings):
    settings.UPLOAD_MAX_BYTES = 200
    with pytest.raises(RuleViolation) as refusal:
        _record(world)
    assert "vượt giới hạn 200 byte" in refusal.value.message
    assert refusal.value.code == "scan_too_large"


@pytest.mark.parametrize(
    ("written", "printed"),
    [
        ("12-CT/TW", "12-CT/TW"),  # the Party's form: Chỉ thị 12 of the Central Committee
        ("05-NQ/TU", "05-NQ/TU"),
        ("Số: 35-KH/HU", "35-KH/HU"),
        ("01/2024/QĐ-UBND", "01/2024/QĐ-UBND"),
        ("982/KH-UBND", "982/KH-UBND"),
        ("45/TTr-UBND", "45/TTr-UBND"),
        ("12 / CT-UBND", "12/CT-UBND"),
    ],
)
def test_recording_takes_the_symbol_forms_printed_on_real_papers(world, written, printed):
    recorded = _record(world, number=written)
    assert recorded.number_and_symbol == printed
    assert str(recorded).endswith(f"số {printed}")
    assert recorded.sequence == int(printed.split("/")[0].split("-")[0])


@pytest.mark.parametrize(
    "written", ["abc", "12", "12/", "12/2024", "12-CT", "CT-UBND/12", "12/CT UBND?"]
)
def test_recording_refuses_what_is_no_number_and_symbol(world, written):
    with refused("number_format") as refusal:
        _record(world, number=written)
    assert "ví dụ 12/CT-UBND" in refusal.value.message


def test_recording_refuses_number_zero(world):
    with refused("number_below_one") as refusal:
        _record(world, number="0/CT-UBND")
    assert refusal.value.message == "Số văn bản bắt đầu từ 01."


def test_recording_a_future_paper_or_one_after_dissolution_is_refused(world):
    with refused("date_future"):
        _record(world, day=timezone.localdate() + datetime.timedelta(days=3))
    former = former_district(world)
    with refused("issuer_dissolved"):
        _record(world, issuer=former.district, actor=former.leader, day=datetime.date(2025, 8, 1))


def test_a_dissolved_unit_records_its_past_paper(world):
    former = former_district(world)
    recorded = _record(world, issuer=former.district, actor=former.leader)
    assert recorded.issuer_name == "ỦY BAN NHÂN DÂN\nHUYỆN XUÂN LỘC"


def test_the_record_page_records_and_refuses_others(client, world):
    client.force_login(world.viewer)
    assert client.get(reverse("document_record")).status_code == 200
    client.force_login(world.leader)
    data = {
        "kind": DocumentKind.DIRECTIVE,
        "issuer": world.province.pk,
        "number_and_symbol": "07/CT-UBND",
        "issued_on": "03/01/2024",
        "summary": "Về việc tăng cường công tác thi đua",
        "scan": io.BytesIO(_scan()),
    }
    data["scan"].name = "ban-quet.pdf"
    response = client.post(reverse("document_record"), data)
    recorded = OfficialDocument.objects.get(is_recorded=True)
    assert response.url == reverse("document_detail", kwargs={"document_id": recorded.pk})
    outsider_data = dict(data, number_and_symbol="08/CT-UBND", scan=io.BytesIO(_scan()))
    outsider_data["scan"].name = "x.pdf"
    client.force_login(world.outsider)
    response = client.post(reverse("document_record"), outsider_data)
    assert response.status_code == 200  # the province is not offered to a ward's officer
    assert OfficialDocument.objects.filter(is_recorded=True).count() == 1


# A recorded paper laid out again


def test_a_dissolved_unit_retypesets_its_recorded_paper_under_its_header_of_then(world):
    former = former_district(world)
    paragraphs_ = [
        "Năm 2024 là năm có ý nghĩa quan trọng; thực hiện Chỉ thị số 12-CT/TW của Ban Bí thư.",
        "Thứ nhất, các xã, thị trấn tổ chức phát động thi đua ngay từ đầu năm.",
        "Chủ tịch Ủy ban nhân dân huyện yêu cầu thực hiện nghiêm Chỉ thị này./.",
    ]
    recorded = _record(
        world,
        issuer=former.district,
        actor=former.leader,
        number="02/CT-UBND",
        day=datetime.date(2024, 1, 15),
        body="\n".join(paragraphs_),
        signer_capacity="KT.",
        signer_authority="Chủ tịch",
        signer_position="Phó Chủ tịch",
        signer_name="Võ Văn Huyện",
        recipients=["UBND tỉnh", "Lưu: VT"],
    )
    pdf = documents.render_retypeset(recorded)
    assert paragraphs(pdf, start="Năm 2024", stop="Nơi nhận") == paragraphs_
    head = "\n".join(lines(pdf))
    assert "HUYỆN XUÂN LỘC" in head and "Số: 02/CT-UBND" in head
    assert "Xuân Lộc, ngày 15 tháng 01 năm 2024" in head
    assert "KT. CHỦ TỊCH" in head and "Võ Văn Huyện" in head
    assert recorded.verification_code in pdf_text_of(pdf)
    # The scan stays the paper of record.
    recorded.refresh_from_db()
    assert recorded.pdf.read() == _scan()


def test_only_a_recorded_paper_with_its_text_is_retypeset(world):
    bare = _record(world)
    with refused("retypeset_no_text"):
        documents.render_retypeset(bare)
    with refused("retypeset_not_recorded"):
        documents.render_retypeset(_issue(world))


def test_the_retypeset_page_serves_the_units_officials_only(client, world):
    recorded = _record(world, body="Đoạn thứ nhất của chỉ thị.")
    url = reverse("document_retypeset", kwargs={"document_id": recorded.pk})
    client.force_login(world.leader)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content if response.streaming else [response.content])
    detail = client.get(reverse("document_detail", kwargs={"document_id": recorded.pk}))
    assert "Dàn trang lại (PDF)" in detail.content.decode()
    client.force_login(world.outsider)
    assert client.get(url).status_code in (403, 404)


def test_a_recorded_paper_has_a_known_kind_an_authority_and_a_summary(world):
    with refused("document_kind_invalid"):
        _record(world, kind="khong-co")
    with refused("signing_authority_invalid"):
        _record(world, signer_capacity="CHỦ TỊCH")
    with refused("summary_missing"):
        _record(world, summary="  ")
    assert not OfficialDocument.objects.filter(is_recorded=True).exists()


def test_a_paper_is_not_dated_before_its_issuer_began(world):
    Unit.objects.filter(pk=world.ward.pk).update(valid_from=datetime.date(2025, 7, 1))
    world.ward.refresh_from_db()
    draft = documents.create_draft(
        DocumentKind.NOTICE,
        issuer=world.ward,
        actor=None,
        summary="Lịch họp",
        body="Nội dung.",
        recipients=["Các phòng"],
        signer_name="Võ Văn Phường",
        signer_capacity="TM.",
        signer_authority="ỦY BAN NHÂN DÂN",
        signer_position="CHỦ TỊCH",
    )
    with refused("issuer_not_yet"):
        documents.issue_document(draft, actor=None, issued_on=datetime.date(2025, 6, 30))
    draft.refresh_from_db()
    assert not draft.is_issued
