"""The PDF layout: a document's snapshot through its Decree 30 template into WeasyPrint.

`templates/documents/base_nd30.html` owns the layout and `static/documents/nd30.css` the page
geometry; this module feeds them the view of the snapshot (portal.documents.content), renders
and returns the bytes: issued documents, drafts (watermarked "DỰ THẢO"), separate annexes,
compiled reports and bulk certificates (stamped by portal.documents.stamp), and the Word
twins (portal.documents.docx). WeasyPrint is imported here only, on first render; fonts and
the stylesheet come from the local static files and nothing else may be fetched.
"""

from __future__ import annotations

import atexit
import datetime
import mimetypes
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

from portal.documents.content import (
    TEMPLATE_VERSION,
    CertificateRow,
    certificate_view,
    clean,
    clean_lines,
    document_view,
    normalize_annexes,
    normalize_body,
    normalize_recipients,
    verification_url,
)
from portal.documents.numbering import draft_number_line
from portal.errors import RuleViolation
from portal.models import DocumentKind, DocumentStatus, OfficialDocument, Unit
from portal.text import normalize_text

# Resources are addressed under a reserved, unresolvable host; the fetcher maps them to files.
STATIC_BASE = "https://static.portal.invalid/static/"


def local_static_fetcher():
    """A WeasyPrint URL fetcher serving the portal's own static files and refusing every other URL.

    WeasyPrint is imported here, on first render, rather than when the module loads: every web
    process imports this module, few of them render.
    """
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class LocalStaticFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            if not url.startswith(STATIC_BASE):
                raise ValueError(f"Không tải tài nguyên ngoài: {url}")
            relative = url[len(STATIC_BASE) :].split("?")[0].split("#")[0]
            data, content_type = _static_file(relative)
            return URLFetcherResponse(url, data, {"Content-Type": content_type})

    return LocalStaticFetcher(fail_on_errors=True)


@lru_cache(maxsize=64)
def _static_file(relative: str) -> tuple[bytes, str]:
    if ".." in Path(relative).parts or relative.startswith("/"):
        raise ValueError(f"Đường dẫn không hợp lệ: {relative}")
    found = finders.find(relative)
    if not found:
        raise ValueError(f"Không có tệp tĩnh: {relative}")
    content_type = mimetypes.guess_type(relative)[0] or "application/octet-stream"
    return Path(found).read_bytes(), content_type


@lru_cache(maxsize=1)
def _renderer():
    """The stylesheet and its fonts, parsed once per process."""
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    font_config = FontConfiguration()
    fetcher = local_static_fetcher()
    css = CSS(url=STATIC_BASE + "documents/nd30.css", url_fetcher=fetcher, font_config=font_config)
    # Let the font configuration go while the interpreter is still whole.
    atexit.register(_renderer.cache_clear)
    return css, font_config, fetcher


def _weasy_document(html: str):
    from weasyprint import HTML

    css, font_config, fetcher = _renderer()
    return HTML(string=html, base_url=STATIC_BASE, url_fetcher=fetcher).render(
        stylesheets=[css], font_config=font_config
    )


def view_of(document: OfficialDocument) -> dict:
    """The template view of `document`: as issued, or as a draft awaiting its number."""
    if document.is_issued:
        return document_view(document, draft=False)
    return document_view(document, draft=True, draft_number_line=draft_number_line(document))


def _html(document: OfficialDocument) -> str:
    view = view_of(document)
    if document.annexes_separate:
        view["annexes"] = []
    return render_to_string(
        document.spec.template,
        {"doc": view, "static_base": STATIC_BASE},
    ).replace('<link rel="stylesheet" href="' + STATIC_BASE + 'documents/nd30.css">', "")


def _pdf_bytes(rendered) -> bytes:
    # Fixed identifiers keep the output a pure function of the snapshot.
    return rendered.write_pdf(pdf_identifier=b"thidua-portal")


def render_pdf(document: OfficialDocument) -> bytes:
    """The issued document's PDF: a pure function of its snapshot (unsigned)."""
    if document.is_certificate:
        return render_certificates([document])
    return _pdf_bytes(_weasy_document(_html(document)))


def render_annex_pdf(document: OfficialDocument) -> bytes:
    """The annexes of an issued document as their own file (when `annexes_separate`).

    Its first page carries, top right, the main document's number and the signing time.
    """
    if not (document.is_issued and document.annexes_separate and document.annexes):
        raise RuleViolation(
            "Văn bản không có phụ lục ban hành thành tệp riêng.", code="no_separate_appendix"
        )
    html = render_to_string(
        "documents/annex_file.html", {"doc": view_of(document), "static_base": STATIC_BASE}
    )
    return _pdf_bytes(_weasy_document(html))


def render_preview(document: OfficialDocument) -> bytes:
    """A draft's PDF, watermarked "DỰ THẢO", without number (issued ones render as issued)."""
    if document.is_issued:
        return render_pdf(document)
    if document.is_certificate:
        return render_certificates([document], draft=True)
    return _pdf_bytes(_weasy_document(_html(document)))


def render_compiled_report(
    *,
    issuer: Unit,
    issued_on: datetime.date,
    summary: str,
    body,
    addressees: Iterable[str] = (),
    recipients: Iterable[str] = (),
    annexes: Iterable[dict] = (),
) -> bytes:
    """A Báo cáo the portal compiles by itself (periodic statistics), in the Decree 30 layout.

    It is laid out as issued on `issued_on` by the issuer as then named, but no person signs it
    and no register numbers it, so it carries no number, verification code or "DỰ THẢO" mark,
    and no `OfficialDocument` is kept: the caller stores the PDF and may regenerate it. A
    leader who sends the figures on formally drafts and issues a Báo cáo of their own.
    """
    heading = issuer.issuing_body(issued_on)
    document = OfficialDocument(
        kind=DocumentKind.REPORT,
        issuer=issuer,
        status=DocumentStatus.ISSUED,
        parent_body_name=heading.parent_name,
        issuer_name=heading.issuer_name,
        issuer_abbreviation=heading.issuer_abbreviation,
        place_name=heading.place_name,
        issued_on=issued_on,
        summary=clean_lines(summary),
        body=normalize_body(body),
        addressees=[a for a in clean(list(addressees)) if a],
        recipients=normalize_recipients(recipients),
        annexes=normalize_annexes(annexes=annexes),
        template_version=TEMPLATE_VERSION,
    )
    view = document_view(document, draft=False)
    view["keywords"] = "bao-cao-tong-hop-tu-dong"
    html = render_to_string(
        document.spec.template, {"doc": view, "static_base": STATIC_BASE}
    ).replace('<link rel="stylesheet" href="' + STATIC_BASE + 'documents/nd30.css">', "")
    return _pdf_bytes(_weasy_document(html))


def signature_anchor(document: OfficialDocument) -> tuple[int, tuple[float, float, float, float]]:
    """Page index and PDF box (points, origin bottom-left) of the space left for the signature."""
    if document.is_certificate:
        html = _certificates_html([certificate_view(document)], draft=False, anchor=True)
    else:
        html = _html(document)
    return _anchor_in(_weasy_document(html))


def render_pdf_and_anchor(
    document: OfficialDocument,
) -> tuple[bytes, tuple[int, tuple[float, float, float, float]]]:
    """The PDF of a document that is not a certificate and its signature box, from one layout."""
    rendered = _weasy_document(_html(document))
    return _pdf_bytes(rendered), _anchor_in(rendered)


def _anchor_in(rendered) -> tuple[int, tuple[float, float, float, float]]:
    for index, page in enumerate(rendered.pages):
        if "signature-area" in page.anchors:
            x1, y1, x2, y2 = page.anchors["signature-area"]
            height_pt = page.height * 0.75
            return index, (x1 * 0.75, height_pt - y2 * 0.75, x2 * 0.75, height_pt - y1 * 0.75)
    raise RuleViolation("Mẫu văn bản không có vị trí chữ ký.", code="template_without_signature")


# ---------------------------------------------------------------------------------------------
# Certificates (Giấy khen, Bằng khen)


def _certificates_html(
    views: list[dict],
    *,
    draft: bool,
    offset_mm: tuple[float, float] | None = None,
    preprinted: bool | None = None,
    anchor: bool = False,
) -> str:
    offset_x, offset_y = offset_mm or settings.DOCUMENT_CERTIFICATE_OFFSET_MM
    html = render_to_string(
        "documents/certificate.html",
        {
            "certificates": views,
            "title": views[0]["heading"] if views else "",
            "static_base": STATIC_BASE,
            # Formatted here: the template would localise 1.5 as "1,5" (Vietnamese).
            "offset_x": f"{float(offset_x):.2f}mm",
            "offset_y": f"{float(offset_y):.2f}mm",
            "preprinted": settings.DOCUMENT_CERTIFICATE_PREPRINTED
            if preprinted is None
            else preprinted,
        },
    ).replace('<link rel="stylesheet" href="' + STATIC_BASE + 'documents/nd30.css">', "")
    if draft:
        html = html.replace("<body>", '<body><div class="draft-watermark">DỰ THẢO</div>', 1)
    if anchor:
        html = html.replace(
            '<div class="signature-space">', '<div class="signature-space" id="signature-area">', 1
        )
    return html


def render_certificates(
    items: Sequence[OfficialDocument | CertificateRow],
    *,
    layout: OfficialDocument | None = None,
    offset_mm: tuple[float, float] | None = None,
    preprinted: bool | None = None,
    draft: bool = False,
    progress: Callable[[int, int], None] | None = None,
    progress_every: int = 25,
) -> bytes:
    """One PDF with a landscape certificate per item, for printing in bulk.

    Items are certificate documents (each laid out in full), or `CertificateRow`s sharing
    `layout`'s header, date and signer: then the shared page is laid out once and each row's
    lines are stamped onto it (portal.documents.stamp), which keeps 500 certificates fast.
    `offset_mm` (x, y) shifts everything for pre-printed blanks (default: the
    DOCUMENT_CERTIFICATE_OFFSET_MM setting); `preprinted` leaves out what the blank carries.
    `progress(done, total)` hears of every `progress_every` rows stamped.
    """
    if not items:
        raise RuleViolation("Không có giấy khen, bằng khen nào để in.", code="no_certificates")
    options = {"draft": draft, "offset_mm": offset_mm, "preprinted": preprinted}
    if all(isinstance(item, OfficialDocument) for item in items):
        views = [certificate_view(item) for item in items]
        return _pdf_bytes(_weasy_document(_certificates_html(views, **options)))
    if layout is None:
        raise RuleViolation(
            "Cần văn bản mẫu (layout) cho danh sách người được khen.",
            code="award_list_layout_required",
        )
    from portal.documents.stamp import stamp_certificates

    rows = [
        item if isinstance(item, CertificateRow) else CertificateRow(**_row_of(item))
        for item in items
    ]
    shared = certificate_view(layout, CertificateRow(awardee=""))
    shared["book_number"] = ""
    shared["verification_code"] = shared["qr_svg"] = ""
    background = _weasy_document(_certificates_html([shared], **options))
    return stamp_certificates(
        background,
        [
            {
                "awardee": normalize_text(row.awardee),
                "detail": normalize_text(row.detail),
                "achievement": normalize_text(row.achievement),
                "book_number": normalize_text(row.book_number),
                "verification_code": row.verification_code,
                "qr": verification_url(row.verification_code) if row.verification_code else "",
            }
            for row in rows
        ],
        progress=progress,
        progress_every=progress_every,
    )


def _row_of(document: OfficialDocument) -> dict:
    view = certificate_view(document)
    keys = ("awardee", "detail", "achievement", "book_number", "verification_code")
    return {key: view[key] for key in keys}


# ---------------------------------------------------------------------------------------------
# The Word twins (portal.documents.docx builds them from the same view)


def render_docx(document: OfficialDocument) -> bytes:
    """The same snapshot as an editable Word file (python-docx), for leaders who edit."""
    from portal.documents.docx import build_certificates_docx, build_docx

    if document.is_certificate:
        return build_certificates_docx([certificate_view(document)])
    return build_docx(view_of(document), document)


def render_certificates_docx(
    items: Sequence[OfficialDocument | CertificateRow], *, layout: OfficialDocument | None = None
) -> bytes:
    """The certificates of `render_certificates` as one Word file, a page each."""
    from portal.documents.docx import build_certificates_docx

    views = [
        certificate_view(item)
        if isinstance(item, OfficialDocument)
        else certificate_view(layout, item)
        for item in items
    ]
    return build_certificates_docx(views)
