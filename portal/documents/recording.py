"""Papers signed outside the portal, recorded with their own number, date and signed scan.

"Nhập văn bản đã ban hành" is how last year's and earlier directives enter the portal: the
paper keeps its number and symbol and its date, its number is marked taken in the issuer's
register (so the register never hands it out, and a second record of it is refused), and the
signed scan becomes its file. Its text, when entered, can be laid out again at any time
(`render_retypeset`): the paper as its issuer of that day printed it, with its own number, date
and verification code — how a unit closed in 2025 re-typesets its past papers. The scan passes
the project's one upload check (portal.uploads: a PDF by its bytes, within the size limit) and
must then open as a PDF with at least one page.

The number and symbol are taken as printed on the paper, in the two forms Vietnamese papers use:
the State's "12/CT-UBND" (Decree 30; "01/2024/QĐ-UBND" for a legal normative paper) and the
Party's "12-CT/TW" (Hướng dẫn 36-HD/VPTW), whose number is joined to its symbol by a dash.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import re

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from portal import access, uploads
from portal.access import Cap
from portal.audit import stamp
from portal.documents import dating, layout, numbering
from portal.documents.content import (
    TEMPLATE_VERSION,
    clean_lines,
    normalize_body,
    normalize_recipients,
)
from portal.errors import RuleViolation
from portal.models import DocumentStatus, OfficialDocument, Register, SignerCapacity, Unit
from portal.models.documents import KIND_SPECS
from portal.text import fold, normalize_text

# A symbol is letters and digits in parts joined by "-" or "/" ("KH-UBND", "QĐ-UBND-VX",
# "TTr-UBND", "CT/TW", "2024/QĐ-UBND"); it holds at least one letter (checked below).
_PART = r"[^\W_]+(?:-[^\W_]+)*"
STATE_NUMBER = re.compile(rf"^(\d{{1,6}})/((?:\d{{4}}/)?{_PART})$")
PARTY_NUMBER = re.compile(rf"^(\d{{1,6}})-({_PART}/{_PART})$")
_NUMBER_PREFIX = re.compile(r"^(?:số|so)\s*:?\s*", re.IGNORECASE)


def parse_number_and_symbol(written: str) -> tuple[str, str]:
    """("12", "CT-UBND") for "12/CT-UBND"; ("12", "-CT/TW") for the Party's "12-CT/TW" — the
    leading dash keeps the Party's joint, as `OfficialDocument.number_and_symbol` prints it.
    A leading "Số:" copied from the paper is dropped; anything else is refused, in Vietnamese."""
    written = _NUMBER_PREFIX.sub("", normalize_text(written)).replace(" ", "")
    state, party = STATE_NUMBER.match(written), PARTY_NUMBER.match(written)
    found = state or party
    if not found or not any(ch.isalpha() for ch in found.group(2)):
        raise RuleViolation(
            f"Số, ký hiệu “{written}” không đúng dạng: ghi như trên văn bản, ví dụ 12/CT-UBND, "
            "01/2024/QĐ-UBND hoặc (văn bản của Đảng) 12-CT/TW.",
            code="number_format",
        )
    number, symbol = found.groups()
    if int(number) < 1:
        raise RuleViolation("Số văn bản bắt đầu từ 01.", code="number_below_one")
    return number, symbol if state else f"-{symbol}"


def check_scan(data: bytes, *, label: str = "Bản quét văn bản đã ký") -> int:
    """The page count of a signed scan: the upload check every file passes (portal.uploads),
    then a PDF that opens, with a page."""
    if not data:
        raise RuleViolation(
            f"Cần tải lên {label[0].lower()}{label[1:]} (PDF).", code="scan_missing"
        )
    try:
        uploads.check_upload(
            ContentFile(data, name="ban-quet.pdf"), allowed=uploads.PDF_ONLY, label=label
        )
    except RuleViolation as error:
        if len(data) > uploads.max_upload_bytes():
            raise RuleViolation(error.message, code="scan_too_large") from error
        raise RuleViolation(error.message, code="scan_not_pdf") from error
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        pages = len(PdfReader(io.BytesIO(data), strict=False).pages)
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as error:
        raise RuleViolation(
            f"{label} là tệp PDF hỏng, không mở được.", code="scan_broken"
        ) from error
    if pages < 1:
        raise RuleViolation(f"{label} là tệp PDF không có trang nào.", code="scan_empty")
    return pages


@transaction.atomic
def record_document(
    kind: str,
    *,
    issuer: Unit,
    actor,
    number_and_symbol: str,
    issued_on: datetime.date,
    summary: str,
    scan: bytes,
    body=None,
    title: str = "",
    signer_name: str = "",
    signer_capacity: str = "",
    signer_authority: str = "",
    signer_position: str = "",
    recipients=(),
) -> OfficialDocument:
    """Enter a paper already signed outside the portal, as issued, with its number taken.

    The text fields are optional (the scan is the paper); given, they are what
    `render_retypeset` lays out again."""
    if kind not in KIND_SPECS:
        raise RuleViolation(f"Loại văn bản không hợp lệ: {kind}.", code="document_kind_invalid")
    if signer_capacity not in SignerCapacity.values:
        raise RuleViolation(
            "Thẩm quyền ký phải là một trong TM., KT., Q., TL., TUQ.",
            code="signing_authority_invalid",
        )
    if actor is not None:
        access.require(actor, Cap.ISSUE_DOCUMENTS, issuer)
    number, symbol = parse_number_and_symbol(number_and_symbol)
    sequence = int(number)
    summary = clean_lines(summary)
    if KIND_SPECS[kind].has_summary and not summary:
        raise RuleViolation("Cần ghi trích yếu của văn bản.", code="summary_missing")
    dating.check_not_future(issued_on, timezone.localdate())
    dating.check_issuer_on(issuer, issued_on)
    check_scan(scan)
    register = (
        numbering.register_for(issuer, kind, create=False)
        or Register.objects.get_or_create(
            issuer=issuer,
            kind=kind,
            defaults={"name": f"Sổ văn bản đi – {KIND_SPECS[kind].heading}"},
        )[0]
    )
    register = Register.objects.select_for_update().get(pk=register.pk)
    dating.check_recorded_place(register, sequence, issued_on)
    body_of_issuer = issuer.issuing_body(issued_on)
    document = OfficialDocument(
        kind=kind,
        issuer=issuer,
        status=DocumentStatus.ISSUED,
        is_recorded=True,
        register=register,
        year=issued_on.year,
        sequence=sequence,
        number=number,
        symbol=symbol,
        parent_body_name=body_of_issuer.parent_name,
        issuer_name=body_of_issuer.issuer_name,
        issuer_abbreviation=body_of_issuer.issuer_abbreviation,
        place_name=body_of_issuer.place_name,
        issued_on=issued_on,
        title=normalize_text(title).upper(),
        summary=summary,
        body=normalize_body(body),
        recipients=normalize_recipients(recipients),
        signer_name=normalize_text(signer_name),
        signer_capacity=signer_capacity,
        signer_authority=normalize_text(signer_authority).upper(),
        signer_position=clean_lines(signer_position).upper(),
        template_version=TEMPLATE_VERSION,
        created_by=actor if getattr(actor, "pk", None) else None,
        issued_by=actor if getattr(actor, "pk", None) else None,
        issued_at=timezone.now(),
        verification_code=numbering.new_verification_code(),
        sha256=hashlib.sha256(scan).hexdigest(),
    )
    label = fold(document.number_and_symbol).replace("/", "-")
    document.pdf.save(
        f"{label}-ban-quet-{document.verification_code}.pdf", ContentFile(scan), save=False
    )
    stamp(document, actor=actor, reason="portal.document.recorded")
    try:
        with transaction.atomic():
            document.save()
    except IntegrityError as error:
        raise RuleViolation(
            f"Số {document.number_and_symbol} năm {issued_on.year} đã có trong sổ của đơn vị.",
            code="number_symbol_taken",
        ) from error
    return document


def render_retypeset(document: OfficialDocument) -> bytes:
    """The recorded paper's own text laid out again as Decree 30 sets it: the header of its
    issuer as it was on the paper's date (snapshotted when recorded), its own number and date,
    its verification code. The signed scan stays the paper of record; this is a reading copy,
    so it is rendered when asked for and never replaces the scan."""
    if not document.is_recorded:
        raise RuleViolation(
            "Chỉ văn bản nhập từ văn bản giấy mới dàn trang lại; văn bản ban hành trên cổng đã có "
            "bản PDF của nó.",
            code="retypeset_not_recorded",
        )
    if not any(block.get("text") for block in document.body):
        raise RuleViolation(
            f"{document} được nhập không kèm nội dung, nên chưa dàn trang lại được.",
            code="retypeset_no_text",
        )
    return layout.render_pdf(document)
