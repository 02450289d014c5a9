"""The PDF and DOCX read back: Decree 30 layout, text, fonts, margins, page numbers."""

from __future__ import annotations

import datetime
import unicodedata
from io import BytesIO

import docx
import pytest
from pypdf import PdfReader

from portal import documents
from portal.documents.demo import make_decision, make_plan
from portal.models import DocumentKind
from tests.portal.pdf_reading import embedded_fonts, text_items

PAGE_HEIGHT_MM = 297


@pytest.fixture
def issued_plan(world):
    plan = make_plan(world.province, actor=world.officer, pages=3)
    return documents.issue_document(plan, actor=world.leader, issued_on=datetime.date(2026, 1, 2))


def test_plan_pdf_carries_number_date_line_and_names_in_nfc(issued_plan):
    reader = PdfReader(BytesIO(issued_plan.pdf.read()))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert text == unicodedata.normalize("NFC", text)
    assert "Số: 01/KH-UBND" in text
    assert "Đồng Nai, ngày 02 tháng 01 năm 2026" in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Độc lập - Tự do - Hạnh phúc" in text
    assert "ỦY BAN NHÂN DÂN" in text and "TỈNH ĐỒNG NAI" in text
    assert "KẾ HOẠCH" in text
    assert "Nguyễn Thị Hương Giang" in text
    assert "TM. ỦY BAN NHÂN DÂN" in text and "KT. CHỦ TỊCH" in text
    assert "Nơi nhận:" in text and "- Lưu: VT, NV." in text
    assert f"Mã xác minh: {issued_plan.verification_code}" in text


def test_only_the_bundled_liberation_serif_is_embedded(issued_plan):
    reader = PdfReader(BytesIO(issued_plan.pdf.read()))
    fonts = embedded_fonts(reader)
    assert fonts
    assert all(name.startswith("Liberation-Serif-VN") for name in fonts), fonts


def test_body_text_starts_within_the_left_margin_of_the_decree(issued_plan):
    reader = PdfReader(BytesIO(issued_plan.pdf.read()))
    for page in reader.pages[:2]:
        body = [x for x, y, _ in text_items(page) if 30 < y < PAGE_HEIGHT_MM - 60]
        assert 29.5 <= min(body) <= 35


def test_page_number_only_from_page_two_centred_in_the_top_margin(issued_plan):
    reader = PdfReader(BytesIO(issued_plan.pdf.read()))
    assert len(reader.pages) >= 3

    def top_margin(page):
        return [(x, t) for x, y, t in text_items(page) if y > PAGE_HEIGHT_MM - 20]

    assert top_margin(reader.pages[0]) == []
    (x, number), *_ = top_margin(reader.pages[1])
    assert number == "2"
    content_centre = 30 + (210 - 30 - 15) / 2
    assert abs(x - content_centre) < 5


def test_the_closing_sentence_stays_on_the_page_of_the_signature(issued_plan):
    reader = PdfReader(BytesIO(issued_plan.pdf.read()))
    last = reader.pages[-1].extract_text()
    assert "Nguyễn Thị Hương Giang" in last
    assert "phù hợp với tình hình thực tế" in last.replace("\n", " ")


def test_preview_is_watermarked_and_unnumbered(world):
    plan = make_plan(world.province, pages=1)
    text = PdfReader(BytesIO(documents.render_preview(plan))).pages[0].extract_text()
    assert "DỰ THẢO" in text
    assert "Số:" in text and "/KH-UBND" in text
    assert "01/KH-UBND" not in text
    assert "Mã xác minh" not in text


def test_decision_with_300_awardees_annexes_them_on_separate_pages(world):
    decision = make_decision(world.province, actor=world.officer, awardees=300)
    decision = documents.issue_document(
        decision, actor=world.leader, issued_on=datetime.date(2026, 11, 25)
    )
    reader = PdfReader(BytesIO(decision.pdf.read()))
    first = reader.pages[0].extract_text()
    assert "Số: 01/QĐ-UBND" in first and "QUYẾT ĐỊNH:" in first and "Điều 1." in first
    assert "DANH SÁCH CÁ NHÂN" not in first
    annex = "\n".join(page.extract_text() for page in reader.pages[1:])
    assert "DANH SÁCH CÁ NHÂN ĐƯỢC TẶNG BẰNG KHEN" in annex
    assert "(Kèm theo Quyết định số 01/QĐ-UBND ngày 25/11/2026)" in annex
    assert "Đặng Thùy Yến" in annex
    assert "\n300 " in annex or " 300 " in annex or "300 " in annex
    assert len(reader.pages) >= 8


def test_docx_opens_and_holds_the_same_text(issued_plan):
    document = docx.Document(BytesIO(documents.render_docx(issued_plan)))

    def seen(text: str) -> str:
        # References are kept on one line with no-break spaces and word joiners
        # (tests/portal/test_docx_references.py); a reader sees plain spaces.
        return text.replace("\u00a0", " ").replace("\u2060", "")

    paragraphs = [seen(p.text) for p in document.paragraphs]
    cells = [seen(c.text) for t in document.tables for row in t.rows for c in row.cells]
    text = "\n".join(paragraphs + cells)
    for expected in (
        "Số: 01/KH-UBND",
        "Đồng Nai, ngày 02 tháng 01 năm 2026",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "KẾ HOẠCH",
        "Nguyễn Thị Hương Giang",
        "I. MỤC ĐÍCH, YÊU CẦU",
        "Nơi nhận:",
    ):
        assert expected in text
    pdf_text = "".join(p.extract_text() for p in PdfReader(BytesIO(issued_plan.pdf.read())).pages)
    for block in issued_plan.body:
        assert block["text"] in paragraphs
        assert block["text"].split()[0] in pdf_text
    section = document.sections[0]
    assert round(section.left_margin.mm) == 30 and round(section.right_margin.mm) == 15
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
    assert document.styles["Normal"].font.name == "Times New Roman"


def test_docx_of_a_decision_carries_its_annex_table(world):
    decision = make_decision(world.province, awardees=12)
    document = docx.Document(BytesIO(documents.render_docx(decision)))
    annex = document.tables[-1]
    assert [c.text for c in annex.rows[0].cells] == [
        "STT",
        "Họ và tên",
        "Chức vụ",
        "Đơn vị công tác",
    ]
    assert len(annex.rows) == 13
    assert any("DỰ THẢO" in p.text for p in document.paragraphs)


def test_certificates_are_landscape_one_page_each_with_the_calibration_offset(world, settings):
    layout = documents.create_draft(
        DocumentKind.HONOUR_CERTIFICATE,
        issuer=world.province,
        actor=None,
        body=[{"type": "certificate", "decision": "Quyết định số 163/QĐ-UBND ngày 25/11/2026"}],
        signer_name="Võ Tấn Đức",
        signer_position="CHỦ TỊCH",
        issued_on=datetime.date(2026, 11, 25),
    )
    rows = [documents.CertificateRow(awardee=f"Bà Nguyễn Thị Hồng {i}") for i in range(3)]
    plain = PdfReader(BytesIO(documents.render_certificates(rows, layout=layout)))
    assert len(plain.pages) == 3
    page = plain.pages[0]
    assert page.mediabox.width > page.mediabox.height
    assert "Bà Nguyễn Thị Hồng 0" in page.extract_text()
    assert "BẰNG KHEN" in page.extract_text()

    def awardee_x(reader):
        return next(x for x, _, t in text_items(reader.pages[0]) if t.startswith("Bà Nguyễn"))

    shifted = PdfReader(
        BytesIO(documents.render_certificates(rows, layout=layout, offset_mm=(5, 0)))
    )
    assert awardee_x(shifted) - awardee_x(plain) == pytest.approx(5, abs=0.2)
    preprinted = documents.render_certificates(rows, layout=layout, preprinted=True)
    assert "BẰNG KHEN" not in PdfReader(BytesIO(preprinted)).pages[0].extract_text()


def test_bulk_certificates_are_stamped_in_order_with_searchable_text_in_the_bundled_fonts(world):
    layout = documents.create_draft(
        DocumentKind.MERIT_CERTIFICATE,
        issuer=world.ward,
        actor=None,
        signer_name="Võ Văn Phường",
        signer_position="CHỦ TỊCH",
    )
    rows = [
        documents.CertificateRow(
            awardee=f"Ông Trần Văn Đức {i:03d}",
            detail="Tổ trưởng Tổ dân phố 5, phường Xuân Trung",
            achievement="Đã có thành tích xuất sắc trong phong trào “Toàn dân đoàn kết xây dựng"
            " đời sống văn hóa ở khu dân cư” năm 2026, góp phần vào thành tích chung",
            book_number=str(500 + i),
        )
        for i in range(120)
    ]
    reader = PdfReader(BytesIO(documents.render_certificates(rows, layout=layout)))
    assert len(reader.pages) == 120
    for index in (0, 57, 119):
        text = reader.pages[index].extract_text()
        assert f"Ông Trần Văn Đức {index:03d}" in text
        assert f"Số sổ: {500 + index}" in text
        assert "GIẤY KHEN" in text and "CHỦ TỊCH" in text
        assert "đời sống văn hóa" in text
    assert all(name.startswith("Liberation-Serif-VN") for name in embedded_fonts(reader))
    # The stamped lines sit where WeasyPrint puts them on a fully laid-out page.
    row = rows[0]
    laid_out = documents.update_draft(
        layout,
        actor=None,
        body=[
            {
                "type": "certificate",
                "awardee": row.awardee,
                "detail": row.detail,
                "achievement": row.achievement,
            }
        ],
    )
    full = text_items(PdfReader(BytesIO(documents.render_certificates([laid_out]))).pages[0])
    stamped = text_items(reader.pages[0])
    for needle in (row.awardee, row.detail, "Đã có thành tích"):
        fx, fy = next((x, y) for x, y, t in full if t.startswith(needle))
        sx, sy = next((x, y) for x, y, t in stamped if t.startswith(needle))
        assert (sx, sy) == (pytest.approx(fx, abs=1.5), pytest.approx(fy, abs=0.5)), needle


def test_the_fetcher_refuses_anything_but_local_static_files():
    fetcher = documents.local_static_fetcher()
    assert fetcher(documents.STATIC_BASE + "documents/nd30.css").read().startswith(b"/*")
    for url in (
        "https://example.com/x.css",
        "file:///etc/passwd",
        documents.STATIC_BASE + "../portal/settings.py",
    ):
        with pytest.raises(ValueError):
            fetcher(url)


@pytest.mark.parametrize(
    ("kind", "heading"),
    [
        (DocumentKind.DIRECTIVE, "CHỈ THỊ"),
        (DocumentKind.REPORT, "BÁO CÁO"),
        (DocumentKind.NOTICE, "THÔNG BÁO"),
        (DocumentKind.SUBMISSION, "TỜ TRÌNH"),
        (DocumentKind.MINUTES, "BIÊN BẢN"),
    ],
)
def test_every_kind_renders_its_heading_and_symbol(world, kind, heading):
    draft = documents.create_draft(
        kind,
        issuer=world.home_affairs,
        actor=None,
        summary="Đề nghị khen thưởng các tập thể, cá nhân năm 2026",
        addressees=["Chủ tịch UBND tỉnh", "Hội đồng Thi đua - Khen thưởng tỉnh"],
        body="Căn cứ biên bản họp Hội đồng Thi đua - Khen thưởng ngày 20/11/2026.",
        signer_name="Lê Thị Nội",
        signer_position="GIÁM ĐỐC",
        recipients=["Như trên"],
        co_signers=[{"title": "THƯ KÝ", "name": "Phan Văn Ký"}],
    )
    issued = documents.issue_document(draft, actor=None, issued_on=datetime.date(2026, 11, 21))
    text = PdfReader(BytesIO(issued.pdf.read())).pages[0].extract_text()
    abbreviation = {"CHỈ THỊ": "CT", "BÁO CÁO": "BC", "THÔNG BÁO": "TB", "TỜ TRÌNH": "TTr"}
    assert heading in text
    assert f"Số: 01/{abbreviation.get(heading, 'BB')}-SNV" in text
    assert "SỞ NỘI VỤ" in text and "UBND TỈNH ĐỒNG NAI" in text
    assert "Đồng Nai, ngày 21 tháng 11 năm 2026" in text  # the place of the province
    if kind in (DocumentKind.SUBMISSION, DocumentKind.REPORT):
        assert "Kính gửi:" in text and "- Chủ tịch UBND tỉnh;" in text
    else:
        assert "Kính gửi" not in text
    if kind == DocumentKind.MINUTES:
        assert "THƯ KÝ" in text and "Phan Văn Ký" in text
