"""Is this document still standing, and is this file the one the register issued?

The public verification page reads these; nothing here writes.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from io import BytesIO

from django.db.models import Q

from portal.models import OfficialDocument


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


@dataclass(frozen=True)
class UploadCheck:
    """What the register says about an uploaded PDF."""

    sha256: str
    matched: OfficialDocument | None  # the issued document with exactly these bytes
    claimed: OfficialDocument | None  # the document the file names in its metadata
    signature: object  # portal.signing.SignatureReport

    @property
    def is_authentic(self) -> bool:
        signature_ok = self.signature.bottom_line or not self.signature.present
        return self.matched is not None and signature_ok


def _claimed_code(data: bytes) -> str:
    from pypdf import PdfReader

    try:
        keywords = str((PdfReader(BytesIO(data)).metadata or {}).get("/Keywords", ""))
    except Exception:  # a damaged file names nothing
        return ""
    prefix = "xac-minh:"
    return keywords[len(prefix) :].strip() if keywords.startswith(prefix) else ""


def check_upload(data: bytes) -> UploadCheck:
    """Compare an uploaded PDF with the register (hash) and validate its signatures."""
    from portal import signing

    digest = hashlib.sha256(data).hexdigest()
    issued = OfficialDocument.objects.issued()
    matched = issued.filter(Q(sha256=digest) | Q(annex_sha256=digest)).first()
    code = _claimed_code(data)
    claimed = matched or (issued.filter(verification_code=code).first() if code else None)
    return UploadCheck(
        sha256=digest, matched=matched, claimed=claimed, signature=signing.validate_pdf(data)
    )
