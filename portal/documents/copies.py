"""Copies of issued documents: SAO Y, SAO LỤC, TRÍCH SAO (Decree 30/2020, Arts. 25–27).

The copy is laid out as the thể thức bản sao of Phụ lục I (Mẫu 3.1 of Phụ lục III): the pages
being copied are kept as they were issued, and the copy form follows the last of them, on the
same page when it fits, under a solid rule across the whole text width: the copying body (under
its parent, as box 2) and "Số: 05/SY-UBND" on the left, the kind of copy and the place and
date on the right, then "Nơi nhận:" on the left and the signature (capacity, named person) on
the right. The layout was checked against a published sample of the form (123docz.net,
"Mẫu bản sao văn bản": the same two columns and blocks); the abbreviations are Phụ lục III's.

The number comes from the copying body's copy register: one series for every kind of copy,
from 01 on 1 January, taken under a lock on the body's row. A copy is issued in one step and
frozen; its verification code answers on `/xac-minh/<code>/` like a document's.
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Sequence
from functools import lru_cache
from io import BytesIO

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.utils import timezone

from portal import access
from portal.access import Cap
from portal.audit import stamp
from portal.documents import dating, numbering, signers
from portal.documents.content import normalize_recipients, place_date_line, verification_url
from portal.documents.layout import STATIC_BASE, local_static_fetcher
from portal.errors import RuleViolation
from portal.models import CopyKind, DocumentCopy, OfficialDocument, Person, Unit
from portal.text import fold

MM = 72 / 25.4
# The text area of every page (nd30.css): top 20, right 15, bottom 20, left 30 mm.
TOP, RIGHT, BOTTOM, LEFT = 20 * MM, 15 * MM, 20 * MM, 30 * MM
# Room kept between the original's last line and the copy's rule.
GAP = 6 * MM
# What each kind is printed as (Phụ lục I: "SAO Y", "SAO LỤC", "TRÍCH SAO").
HEADINGS = {
    CopyKind.TRUE_COPY: "SAO Y",
    CopyKind.TRANSCRIPT: "SAO LỤC",
    CopyKind.EXTRACT: "TRÍCH SAO",
}


def visible_sources(user):
    """The issued documents `user` may copy from: those they see."""
    return OfficialDocument.objects.visible_to(user).issued().exclude(pdf="")


@transaction.atomic
def make_copy(
    source: OfficialDocument | DocumentCopy,
    *,
    actor,
    issuer: Unit,
    kind: str,
    recipients: Sequence[str],
    signer: Person | None = None,
    first_page: int | None = None,
    last_page: int | None = None,
    day: datetime.date | None = None,
) -> DocumentCopy:
    """The văn thư of `issuer` copies `source`: a SAO Y or TRÍCH SAO of an issued document,
    a SAO LỤC of a SAO Y copy. `signer` is one of the issuer's leaders on the day (the head by
    default); `first_page`–`last_page` is the part a TRÍCH SAO copies."""
    if kind not in CopyKind.values:
        raise RuleViolation(
            "Hình thức sao phải là sao y, sao lục hoặc trích sao.", code="copy_form_invalid"
        )
    if actor is not None:
        access.require(actor, Cap.ISSUE_DOCUMENTS, issuer)
    base, original, copied_from = _source(source, kind, actor)
    day = day or timezone.localdate()
    dating.check_not_future(day, timezone.localdate())
    dating.check_issuer_on(issuer, day)
    if day < original.issued_on:
        raise RuleViolation(
            f"Ngày sao {day:%d/%m/%Y} trước ngày ban hành văn bản {original.issued_on:%d/%m/%Y}.",
            code="copy_before_original",
        )
    pages = _pages(base, kind, first_page, last_page)
    signature = signers.signature(issuer, day, person=signer)
    body = issuer.issuing_body(day)
    Unit.objects.select_for_update().filter(pk=issuer.pk).first()
    last = DocumentCopy.objects.filter(issuer=issuer, year=day.year).aggregate(n=Max("sequence"))
    sequence = (last["n"] or 0) + 1
    copy = DocumentCopy(
        original=original,
        copied_from=copied_from,
        issuer=issuer,
        kind=kind,
        first_page=first_page if kind == CopyKind.EXTRACT else None,
        last_page=last_page if kind == CopyKind.EXTRACT else None,
        year=day.year,
        sequence=sequence,
        number=f"{sequence:02d}",
        symbol="-".join(p for p in (kind, body.issuer_abbreviation) if p),
        made_on=day,
        parent_body_name=body.parent_name,
        issuer_name=body.issuer_name,
        place_name=body.place_name,
        recipients=normalize_recipients(recipients),
        signer=signature.person,
        signer_name=signature.name,
        signer_capacity=signature.capacity,
        signer_authority=signature.authority,
        signer_position=signature.position,
        verification_code=_new_code(),
        made_by=actor if getattr(actor, "pk", None) else None,
    )
    pdf = render_copy(copy, base, pages)
    copy.sha256 = hashlib.sha256(pdf).hexdigest()
    label = fold(copy.number_and_symbol).replace("/", "-")
    copy.pdf.save(f"{label}-{copy.verification_code}.pdf", ContentFile(pdf), save=False)
    stamp(copy, actor=actor, reason="portal.document.copied")
    copy.save()
    return copy


def _source(source, kind: str, actor) -> tuple[bytes, OfficialDocument, DocumentCopy | None]:
    """The PDF to copy, the document it is of, and the SAO Y copy a SAO LỤC is made from."""
    if kind == CopyKind.TRANSCRIPT:
        if not isinstance(source, DocumentCopy) or source.kind != CopyKind.TRUE_COPY:
            raise RuleViolation(
                "Sao lục được thực hiện từ bản sao y (Điều 25 Nghị định 30).",
                code="transcript_source_not_true_copy",
            )
        if (
            actor is not None
            and not DocumentCopy.objects.visible_to(actor).filter(pk=source.pk).exists()
        ):
            raise RuleViolation(
                "Bạn không xem được bản sao này nên không sao lục được.",
                code="transcript_source_unseen",
            )
        with source.pdf.open("rb") as opened:
            return opened.read(), source.original, source
    if not isinstance(source, OfficialDocument):
        raise RuleViolation(
            "Sao y, trích sao được thực hiện từ văn bản đã ban hành.",
            code="copy_source_not_original",
        )
    if not source.is_issued or not source.pdf:
        raise RuleViolation("Chỉ sao văn bản đã ban hành.", code="copy_source_not_issued")
    if actor is not None and not visible_sources(actor).filter(pk=source.pk).exists():
        raise RuleViolation(
            "Bạn không xem được văn bản này nên không sao được.", code="copy_source_unseen"
        )
    with source.pdf.open("rb") as opened:
        return opened.read(), source, None


def _pages(base: bytes, kind: str, first: int | None, last: int | None) -> range:
    from pypdf import PdfReader

    count = len(PdfReader(BytesIO(base)).pages)
    if kind != CopyKind.EXTRACT:
        if first is not None or last is not None:
            raise RuleViolation(
                "Chỉ trích sao mới chọn trang; sao y, sao lục sao toàn văn.",
                code="pages_only_for_excerpt",
            )
        return range(count)
    if first is None or last is None or not 1 <= first <= last <= count:
        raise RuleViolation(
            f"Trích sao cần chọn từ trang đến trang, trong 1–{count}.",
            code="excerpt_pages_out_of_range",
        )
    if (first, last) == (1, count):
        raise RuleViolation(
            "Trích sao một phần văn bản; sao toàn văn là sao y.", code="excerpt_whole_document"
        )
    return range(first - 1, last)


def _new_code() -> str:
    while True:
        code = numbering.new_verification_code()
        if not DocumentCopy.objects.filter(verification_code=code).exists():
            return code


def view_of(copy: DocumentCopy) -> dict:
    """What the copy form prints."""
    capacity = f"{copy.signer_capacity} {copy.signer_authority}".strip()
    return {
        "heading": HEADINGS[copy.kind],
        "parent": copy.parent_body_name,
        "issuer_lines": copy.issuer_name.split("\n"),
        "number": f"Số: {copy.number_and_symbol}",
        "date": place_date_line(copy.place_name, copy.made_on),
        "recipients": [
            f"- {line}{'.' if index == len(copy.recipients) - 1 else ';'}"
            for index, line in enumerate(copy.recipients)
        ],
        "capacity": [line for line in [capacity, *copy.signer_position.split("\n")] if line],
        "signer": copy.signer_name,
        "code": copy.verification_code,
        "url": verification_url(copy.verification_code),
    }


@lru_cache(maxsize=1)
def _fonts():
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration(), local_static_fetcher()


def _form_pdf(
    view: dict, width: float, height: float, top: float, page_number: int | None = None
) -> bytes:
    """The copy form alone on a page of `width` × `height` points, starting `top` down;
    numbered `page_number` in the top margin when it is a page of its own."""
    from weasyprint import HTML

    fonts, fetcher = _fonts()
    html = render_to_string(
        "documents/copy_form.html",
        {
            "copy": view,
            "static_base": STATIC_BASE,
            # Formatted here: the template's locale would print "595,28pt".
            "page_size": f"{width:.2f}pt {height:.2f}pt",
            "page_margin": f"{top:.2f}pt {RIGHT:.2f}pt {BOTTOM:.2f}pt {LEFT:.2f}pt",
            "page_number": page_number,
        },
    )
    rendered = HTML(string=html, base_url=STATIC_BASE, url_fetcher=fetcher).render(
        font_config=fonts
    )
    return rendered.write_pdf(pdf_identifier=b"thidua-portal")


def _lowest_ink(pdf: bytes, index: int) -> float:
    """How far down page `index` of `pdf` anything is printed, in points from the top."""
    import pdfplumber

    with pdfplumber.open(BytesIO(pdf)) as opened:
        page = opened.pages[index]
        found = [
            o["bottom"]
            for kind in ("chars", "lines", "rects", "curves", "images")
            for o in getattr(page, kind)
        ]
        return max(found, default=0.0)


def render_copy(copy: DocumentCopy, base: bytes, pages: range) -> bytes:
    """The pages copied, then the copy form after the last one's content (or on a page of its
    own when the rest of that page cannot hold it)."""
    from pypdf import PdfReader, PdfWriter

    reader = PdfReader(BytesIO(base))
    writer = PdfWriter()
    for index in pages:
        writer.add_page(reader.pages[index])
    last = writer.pages[-1]
    width, height = float(last.mediabox.width), float(last.mediabox.height)
    view = view_of(copy)
    # The form's own height, laid out once from the top margin.
    probe = _form_pdf(view, width, height, TOP)
    needed = _lowest_ink(probe, 0) - TOP
    ink = _lowest_ink(base, pages[-1])
    start = max(ink + GAP, TOP)
    if start + needed <= height - BOTTOM:
        last.merge_page(PdfReader(BytesIO(_form_pdf(view, width, height, start))).pages[0])
    else:
        # A page of the copy like the ones before it (Phụ lục I, Part I, Section I: every page
        # but the first is numbered): it follows the last page copied, numbered its index + 1.
        own_page = _form_pdf(view, width, height, TOP, page_number=pages[-1] + 2)
        writer.add_page(PdfReader(BytesIO(own_page)).pages[0])
    writer.add_metadata({"/Title": str(copy), "/Producer": "thidua-portal"})
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def copy_of_code(code: str) -> DocumentCopy | None:
    return (
        DocumentCopy.objects.select_related("original", "issuer")
        .filter(verification_code=code)
        .first()
    )


def lookup_copy(code: str):
    """The public verification page of a copy (`/xac-minh/<code>/`): registered with
    portal.documents.verify; the copy stands as long as the document it copies."""
    from portal.documents import verify

    copy = copy_of_code(code)
    if copy is None:
        return None
    return verify.CodeLookup(
        template="portal/documents/verify_copy.html",
        context={"copy": copy, "state": verify.document_state(copy.original)},
        title=f"Xác minh bản sao {code}",
    )
