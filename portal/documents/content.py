"""What an official document prints: its content normalised, and the view the templates read.

Shared by the PDF (portal.documents.layout) and Word (portal.documents.docx) renderers, so
both print the same lines from the same snapshot.
"""

from __future__ import annotations

import datetime
import re
import zoneinfo
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from portal.errors import RuleViolation
from portal.models import OfficialDocument
from portal.text import normalize_text

TEMPLATE_VERSION = "nd30-2020/1"
BLOCK_TYPES = frozenset(
    {"paragraph", "basis", "heading", "subheading", "center", "authority", "article", "table"}
    | {"parties", "certificate"}
)


# Plain-data hygiene


def clean(value):
    """NFC-normalise every string inside `value` (dicts, lists, tuples), keeping its shape."""
    if isinstance(value, str):
        return normalize_text(value)
    if isinstance(value, dict):
        return {str(key): clean(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [clean(item) for item in value]
    return value


def clean_lines(value: str) -> str:
    """Multi-line fields (signer position): normalise each line, drop empty ones."""
    return "\n".join(
        line for line in (normalize_text(x) for x in (value or "").split("\n")) if line
    )


def normalize_body(body) -> list[dict]:
    """A body given as text becomes one paragraph per non-empty line; blocks are checked."""
    if body is None:
        return []
    if isinstance(body, str):
        return [{"type": "paragraph", "text": line} for line in clean(body.splitlines()) if line]
    blocks = clean(list(body))
    for block in blocks:
        if not isinstance(block, dict) or block.get("type", "paragraph") not in BLOCK_TYPES:
            raise RuleViolation(
                f"Khối nội dung không hợp lệ: {block!r}.", code="content_block_invalid"
            )
        block.setdefault("type", "paragraph")
    return blocks


def normalize_annexes(annex=None, annexes=None) -> list[dict]:
    items = list(annexes or []) + ([annex] if annex else [])
    cleaned = []
    for item in clean(items):
        if not isinstance(item, dict) or not item.get("title"):
            raise RuleViolation("Phụ lục cần có tiêu đề.", code="appendix_title_required")
        item.setdefault("columns", [])
        item.setdefault("rows", [])
        item.setdefault("note", "")
        cleaned.append(item)
    return cleaned


def normalize_recipients(recipients: Iterable[str], archive: str = "") -> list[str]:
    """Recipients without their "- " and ";" (added when printed); "Lưu: VT." closes the list.

    `archive` (from `archive_line`) replaces any "Lưu …" line typed among the recipients."""
    items = [normalize_text(r).lstrip("-– ").rstrip(";.") for r in recipients or ()]
    items = [r for r in items if r and not (archive and r.startswith("Lưu"))]
    if archive:
        items.append(archive)
    elif not any(r.startswith("Lưu") for r in items):
        items.append("Lưu: VT")
    # "Lưu: VT, …" is always the last line.
    return [r for r in items if not r.startswith("Lưu")] + [r for r in items if r.startswith("Lưu")]


# An abbreviation or a drafter's mark: capitals (Đ included), digits, "&" and "-" ("VHXH", "NTH").
MARK = re.compile(r"[A-ZĐ0-9&-]{1,20}")


def clean_mark(value: str, what: str) -> str:
    """An abbreviation typed in any case, as printed: NFC capitals; refused when not one."""
    value = normalize_text(value).upper().replace(" ", "")
    if value and not MARK.fullmatch(value):
        raise RuleViolation(
            f"{what} chỉ gồm chữ in hoa và chữ số, không quá 20 ký tự (ví dụ VP, VHXH, NTH).",
            code="abbreviation_format",
        )
    return value


def clean_count(value, what: str, *, most: int) -> int | None:
    if value in (None, ""):
        return None
    if not isinstance(value, int) or not 1 <= value <= most:
        raise RuleViolation(
            f"{what} phải là số nguyên từ 1 đến {most}.", code="number_out_of_range"
        )
    return value


def archive_line(drafting_unit: str, copies: int | None) -> str:
    """ "Lưu: VT, VP(02)": the last line of "Nơi nhận" (Decree 30, Phụ lục I, II.9.d: "VT", a
    comma, the drafting unit's abbreviation and the number of copies kept); "" when neither is
    given, so the recipients keep their own "Lưu" line."""
    if not drafting_unit and copies is None:
        return ""
    line = f"Lưu: VT, {drafting_unit}" if drafting_unit else "Lưu: VT"
    return f"{line}({copies:02d})" if copies is not None else line


def drafter_line(mark: str, copies: int | None) -> str:
    """Box 12: the drafter's mark in capitals and the copies sent out, "NTH.(300)" (the
    decree's sample "PL.(300)", size 11, upright)."""
    if not mark:
        return ""
    return f"{mark}.({copies})" if copies is not None else f"{mark}."


def normalize_co_signers(co_signers) -> list[dict]:
    result = []
    for raw in list(co_signers or []):
        item = clean(raw)
        if not isinstance(item, dict) or not item.get("name"):
            raise RuleViolation("Mỗi người cùng ký cần có họ tên.", code="cosigner_name_required")
        # A block's title may hold several lines ("TM. ỦY BAN NHÂN DÂN / PHƯỜNG … / CHỦ TỊCH").
        item["title"] = clean_lines(raw.get("title", ""))
        result.append(item)
    return result


# What a line must never break inside: a number and symbol ("số 152/2025/NĐ-CP", "12-CT/TW"),
# a date ("05/12/2023", "ngày 15 tháng 6 năm 2022") and a reference into a law ("điểm a khoản 2
# Điều 3"). WeasyPrint breaks after "/" and "-", so each goes into a nowrap span, whole.
UNBREAKABLE = re.compile(
    r"(?:[Ss]ố\s)?\d[\w.]*(?:[/-][\w.]*\w)+"
    r"|ngày\s\d{1,2}\stháng\s\d{1,2}\snăm\s\d{4}"
    r"|(?:điểm\s[a-zđ]\s)?(?:khoản\s\d+\s)?Điều\s\d+"
)


def keep_together(text: str) -> SafeString:
    """`text` as HTML with its references, numbers and dates each in an unbreakable span."""
    # The text is escaped before the spans go in, so nothing the author typed becomes markup.
    return mark_safe(
        UNBREAKABLE.sub(lambda match: f'<span class="nowrap">{match.group(0)}</span>', escape(text))
    )


def _printable(blocks: list[dict]) -> list[dict]:
    return [
        {**block, "html": keep_together(block["text"])} if "text" in block else block
        for block in blocks
    ]


def verification_url(code: str) -> str:
    return f"{settings.SITE_URL}/xac-minh/{code}/"


# What the templates print


# The CSS class giving each urgency mark its width (nd30.css).
URGENCY_CLASSES = {"KHẨN": "urgent", "THƯỢNG KHẨN": "very-urgent", "HỎA TỐC": "immediate"}


def place_date_line(place: str, day: datetime.date | None) -> str:
    """ "Đồng Nai, ngày 02 tháng 01 năm 2024": days below 10 and months 1–2 get a leading 0."""
    if day is None:
        blank = "\u00a0" * 6
        return f"{place}, ngày{blank}tháng{blank}năm {timezone.localdate().year}"
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"


def _signer(capacity: str, authority: str, position: str, name: str) -> dict:
    lines = [f"{capacity} {authority}".strip()] if capacity else []
    if not capacity and authority:
        lines.append(authority)
    lines += [line for line in position.split("\n") if line]
    return {"title_lines": lines, "name": name}


def _recipient_lines(recipients: Sequence[str]) -> list[str]:
    return [f"- {r}{'.' if i == len(recipients) - 1 else ';'}" for i, r in enumerate(recipients)]


def _qr_svg(url: str, size_mm: int = 15) -> str:
    """The QR code of `url` as an SVG `size_mm` square. WeasyPrint draws an inline SVG at the
    size its own attributes give (qrcode writes 1 mm a module), not the CSS box's, so the size
    is written into the SVG; the viewBox scales the modules into it."""
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=1)
    svg = image.to_string(encoding="unicode")
    return re.sub(
        r'^<svg width="[^"]+" height="[^"]+"',
        f'<svg width="{size_mm}mm" height="{size_mm}mm"',
        svg,
        count=1,
    )


def document_view(document: OfficialDocument, *, draft: bool, draft_number_line: str = "") -> dict:
    """The snapshot as the templates (PDF and DOCX) print it.

    A draft shows the issuing body as it is today and `draft_number_line` ("Số:      /KH-UBND",
    the number left blank for the registry), which the caller derives from the register.
    """
    if draft:
        body = document.issuing_body(document.issued_on or timezone.localdate())
        parent, issuer = body.parent_name, body.issuer_name
        place = document.place_name or body.place_name
        number_line = draft_number_line
        day = document.issued_on
    else:
        parent, issuer = document.parent_body_name, document.issuer_name
        place, day = document.place_name, document.issued_on
        number_line = f"Số: {document.number_and_symbol}" if document.number else ""
    verification = None
    if not draft and document.verification_code:
        url = verification_url(document.verification_code)
        verification = {"code": document.verification_code, "url": url, "qr_svg": _qr_svg(url)}
    co_signers = [
        _signer("", "", s.get("title", "").upper(), s["name"]) for s in document.co_signers
    ]
    annexes = []
    for index, annex in enumerate(document.annexes, start=1):
        label = "Phụ lục" if len(document.annexes) == 1 else f"Phụ lục {_roman(index)}"
        note = annex.get("note") or (
            f"(Kèm theo {document.get_kind_display()} số {document.number_and_symbol}"
            f" ngày {day:%d/%m/%Y})"
            if document.number and not draft
            else f"(Kèm theo {document.get_kind_display()} số{chr(0xA0) * 8}ngày{chr(0xA0) * 8})"
        )
        annexes.append({**annex, "label": label, "note": note})
    signed_iso = _issued_iso(document) if document.issued_at and not draft else ""
    return {
        "kind": document.kind,
        "is_draft": draft,
        "heading": document.heading,
        "summary": document.summary if document.spec.has_summary else "",
        "summary_html": keep_together(document.summary) if document.spec.has_summary else "",
        "summary_flat": document.summary.replace("\n", " "),
        "parent_body_name": parent,
        "issuer_name": issuer,
        "issuer_name_flat": issuer.replace("\n", " "),
        # The rule under the issuer is sized on its last line (Decree 30: 1/3–1/2 of it).
        "issuer_lead": "".join(f"{line}\n" for line in issuer.split("\n")[:-1]),
        "issuer_last": issuer.split("\n")[-1],
        "number_line": number_line,
        "secrecy": document.secrecy,
        "urgency": document.urgency,
        "circulation": document.circulation,
        "drafter_line": drafter_line(document.drafter_mark, document.issued_copies),
        "contact_lines": _contact_lines(document, draft=draft),
        "urgency_class": {
            "KHẨN": "urgent",
            "THƯỢNG KHẨN": "very-urgent",
            "HỎA TỐC": "immediate",
        }.get(document.urgency, ""),
        "number_and_symbol": "" if draft else document.number_and_symbol,
        "place_date": place_date_line(place, day),
        "addressees": document.addressees if document.spec.uses_addressees else [],
        "body": document.body,
        "body_lead": _printable(document.body[:-1]),
        "body_last": _printable(document.body[-1:]),
        "recipients": _recipient_lines(document.recipients),
        "signer": _signer(
            document.signer_capacity,
            document.signer_authority,
            document.signer_position,
            document.signer_name,
        ),
        "co_signers": co_signers,
        "party_signers": [co_signers[i : i + 2] for i in range(0, len(co_signers), 2)],
        "annexes": annexes,
        "signed_iso": signed_iso,
        "verification": verification,
        "keywords": f"xac-minh:{document.verification_code}" if not draft else "du-thao",
        "template_version": document.template_version or TEMPLATE_VERSION,
        "created_iso": signed_iso,
    }


def _contact_lines(document: OfficialDocument, *, draft: bool) -> list[str]:
    """Box 13 on the kinds that carry it: the issuer's of today on a draft, the snapshot taken
    at issue otherwise (a unit that moves does not change its past letters)."""
    if not document.spec.contact_block:
        return []
    if draft:
        return document.issuer.contact_lines(document.issued_on or timezone.localdate())
    return list(document.issuer_contact)


def _issued_iso(document: OfficialDocument) -> str:
    """The moment of issue as printed and put in the PDF's dates: in the portal's own zone (not
    whichever zone a request activated) and to the second, so a render of the snapshot is the
    same bytes in any process, at any time."""
    zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    return document.issued_at.astimezone(zone).replace(microsecond=0).isoformat()


def _roman(number: int) -> str:
    numerals = [(10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]
    result = ""
    for value, letters in numerals:
        while number >= value:
            result += letters
            number -= value
    return result


@dataclass(frozen=True)
class CertificateRow:
    """One awardee's certificate in a batch that shares its layout document's header and signer."""

    awardee: str
    detail: str = ""
    achievement: str = ""
    book_number: str = ""
    # The awardee's own code (awards.certificates), printed with a QR code of its public page.
    verification_code: str = ""


def certificate_view(document: OfficialDocument, row: CertificateRow | None = None) -> dict:
    block = next((b for b in document.body if b.get("type") == "certificate"), {})
    issued = document.is_issued
    body = (
        None if issued else document.issuer.issuing_body(document.issued_on or timezone.localdate())
    )
    place = document.place_name if issued else body.place_name
    authority = block.get("authority") or (
        document.signer_position.split("\n")[-1]
        + " "
        + (document.issuer_name if issued else body.issuer_name)
    )
    decision = block.get("decision", "")
    if row is not None:
        code = row.verification_code
    else:
        code = document.verification_code if issued else ""
    url = verification_url(code) if code else ""
    return {
        "heading": document.heading,
        "authority": authority,
        "awardee": normalize_text(row.awardee) if row else block.get("awardee", ""),
        "detail": normalize_text(row.detail) if row else block.get("detail", ""),
        "achievement": normalize_text(row.achievement) if row else block.get("achievement", ""),
        "book_number": (row.book_number if row else "") or document.number_and_symbol,
        "decision": decision,
        "verification_code": code,
        "verification_url": url,
        "qr_svg": _qr_svg(url, size_mm=18) if url else "",
        "place_date": place_date_line(place, document.issued_on),
        "signer": _signer(
            document.signer_capacity,
            document.signer_authority,
            document.signer_position,
            document.signer_name,
        ),
    }
