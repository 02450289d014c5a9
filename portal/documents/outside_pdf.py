"""The PDF side of a paper signed outside the portal (#17): the paper handed out to sign, the
văn thư's number and date filled in after the leader's signature, and every signature read back.

Decree 30/2020, Art. 15.3: for an electronic document the number and the date of issue are
given by the system, after the competent person has signed. The paper handed out therefore
carries the number line "Số:      /QĐ-UBND" and the date line "…, ngày    tháng    năm 2026"
with their blanks where the paper prints them (boxes 3 and 4 of Phụ lục I), and over each blank
an empty text field (`SoVanBan`, `NgayBanHanh`, `ThangBanHanh`): the văn thư's number and date
are a form fill in a later incremental update, which a leader's approval signature allows (PDF
DocMDP "form filling"), so that signature stays valid. The leader signs into the empty field
`ChuKyLanhDao` laid over the space between the title lines and the printed name (box 7b) (a
giao ước's parties each into their own, `ChuKyThanhVien1`, 2, …); the agency's certificate then
countersigns, its seal image over the left third of it (box 8).
"""

from __future__ import annotations

import datetime
from dataclasses import asdict, dataclass
from io import BytesIO

from django.template.loader import render_to_string
from django.utils import timezone

from portal.documents import layout
from portal.documents.content import _qr_svg, document_view, place_date_line, verification_url
from portal.documents.numbering import draft_number_line
from portal.errors import RuleViolation
from portal.models import OfficialDocument

LEADER_FIELD = "ChuKyLanhDao"
NUMBER_FIELD = "SoVanBan"
DAY_FIELD = "NgayBanHanh"
MONTH_FIELD = "ThangBanHanh"
NUMBER_BLANK = "\u00a0" * 10  # numbering.draft_number_line
DATE_BLANK = "\u00a0" * 6  # content.place_date_line
# Each blank's type as the line around it (Phụ lục I, II.3.c and II.4.c): the number upright,
# size 13 (.doc-number); the day and month italic, size 14 (.place-date). Field name →
# (resource name, base-14 font, size).
FIELD_STYLES = {
    NUMBER_FIELD: ("TiRo", "Times-Roman", 13),
    DAY_FIELD: ("TiIt", "Times-Italic", 14),
    MONTH_FIELD: ("TiIt", "Times-Italic", 14),
}
# A giao ước's party blocks, two to a row (templates/documents/pledge.html): each member's
# leader signs into their own empty field, ChuKyThanhVien1, 2, … in the order printed.
PARTY_ANCHOR = "signature-party-"
PARTY_FIELD = "ChuKyThanhVien"


def party_field(anchor: str) -> str:
    """ "signature-party-1-0" (second row, left) → "ChuKyThanhVien3"."""
    row, column = (int(part) for part in anchor.removeprefix(PARTY_ANCHOR).split("-"))
    return f"{PARTY_FIELD}{row * 2 + column + 1}"


def _final_html(document: OfficialDocument, code: str) -> str:
    """The draft's layout without the "DỰ THẢO" mark and with its verification code: the paper
    as it will be issued, its number and day left blank. Each blank is wrapped in an element
    whose box the layout reports, so a field can be laid over it."""
    view = document_view(document, draft=True, draft_number_line=draft_number_line(document))
    url = verification_url(code)
    view.update(
        is_draft=False,
        verification={"code": code, "url": url, "qr_svg": _qr_svg(url)},
        keywords=f"xac-minh:{code}",
    )
    # The day is the văn thư's to give, even for a draft that names one.
    place = document.place_name or document.issuing_body(timezone.localdate()).place_name
    view["place_date"] = place_date_line(place, None)
    if document.annexes_separate:
        view["annexes"] = []
    html = render_to_string(
        document.spec.template, {"doc": view, "static_base": layout.STATIC_BASE}
    ).replace('<link rel="stylesheet" href="' + layout.STATIC_BASE + 'documents/nd30.css">', "")
    marks = [
        (NUMBER_BLANK, NUMBER_FIELD, 'class="doc-number">'),
        (DATE_BLANK, DAY_FIELD, 'class="place-date">'),
        (DATE_BLANK, MONTH_FIELD, 'class="place-date">'),
    ]
    searched_to: dict[str, int] = {}
    for blank, field, container in marks:
        if field == NUMBER_FIELD and not view["number_line"]:
            continue
        # The month's blank is the one after the day's: search on from the span just made.
        start = searched_to.get(container, html.find(container))
        position = html.find(blank, start)
        if start < 0 or position < 0:
            raise RuleViolation(
                "Mẫu văn bản không có chỗ để trống số hoặc ngày ban hành.",
                code="template_without_number_blank",
            )
        span = f'<span id="{field}">{blank}</span>'
        html = f"{html[:position]}{span}{html[position + len(blank) :]}"
        searched_to[container] = position + len(span)
    return html


def _boxes(rendered) -> dict[str, tuple[int, tuple[float, float, float, float]]]:
    """Page index and PDF box (points, origin bottom-left) of each marked element."""
    found = {}
    for index, page in enumerate(rendered.pages):
        height_pt = page.height * 0.75
        for name, (x1, y1, x2, y2) in page.anchors.items():
            if name not in found:
                found[name] = (
                    index,
                    (x1 * 0.75, height_pt - y2 * 0.75, x2 * 0.75, height_pt - y1 * 0.75),
                )
    return found


def render_for_signing(document: OfficialDocument, code: str) -> bytes:
    """The paper to sign: the final layout, with empty fields for the signer and the number."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields

    rendered = layout._weasy_document(_final_html(document, code))
    boxes = _boxes(rendered)
    pdf = layout._pdf_bytes(rendered)
    writer = IncrementalPdfFileWriter(BytesIO(pdf))
    spaces = [(party_field(name), boxes[name]) for name in boxes if name.startswith(PARTY_ANCHOR)]
    if "signature-area" in boxes:
        spaces.append((LEADER_FIELD, boxes["signature-area"]))
    for field_name, (page, box) in spaces:
        fields.append_signature_field(
            writer,
            fields.SigFieldSpec(
                field_name, on_page=page, box=tuple(int(v) for v in box), readable_field_name=""
            ),
        )
    for name in (NUMBER_FIELD, DAY_FIELD, MONTH_FIELD):
        if name in boxes:
            _add_text_field(writer, name, *boxes[name])
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def _font(writer, base_font: str):
    from pyhanko.pdf_utils import generic

    return writer.add_object(
        generic.DictionaryObject(
            {
                generic.pdf_name("/Type"): generic.pdf_name("/Font"),
                generic.pdf_name("/Subtype"): generic.pdf_name("/Type1"),
                generic.pdf_name("/BaseFont"): generic.pdf_name(f"/{base_font}"),
                generic.pdf_name("/Encoding"): generic.pdf_name("/WinAnsiEncoding"),
            }
        )
    )


def _add_text_field(writer, name: str, page_index: int, box) -> None:
    """An empty, centred text field over a blank of the paper (the number, the day)."""
    from pyhanko.pdf_utils import generic

    n = generic.pdf_name
    page_ref = writer.find_page_for_modification(page_index)[0]
    page = page_ref.get_object()
    form = writer.root["/AcroForm"]
    if "/DR" not in form:
        form[n("/DR")] = generic.DictionaryObject()
    resources = form["/DR"]
    if "/Font" not in resources:
        resources[n("/Font")] = generic.DictionaryObject()
    fonts = resources["/Font"]
    resource, base_font, size = FIELD_STYLES[name]
    if f"/{resource}" not in fonts:
        fonts[n(f"/{resource}")] = _font(writer, base_font)
    x1, y1, x2, y2 = box
    field = generic.DictionaryObject(
        {
            n("/FT"): n("/Tx"),
            n("/T"): generic.TextStringObject(name),
            n("/V"): generic.TextStringObject(""),
            n("/Type"): n("/Annot"),
            n("/Subtype"): n("/Widget"),
            n("/Rect"): generic.ArrayObject([generic.FloatObject(v) for v in (x1, y1, x2, y2)]),
            n("/F"): generic.NumberObject(4),
            n("/P"): page_ref,
            n("/DA"): generic.TextStringObject(f"/{resource} {size} Tf 0 g"),
            n("/Q"): generic.NumberObject(1),
        }
    )
    field_ref = writer.add_object(field)
    annots = page.get("/Annots")
    if annots is None:
        page[n("/Annots")] = generic.ArrayObject([field_ref])
        writer.update_container(page)
    else:
        annots.get_object().append(field_ref)
        writer.update_container(annots if isinstance(annots, generic.IndirectObject) else page)
    form["/Fields"].append(field_ref)
    writer.update_container(form)


def _fill_text_field(writer, name: str, value: str) -> bool:
    """Set a text field's value with its appearance (its Times face and size, centred);
    False if it is absent."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.content import RawContent
    from pyhanko.pdf_utils.layout import BoxConstraints

    n = generic.pdf_name
    if "/AcroForm" not in writer.root:
        return False
    form = writer.root["/AcroForm"]
    for ref in form["/Fields"]:
        field = ref.get_object()
        if field.get("/FT") != "/Tx" or str(field.get("/T")) != name:
            continue
        resource, _, size = FIELD_STYLES[name]
        x1, y1, x2, y2 = (float(v) for v in field["/Rect"])
        width, height = x2 - x1, y2 - y1
        # Times digits (upright and italic) and "/" are 0.5 and 0.278 em wide.
        text_width = sum(0.278 if ch == "/" else 0.5 for ch in value) * size
        x = max(0.0, (width - text_width) / 2)
        y = max(0.0, (height - size * 0.7) / 2)
        escaped = value.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        commands = (
            f"/Tx BMC q BT /{resource} {size} Tf 0 g {x:.2f} {y:.2f} Td ({escaped}) Tj ET Q EMC"
        )
        stream = RawContent(
            commands.encode("latin-1"), box=BoxConstraints(width=width, height=height)
        ).as_form_xobject()
        font = form["/DR"]["/Font"][f"/{resource}"]
        stream[n("/Resources")] = generic.DictionaryObject(
            {n("/Font"): generic.DictionaryObject({n(f"/{resource}"): font})}
        )
        field[n("/V")] = generic.TextStringObject(value)
        field[n("/AP")] = generic.DictionaryObject({n("/N"): writer.add_object(stream)})
        writer.update_container(field)
        return True
    return False


def seal_box(leader_box: tuple[float, float, float, float]) -> tuple[int, int, int, int]:
    """The agency's seal over the left third of the leader's signature (Phụ lục I, box 8): a
    square as high as the signature space, its right edge a third into the signature."""
    x1, y1, x2, y2 = leader_box
    side = y2 - y1
    signature_left = x1 + (x2 - x1) / 4
    right = signature_left + (x2 - x1) / 6
    return int(right - side), int(y1), int(right), int(y2)


def leader_box(data: bytes) -> tuple[int, tuple[float, float, float, float]] | None:
    """Page index and box of the leader's signature field in `data`, if it has one."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    reader = PdfFileReader(BytesIO(data), strict=False)
    if "/AcroForm" not in reader.root:
        return None
    form = reader.root["/AcroForm"]
    for ref in form["/Fields"]:
        field = ref.get_object()
        if str(field.get("/T")) == LEADER_FIELD and "/Rect" in field:
            page = field.raw_get("/P")
            pages = [p.idnum for p in _page_refs(reader)]
            index = pages.index(page.idnum) if getattr(page, "idnum", None) in pages else 0
            return index, tuple(float(v) for v in field["/Rect"])
    return None


def _page_refs(reader) -> list:
    refs = []

    def walk(node_ref):
        node = node_ref.get_object()
        if node.get("/Type") == "/Pages":
            for kid in node["/Kids"]:
                walk(kid)
        else:
            refs.append(node_ref)

    walk(reader.root.raw_get("/Pages"))
    return refs


def number_and_date(
    data: bytes,
    *,
    number: str,
    day: datetime.date,
    countersign: bool,
    reason: str,
    location: str,
) -> bytes:
    """The leader-signed `data` with the văn thư's number, day and month filled in as one
    incremental update, signed by the agency's certificate when `countersign`."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    from portal.documents import signing
    from portal.documents.outside_signing import _off_the_loop

    def run() -> bytes:
        writer = IncrementalPdfFileWriter(BytesIO(data))
        if number:
            _fill_text_field(writer, NUMBER_FIELD, number)
        _fill_text_field(writer, DAY_FIELD, f"{day.day:02d}")
        _fill_text_field(
            writer, MONTH_FIELD, f"{day.month:02d}" if day.month < 3 else str(day.month)
        )
        if not countersign:
            out = BytesIO()
            writer.write(out)
            return out.getvalue()
        found = leader_box(data)
        box = (found[0], seal_box(found[1])) if found else None
        return signing.sign_pdf_with(
            writer, box=box, reason=reason, location=location, seal_only=True
        )

    return _off_the_loop(run)


@dataclass(frozen=True)
class SignatureVerdict:
    """One signature of a file as the verification page shows it."""

    holder: str
    signed_at: str  # ISO 8601
    intact: bool
    trusted: bool
    ok: bool
    note: str

    def as_json(self) -> dict:
        return asdict(self)


def read_signatures(data: bytes, anchors) -> list[SignatureVerdict]:
    """Every signature of `data`, in signing order, each validated against `anchors`.

    A signature is good when it is intact, valid and trusted, and either covers the whole file
    or only form filling and further signatures followed it (the number, date and seal).
    """
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.diff_analysis import ModificationLevel
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    from portal.documents.outside_signing import _off_the_loop

    try:
        embedded = list(PdfFileReader(BytesIO(data), strict=False).embedded_signatures)
    except Exception:
        return [SignatureVerdict("", "", False, False, False, "Không đọc được tệp PDF.")]
    verdicts = []
    for signature in embedded:
        certificate = signature.signer_cert
        holder = certificate.subject.native.get("common_name", "") or (
            certificate.subject.human_friendly
        )
        claimed = signature.self_reported_timestamp
        context = ValidationContext(
            trust_roots=list(anchors),
            allow_fetching=False,
            moment=claimed,
            best_signature_time=claimed,
        )
        try:
            status = _off_the_loop(validate_pdf_signature, signature, context)
        except Exception:
            verdicts.append(
                SignatureVerdict(holder, "", False, False, False, "Không kiểm tra được chữ ký.")
            )
            continue
        whole = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
        filled_after = (
            status.coverage == SignatureCoverageLevel.ENTIRE_REVISION
            and status.modification_level is not None
            and status.modification_level <= ModificationLevel.FORM_FILLING
        )
        if not status.intact:
            note = "Nội dung đã bị thay đổi sau khi ký."
        elif not status.valid:
            note = "Chữ ký không hợp lệ."
        elif not status.trusted:
            note = "Chứng thư không do tổ chức chứng thực được tin cậy cấp."
        elif not (whole or filled_after):
            note = "Tệp đã bị thay đổi sau chữ ký (ngoài việc điền số, ngày và ký tiếp)."
        else:
            note = ""
        verdicts.append(
            SignatureVerdict(
                holder=holder,
                signed_at=claimed.isoformat() if claimed else "",
                intact=status.intact,
                trusted=status.trusted,
                ok=status.bottom_line and (whole or filled_after),
                note=note,
            )
        )
    return verdicts
