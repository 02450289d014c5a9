"""The rules under the issuer's name and under the trích yếu are sized to the rendered text
above them: one third to one half of the line (Decree 30/2020, Phụ lục I, boxes 2 and 5a).
Measured with pdfplumber on the issued PDF of every kind with a header, for a short and a
long issuer name and trích yếu; the motto's rule is as long as the motto."""

from __future__ import annotations

import datetime
from io import BytesIO

import pdfplumber
import pytest

from portal import documents
from portal.models import CERTIFICATE_KINDS, KIND_SPECS, DocumentKind

DAY = datetime.date(2026, 1, 5)
SHORT = "Về việc lịch họp"
LONG = (
    "Về việc tổ chức Hội nghị tổng kết phong trào thi đua yêu nước và công tác khen thưởng "
    "năm 2025, triển khai nhiệm vụ năm 2026"
)
HEADED = [k for k in KIND_SPECS if k not in CERTIFICATE_KINDS]


MM = 72 / 25.4
# The header's left column (issuer) ends at 30 mm + 38 % of the 165 mm text width.
ISSUER_COLUMN_END = (30 + 0.38 * 165) * MM


def _rules(page) -> list[dict]:
    """Thin horizontal rules (filled rectangles under 1.5 pt high, over 5 mm wide), top first."""
    rules = [r for r in page.rects if r["bottom"] - r["top"] < 1.5 and r["x1"] - r["x0"] > 5 * MM]
    return sorted(rules, key=lambda r: r["top"])


def _text_lines(page, left: float, right: float) -> list[dict]:
    """Lines of text made of the characters between `left` and `right`, top first."""
    rows: dict[int, list[dict]] = {}
    for char in page.chars:
        if left <= char["x0"] and char["x1"] <= right and char["text"].strip():
            rows.setdefault(round(char["bottom"]), []).append(char)
    return [
        {
            "text": "".join(c["text"] for c in sorted(chars, key=lambda c: c["x0"])),
            "x0": min(c["x0"] for c in chars),
            "x1": max(c["x1"] for c in chars),
            "top": min(c["top"] for c in chars),
            "bottom": max(c["bottom"] for c in chars),
        }
        for _, chars in sorted(rows.items())
    ]


def _text_above(page, rule, heading: str) -> list[dict]:
    """The block of lines right above a rule in its column (the trích yếu stops at the type
    name above it)."""
    in_issuer = rule["x1"] <= ISSUER_COLUMN_END
    lines = _text_lines(page, 0, ISSUER_COLUMN_END) if in_issuer else _text_lines(page, 0, 9e9)
    above = [line for line in lines if line["bottom"] <= rule["top"] + 1]
    block = []
    for line in reversed(above):
        gap = (block[-1]["top"] if block else rule["top"]) - line["bottom"]
        if gap > 10 or line["text"] == heading.replace(" ", ""):
            break
        block.append(line)
        if in_issuer:
            break
    return block


def _measure(pdf: bytes, heading: str) -> list[tuple[str, float]]:
    """(text above, rule length / length of the widest line of that text) for each rule of
    the header and the heading of page 1."""
    with pdfplumber.open(BytesIO(pdf)) as opened:
        page = opened.pages[0]
        result = []
        for rule in _rules(page):
            block = _text_above(page, rule, heading)
            if not block:
                continue
            widest = max(line["x1"] - line["x0"] for line in block)
            result.append((block[0]["text"], (rule["x1"] - rule["x0"]) / widest))
        return result


def _issued(world, kind: str, issuer, summary: str):
    draft = documents.create_draft(
        kind,
        issuer=issuer,
        actor=None,
        summary=summary if kind != DocumentKind.OFFICIAL_LETTER else f"V/v {summary[7:]}",
        body="Nội dung của văn bản.",
        addressees=["Sở Nội vụ"],
        recipients=["Như trên"],
        co_signers=[{"title": "Thư ký", "name": "Huỳnh Thị Thu"}],
        signer_name="Võ Văn Phường",
        signer_position="CHỦ TỊCH",
    )
    return documents.issue_document(draft, actor=None, issued_on=DAY)


@pytest.mark.parametrize("kind", HEADED)
@pytest.mark.parametrize("summary", [SHORT, LONG], ids=["short", "long"])
def test_rules_are_a_third_to_a_half_of_the_line_above(world, kind, summary):
    for issuer in (world.ward, world.home_affairs):
        document = _issued(world, kind, issuer, summary)
        with document.pdf.open("rb") as opened:
            measured = _measure(opened.read(), document.heading)
        # The issuer's rule, and the trích yếu's where the kind prints a heading.
        assert len(measured) == (2 if KIND_SPECS[kind].heading else 1), (kind, measured)
        for text, ratio in measured:
            assert 1 / 3 <= ratio <= 1 / 2, (kind, issuer.name, text, ratio)
