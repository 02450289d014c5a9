"""Each awardee's certificate carries its own verification code and QR code (issue #6)."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

import pytest
import zxingcpp
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from docx import Document
from PIL import Image
from pypdf import PdfReader

from awards.demo import bulk_decision
from awards.history.records import record_award
from awards.models import AwardRecord, Nomination
from awards.paperwork import certificates
from awards.procedure import decisions
from portal import documents
from portal.documents import verify
from portal.documents.content import CertificateRow, verification_url
from tests.awards.nomination_helpers import TODAY, approved, refresh
from tests.factories import make_person
from tests.portal.pdf_reading import text_items

MM_PT = 72 / 25.4  # points per millimetre

CODE_LENGTH = certificates.CERTIFICATE_CODE_LENGTH


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(TODAY, tick=False)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _issued_for_three(world) -> list[Nomination]:
    people = [world.person] + [
        make_person(world.ward, name, gender="male") for name in ("Lê Văn Một", "Lê Văn Hai")
    ]
    nominations = [approved(world, person=person, code="giay-khen") for person in people]
    decision = decisions.draft_decision(nominations, actor=world.reviewer)
    decisions.issue_decision(decision, actor=world.ward_leader)
    return [refresh(n) for n in nominations]


def _qr_modules(content: str) -> set[tuple[int, int]]:
    """The dark modules (row, column) of the QR code drawn last on a page, read back."""
    drawing = content[content.rindex("0 g\n") :]
    rects = [
        tuple(float(v) for v in line.split()[:4])
        for line in drawing.splitlines()
        if line.endswith(" re")
    ]
    module = min(h for *_, h in rects)
    left = min(x for x, *_ in rects)
    top = max(y + h for _, y, _, h in rects)
    dark = set()
    for x, y, w, h in rects:
        row = round((top - y - h) / module)
        first = round((x - left) / module)
        dark |= {(row, c) for c in range(first, first + round(w / module))}
    return dark


def _decoded(modules: set[tuple[int, int]]) -> str:
    """What a QR reader (zxing-cpp) reads from the drawn modules, put back on a white image
    with the standard quiet zone of four modules, 4 pixels a module."""
    side = max(max(r for r, _ in modules), max(c for _, c in modules)) + 1
    scale, quiet = 4, 4
    image = Image.new("L", ((side + 2 * quiet) * scale,) * 2, 255)
    pixels = image.load()
    for row, column in modules:
        for dy in range(scale):
            for dx in range(scale):
                pixels[(column + quiet) * scale + dx, (row + quiet) * scale + dy] = 0
    found = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
    assert len(found) == 1
    return found[0].text


def _verify(client, code: str):
    return client.get(reverse("verify_code", kwargs={"code": code}))


def test_issuing_gives_each_awardee_a_distinct_code_once(world):
    nominations = _issued_for_three(world)

    codes = [n.award_record.certificate_code for n in nominations]
    assert len(set(codes)) == 3
    for code in codes:
        assert len(code) == CODE_LENGTH
        assert set(code) <= set(documents.VERIFICATION_ALPHABET)
    # Never one of the documents' codes, which are longer.
    assert nominations[0].decision.document.verification_code not in codes
    # Given once: the history has the code from the record's first row.
    first = nominations[0].award_record.history.earliest("history_date")
    assert first.certificate_code == codes[0]


def test_the_printed_pdf_has_each_awardees_code_and_qr_on_its_own_page(
    world, media, settings, django_capture_on_commit_callbacks
):
    decision = bulk_decision(world.ward, actor=world.ward_leader, count=30)
    codes = list(
        decision.nominations.order_by("pk").values_list("award_record__certificate_code", flat=True)
    )
    assert len(set(codes)) == 30 and all(codes)

    with django_capture_on_commit_callbacks(execute=True):
        job = certificates.print_certificates(decision, actor=world.reviewer)
    job.refresh_from_db()
    reader = PdfReader(BytesIO(Path(job.result_file.path).read_bytes()))

    assert len(reader.pages) == 30  # still one page per awardee
    lines = {t.split(":")[0]: y for _, y, t in text_items(reader.pages[0])}
    # The code has a line of its own under the register number (y counts from the bottom).
    assert lines["Số sổ"] - lines["Mã xác minh"] == pytest.approx(12 * 1.25 / MM_PT, abs=0.3)
    for page, code in zip(reader.pages, codes, strict=True):
        text = " ".join(page.extract_text().split())
        assert f"Mã xác minh: {code}" in text
        assert [c for c in codes if c in text] == [code]
        # The QR code read back is the one of this code's public page.
        content = page.get_contents().get_data().decode("latin-1")
        url = f"{settings.SITE_URL}/xac-minh/{code}/"
        assert _decoded(_qr_modules(content)) == url


def test_preprinted_blanks_still_get_the_code_and_qr(world, media, settings):
    settings.DOCUMENT_CERTIFICATE_PREPRINTED = True
    decision = bulk_decision(world.ward, actor=world.ward_leader, count=2)
    layout = certificates.certificate_layout(decision, actor=world.reviewer)
    rows = [CertificateRow(**row) for row in certificates.certificate_rows(decision)]

    reader = PdfReader(BytesIO(documents.render_certificates(rows, layout=layout)))

    assert len(reader.pages) == 2
    for page, row in zip(reader.pages, rows, strict=True):
        text = " ".join(page.extract_text().split())
        assert "GIẤY KHEN" not in text  # the blank carries it
        assert f"Mã xác minh: {row.verification_code}" in text
        content = page.get_contents().get_data().decode("latin-1")
        assert _decoded(_qr_modules(content)) == verification_url(row.verification_code)


def test_the_word_certificates_carry_the_code_and_its_qr_picture(world):
    decision = bulk_decision(world.ward, actor=world.ward_leader, count=2)
    layout = certificates.certificate_layout(decision, actor=world.reviewer)
    rows = [CertificateRow(**row) for row in certificates.certificate_rows(decision)]

    doc = Document(BytesIO(documents.render_certificates_docx(rows, layout=layout)))

    text = "\n".join(
        p.text for table in doc.tables for cell in table._cells for p in cell.paragraphs
    )
    for row in rows:
        assert f"Mã xác minh: {row.verification_code}" in text
    assert len(doc.inline_shapes) == 2


def test_the_code_opens_a_public_page_with_the_awardee_and_still_standing(world, client):
    nominations = _issued_for_three(world)
    second = nominations[1]
    code = second.award_record.certificate_code
    _verify(client, code)  # content types and templates warmed

    with CaptureQueriesContext(connection) as queries:
        response = _verify(client, code.lower())

    # The document register is asked first, then each registered lookup in turn (the copies'
    # register, the certificates'): one query each, whatever the number of records.
    assert list(verify._CODE_LOOKUPS) == ["portal.copy", "awards.certificate"]
    assert len(queries) == 3
    assert response.status_code == 200
    page = " ".join(response.content.decode().split())
    assert "Lê Văn Một" in page
    assert world.person.full_name not in page and "Lê Văn Hai" not in page
    assert "Còn hiệu lực" in page
    assert "Giấy khen (2025)" in page
    number = second.decision.document.number_and_symbol
    assert f"Số {number} ngày 02/03/2026" in page
    assert world.ward.name in page
    # Only what the public decision page shows: no birth year, ethnicity or money.
    assert "Dân tộc" not in page and "Năm sinh" not in page and "Kinh" not in page


def test_after_revocation_the_page_cites_the_revoking_decision(world, client):
    nominations = _issued_for_three(world)
    revoked = nominations[0]
    revocation = decisions.revoke_awards(
        [revoked],
        actor=world.ward_leader,
        reason="Phát hiện khai man thành tích.",
    )

    page = " ".join(_verify(client, revoked.award_record.certificate_code).content.decode().split())
    standing = _verify(client, nominations[1].award_record.certificate_code).content.decode()

    number = revocation.document.number_and_symbol
    assert f"Đã bị hủy bỏ theo Quyết định số {number} ngày 02/03/2026" in page
    assert "Còn hiệu lực" not in page
    assert "Còn hiệu lực" in standing


def test_a_code_typed_with_spaces_and_dashes_leads_to_its_page(world, client):
    code = _issued_for_three(world)[0].award_record.certificate_code
    typed = f" {code[:4].lower()} - {code[4:]} "

    response = client.get(reverse("verify_upload"), {"ma": typed})

    assert response.status_code == 302
    assert response["Location"] == reverse("verify_code", kwargs={"code": code})
    assert "Mã xác minh in trên văn bản" in client.get(reverse("verify_upload")).content.decode()


def test_an_unknown_code_is_a_clear_404_page(world, client):
    _issued_for_three(world)
    for code in ("ZZZZZZZZ", "ZZZZZZZZZZ", "khong-co"):
        response = _verify(client, code)
        assert response.status_code == 404
        assert "Không tìm thấy" in response.content.decode()


def test_a_documents_own_code_still_opens_the_document_page(world, client):
    nominations = _issued_for_three(world)
    document = nominations[0].decision.document
    response = _verify(client, document.verification_code)
    assert response.status_code == 200
    assert "Văn bản có trong sổ đăng ký văn bản đi" in response.content.decode()


def test_the_backfill_gives_existing_portal_awards_codes_and_leaves_others_alone(world):
    decision = bulk_decision(world.ward, actor=world.ward_leader, count=4)
    manual = record_award(
        make_person(world.ward, "Trần Thị Nhập"),
        actor=world.ward_leader,
        item=decision.nominations.first().item,
        year=2020,
        basis_kind="yearly",
        decision_number="12/QĐ-UBND",
        decision_date=TODAY.date(),
        decided_by=world.ward,
    )
    portal_records = AwardRecord.objects.filter(nomination__decision=decision)
    kept = portal_records.first()
    kept_code = kept.certificate_code
    portal_records.exclude(pk=kept.pk).update(certificate_code="")  # as before the migration
    historical = apps.get_model("awards", "HistoricalAwardRecord")
    rows_before = historical.objects.count()

    assert certificates.backfill_certificate_codes(AwardRecord, historical) == 3

    codes = list(portal_records.values_list("certificate_code", flat=True))
    assert len(set(codes)) == 4 and all(len(c) == CODE_LENGTH for c in codes)
    assert AwardRecord.objects.get(pk=kept.pk).certificate_code == kept_code
    assert AwardRecord.objects.get(pk=manual.pk).certificate_code == ""
    assert historical.objects.count() == rows_before + 3
    assert certificates.backfill_certificate_codes(AwardRecord, historical) == 0
