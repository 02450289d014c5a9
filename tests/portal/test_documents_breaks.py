"""No line of a rendered document breaks inside a number and symbol, a date or a law reference."""

from __future__ import annotations

import datetime

from portal import documents
from portal.documents.content import keep_together
from portal.documents.demo import make_plan
from tests.portal.pdf_text import lines

REFERENCES = ("152/2025/NĐ-CP", "12-CT/TW", "ngày 15 tháng 6 năm 2022", "05/12/2023")


def test_references_are_wrapped_whole_and_the_rest_is_escaped():
    html = keep_together("Theo Nghị định số 152/2025/NĐ-CP <b> ngày 05/12/2023 & Điều 5")
    assert '<span class="nowrap">số 152/2025/NĐ-CP</span>' in html
    assert '<span class="nowrap">05/12/2023</span>' in html
    assert '<span class="nowrap">Điều 5</span>' in html
    assert "&lt;b&gt;" in html and "&amp;" in html


def test_a_reference_never_breaks_across_lines_wherever_it_falls(world):
    # Each paragraph pushes the references a word further along the line, so across the
    # paragraphs every one of them reaches the right edge somewhere.
    body = [
        "Thực hiện " + "thi đua " * shift + "Nghị định số 152/2025/NĐ-CP, Chỉ thị số 12-CT/TW"
        " của Ban Bí thư, Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022 và Kế hoạch"
        " số 1234/KH-UBND ngày 05/12/2023 của Ủy ban nhân dân tỉnh."
        for shift in range(36)
    ]
    plan = make_plan(world.province, actor=world.officer, body="\n".join(body))
    plan = documents.issue_document(plan, actor=world.leader, issued_on=datetime.date(2026, 1, 2))
    printed = lines(plan.pdf.read())
    for reference in REFERENCES:
        whole = sum(line.count(reference) for line in printed)
        assert whole == sum(paragraph.count(reference) for paragraph in body), reference
