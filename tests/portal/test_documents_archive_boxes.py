"""The remaining boxes of Decree 30 (Phụ lục I, Part I): the "Lưu: VT, <drafting unit>(<copies
kept>)" line closing "Nơi nhận", box 12 (the drafter's mark and the copies sent out), box 11
(the circulation limit) and box 13 (the issuer's address, phone, fax, e-mail and website at the
foot of page 1 of a Công văn, under a rule as wide as the text). Measured on the issued PDF."""

from __future__ import annotations

import datetime
import unicodedata
from io import BytesIO

import pdfplumber

from portal import documents
from portal.models import DocumentKind
from tests.refusals import refused

MM = 72 / 25.4
DAY = datetime.date(2026, 1, 5)


def _issue(world, kind=DocumentKind.NOTICE, **fields):
    values = {
        "summary": "Về việc lịch họp",
        "body": "Nội dung.",
        "recipients": ["Các phòng", "Lưu: VT"],
        "signer_name": "Võ Văn Phường",
        "signer_position": "CHỦ TỊCH",
        **fields,
    }
    draft = documents.create_draft(kind, issuer=world.ward, actor=None, **values)
    return documents.issue_document(draft, actor=None, issued_on=DAY)


def _page(document, number=0):
    with document.pdf.open("rb") as opened, pdfplumber.open(BytesIO(opened.read())) as pdf:
        page = pdf.pages[number]
        lines = [
            {**line, "text": unicodedata.normalize("NFC", line["text"])}
            for line in page.extract_text_lines()
        ]
        words = page.extract_words(extra_attrs=["fontname", "size"], keep_blank_chars=True)
        for word in words:
            word["text"] = unicodedata.normalize("NFC", word["text"])
        return lines, words, list(page.lines) + list(page.rects), page.width, page.height


def test_the_archive_line_closes_the_recipients_and_box_12_follows(world):
    document = _issue(
        world, drafting_unit="vp", archive_copies=2, drafter_mark="nth", issued_copies=30
    )
    assert document.recipients == ["Các phòng", "Lưu: VT, VP(02)"]
    lines, words, _, _, _ = _page(document)
    # The left column, under "Nơi nhận:" (the signer's lines share its rows on the right).
    left = [
        " ".join(w["text"] for w in words if abs(w["top"] - line["top"]) < 2 and w["x1"] < 100 * MM)
        for line in lines
    ]
    title = left.index("Nơi nhận:")
    assert left[title + 1 : title + 4] == ["- Các phòng;", "- Lưu: VT, VP(02).", "NTH.(30)"]
    mark = next(w for w in words if w["text"] == "NTH.(30)")
    assert round(mark["size"]) == 11 and "Bold" not in mark["fontname"]
    assert "Italic" not in mark["fontname"] and mark["x0"] < 31 * MM


def test_the_archive_fields_are_checked_and_a_typed_lưu_line_stays_without_them(world):
    assert _issue(world, recipients=["Các phòng", "Lưu: VT, VHXH"]).recipients[-1] == (
        "Lưu: VT, VHXH"
    )
    for fields, code, message in (
        (
            {"drafting_unit": "Văn phòng"},
            "abbreviation_format",
            "Chữ viết tắt đơn vị soạn thảo chỉ gồm chữ in hoa",
        ),
        ({"archive_copies": 0}, "number_out_of_range", "Số bản lưu phải là số nguyên từ 1 đến 99."),
        (
            {"drafter_mark": "N.T.H"},
            "abbreviation_format",
            "Ký hiệu người soạn thảo chỉ gồm chữ in hoa",
        ),
        (
            {"circulation": "MẬT"},
            "circulation_invalid",
            "Phạm vi lưu hành phải là XEM XONG TRẢ LẠI",
        ),
    ):
        with refused(code) as refusal:
            _issue(world, **fields)
        assert refusal.value.message.startswith(message)


def test_changing_the_drafting_unit_rewrites_the_lưu_line_of_a_draft(world):
    draft = documents.create_draft(
        DocumentKind.NOTICE, issuer=world.ward, actor=None, recipients=["Các phòng"]
    )
    assert draft.recipients == ["Các phòng", "Lưu: VT"]
    draft = documents.update_draft(draft, actor=None, drafting_unit="VHXH", archive_copies=3)
    assert draft.recipients == ["Các phòng", "Lưu: VT, VHXH(03)"]


def test_the_circulation_limit_is_framed_bold_under_the_number(world):
    document = _issue(world, circulation="LƯU HÀNH NỘI BỘ")
    _, words, shapes, _, _ = _page(document)
    number = next(w for w in words if w["text"].startswith("Số:"))
    mark = next(w for w in words if w["text"] == "LƯU HÀNH NỘI BỘ")
    assert mark["top"] > number["bottom"] and mark["x1"] < 105 * MM
    assert "Bold" in mark["fontname"] and round(mark["size"]) == 13
    assert any(
        r["x0"] <= mark["x0"]
        and mark["x1"] <= r["x1"]
        and r["top"] <= mark["top"]
        and mark["bottom"] <= r["bottom"]
        for r in shapes
    )


def test_a_letter_prints_the_issuers_address_block_at_the_foot_of_page_1(world):
    world.ward.address = "Số 1 đường Hùng Vương, phường Xuân Trung"
    world.ward.phone = "0251 3877 123"
    world.ward.fax = "0251 3877 124"
    world.ward.email = "ubnd.xuantrung@dongnai.gov.vn"
    world.ward.website = "xuantrung.dongnai.gov.vn"
    world.ward.save()
    document = _issue(
        world,
        DocumentKind.OFFICIAL_LETTER,
        summary="V/v báo cáo",
        addressees=["Sở Nội vụ"],
        body="Nội dung công văn.",
    )
    assert document.issuer_contact == [
        "Số 1 đường Hùng Vương, phường Xuân Trung",
        "ĐT: 0251 3877 123; Fax: 0251 3877 124",
        "E-mail: ubnd.xuantrung@dongnai.gov.vn; Website: xuantrung.dongnai.gov.vn",
    ]
    lines, words, shapes, width, height = _page(document)
    address = next(line for line in lines if line["text"].startswith("Số 1 đường"))
    email = next(line for line in lines if line["text"].startswith("E-mail:"))
    body = next(line for line in lines if line["text"] == "Nội dung công văn.")
    # Below everything else of the body, inside the bottom half of the text area.
    assert address["top"] > body["bottom"] and email["bottom"] < height - 20 * MM
    size = next(w for w in words if w["text"].startswith("E-mail"))["size"]
    assert 11 <= round(size) <= 12
    # WeasyPrint draws a border as a filled even-odd frame: its top edge is the rule.
    rules = [s for s in shapes if 0 < address["top"] - s["top"] < 8 * MM]
    assert rules
    for rule in rules:
        # As wide as the text area: from the 30 mm margin to the 15 mm margin.
        assert abs(rule["x0"] / MM - 30) < 1 and abs(rule["x1"] / MM - (width / MM - 15)) < 1


def test_a_letter_keeps_the_address_of_its_day_and_other_kinds_print_none(world):
    world.ward.address = "Số 1 đường Hùng Vương"
    world.ward.save()
    letter = _issue(world, DocumentKind.OFFICIAL_LETTER, summary="V/v a", addressees=["Sở Nội vụ"])
    world.ward.address = "Số 9 đường Mới"
    world.ward.save()
    lines, *_ = _page(letter)
    assert "Số 1 đường Hùng Vương" in [line["text"] for line in lines]
    notice = _issue(world)
    assert notice.issuer_contact == []
    lines, *_ = _page(notice)
    assert not [line for line in lines if line["text"].startswith("Số 9")]
