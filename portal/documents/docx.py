"""The same snapshot as a Word file (python-docx), for leaders who edit before signing.

It follows the geometry of static/documents/nd30.css: A4 portrait, margins 20/15/20/30 mm,
a borderless two-column header table, 14 pt justified body with a 1 cm first-line indent,
page numbers centred in the header from page 2 on. The font is named Times New Roman, as the
decree asks; the PDF embeds Liberation Serif, its metric twin, so lines break alike.
"""

from __future__ import annotations

import datetime
import zipfile
from io import BytesIO

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from portal.documents.content import UNBREAKABLE

FONT = "Times New Roman"
# Every entry of the archive carries this date (the zip format's first day): python-docx would
# stamp the clock at saving, and a render must not depend on the clock (issue #14).
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
CENTER = WD_ALIGN_PARAGRAPH.CENTER
JUSTIFY = WD_ALIGN_PARAGRAPH.JUSTIFY


# Word breaks a line at a space, after a hyphen and after a slash. Inside a reference the PDF
# keeps whole (content.UNBREAKABLE: "12-CT/TW", "ngày 15 tháng 6 năm 2022", "khoản 2 Điều 3")
# the spaces become no-break spaces, the hyphens Word's own non-breaking hyphen (it prints and
# copies as "-") and a word joiner follows each slash, so the reference moves to the next line
# whole in Word and LibreOffice alike.
NO_BREAK_SPACE = "\u00a0"
WORD_JOINER = "\u2060"


def _put_text(run, text: str) -> None:
    """`text` into `run`, its references unbreakable; plain text is a single w:t."""
    pieces: list[tuple[str, str]] = []
    at = 0
    for match in UNBREAKABLE.finditer(text):
        pieces.append(("text", text[at : match.start()]))
        reference = match.group(0).replace(" ", NO_BREAK_SPACE).replace("/", "/" + WORD_JOINER)
        for index, part in enumerate(reference.split("-")):
            if index:
                pieces.append(("hyphen", "-"))
            pieces.append(("text", part))
        at = match.end()
    pieces.append(("text", text[at:]))
    for kind, value in pieces:
        if kind == "hyphen":
            run._r.append(OxmlElement("w:noBreakHyphen"))
        elif value:
            element = OxmlElement("w:t")
            element.set(qn("xml:space"), "preserve")
            element.text = value
            run._r.append(element)


def _run(paragraph, text: str, *, size: float = 14, bold=False, italic=False, underline=False):
    run = paragraph.add_run()
    _put_text(run, text)
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.italic = italic
    run.font.underline = underline
    return run


def _para(container, text: str = "", *, align=CENTER, size: float = 14, space_before=0, **style):
    paragraph = container.add_paragraph()
    paragraph.alignment = align
    paragraph.paragraph_format.space_before = Pt(space_before)
    paragraph.paragraph_format.space_after = Pt(0)
    if text:
        _run(paragraph, text, size=size, **style)
    return paragraph


def _rule(container, *, indent_mm: float) -> None:
    """A short solid line (under the issuer name and the summary): an empty, bordered line."""
    paragraph = container.add_paragraph()
    paragraph.paragraph_format.space_after = Pt(0)
    _run(paragraph, "", size=2)
    paragraph.paragraph_format.left_indent = Mm(indent_mm)
    paragraph.paragraph_format.right_indent = Mm(indent_mm)
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    paragraph._p.get_or_add_pPr().append(borders)


def _contact_footer(section, lines: list[str]) -> None:
    """Box 13 in page 1's own footer: 11 pt upright under a rule across the text width."""
    footer = section.first_page_footer
    paragraph = footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT
    for index, line in enumerate(lines):
        run = _run(paragraph, line, size=11)
        if index < len(lines) - 1:
            run.add_break()
    borders = OxmlElement("w:pBdr")
    top = OxmlElement("w:top")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        top.set(qn(key), value)
    borders.append(top)
    paragraph._p.get_or_add_pPr().append(borders)


def _cell_text(cell, lines: list[tuple[str, dict]]) -> None:
    cell.paragraphs[0].text = ""
    first = True
    for text, style in lines:
        paragraph = cell.paragraphs[0] if first else cell.add_paragraph()
        first = False
        paragraph.alignment = style.pop("align", CENTER)
        paragraph.paragraph_format.space_after = Pt(0)
        _run(paragraph, text, **style)


def _page_number_header(section) -> None:
    section.different_first_page_header_footer = True
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = CENTER
    run = paragraph.add_run()
    run.font.size = Pt(14)
    for tag, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if tag:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), tag)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)


def _signature(cell, signer: dict) -> None:
    lines = [(line, {"bold": True}) for line in signer["title_lines"]]
    lines += [("", {})] * 4 + [(signer["name"], {"bold": True})]
    _cell_text(cell, lines)


def _data_table(document, table: dict) -> None:
    columns = table.get("columns", [])
    rows = table.get("rows", [])
    grid = document.add_table(rows=1 + len(rows), cols=max(1, len(columns)))
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    cells = grid._cells
    width = len(columns) or 1
    for index, name in enumerate(columns):
        cells[index].text = ""
        _run(cells[index].paragraphs[0], str(name), size=13, bold=True)
        cells[index].paragraphs[0].alignment = CENTER
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row[:width]):
            paragraph = cells[r * width + c].paragraphs[0]
            _run(paragraph, str(value), size=13)
            if c == 0:
                paragraph.alignment = CENTER


def _body(document, blocks: list[dict]) -> None:
    for block in blocks:
        kind = block.get("type", "paragraph")
        if kind == "table":
            _data_table(document, block)
            continue
        if kind == "parties":
            for index, party in enumerate(block.get("parties", []), start=1):
                head = (
                    f", đại diện: {party.get('position', '')} {party['head']}"
                    if party.get("head")
                    else ""
                )
                _para(
                    document,
                    f"{index}. {party.get('unit', '')}{head}.",
                    align=JUSTIFY,
                    space_before=6,
                )
            continue
        if kind in {"center", "authority"}:
            text = block["text"].upper() if kind == "authority" else block["text"]
            _para(document, text, bold=True, space_before=6)
            continue
        paragraph = _para(document, align=JUSTIFY, space_before=6)
        paragraph.paragraph_format.first_line_indent = Mm(10)
        if kind == "article":
            _run(paragraph, f"Điều {block['number']}. ", bold=True)
            _run(paragraph, block["text"])
        else:
            _run(
                paragraph,
                block.get("text", ""),
                bold=kind in {"heading", "subheading"},
                italic=kind == "basis",
            )


def build_docx(view: dict, document) -> bytes:
    """Word rendering of `document_view(...)`: header table, heading, body, closing, annexes."""
    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(14)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    _page_number_header(section)

    if view["is_draft"]:
        paragraph = _para(doc, "DỰ THẢO", bold=True, size=14)
        paragraph.runs[0].font.color.rgb = RGBColor(0xC0, 0x00, 0x00)
        paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT

    header = doc.add_table(rows=2, cols=2)
    header.autofit = False
    widths = (Mm(62), Mm(103))
    for column, width in zip(header.columns, widths, strict=True):
        column.width = width
    for row in header.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width
    left = []
    if view["parent_body_name"]:
        left.append((view["parent_body_name"], {"size": 13}))
    left += [(line, {"size": 13, "bold": True}) for line in view["issuer_name"].split("\n")]
    _cell_text(header.cell(0, 0), left)
    _rule(header.cell(0, 0), indent_mm=20)
    _cell_text(
        header.cell(0, 1),
        [
            ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", {"size": 13, "bold": True}),
            ("Độc lập - Tự do - Hạnh phúc", {"size": 14, "bold": True, "underline": True}),
        ],
    )
    # A công văn has no tên loại; its "V/v …" stands under the number (Decree 30, Phụ lục I).
    letter = not view["heading"]
    excerpt = [(line, {"size": 12}) for line in view["summary"].split("\n")] if letter else []
    marks = [
        (mark, {"size": 13, "bold": True})
        for mark in (view["secrecy"], view["urgency"], view["circulation"])
        if mark
    ]
    _cell_text(header.cell(1, 0), [(view["number_line"], {"size": 13}), *marks, *excerpt])
    if view["contact_lines"]:
        _contact_footer(section, view["contact_lines"])
    _cell_text(header.cell(1, 1), [(view["place_date"], {"size": 14, "italic": True})])

    if view["heading"]:
        _para(doc, view["heading"], bold=True, space_before=18)
    if view["summary"] and not letter:
        for line in view["summary"].split("\n"):
            _para(doc, line, bold=True)
        _rule(doc, indent_mm=62)
    if view["addressees"]:
        if len(view["addressees"]) == 1:
            _para(doc, f"Kính gửi: {view['addressees'][0]}", space_before=12)
        else:
            _para(doc, "Kính gửi:", space_before=12)
            for index, addressee in enumerate(view["addressees"]):
                end = "." if index == len(view["addressees"]) - 1 else ";"
                _para(doc, f"- {addressee}{end}")
    _body(doc, view["body"])
    # As in the PDF: the closing sentence stays on the page of the signature block.
    doc.paragraphs[-1].paragraph_format.keep_with_next = True

    if view["co_signers"]:
        grid = doc.add_table(rows=0, cols=2)
        for pair in view["party_signers"]:
            cells = grid.add_row().cells
            for cell, signer in zip(cells, pair, strict=False):
                _signature(cell, signer)
    if view["signer"]["name"]:
        closing = doc.add_table(rows=1, cols=2)
        recipients = [("Nơi nhận:", {"size": 12, "bold": True, "italic": True, "align": None})]
        recipients += [(line, {"size": 11, "align": None}) for line in view["recipients"]]
        if view["drafter_line"]:
            recipients.append((view["drafter_line"], {"size": 11, "align": None}))
        _cell_text(closing.cell(0, 0), recipients if view["recipients"] else [("", {})])
        _signature(closing.cell(0, 1), view["signer"])

    for annex in view["annexes"]:
        doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        _para(doc, annex["label"], bold=True)
        _para(doc, annex["title"], bold=True)
        _para(doc, annex["note"], italic=True)
        _data_table(doc, annex)

    doc.core_properties.title = f"{view['heading']} {view['number_and_symbol']}".strip()
    doc.core_properties.subject = view["summary_flat"]
    doc.core_properties.keywords = view["keywords"]
    return _saved(doc, view["created_iso"])


def _saved(doc, created_iso: str = "") -> bytes:
    """The file's bytes as a function of the snapshot alone: the properties' dates are the
    moment of issue (when there is one), the archive's entries all dated `ZIP_EPOCH`."""
    if created_iso:
        # python-docx writes these as UTC ("…Z") and expects them naive.
        moment = datetime.datetime.fromisoformat(created_iso).astimezone(datetime.UTC)
        moment = moment.replace(tzinfo=None)
        doc.core_properties.created = doc.core_properties.modified = moment
    saved = BytesIO()
    doc.save(saved)
    out = BytesIO()
    with (
        zipfile.ZipFile(saved) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for entry in source.infolist():
            fixed = zipfile.ZipInfo(entry.filename, date_time=ZIP_EPOCH)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = entry.external_attr
            target.writestr(fixed, source.read(entry.filename))
    return out.getvalue()


def _qr_png(url: str) -> bytes:
    import qrcode

    out = BytesIO()
    qrcode.make(url, box_size=8, border=1).save(out)
    return out.getvalue()


def build_certificates_docx(views: list[dict], *, preprinted: bool = False) -> bytes:
    """Certificates (Giấy khen, Bằng khen): A4 landscape, one page each, for editing or printing."""
    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(14)
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    section.top_margin, section.bottom_margin = Mm(20), Mm(15)
    section.left_margin, section.right_margin = Mm(20), Mm(20)
    for index, view in enumerate(views):
        if index:
            doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        if not preprinted:
            _para(doc, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold=True)
            _para(doc, "Độc lập - Tự do - Hạnh phúc", bold=True)
        for line in view["authority"].split("\n"):
            _para(doc, line.upper(), size=16, bold=True, space_before=12)
        _para(doc, "TẶNG", size=16, bold=True)
        if not preprinted:
            heading = _para(doc, view["heading"], size=36, bold=True, space_before=6)
            heading.runs[0].font.color.rgb = RGBColor(0xB0, 0x00, 0x00)
        _para(doc, view["awardee"], size=24, bold=True, space_before=12)
        if view["detail"]:
            _para(doc, view["detail"], size=15)
        if view["achievement"]:
            _para(doc, view["achievement"], size=15, italic=True)
        closing = doc.add_table(rows=1, cols=2)
        reference = [(view["decision"], {"size": 12, "align": None})] if view["decision"] else []
        if view["book_number"]:
            reference.append((f"Số sổ: {view['book_number']}", {"size": 12, "align": None}))
        if view["verification_code"]:
            code = f"Mã xác minh: {view['verification_code']}"
            reference.append((code, {"size": 12, "align": None}))
        _cell_text(closing.cell(0, 0), reference or [("", {})])
        if view["verification_url"]:
            qr = closing.cell(0, 0).add_paragraph().add_run()
            qr.add_picture(BytesIO(_qr_png(view["verification_url"])), width=Mm(18))
        _cell_text(closing.cell(0, 1), [(view["place_date"], {"italic": True})])
        right = closing.cell(0, 1)
        for line in view["signer"]["title_lines"]:
            _run(right.add_paragraph(), line, bold=True).font.size = Pt(14)
        for _ in range(3):
            right.add_paragraph()
        _run(right.add_paragraph(), view["signer"]["name"], bold=True)
        for paragraph in right.paragraphs:
            paragraph.alignment = CENTER
    return _saved(doc)
