"""Official documents: drafts, numbering, the frozen snapshot, and its PDF (Decree 30/2020).

The API the campaign and award code calls:

    doc = create_draft(DocumentKind.PLAN, issuer=unit, actor=user, summary="Phát động ...",
                       body=[{"type": "paragraph", "text": "..."}], signer_name="Nguyễn Văn A",
                       signer_capacity="KT.", signer_authority="CHỦ TỊCH",
                       signer_position="PHÓ CHỦ TỊCH", recipients=["Sở Nội vụ"])
    pdf = render_preview(doc)              # watermarked "DỰ THẢO", no number
    doc = issue_document(doc, actor=user)  # numbered, snapshotted, rendered, hashed (signed)
    render_pdf(doc), render_docx(doc)      # pure functions of the snapshot
    render_certificates(rows, layout=certificate_doc)  # bulk Giấy khen / Bằng khen

`body`, `annexes` and `co_signers` are plain data (see `OfficialDocument`); strings are NFC.
WeasyPrint is imported only here; fonts and the stylesheet come from the local static files
and nothing else may be fetched while rendering. Beside this module: documents_content (what
a document prints, shared with the Word renderer documents_docx), documents_stamp (bulk
certificates), documents_verify (state and upload checks), signing (PAdES with pyHanko).
"""

from __future__ import annotations

import atexit
import datetime
import hashlib
import mimetypes
import secrets
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.utils import timezone

from portal import access
from portal.access import Cap
from portal.audit import stamp
from portal.documents_content import (
    TEMPLATE_VERSION,
    CertificateRow,
    certificate_view,
    clean,
    clean_lines,
    document_view,
    normalize_annexes,
    normalize_body,
    normalize_co_signers,
    normalize_recipients,
    verification_url,
)
from portal.errors import RuleViolation
from portal.models import DocumentKind, DocumentStatus, OfficialDocument, Register, Unit
from portal.models.documents import CERTIFICATE_KINDS, KIND_SPECS, SignerCapacity
from portal.text import fold, normalize_text

# Resources are addressed under a reserved, unresolvable host; the fetcher maps them to files.
STATIC_BASE = "https://static.portal.invalid/static/"
VERIFICATION_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
VERIFICATION_LENGTH = 10
DRAFT_FIELDS = (
    "title",
    "summary",
    "body",
    "addressees",
    "recipients",
    "annexes",
    "signer_name",
    "signer_capacity",
    "signer_authority",
    "signer_position",
    "co_signers",
    "annexes_separate",
    "issued_on",
)


# ---------------------------------------------------------------------------------------------
# Numbering


def register_for(issuer: Unit, kind: str, *, create: bool = True) -> Register | None:
    """The register that numbers `kind` at `issuer`, or None when the kind goes unnumbered.

    A register of the kind itself wins; then, for kinds the decree numbers, the unit's shared
    series; else a per-kind register is opened on first use (one per type, as provinces keep).
    """
    found = {r.kind: r for r in Register.objects.filter(issuer=issuer, kind__in=[kind, ""])}
    if kind in found:
        return found[kind]
    if not KIND_SPECS[kind].numbered:
        return None
    if "" in found:
        return found[""]
    if not create:
        return None
    register, _ = Register.objects.get_or_create(
        issuer=issuer,
        kind=kind,
        defaults={"name": f"Sổ văn bản đi – {DocumentKind(kind).label}"},
    )
    return register


def _symbol(register: Register | None, kind: str, issuer_abbreviation: str) -> str:
    type_abbreviation = (register.type_abbreviation if register else "") or KIND_SPECS[
        kind
    ].abbreviation
    return "-".join(part for part in (type_abbreviation, issuer_abbreviation) if part)


def _take_number(register: Register, year: int) -> int:
    """The next sequence of `register` in `year`; the caller holds the register's row lock."""
    last = (
        OfficialDocument.objects.filter(register=register, year=year)
        .aggregate(last=Max("sequence"))
        .get("last")
    )
    return (last or 0) + 1


def _new_verification_code() -> str:
    while True:
        code = "".join(secrets.choice(VERIFICATION_ALPHABET) for _ in range(VERIFICATION_LENGTH))
        if not OfficialDocument.objects.filter(verification_code=code).exists():
            return code


# ---------------------------------------------------------------------------------------------
# Services


@transaction.atomic
def create_draft(
    kind: str,
    *,
    issuer: Unit,
    actor,
    title: str = "",
    summary: str = "",
    body=(),
    signer_name: str = "",
    signer_capacity: str = "",
    signer_authority: str = "",
    signer_position: str = "",
    recipients: Iterable[str] = (),
    addressees: Iterable[str] = (),
    annex: dict | None = None,
    annexes: Iterable[dict] = (),
    co_signers: Iterable[dict] = (),
    annexes_separate: bool = False,
    issued_on: datetime.date | None = None,
    corrects: OfficialDocument | None = None,
    revokes: OfficialDocument | None = None,
) -> OfficialDocument:
    """Start a draft of `kind` for `issuer`. Nothing is checked for completeness until issue.

    `signer_position` may hold several lines ("KT. CHỦ TỊCH\\nPHÓ CHỦ TỊCH"); `annex` is one
    {"title", "note", "columns", "rows"} table (e.g. the list of awardees), `annexes` several;
    with `annexes_separate` they are issued as a second, separately signed file.
    `actor=None` is for loaders and other system callers that have already checked access.
    """
    if kind not in KIND_SPECS:
        raise RuleViolation(f"Loại văn bản không hợp lệ: {kind}.")
    if actor is not None:
        access.require(actor, Cap.DRAFT_DOCUMENTS, issuer)
    if signer_capacity not in SignerCapacity.values:
        raise RuleViolation("Thẩm quyền ký phải là một trong TM., KT., Q., TL., TUQ.")
    document = OfficialDocument(
        kind=kind,
        issuer=issuer,
        title=normalize_text(title).upper(),
        summary=clean_lines(summary),
        body=normalize_body(body),
        addressees=[a for a in clean(list(addressees)) if a],
        recipients=normalize_recipients(recipients) if kind not in CERTIFICATE_KINDS else [],
        annexes=normalize_annexes(annex, annexes),
        signer_name=normalize_text(signer_name),
        signer_capacity=signer_capacity,
        signer_authority=normalize_text(signer_authority).upper(),
        signer_position=clean_lines(signer_position).upper(),
        co_signers=normalize_co_signers(co_signers),
        annexes_separate=annexes_separate,
        issued_on=issued_on,
        corrects=corrects,
        revokes=revokes,
        created_by=actor if getattr(actor, "pk", None) else None,
        template_version=TEMPLATE_VERSION,
    )
    stamp(document, actor=actor, reason="portal.document.drafted")
    document.save()
    return document


@transaction.atomic
def update_draft(document: OfficialDocument, *, actor, **changes) -> OfficialDocument:
    """Change a draft's content; an issued document is frozen (correct it instead)."""
    document = OfficialDocument.objects.select_for_update().get(pk=document.pk)
    if actor is not None:
        access.require(actor, Cap.DRAFT_DOCUMENTS, document.issuer)
    if document.is_issued:
        raise RuleViolation("Văn bản đã ban hành không được sửa; hãy ban hành văn bản đính chính.")
    unknown = set(changes) - set(DRAFT_FIELDS)
    if unknown:
        raise RuleViolation(f"Không được sửa các trường: {', '.join(sorted(unknown))}.")
    cleaners = {
        "title": lambda v: normalize_text(v).upper(),
        "summary": clean_lines,
        "body": normalize_body,
        "addressees": lambda v: [a for a in clean(list(v)) if a],
        "recipients": normalize_recipients,
        "annexes": lambda v: normalize_annexes(annexes=v),
        "signer_name": normalize_text,
        "signer_authority": lambda v: normalize_text(v).upper(),
        "signer_position": lambda v: clean_lines(v).upper(),
        "co_signers": normalize_co_signers,
    }
    if "signer_capacity" in changes and changes["signer_capacity"] not in SignerCapacity.values:
        raise RuleViolation("Thẩm quyền ký phải là một trong TM., KT., Q., TL., TUQ.")
    for key, value in changes.items():
        setattr(document, key, cleaners.get(key, lambda v: v)(value))
    stamp(document, actor=actor, reason="portal.document.draft_updated")
    document.save()
    return document


def missing_for_issue(document: OfficialDocument) -> list[str]:
    """What a document lacks before it can be issued, in the words of the form."""
    spec = document.spec
    missing = []
    if spec.has_summary and not document.summary:
        missing.append("trích yếu")
    if not document.body:
        missing.append("nội dung")
    if spec.needs_addressees and not document.addressees:
        missing.append("nơi gửi (Kính gửi)")
    if not document.signer_name:
        missing.append("họ tên người ký")
    if not (document.signer_position or document.signer_authority):
        missing.append("chức vụ người ký")
    if document.signer_capacity and not document.signer_authority:
        missing.append(f"tập thể hoặc người được {document.signer_capacity} (thay mặt/ký thay)")
    if not document.is_certificate and not [
        r for r in document.recipients if not r.startswith("Lưu")
    ]:
        missing.append("nơi nhận")
    if document.kind == DocumentKind.PLEDGE and not document.co_signers:
        missing.append("đại diện ký của các đơn vị thành viên")
    register = register_for(document.issuer, document.kind, create=False)
    numbered = register is not None or document.spec.numbered
    if (
        numbered
        and not document.issuer.issuing_body(
            document.issued_on or timezone.localdate()
        ).issuer_abbreviation
    ):
        missing.append("chữ viết tắt tên cơ quan ban hành (khai báo tại đơn vị)")
    return missing


@transaction.atomic
def issue_document(
    document: OfficialDocument,
    *,
    actor,
    issued_on: datetime.date | None = None,
    sign: bool | None = None,
) -> OfficialDocument:
    """Number, snapshot, render, hash (and sign) a draft in one transaction.

    The register row is locked while its next number is taken, so parallel issues serialise
    and get consecutive numbers; the unique constraints back this up. `sign=None` signs when a
    certificate is configured (DOCUMENT_SIGNING_P12), `True` requires one, `False` skips it.
    """
    document = OfficialDocument.objects.select_for_update().get(pk=document.pk)
    if actor is not None:
        access.require(actor, Cap.ISSUE_DOCUMENTS, document.issuer)
    if document.is_issued:
        raise RuleViolation(f"Văn bản đã được ban hành: {document}.")
    day = issued_on or document.issued_on or timezone.localdate()
    document.issued_on = day
    missing = missing_for_issue(document)
    if missing:
        raise RuleViolation("Chưa thể ban hành, văn bản còn thiếu: " + "; ".join(missing) + ".")
    body = document.issuer.issuing_body(day)
    document.parent_body_name = body.parent_name
    document.issuer_name = body.issuer_name
    document.issuer_abbreviation = body.issuer_abbreviation
    document.place_name = body.place_name

    register = register_for(document.issuer, document.kind)
    document.symbol = _symbol(register, document.kind, body.issuer_abbreviation)
    if register is not None:
        register = Register.objects.select_for_update().get(pk=register.pk)
        document.register = register
        document.year = day.year
        document.sequence = _take_number(register, day.year)
        document.number = register.format_number(document.sequence)
    document.status = DocumentStatus.ISSUED
    document.issued_at = timezone.now()
    document.issued_by = actor if getattr(actor, "pk", None) else None
    document.template_version = TEMPLATE_VERSION
    document.verification_code = _new_verification_code()

    from portal import signing

    if sign is None:
        sign = signing.is_configured()
    if document.is_certificate:
        pdf = render_pdf(document)
        anchor = signature_anchor(document) if sign else None
    else:
        # One layout serves both the PDF and the position of the signature field.
        rendered = _weasy_document(_html(document))
        pdf, anchor = _pdf_bytes(rendered), _anchor_in(rendered)
    if sign:
        pdf = signing.sign_pdf(
            pdf,
            box=anchor,
            reason=f"Ban hành {document}",
            location=document.place_name,
        )
        document.is_signed = True
    document.sha256 = hashlib.sha256(pdf).hexdigest()
    document.pdf.save(_file_name(document), ContentFile(pdf), save=False)
    if document.annexes_separate and document.annexes:
        annex = render_annex_pdf(document)
        if sign:
            # Phụ lục I: the agency's signature on a separate annex file carries no image.
            annex = signing.sign_pdf(
                annex, box=None, reason=f"Phụ lục {document}", location=document.place_name
            )
        document.annex_sha256 = hashlib.sha256(annex).hexdigest()
        document.annex_pdf.save(
            _file_name(document).replace(".pdf", "-phu-luc.pdf"), ContentFile(annex), save=False
        )
    stamp(document, actor=actor, reason="portal.document.issued")
    try:
        with transaction.atomic():
            document.save()
    except IntegrityError as error:
        # Only where the database cannot lock the register row (SQLite): two issues raced.
        raise RuleViolation(
            f"Số {document.number_and_symbol} vừa được cấp cho văn bản khác; hãy ban hành lại."
        ) from error
    return document


def _file_name(document: OfficialDocument) -> str:
    label = fold(document.number_and_symbol).replace("/", "-") or document.kind
    return f"{label}-{document.verification_code}.pdf"


@transaction.atomic
def correct_document(
    document: OfficialDocument, *, actor, kind: str | None = None, **fields
) -> OfficialDocument:
    """A new draft that corrects or replaces an issued document (the old one stays as it is)."""
    document = OfficialDocument.objects.select_for_update().get(pk=document.pk)
    _check_can_follow(document, actor)
    # A replacement starts from the old content; the author edits what was wrong.
    defaults = {
        "summary": f"Đính chính {document.get_kind_display()} số {document.number_and_symbol}",
        "body": document.body,
        "addressees": document.addressees,
        "annexes": document.annexes,
        "co_signers": document.co_signers,
        "signer_name": document.signer_name,
        "signer_capacity": document.signer_capacity,
        "signer_authority": document.signer_authority,
        "signer_position": document.signer_position,
        "recipients": document.recipients,
    }
    return create_draft(
        kind or document.kind,
        issuer=document.issuer,
        actor=actor,
        corrects=document,
        **{**defaults, **fields},
    )


@transaction.atomic
def revoke_document(
    document: OfficialDocument, *, actor, reason: str, **fields
) -> OfficialDocument:
    """A new draft Quyết định revoking an issued document; issuing it makes the revocation."""
    document = OfficialDocument.objects.select_for_update().get(pk=document.pk)
    _check_can_follow(document, actor)
    reason = normalize_text(reason)
    if not reason:
        raise RuleViolation("Cần nêu lý do thu hồi văn bản.")
    cited = (
        f"{document.get_kind_display()} số {document.number_and_symbol or '(không số)'}"
        f" ngày {document.issued_on:%d/%m/%Y}"
    )
    defaults = {
        "summary": f"Về việc thu hồi {cited}",
        "body": [
            {"type": "center", "text": "QUYẾT ĐỊNH:"},
            {"type": "article", "number": 1, "text": f"Thu hồi {cited}. Lý do: {reason}."},
            {"type": "article", "number": 2, "text": "Quyết định này có hiệu lực kể từ ngày ký."},
        ],
        "signer_name": document.signer_name,
        "signer_capacity": document.signer_capacity,
        "signer_authority": document.signer_authority,
        "signer_position": document.signer_position,
        "recipients": document.recipients,
    }
    return create_draft(
        DocumentKind.DECISION,
        issuer=document.issuer,
        actor=actor,
        revokes=document,
        **{**defaults, **fields},
    )


def _check_can_follow(document: OfficialDocument, actor) -> None:
    if actor is not None:
        access.require(actor, Cap.DRAFT_DOCUMENTS, document.issuer)
    if not document.is_issued:
        raise RuleViolation(
            "Chỉ đính chính hoặc thu hồi văn bản đã ban hành; dự thảo thì sửa trực tiếp."
        )
    if document.revocations.filter(status=DocumentStatus.ISSUED).exists():
        raise RuleViolation("Văn bản đã bị thu hồi.")


# ---------------------------------------------------------------------------------------------
# PDF rendering (WeasyPrint)


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


def draft_number_line(document: OfficialDocument) -> str:
    """ "Số:      /KH-UBND" for a draft of a numbered kind: the registry fills in the number."""
    register = register_for(document.issuer, document.kind, create=False)
    if register is None and not document.spec.numbered:
        return ""
    abbreviation = document.issuer.issuing_body(
        document.issued_on or timezone.localdate()
    ).issuer_abbreviation
    return f"Số:{chr(0xA0) * 10}/{_symbol(register, document.kind, abbreviation)}"


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
        raise RuleViolation("Văn bản không có phụ lục ban hành thành tệp riêng.")
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


def _anchor_in(rendered) -> tuple[int, tuple[float, float, float, float]]:
    for index, page in enumerate(rendered.pages):
        if "signature-area" in page.anchors:
            x1, y1, x2, y2 = page.anchors["signature-area"]
            height_pt = page.height * 0.75
            return index, (x1 * 0.75, height_pt - y2 * 0.75, x2 * 0.75, height_pt - y1 * 0.75)
    raise RuleViolation("Mẫu văn bản không có vị trí chữ ký.")


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
) -> bytes:
    """One PDF with a landscape certificate per item, for printing in bulk.

    Items are certificate documents (each laid out in full), or `CertificateRow`s sharing
    `layout`'s header, date and signer: then the shared page is laid out once and each row's
    lines are stamped onto it (portal.documents_stamp), which keeps 500 certificates fast.
    `offset_mm` (x, y) shifts everything for pre-printed blanks (default: the
    DOCUMENT_CERTIFICATE_OFFSET_MM setting); `preprinted` leaves out what the blank carries.
    """
    if not items:
        raise RuleViolation("Không có giấy khen, bằng khen nào để in.")
    options = {"draft": draft, "offset_mm": offset_mm, "preprinted": preprinted}
    if all(isinstance(item, OfficialDocument) for item in items):
        views = [certificate_view(item) for item in items]
        return _pdf_bytes(_weasy_document(_certificates_html(views, **options)))
    if layout is None:
        raise RuleViolation("Cần văn bản mẫu (layout) cho danh sách người được khen.")
    from portal.documents_stamp import stamp_certificates

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
    )


def _row_of(document: OfficialDocument) -> dict:
    view = certificate_view(document)
    keys = ("awardee", "detail", "achievement", "book_number", "verification_code")
    return {key: view[key] for key in keys}


# ---------------------------------------------------------------------------------------------
# DOCX and verification live beside this module; re-exported so callers import one place.


def render_docx(document: OfficialDocument) -> bytes:
    """The same snapshot as an editable Word file (python-docx), for leaders who edit."""
    from portal.documents_docx import build_certificates_docx, build_docx

    if document.is_certificate:
        return build_certificates_docx([certificate_view(document)])
    return build_docx(view_of(document), document)


def render_certificates_docx(
    items: Sequence[OfficialDocument | CertificateRow], *, layout: OfficialDocument | None = None
) -> bytes:
    """The certificates of `render_certificates` as one Word file, a page each."""
    from portal.documents_docx import build_certificates_docx

    views = [
        certificate_view(item)
        if isinstance(item, OfficialDocument)
        else certificate_view(layout, item)
        for item in items
    ]
    return build_certificates_docx(views)
