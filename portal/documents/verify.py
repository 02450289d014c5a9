"""Is this document still standing, and is this file the one the register issued?

The public verification page reads these; nothing here writes. Codes printed on papers the
portal does not keep as documents (each awardee's certificate) are answered by lookups that
the apps owning them register here (`register_code_lookup`), so that `/xac-minh/<code>/` stays
the one place to verify and portal imports no domain app.
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from io import BytesIO

from django.db.models import Q
from django.utils import timezone

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
class CodeLookup:
    """What a registered lookup found for a code: the page to show and its context."""

    template: str
    context: dict
    title: str = ""


_CODE_LOOKUPS: dict[str, Callable[[str], CodeLookup | None]] = {}


def register_code_lookup(name: str, lookup: Callable[[str], CodeLookup | None]) -> None:
    """Called from an app's AppConfig.ready(); `lookup(code)` must cost a constant few queries."""
    _CODE_LOOKUPS[name] = lookup


def lookup_code(code: str) -> CodeLookup | None:
    """The first registered lookup that knows `code` (a code no document carries)."""
    for lookup in _CODE_LOOKUPS.values():
        found = lookup(code)
        if found is not None:
            return found
    return None


@dataclass(frozen=True)
class UploadCheck:
    """What the register says about an uploaded PDF."""

    sha256: str
    matched: OfficialDocument | None  # the issued document with exactly these bytes
    claimed: OfficialDocument | None  # the document the file names in its metadata
    signature: object  # portal.documents.signing.SignatureReport

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
    from portal.documents import signing

    digest = hashlib.sha256(data).hexdigest()
    issued = OfficialDocument.objects.issued()
    matched = issued.filter(Q(sha256=digest) | Q(annex_sha256=digest)).first()
    code = _claimed_code(data)
    claimed = matched or (issued.filter(verification_code=code).first() if code else None)
    if matched is not None and matched.sha256 == digest:
        signature = _validated(matched, data, digest)  # the register's own file, checked before
    else:
        signature = signing.validate_pdf(data)
    return UploadCheck(sha256=digest, matched=matched, claimed=claimed, signature=signature)


# Validity depends on the clock too (a certificate expires, a trust list changes): even for the
# same bytes and trust root, a verdict older than this is worked out again.
SIGNATURE_RECHECK_AFTER = datetime.timedelta(days=1)


def signature_of(document: OfficialDocument):
    """The signature verdict on the register's PDF of `document` (None when unsigned).

    Validating takes seconds, so the verdict is kept on the document with the SHA-256 of the
    bytes it was reached on and the trust root; it is reused only while the file read now has
    the same hash, the trust root is the same and the verdict is younger than a day. A replaced
    file (even under the same name) is validated afresh.
    """
    if not document.is_signed or not document.pdf:
        return None
    with document.pdf.open("rb") as handle:
        data = handle.read()
    return _validated(document, data, hashlib.sha256(data).hexdigest())


def _validated(document: OfficialDocument, data: bytes, digest: str):
    from portal.documents import signing

    root = signing.trust_root_fingerprint()
    kept = document.signature_check or {}
    now = timezone.now()
    if kept.get("sha256") == digest and kept.get("trust_root") == root:
        report = signing.SignatureReport.from_json(kept["report"])
        if report.checked_at and now - report.checked_at < SIGNATURE_RECHECK_AFTER:
            return report
    report = dataclasses.replace(signing.validate_pdf(data), checked_at=now)
    check = {"sha256": digest, "trust_root": root, "report": report.as_json()}
    # A cache of derived data, not an act of anyone: no history, no audit stamp.
    OfficialDocument.objects.filter(pk=document.pk).update(signature_check=check)
    document.signature_check = check
    return report
