"""The Tờ trình and the Quyết định come out of the data: names, items, numbers, money."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from tests.awards.nomination_helpers import TODAY, issued, submitted


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(TODAY, tick=False)


def _text(field) -> str:
    field.open("rb")
    try:
        pages = PdfReader(io.BytesIO(field.read())).pages
        # Table cells wrap; compare words, not line breaks.
        return " ".join(" ".join(page.extract_text() for page in pages).split())
    finally:
        field.close()


def test_the_toi_trinh_lists_the_nominee_and_the_title(world):
    nomination = submitted(world)
    document = nomination.batch.submission
    text = _text(document.pdf)
    assert "TỜ TRÌNH" in text
    assert document.number_and_symbol in text
    assert world.person.full_name in text
    assert "Lao động tiên tiến" in text
    assert "Hoàn thành xuất sắc nhiệm vụ văn hóa" in text


def test_the_quyet_dinh_is_numbered_with_the_annexed_awardees_and_money(world):
    nomination = issued(world)
    document = nomination.decision.document
    assert document.number.strip()
    text = _text(document.pdf)
    assert "QUYẾT ĐỊNH" in text
    assert document.number_and_symbol in text
    assert world.person.full_name in text
    assert "DANH SÁCH TẬP THỂ, CÁ NHÂN ĐƯỢC KHEN THƯỞNG" in text
    # 0,3 × 2.340.000 đ = 702.000 đ, rounded up to the next 10.000 đ.
    assert "710.000 đ" in text
    assert "02/03/2026" in text or "ngày 02 tháng 03 năm 2026" in text
