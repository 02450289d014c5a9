"""PAdES signatures: a signed document validates; a one-byte change is reported invalid."""

from __future__ import annotations

import datetime
from io import BytesIO
from pathlib import Path
from unittest import mock

import pytest
from django.utils import timezone
from pypdf import PdfReader

from portal import documents
from portal.documents import signing
from portal.documents import verify as documents_verify
from portal.documents.demo import make_decision, make_plan
from tests.portal.pdf_reading import text_items


@pytest.fixture
def signing_certificate(settings, tmp_path):
    path = signing.ensure_demo_certificate(tmp_path / "demo.p12")
    settings.DOCUMENT_SIGNING_P12 = str(path)
    settings.DOCUMENT_SIGNING_PASSPHRASE = signing.DEMO_PASSPHRASE
    return path


@pytest.fixture
def signed_plan(world, signing_certificate):
    plan = make_plan(world.province, pages=1)
    return documents.issue_document(plan, actor=world.leader, issued_on=datetime.date(2026, 1, 2))


def test_demo_certificate_is_created_once(tmp_path):
    path = signing.ensure_demo_certificate(tmp_path / "c.p12")
    first = path.read_bytes()
    assert signing.ensure_demo_certificate(path).read_bytes() == first


def test_signed_document_is_intact_valid_and_trusted(signed_plan):
    data = signed_plan.pdf.open("rb").read()
    assert signed_plan.is_signed
    report = signing.validate_pdf(data)
    assert report.present and report.intact and report.valid and report.trusted
    assert report.bottom_line
    check = documents_verify.check_upload(data)
    assert check.matched == signed_plan and check.is_authentic


def test_signature_field_sits_in_the_signature_space_of_the_last_page(signed_plan):
    reader = PdfReader(signed_plan.pdf.open("rb"))
    page_index, (x1, y1, x2, y2) = documents.signature_anchor(signed_plan)
    annotations = [a.get_object() for a in reader.pages[page_index].get("/Annots", [])]
    (field,) = [a for a in annotations if a.get("/FT") == "/Sig"]
    rect = [float(v) for v in field["/Rect"]]
    assert rect == pytest.approx([int(x1), int(y1), int(x2), int(y2)], abs=1)
    assert rect[0] > 100 * 72 / 25.4  # the right-hand column, under the signer's title


def test_one_byte_tampered_copy_is_reported_invalid(signed_plan):
    data = bytearray(signed_plan.pdf.open("rb").read())
    # A byte inside the first page's content stream: covered by the signature's byte range.
    position = data.index(b"stream") + 40
    data[position] ^= 0x01
    report = signing.validate_pdf(bytes(data))
    assert not report.bottom_line
    check = documents_verify.check_upload(bytes(data))
    assert check.matched is None and not check.is_authentic


def test_a_signature_by_an_untrusted_certificate_is_not_trusted(signed_plan, settings, tmp_path):
    data = signed_plan.pdf.open("rb").read()
    other = signing.ensure_demo_certificate(tmp_path / "other.p12")
    settings.DOCUMENT_SIGNING_P12 = str(other)
    report = signing.validate_pdf(data)
    assert report.intact and not report.trusted and not report.bottom_line


def test_verification_page_reports_the_signature(client, signed_plan):
    response = client.get(f"/xac-minh/{signed_plan.verification_code}/")
    assert "Chữ ký số hợp lệ" in response.content.decode()


def test_annex_in_its_own_file_is_signed_without_image_and_names_the_main_document(
    world, signing_certificate
):
    decision = make_decision(world.province, awardees=40, annexes_separate=True)
    decision = documents.issue_document(decision, actor=None, issued_on=datetime.date(2026, 11, 25))
    main = PdfReader(decision.pdf.open("rb"))
    assert "DANH SÁCH CÁ NHÂN" not in "".join(p.extract_text() for p in main.pages)
    annex_data = decision.annex_pdf.open("rb").read()
    annex = PdfReader(BytesIO(annex_data))
    first = annex.pages[0].extract_text()
    signed_at = timezone.localtime(decision.issued_at).replace(microsecond=0).isoformat()
    assert f"01/QĐ-UBND\n{signed_at}" in first
    (x, y), *_ = [(x, y) for x, y, t in text_items(annex.pages[0]) if t.startswith(signed_at)]
    assert x > 140 and y > 265  # top right of the first page
    assert signed_at.endswith("+07:00")
    assert "DANH SÁCH CÁ NHÂN ĐƯỢC TẶNG BẰNG KHEN" in first
    fields = [a.get_object() for a in annex.pages[0].get("/Annots", [])]
    (field,) = [f for f in fields if f.get("/FT") == "/Sig"]
    assert [float(v) for v in field["/Rect"]] == [0, 0, 0, 0]  # no image
    assert signing.validate_pdf(annex_data).bottom_line
    check = documents_verify.check_upload(annex_data)
    assert check.matched == decision and check.is_authentic


def _verify(client, document) -> str:
    return client.get(f"/xac-minh/{document.verification_code}/").content.decode()


def test_verification_validates_the_file_once_and_again_when_it_is_replaced(client, signed_plan):
    with mock.patch("portal.documents.signing.validate_pdf", wraps=signing.validate_pdf) as spy:
        assert "Chữ ký số hợp lệ" in _verify(client, signed_plan)
        assert "Chữ ký số hợp lệ" in _verify(client, signed_plan)
        assert spy.call_count == 1
        # The register's own file uploaded for checking: the same bytes, the same verdict.
        data = signed_plan.pdf.open("rb").read()
        assert documents_verify.check_upload(data).is_authentic
        assert spy.call_count == 1

        # The file swapped on disk under the same name for a tampered copy.
        tampered = bytearray(data)
        tampered[tampered.index(b"stream") + 40] ^= 0x01
        Path(signed_plan.pdf.path).write_bytes(bytes(tampered))
        page = _verify(client, signed_plan)
        assert spy.call_count == 2
    assert "KHÔNG hợp lệ" in page and "Chữ ký số hợp lệ" not in page


def test_a_kept_verdict_is_worked_out_again_for_another_trust_root_or_after_a_day(
    client, signed_plan, settings, tmp_path, time_machine
):
    time_machine.move_to(datetime.datetime(2026, 3, 1, 9, tzinfo=datetime.UTC), tick=False)
    with mock.patch("portal.documents.signing.validate_pdf", wraps=signing.validate_pdf) as spy:
        assert "kiểm tra lúc 16:00 01/03/2026" in _verify(client, signed_plan)
        time_machine.move_to(datetime.datetime(2026, 3, 2, 8, 59, tzinfo=datetime.UTC))
        _verify(client, signed_plan)
        assert spy.call_count == 1
        time_machine.move_to(datetime.datetime(2026, 3, 2, 9, 1, tzinfo=datetime.UTC))
        assert "kiểm tra lúc 16:01 02/03/2026" in _verify(client, signed_plan)
        assert spy.call_count == 2

        other = signing.ensure_demo_certificate(tmp_path / "other.p12")
        settings.DOCUMENT_SIGNING_P12 = str(other)
        page = _verify(client, signed_plan)
        assert spy.call_count == 3
    assert "không được tin cậy" in page


def test_the_kept_verdict_is_not_part_of_the_documents_history(client, signed_plan):
    versions = signed_plan.history.count()
    _verify(client, signed_plan)
    signed_plan.refresh_from_db()
    assert signed_plan.signature_check["report"]["bottom_line"] is True
    assert signed_plan.history.count() == versions
