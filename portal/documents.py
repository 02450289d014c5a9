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
and nothing else may be fetched while rendering.
"""

from __future__ import annotations

import atexit
import datetime
import hashlib
import mimetypes
import secrets
from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache
from io import BytesIO
from multiprocessing import get_context
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.utils import timezone

from portal import access
from portal.access import Cap
from portal.audit import stamp
from portal.errors import RuleViolation
from portal.models import DocumentKind, DocumentStatus, OfficialDocument, Register, Unit
from portal.models.documents import CERTIFICATE_KINDS, KIND_SPECS, SignerCapacity
from portal.text import normalize_text

TEMPLATE_VERSION = "nd30-2020/1"
# Resources are addressed under a reserved, unresolvable host; the fetcher maps them to files.
STATIC_BASE = "https://static.portal.invalid/static/"
VERIFICATION_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
VERIFICATION_LENGTH = 10
BLOCK_TYPES = frozenset(
    {"paragraph", "basis", "heading", "subheading", "center", "authority", "article", "table"}
    | {"parties", "certificate"}
)
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
    "issued_on",
)


# ---------------------------------------------------------------------------------------------
# Plain-data hygiene


def _clean(value):
    """NFC-normalise every string inside `value` (dicts, lists, tuples), keeping its shape."""
    if isinstance(value, str):
        return normalize_text(value)
    if isinstance(value, dict):
        return {str(key): _clean(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(item) for item in value]
    return value


def _clean_lines(value: str) -> str:
    """Multi-line fields (signer position): normalise each line, drop empty ones."""
    return "\n".join(
        line for line in (normalize_text(x) for x in (value or "").split("\n")) if line
    )


def normalize_body(body) -> list[dict]:
    """A body given as text becomes one paragraph per non-empty line; blocks are checked."""
    if body is None:
        return []
    if isinstance(body, str):
        return [{"type": "paragraph", "text": line} for line in _clean(body.splitlines()) if line]
    blocks = _clean(list(body))
    for block in blocks:
        if not isinstance(block, dict) or block.get("type", "paragraph") not in BLOCK_TYPES:
            raise RuleViolation(f"Khối nội dung không hợp lệ: {block!r}.")
        block.setdefault("type", "paragraph")
    return blocks


def normalize_annexes(annex=None, annexes=None) -> list[dict]:
    items = list(annexes or []) + ([annex] if annex else [])
    cleaned = []
    for item in _clean(items):
        if not isinstance(item, dict) or not item.get("title"):
            raise RuleViolation("Phụ lục cần có tiêu đề.")
        item.setdefault("columns", [])
        item.setdefault("rows", [])
        item.setdefault("note", "")
        cleaned.append(item)
    return cleaned


def normalize_recipients(recipients: Iterable[str]) -> list[str]:
    """Recipients without their "- " and ";" (added when printed); "Lưu: VT." closes the list."""
    items = [normalize_text(r).lstrip("-– ").rstrip(";.") for r in recipients or ()]
    items = [r for r in items if r]
    if not any(r.startswith("Lưu") for r in items):
        items.append("Lưu: VT")
    # "Lưu: VT, …" is always the last line.
    return [r for r in items if not r.startswith("Lưu")] + [r for r in items if r.startswith("Lưu")]


def normalize_co_signers(co_signers) -> list[dict]:
    result = []
    for item in _clean(list(co_signers or [])):
        if not isinstance(item, dict) or not item.get("name"):
            raise RuleViolation("Mỗi người cùng ký cần có họ tên.")
        item.setdefault("title", "")
        result.append(item)
    return result


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


def verification_url(code: str) -> str:
    return f"{settings.SITE_URL}/xac-minh/{code}/"


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
    issued_on: datetime.date | None = None,
    corrects: OfficialDocument | None = None,
    revokes: OfficialDocument | None = None,
) -> OfficialDocument:
    """Start a draft of `kind` for `issuer`. Nothing is checked for completeness until issue.

    `signer_position` may hold several lines ("KT. CHỦ TỊCH\\nPHÓ CHỦ TỊCH"); `annex` is one
    {"title", "note", "columns", "rows"} table (e.g. the list of awardees), `annexes` several.
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
        summary=_clean_lines(summary),
        body=normalize_body(body),
        addressees=[a for a in _clean(list(addressees)) if a],
        recipients=normalize_recipients(recipients) if kind not in CERTIFICATE_KINDS else [],
        annexes=normalize_annexes(annex, annexes),
        signer_name=normalize_text(signer_name),
        signer_capacity=signer_capacity,
        signer_authority=normalize_text(signer_authority).upper(),
        signer_position=_clean_lines(signer_position).upper(),
        co_signers=normalize_co_signers(co_signers),
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
        "summary": _clean_lines,
        "body": normalize_body,
        "addressees": lambda v: [a for a in _clean(list(v)) if a],
        "recipients": normalize_recipients,
        "annexes": lambda v: normalize_annexes(annexes=v),
        "signer_name": normalize_text,
        "signer_authority": lambda v: normalize_text(v).upper(),
        "signer_position": lambda v: _clean_lines(v).upper(),
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

    pdf = render_pdf(document)
    from portal import signing

    if sign is None:
        sign = signing.is_configured()
    if sign:
        anchor = signature_anchor(document)
        pdf = signing.sign_pdf(
            pdf,
            box=anchor,
            reason=f"Ban hành {document}",
            location=document.place_name,
        )
        document.is_signed = True
    document.sha256 = hashlib.sha256(pdf).hexdigest()
    document.pdf.save(_file_name(document), ContentFile(pdf), save=False)
    stamp(document, actor=actor, reason="portal.document.issued")
    document.save()
    return document


def _file_name(document: OfficialDocument) -> str:
    label = document.number_and_symbol.replace("/", "-") or document.kind
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


@dataclass(frozen=True)
class DocumentState:
    """Whether an issued document still stands, for the verification page."""

    corrected_by: list[OfficialDocument] = field(default_factory=list)
    revoked_by: list[OfficialDocument] = field(default_factory=list)

    @property
    def label(self) -> str:
        if self.revoked_by:
            return "Đã bị thu hồi"
        if self.corrected_by:
            return "Đã được đính chính / thay thế"
        return "Đang có hiệu lực"


def document_state(document: OfficialDocument) -> DocumentState:
    return DocumentState(
        corrected_by=list(document.corrections.issued()),
        revoked_by=list(document.revocations.issued()),
    )


# ---------------------------------------------------------------------------------------------
# What the templates print


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


def _qr_svg(url: str) -> str:
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=1)
    return image.to_string(encoding="unicode")


def document_view(document: OfficialDocument, *, draft: bool) -> dict:
    """The snapshot as the templates (PDF and DOCX) print it."""
    if draft:
        # A preview shows today's issuing body and leaves the number blank for the registry.
        body = document.issuer.issuing_body(document.issued_on or timezone.localdate())
        parent, issuer, abbreviation, place = (
            body.parent_name,
            body.issuer_name,
            body.issuer_abbreviation,
            body.place_name,
        )
        register = register_for(document.issuer, document.kind, create=False)
        numbered = register is not None or document.spec.numbered
        symbol = _symbol(register, document.kind, abbreviation)
        number_line = f"Số:{chr(0xA0) * 10}/{symbol}" if numbered else ""
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
    return {
        "kind": document.kind,
        "is_draft": draft,
        "heading": document.heading,
        "summary": document.summary if document.spec.has_summary else "",
        "summary_flat": document.summary.replace("\n", " "),
        "parent_body_name": parent,
        "issuer_name": issuer,
        "issuer_name_flat": issuer.replace("\n", " "),
        "number_line": number_line,
        "number_and_symbol": "" if draft else document.number_and_symbol,
        "place_date": place_date_line(place, day),
        "addressees": document.addressees if document.spec.uses_addressees else [],
        "body": document.body,
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
        "verification": verification,
        "keywords": f"xac-minh:{document.verification_code}" if not draft else "du-thao",
        "template_version": document.template_version or TEMPLATE_VERSION,
        "created_iso": document.issued_at.isoformat() if document.issued_at and not draft else "",
    }


def _roman(number: int) -> str:
    numerals = [(10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]
    result = ""
    for value, letters in numerals:
        while number >= value:
            result += letters
            number -= value
    return result


# ---------------------------------------------------------------------------------------------
# PDF rendering (WeasyPrint)


class LocalStaticFetcher:
    """Serves the portal's own static files to WeasyPrint and refuses every other URL."""

    def __new__(cls):
        from weasyprint.urls import URLFetcher, URLFetcherResponse

        class _Fetcher(URLFetcher):
            def fetch(self, url, headers=None):
                if not url.startswith(STATIC_BASE):
                    raise ValueError(f"Không tải tài nguyên ngoài: {url}")
                relative = url[len(STATIC_BASE) :].split("?")[0].split("#")[0]
                data, content_type = _static_file(relative)
                return URLFetcherResponse(url, data, {"Content-Type": content_type})

        return _Fetcher(fail_on_errors=True)


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
    fetcher = LocalStaticFetcher()
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


def _html(document: OfficialDocument, *, draft: bool) -> str:
    return render_to_string(
        document.spec.template,
        {"doc": document_view(document, draft=draft), "static_base": STATIC_BASE},
    ).replace('<link rel="stylesheet" href="' + STATIC_BASE + 'documents/nd30.css">', "")


def _pdf_bytes(rendered) -> bytes:
    # Fixed identifiers keep the output a pure function of the snapshot.
    return rendered.write_pdf(pdf_identifier=b"thidua-portal")


def render_pdf(document: OfficialDocument) -> bytes:
    """The issued document's PDF: a pure function of its snapshot (unsigned)."""
    if document.is_certificate:
        return render_certificates([document])
    return _pdf_bytes(_weasy_document(_html(document, draft=not document.is_issued)))


def render_preview(document: OfficialDocument) -> bytes:
    """A draft's PDF, watermarked "DỰ THẢO", without number (issued ones render as issued)."""
    if document.is_issued:
        return render_pdf(document)
    if document.is_certificate:
        return render_certificates([document], draft=True)
    return _pdf_bytes(_weasy_document(_html(document, draft=True)))


def signature_anchor(document: OfficialDocument) -> tuple[int, tuple[float, float, float, float]]:
    """Page index and PDF box (points, origin bottom-left) of the space left for the signature."""
    if document.is_certificate:
        html = _certificates_html([_certificate_view(document)], draft=False, anchor=True)
    else:
        html = _html(document, draft=not document.is_issued)
    rendered = _weasy_document(html)
    for index, page in enumerate(rendered.pages):
        if "signature-area" in page.anchors:
            x1, y1, x2, y2 = page.anchors["signature-area"]
            height_pt = page.height * 0.75
            return index, (x1 * 0.75, height_pt - y2 * 0.75, x2 * 0.75, height_pt - y1 * 0.75)
    raise RuleViolation("Mẫu văn bản không có vị trí chữ ký.")


# ---------------------------------------------------------------------------------------------
# Certificates (Giấy khen, Bằng khen)


@dataclass(frozen=True)
class CertificateRow:
    """One awardee's certificate in a batch that shares its layout document's header and signer."""

    awardee: str
    detail: str = ""
    achievement: str = ""
    book_number: str = ""


def _certificate_view(document: OfficialDocument, row: CertificateRow | None = None) -> dict:
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
    return {
        "heading": document.heading,
        "authority": authority,
        "awardee": normalize_text(row.awardee) if row else block.get("awardee", ""),
        "detail": normalize_text(row.detail) if row else block.get("detail", ""),
        "achievement": normalize_text(row.achievement) if row else block.get("achievement", ""),
        "book_number": (row.book_number if row else "") or document.number_and_symbol,
        "decision": decision,
        "place_date": place_date_line(place, document.issued_on),
        "signer": _signer(
            document.signer_capacity,
            document.signer_authority,
            document.signer_position,
            document.signer_name,
        ),
    }


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
            "offset_x": offset_x,
            "offset_y": offset_y,
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


def _render_certificate_html(html: str) -> bytes:
    return _pdf_bytes(_weasy_document(html))


def render_certificates(
    items: Sequence[OfficialDocument | CertificateRow],
    *,
    layout: OfficialDocument | None = None,
    offset_mm: tuple[float, float] | None = None,
    preprinted: bool | None = None,
    draft: bool = False,
    workers: int | None = None,
) -> bytes:
    """One PDF with a landscape certificate per item, for printing in bulk.

    Items are certificate documents, or `CertificateRow`s sharing `layout`'s header, date and
    signer. `offset_mm` (x, y) shifts everything for pre-printed blanks (defaults to the
    DOCUMENT_CERTIFICATE_OFFSET_MM setting); `preprinted` leaves out what the blank already
    carries. Large batches are laid out in parallel processes, one chunk each, then joined.
    """
    views = []
    for item in items:
        if isinstance(item, OfficialDocument):
            views.append(_certificate_view(item))
        else:
            if layout is None:
                raise RuleViolation("Cần văn bản mẫu (layout) cho danh sách người được khen.")
            views.append(_certificate_view(layout, item))
    if not views:
        raise RuleViolation("Không có giấy khen, bằng khen nào để in.")
    workers = workers or (settings.DOCUMENT_RENDER_WORKERS if len(views) >= 40 else 1)
    if workers <= 1:
        return _render_certificate_html(
            _certificates_html(views, draft=draft, offset_mm=offset_mm, preprinted=preprinted)
        )
    size = -(-len(views) // workers)
    chunks = [
        _certificates_html(
            views[i : i + size], draft=draft, offset_mm=offset_mm, preprinted=preprinted
        )
        for i in range(0, len(views), size)
    ]
    with ProcessPoolExecutor(max_workers=workers, mp_context=get_context("fork")) as pool:
        parts = list(pool.map(_render_certificate_html, chunks))
    return _join_pdfs(parts)


def _join_pdfs(parts: list[bytes]) -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    for part in parts:
        writer.append(BytesIO(part))
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


# ---------------------------------------------------------------------------------------------
# DOCX and verification live beside this module; re-exported so callers import one place.


def render_docx(document: OfficialDocument) -> bytes:
    """The same snapshot as an editable Word file (python-docx), for leaders who edit."""
    from portal.documents_docx import build_docx

    return build_docx(document_view(document, draft=not document.is_issued), document)
