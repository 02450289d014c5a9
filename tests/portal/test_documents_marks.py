"""Secrecy and urgency marks (Decree 30, boxes 10a–10b), optional per document: under the
number in the issuer's column, bold capitals, the urgency mark in a red rectangle 8 mm high
whose width the decree fixes (KHẨN 20 mm, THƯỢNG KHẨN 40 mm, HỎA TỐC 30 mm). Measured on the
issued PDF with pdfplumber."""

from __future__ import annotations

import datetime
from io import BytesIO

import pdfplumber
import pytest

from portal import documents
from portal.models import DocumentKind
from tests.refusals import refused

MM = 72 / 25.4
DAY = datetime.date(2026, 1, 5)


def _notice(world, **marks):
    draft = documents.create_draft(
        DocumentKind.NOTICE,
        issuer=world.ward,
        actor=None,
        summary="Về việc lịch họp",
        body="Nội dung.",
        recipients=["Các phòng"],
        signer_name="Võ Văn Phường",
        signer_position="CHỦ TỊCH",
        **marks,
    )
    return documents.issue_document(draft, actor=None, issued_on=DAY)


def _words(pdf: bytes):
    with pdfplumber.open(BytesIO(pdf)) as opened:
        page = opened.pages[0]
        words = page.extract_words(extra_attrs=["fontname", "size"], keep_blank_chars=True)
        return words, list(page.rects)


@pytest.mark.parametrize(
    ("urgency", "width_mm"), [("KHẨN", 20), ("THƯỢNG KHẨN", 40), ("HỎA TỐC", 30)]
)
def test_the_marks_sit_under_the_number_bold_and_the_urgency_box_has_its_size(
    world, urgency, width_mm
):
    document = _notice(world, secrecy="MẬT", urgency=urgency)
    with document.pdf.open("rb") as opened:
        words, rects = _words(opened.read())
    number = next(w for w in words if w["text"].startswith("Số:"))
    secrecy = next(w for w in words if w["text"] == "MẬT")
    mark = next(w for w in words if w["text"] == urgency)
    for word in (secrecy, mark):
        assert word["top"] > number["bottom"]
        assert word["x1"] < 105 * MM  # the issuer's column, left half of the page
        assert "Bold" in word["fontname"] and round(word["size"]) == 13
    assert mark["top"] > secrecy["bottom"]
    box = next(
        r
        for r in rects
        if r["x0"] <= mark["x0"]
        and mark["x1"] <= r["x1"]
        and r["top"] <= mark["top"]
        and mark["bottom"] <= r["bottom"]
    )
    assert abs((box["x1"] - box["x0"]) / MM - width_mm) < 1
    assert abs((box["bottom"] - box["top"]) / MM - 8) < 0.6


def test_marks_are_optional_and_checked(world):
    with _notice(world).pdf.open("rb") as opened:
        words, _ = _words(opened.read())
    assert not {"MẬT", "KHẨN", "HỎA TỐC"} & {w["text"] for w in words}
    with refused("urgency_invalid") as refusal:
        _notice(world, urgency="GẤP")
    assert refusal.value.message == "Độ khẩn phải là KHẨN, THƯỢNG KHẨN hoặc HỎA TỐC."
