"""Page furniture never collides with the text: the QR code and the verification line sit in
the bottom margin of page 1 (Decree 30: 20 mm), the QR decodes from the printed page, and the
text read back is the author's paragraphs, in order, whole."""

from __future__ import annotations

import datetime
import io

import pdfplumber
import pytest
import zxingcpp

from portal import documents
from portal.documents.content import verification_url
from portal.documents.demo import make_plan, plan_body
from tests.portal.pdf_text import page_one_png, paragraphs

MM = 72 / 25.4
PAGE_MM = (210, 297)
BOTTOM_MARGIN_MM = 20
RIGHT_MARGIN_MM = 15


@pytest.fixture
def issued_plan(world):
    plan = make_plan(world.province, actor=world.officer, pages=3)
    return documents.issue_document(plan, actor=world.leader, issued_on=datetime.date(2026, 1, 2))


def test_the_qr_code_decodes_from_the_rendered_a4_page(issued_plan, tmp_path):
    page = page_one_png(issued_plan.pdf.read(), tmp_path)
    found = zxingcpp.read_barcodes(page)
    assert [code.text for code in found] == [verification_url(issued_plan.verification_code)]
    assert found[0].format == zxingcpp.BarcodeFormat.QRCode


def test_the_qr_code_and_the_code_sit_inside_the_bottom_margin_of_page_one(issued_plan):
    with pdfplumber.open(io.BytesIO(issued_plan.pdf.read())) as pdf:
        page = pdf.pages[0]
        margin_top = (PAGE_MM[1] - BOTTOM_MARGIN_MM) * MM
        modules = [r for r in page.rects if r["top"] >= margin_top - 1]
        assert len(modules) > 100  # the QR code's modules
        assert min(r["top"] for r in modules) >= margin_top
        assert max(r["bottom"] for r in modules) <= PAGE_MM[1] * MM
        assert max(r["x1"] for r in modules) <= (PAGE_MM[0] - RIGHT_MARGIN_MM) * MM + 0.5
        body_chars = [c for c in page.chars if c["bottom"] <= margin_top]
        furniture = [c for c in page.chars if c["bottom"] > margin_top]
        assert body_chars, "the body fills page 1"
        assert all(c["top"] >= margin_top for c in furniture)
        text = "".join(c["text"] for c in furniture)
        assert issued_plan.verification_code in text


def test_the_text_read_back_is_the_authors_paragraphs_in_order(issued_plan):
    source = [block["text"] for block in plan_body(3)]
    read = paragraphs(issued_plan.pdf.read(), start=source[0][:30], stop="Nơi nhận")
    assert read == source
