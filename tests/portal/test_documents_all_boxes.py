"""Every kind of paper the portal issues, box by box (Decree 30/2020, Phụ lục I, Part I): one
real PDF per kind, read with pdfplumber, and each box that applies checked for its text, its
size and its style — motto, issuer, number, place and date, kind, trích yếu, body, the
signer's capacity, title and name (a person holding the post on the date, never an account's
label), "Nơi nhận:" and its closing "Lưu: VT, …" line. Certificates (Giấy khen, Bằng khen)
carry the boxes of their own paper: motto, authority, kind, awardee, place and date, signer.
"""

from __future__ import annotations

import datetime
import unicodedata
from io import BytesIO

import pdfplumber
import pytest

from portal import documents
from portal.models import CERTIFICATE_KINDS, KIND_SPECS, DocumentKind
from portal.models.documents import IssuedAs

DAY = datetime.date(2026, 1, 5)
MM = 72 / 25.4
# The header's issuer column ends at 30 mm + 38 % of the 165 mm text width.
ISSUER_COLUMN_END = (30 + 0.38 * 165) * MM
BODY = "Đoạn nội dung thứ nhất của văn bản."
CLOSING = "Đoạn kết của văn bản."
ACCOUNT_LABELS = ("Quản trị", "Huỳnh Thị Thu")  # the administrator's and the drafter's accounts


def _content(world, kind: str) -> dict:
    """What the portal's own producer puts into a paper of `kind` (awards, campaigns, pledges),
    with the signature block taken from the ward's leadership posts."""
    values = {
        "summary": "Về việc tổng kết phong trào thi đua năm 2025",
        "body": [{"type": "paragraph", "text": BODY}, {"type": "paragraph", "text": CLOSING}],
        "recipients": ["Các tổ dân phố"],
        "drafting_unit": "VP",
        "archive_copies": 2,
        "sign_from_posts": True,
    }
    if KIND_SPECS[kind].uses_addressees:
        values["addressees"] = ["Chủ tịch Ủy ban nhân dân thành phố Long Khánh"]
    if kind == DocumentKind.OFFICIAL_LETTER:
        values["summary"] = "V/v báo cáo kết quả thi đua năm 2025"
    if kind == DocumentKind.DECISION:
        values["summary"] = "Về việc tặng Giấy khen năm 2025"
        values["body"] = [
            {"type": "authority", "text": "CHỦ TỊCH ỦY BAN NHÂN DÂN PHƯỜNG XUÂN TRUNG"},
            {"type": "basis", "text": "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022."},
            {"type": "center", "text": "QUYẾT ĐỊNH:"},
            {"type": "article", "number": 1, "text": BODY},
            {"type": "article", "number": 2, "text": CLOSING},
        ]
        values["annex"] = {
            "title": "Danh sách cá nhân được tặng Giấy khen",
            "columns": ["STT", "Họ và tên", "Đơn vị"],
            "rows": [["1", world.person.full_name, "Phường Xuân Trung"]],
        }
    if kind == DocumentKind.MINUTES:
        # The council's paper: its chair and secretary sign (awards.paperwork.papers.minutes).
        values.pop("sign_from_posts")
        values.update(
            issued_as=IssuedAs.COUNCIL,
            signer=world.ward_chair,
            signer_name=world.ward_chair.full_name,
            signer_position="CHỦ TỊCH HỘI ĐỒNG",
            co_signers=[{"title": "THƯ KÝ", "name": world.ward_secretariat_head.full_name}],
        )
    if kind == DocumentKind.PLEDGE:
        from pledges.covenants.signing import member_signature

        values["co_signers"] = [member_signature(world.sibling_ward, DAY, None)]
    if kind in CERTIFICATE_KINDS:
        values = {
            "body": [
                {
                    "type": "certificate",
                    "awardee": world.person.full_name,
                    "detail": "Công chức văn hóa, Phường Xuân Trung",
                    "achievement": "Đã có thành tích xuất sắc trong phong trào thi đua năm 2025",
                    "decision": "Quyết định số 01/QĐ-UBND ngày 05/01/2026",
                }
            ],
            "sign_from_posts": True,
        }
    return values


def _issue(world, kind: str):
    values = _content(world, kind)
    draft = documents.create_draft(
        kind, issuer=world.ward, actor=world.ward_officer, issued_on=DAY, **values
    )
    return documents.issue_document(draft, actor=world.ward_leader, issued_on=DAY)


def _pages(document) -> list[list[dict]]:
    """Each page's lines as words grouped by row: text, left, top, font and size."""
    with document.pdf.open("rb") as opened, pdfplumber.open(BytesIO(opened.read())) as pdf:
        pages = []
        for page in pdf.pages:
            words = page.extract_words(extra_attrs=["fontname", "size"], keep_blank_chars=True)
            for word in words:
                word["text"] = unicodedata.normalize("NFC", word["text"])
            pages.append(words)
        return pages


def _word(words: list[dict], text: str, *, left_of: float | None = None) -> dict:
    """The run of words printing `text` (pdfplumber keeps a run on one line together): the
    whole of it, or, where `text` wraps over lines, its first line, the rest following it."""
    candidates = [w for w in words if left_of is None or w["x1"] <= left_of]
    found = [w for w in candidates if w["text"].strip() == text]
    if found:
        return found[0]
    printed = " ".join(" ".join(w["text"] for w in candidates).split())
    assert text in printed, f"{text!r} not printed"
    found = [w for w in candidates if len(w["text"]) >= 4 and text.startswith(w["text"].strip())]
    assert found, f"{text!r} not printed as a run"
    return found[0]


def _styled(word: dict, size: int, *, bold: bool, italic: bool = False) -> None:
    assert round(word["size"]) == size, (word["text"], word["size"])
    assert ("Bold" in word["fontname"]) == bold, (word["text"], word["fontname"])
    assert ("Italic" in word["fontname"]) == italic, (word["text"], word["fontname"])


HEADED = [k for k in KIND_SPECS if k not in CERTIFICATE_KINDS]


@pytest.mark.parametrize("kind", HEADED)
def test_every_box_of_every_kind_of_paper(world, kind):
    document = _issue(world, kind)
    spec = KIND_SPECS[kind]
    pages = _pages(document)
    first, last = pages[0], pages[-1] if not document.annexes else pages[-2]
    flat = " ".join(" ".join(" ".join(w["text"] for w in page) for page in pages).split())

    # Box 1: the national name and the motto, bold, in the right column.
    national = _word(first, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    _styled(national, 13, bold=True)
    assert national["x0"] > ISSUER_COLUMN_END - 5
    _styled(_word(first, "Độc lập - Tự do - Hạnh phúc"), 14, bold=True)

    # Box 2: the issuer (under its parent for the council), bold capitals, left column.
    if document.issued_as == IssuedAs.COUNCIL:
        _styled(_word(first, "UBND PHƯỜNG XUÂN TRUNG"), 13, bold=False)
        _styled(_word(first, "HỘI ĐỒNG THI ĐUA - KHEN THƯỞNG"), 13, bold=True)
    else:
        _styled(_word(first, "ỦY BAN NHÂN DÂN", left_of=ISSUER_COLUMN_END), 13, bold=True)
        _styled(_word(first, "PHƯỜNG XUÂN TRUNG", left_of=ISSUER_COLUMN_END), 13, bold=True)

    # Box 3: "Số: 01/<kind>-<issuer>" for a numbered kind; box 4 on the same line, italic.
    place_date = _word(first, "Xuân Trung, ngày 05 tháng 01 năm 2026")
    _styled(place_date, 14, bold=False, italic=True)
    if spec.numbered:
        number = _word(first, f"Số: {document.number_and_symbol}")
        _styled(number, 13, bold=False)
        assert abs(number["top"] - place_date["top"]) < 3
        assert document.number_and_symbol.startswith("01/")
    else:
        assert "Số:" not in " ".join(w["text"] for w in first)

    # Box 5a: the kind in bold capitals and the trích yếu in bold; a Công văn has no kind and
    # its "V/v …" stands under the number, 12 pt upright (box 5b).
    if spec.heading:
        _styled(_word(first, document.heading), 14, bold=True)
        _styled(_word(first, document.summary), 14, bold=True)
    else:
        assert "CÔNG VĂN" not in flat
        summary = _word(first, document.summary, left_of=ISSUER_COLUMN_END)
        _styled(summary, 12, bold=False)

    # Box 9a: "Kính gửi:" where the kind addresses someone.
    if document.addressees:
        assert f"Kính gửi: {document.addressees[0]}" in flat
        addressed = next(w for w in first if w["text"].startswith("Kính gửi"))
        _styled(addressed, 14, bold=False)

    # Box 6: the body, 14 pt upright.
    for text in (BODY, CLOSING):
        assert text in flat
    if kind != DocumentKind.DECISION:
        _styled(_word(first + last, BODY), 14, bold=False)

    # Boxes 7a–7c: the capacity and title in bold capitals, then the name of the person
    # holding the post on the date, bold — never an account's label.
    signer = document.signer
    assert signer is not None and signer.full_name == document.signer_name
    capacity = f"{document.signer_capacity} {document.signer_authority}".strip()
    for line in [capacity, *document.signer_position.split("\n")]:
        if line:
            _styled(_word(last, line), 14, bold=True)
    _styled(_word(last, document.signer_name), 14, bold=True)
    expected_capacity = {
        DocumentKind.DECISION: ("", "", "CHỦ TỊCH"),
        DocumentKind.MINUTES: ("", "", "CHỦ TỊCH HỘI ĐỒNG"),
    }.get(kind, ("TM.", "ỦY BAN NHÂN DÂN", "CHỦ TỊCH"))
    if kind == DocumentKind.PLEDGE:
        # A giao ước is issued by the organiser here (the ward) and signed by its members.
        assert document.co_signers[0]["name"] == world.sibling_chair.full_name
        _styled(_word(last, world.sibling_chair.full_name), 14, bold=True)
    else:
        assert (
            document.signer_capacity,
            document.signer_authority,
            document.signer_position,
        ) == expected_capacity
    assert signer == world.ward_chair
    for label in ACCOUNT_LABELS:
        assert label not in flat

    # Box 9b: "Nơi nhận:" 12 pt bold italic, its lines 11 pt, closed by "Lưu: VT, VP(02).".
    _styled(_word(last, "Nơi nhận:"), 12, bold=True, italic=True)
    _styled(_word(last, "- Các tổ dân phố;"), 11, bold=False)
    _styled(_word(last, "- Lưu: VT, VP(02)."), 11, bold=False)

    # The annex of a decision: on its own page, titled, pointing at the decision.
    if document.annexes:
        annex = pages[-1]
        _styled(_word(annex, "Phụ lục"), 14, bold=True)
        note = f"(Kèm theo Quyết định số {document.number_and_symbol} ngày 05/01/2026)"
        _styled(_word(annex, note), 14, bold=False, italic=True)
        assert world.person.full_name in " ".join(w["text"] for w in annex)


@pytest.mark.parametrize("kind", sorted(CERTIFICATE_KINDS))
def test_every_box_of_a_certificate(world, kind):
    document = _issue(world, kind)
    (page,) = _pages(document)
    flat = " ".join(" ".join(w["text"] for w in page).split())
    _styled(_word(page, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"), 14, bold=True)
    _styled(_word(page, "Độc lập - Tự do - Hạnh phúc"), 14, bold=True)
    _styled(_word(page, "CHỦ TỊCH ỦY BAN NHÂN DÂN PHƯỜNG XUÂN TRUNG"), 16, bold=True)
    _styled(_word(page, KIND_SPECS[kind].heading), 36, bold=True)
    _styled(_word(page, world.person.full_name), 24, bold=True)
    _styled(_word(page, "Xuân Trung, ngày 05 tháng 01 năm 2026"), 14, bold=False, italic=True)
    # The certificate repeats the decision's signer: the chairman in his own name.
    assert document.signer == world.ward_chair
    _styled(_word(page, "CHỦ TỊCH"), 14, bold=True)
    _styled(_word(page, world.ward_chair.full_name), 14, bold=True)
    assert "Quyết định số 01/QĐ-UBND ngày 05/01/2026" in flat
    assert "Nơi nhận" not in flat
    for label in ACCOUNT_LABELS:
        assert label not in flat


TEXT_WIDTH = 165 * MM  # A4 portrait less the 30 mm and 15 mm side margins
# The copy form's left column ends at 30 mm + 42 % of the text width (copy_form.html).
COPY_COLUMN_END = (30 + 0.42 * 165) * MM


def _copy_pages(copy) -> tuple[list[list[dict]], list[list[dict]]]:
    """Each page's words (as `_pages`) and its horizontal rules (lines and thin rectangles)."""
    with copy.pdf.open("rb") as opened, pdfplumber.open(BytesIO(opened.read())) as pdf:
        words, rules = [], []
        for page in pdf.pages:
            found = page.extract_words(extra_attrs=["fontname", "size"], keep_blank_chars=True)
            for word in found:
                word["text"] = unicodedata.normalize("NFC", word["text"])
            words.append(found)
            rules.append(
                [
                    r
                    for r in (*page.lines, *page.rects)
                    if r["height"] <= 2 and r["width"] > 100 * MM
                ]
            )
        return words, rules


def _inked(copy, index: int, rule: dict) -> float:
    """The share of the rule's length printed black, read as a viewer draws it (a dashed or
    dotted rule may be one clipped rectangle in the file)."""
    with copy.pdf.open("rb") as opened, pdfplumber.open(BytesIO(opened.read())) as pdf:
        page = pdf.pages[index]
        band = (rule["x0"] + 1, rule["top"] - 1, rule["x1"] - 1, rule["bottom"] + 1)
        image = page.crop(band).to_image(resolution=150).original.convert("L")
    width, height = image.size
    darkest = [min(image.getpixel((x, y)) for y in range(height)) for x in range(width)]
    return sum(1 for value in darkest if value < 128) / width


def _copy(world, kind: str):
    from portal.documents import copies

    decision = _issue(world, DocumentKind.DECISION)
    options = {"first_page": 1, "last_page": 1} if kind == "TrS" else {}
    source = decision
    if kind == "SL":
        source = copies.make_copy(
            decision,
            actor=world.ward_officer,
            issuer=world.ward,
            kind="SY",
            recipients=["Sở Nội vụ"],
            day=DAY,
        )
    copy = copies.make_copy(
        source,
        actor=world.ward_officer,
        issuer=world.ward,
        kind=kind,
        recipients=["Phòng Văn hóa - Xã hội"],
        day=DAY,
        **options,
    )
    return decision, copy


@pytest.mark.parametrize(
    ("kind", "heading", "number"),
    [
        ("SY", "SAO Y", "01/SY-UBND"),
        ("TrS", "TRÍCH SAO", "01/TrS-UBND"),
        ("SL", "SAO LỤC", "02/SL-UBND"),
    ],
)
def test_the_copy_form_follows_the_last_part_under_a_full_width_rule(world, kind, heading, number):
    """Decree 30, Phụ lục I (thể thức bản sao): the copy form after the copied paper's last
    part, under a solid rule across the text width; the copying body and its copy number on the
    left, the kind of copy and the place and date on the right, "Nơi nhận:" and the signature of
    a named leader under them. A TRÍCH SAO keeps only the pages copied; a SAO LỤC follows the
    SAO Y form it copies."""
    decision, copy = _copy(world, kind)
    words, rules = _copy_pages(copy)
    with decision.pdf.open("rb") as opened, pdfplumber.open(BytesIO(opened.read())) as pdf:
        original_pages = len(pdf.pages)
        original_last = pdf.pages[0 if kind == "TrS" else -1].extract_words()
    original_bottom = max(w["bottom"] for w in original_last)
    assert original_pages == 2  # the decision, then its annex
    expected_pages = 1 if kind == "TrS" else original_pages
    assert len(words) in (expected_pages, expected_pages + 1)
    last, last_rules = words[-1], rules[-1]
    # The form's own rule: the last one above its (last) heading, right above it.
    headings = [w for w in last if w["text"].strip() == heading]
    assert headings, f"{heading} not printed on the last page"
    above = [r for r in last_rules if r["bottom"] < headings[-1]["top"]]
    assert above, "no rule above the copy form"
    rule = max(above, key=lambda r: r["top"])
    assert headings[-1]["top"] - rule["bottom"] < 15
    # The rule: solid, from the left margin across the whole text width.
    assert abs(rule["x0"] - 30 * MM) < 1 * MM
    assert abs(rule["width"] - TEXT_WIDTH) < 1 * MM
    assert _inked(copy, len(words) - 1, rule) > 0.98, "the rule is not solid"
    if len(words) == expected_pages and kind != "SL":
        assert rule["top"] > original_bottom  # after the copied paper's last part, same page
    form = [w for w in last if w["top"] > rule["bottom"]]
    assert form, "the copy form is not under its rule"
    if kind == "SL":
        # The SAO Y form it copies stands above, under its own rule.
        assert "SAO Y" in " ".join(w["text"] for page in words for w in page)
        assert len([r for r in last_rules if r["width"] > 100 * MM]) == 2 or len(words) == 3

    issuer = _word(form, "ỦY BAN NHÂN DÂN", left_of=COPY_COLUMN_END)
    _styled(issuer, 13, bold=True)
    _styled(_word(form, "PHƯỜNG XUÂN TRUNG", left_of=COPY_COLUMN_END), 13, bold=True)
    copy_number = _word(form, f"Số: {number}", left_of=COPY_COLUMN_END)
    _styled(copy_number, 13, bold=False)
    assert copy.number_and_symbol == number
    kind_word = _word(form, heading)
    _styled(kind_word, 14, bold=True)
    assert kind_word["x0"] > COPY_COLUMN_END and abs(kind_word["top"] - issuer["top"]) < 3
    date = _word(form, "Xuân Trung, ngày 05 tháng 01 năm 2026")
    _styled(date, 14, bold=False, italic=True)
    assert date["x0"] > COPY_COLUMN_END and date["top"] > kind_word["top"]
    received = _word(form, "Nơi nhận:")
    _styled(received, 12, bold=True, italic=True)
    assert received["x1"] <= COPY_COLUMN_END and received["top"] > copy_number["top"]
    _styled(_word(form, "- Phòng Văn hóa - Xã hội;"), 11, bold=False)
    _styled(_word(form, "- Lưu: VT."), 11, bold=False)
    # The signer: the ward's head on the day, a named person, in the capacity of the posts.
    assert copy.signer == world.ward_chair
    capacity = _word(form, "TM. ỦY BAN NHÂN DÂN")
    _styled(capacity, 14, bold=True)
    assert capacity["x0"] > COPY_COLUMN_END
    _styled(_word(form, "CHỦ TỊCH"), 14, bold=True)
    name = _word(form, world.ward_chair.full_name)
    _styled(name, 14, bold=True)
    assert name["top"] > capacity["top"] + 30  # room for the signature and the seal
    flat = " ".join(w["text"] for w in form)
    assert copy.verification_code in flat
    for label in ACCOUNT_LABELS:
        assert label not in flat
