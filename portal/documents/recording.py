"""Papers signed outside the portal, recorded with their own number, date and signed scan.

"Nhập văn bản đã ban hành" is how last year's and earlier directives enter the portal: the
paper keeps its number and symbol and its date, its number is marked taken in the issuer's
register (so the register never hands it out, and a second record of it is refused), and the
signed scan becomes its file. The scan is checked by its content: a PDF that opens.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import re

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from portal import access
from portal.access import Cap
from portal.audit import stamp
from portal.documents import dating, numbering
from portal.documents.content import TEMPLATE_VERSION, clean_lines, normalize_body
from portal.errors import RuleViolation
from portal.models import DocumentStatus, OfficialDocument, Register, Unit
from portal.models.documents import KIND_SPECS
from portal.text import fold, normalize_text

MAX_SCAN_BYTES = 20 * 1024 * 1024
NUMBER_AND_SYMBOL = re.compile(r"^(\d{1,6})/(\S+)$")


def check_scan(data: bytes) -> int:
    """The page count of a signed scan, refused unless its bytes are a PDF that opens."""
    if not data:
        raise RuleViolation("Cần tải lên bản quét văn bản đã ký (PDF).", code="scan_missing")
    if len(data) > MAX_SCAN_BYTES:
        raise RuleViolation("Bản quét quá lớn (tối đa 20 MB).", code="scan_too_large")
    if not data.startswith(b"%PDF-"):
        raise RuleViolation("Bản quét không phải tệp PDF.", code="scan_not_pdf")
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        pages = len(PdfReader(io.BytesIO(data), strict=False).pages)
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as error:
        raise RuleViolation("Tệp PDF bị hỏng, không mở được.", code="scan_broken") from error
    if pages < 1:
        raise RuleViolation("Tệp PDF không có trang nào.", code="scan_broken")
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
    signer_name: str = "",
    signer_position: str = "",
) -> OfficialDocument:
    """Enter a paper already signed outside the portal, as issued, with its number taken."""
    if kind not in KIND_SPECS:
        raise RuleViolation(f"Loại văn bản không hợp lệ: {kind}.")
    if actor is not None:
        access.require(actor, Cap.ISSUE_DOCUMENTS, issuer)
    written = normalize_text(number_and_symbol).replace(" ", "")
    match = NUMBER_AND_SYMBOL.match(written)
    if not match:
        raise RuleViolation(
            "Số, ký hiệu phải ghi như trên văn bản, ví dụ 12/CT-UBND.", code="number_format"
        )
    number, symbol = match.groups()
    sequence = int(number)
    if sequence < 1:
        raise RuleViolation("Số văn bản bắt đầu từ 01.", code="number_format")
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
        summary=summary,
        body=normalize_body(body),
        signer_name=normalize_text(signer_name),
        signer_position=clean_lines(signer_position).upper(),
        template_version=TEMPLATE_VERSION,
        created_by=actor if getattr(actor, "pk", None) else None,
        issued_by=actor if getattr(actor, "pk", None) else None,
        issued_at=timezone.now(),
        verification_code=numbering.new_verification_code(),
        sha256=hashlib.sha256(scan).hexdigest(),
    )
    label = fold(f"{number}/{symbol}").replace("/", "-")
    document.pdf.save(
        f"{label}-ban-quet-{document.verification_code}.pdf", ContentFile(scan), save=False
    )
    stamp(document, actor=actor, reason="portal.document.recorded")
    try:
        with transaction.atomic():
            document.save()
    except IntegrityError as error:
        raise RuleViolation(
            f"Số {number}/{symbol} năm {issued_on.year} đã có trong sổ của đơn vị.",
            code="duplicate_number",
        ) from error
    return document
