"""Papers signed outside the portal: a leader signs the produced PDF with their own certificate
(a USB token or a remote signing service of the government CA, whose private key never reaches
the server) and uploads it back; this module decides whether the upload is that paper, signed.

What it refuses, each with a Vietnamese reason and a `code`:
- a file that is not the produced PDF followed by incremental updates only (the leader must
  sign exactly what the portal produced, byte for byte);
- a file with no new signature, or more or fewer than the signers expected;
- a signature that is not intact or not cryptographically valid;
- a signature that does not cover the whole file (bytes appended after the last one), or after
  which the content was changed (an earlier one of several);
- a certificate that was not valid at the signing time, or does not chain to a trust anchor
  (the folder `DOCUMENT_TRUST_ANCHORS_DIR`: the government CA's roots and intermediates).

A certificate whose holder's name differs from the person recorded as signer is not refused:
the upload reports it, and the văn thư confirms it with a reason (audited where the upload is
recorded).
"""

from __future__ import annotations

import asyncio
import datetime
import unicodedata
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from portal.errors import RuleViolation

ANCHOR_SUFFIXES = {".pem", ".crt", ".cer", ".der"}


@dataclass(frozen=True)
class OutsideSignature:
    """One signature found on the upload, in signing order."""

    holder: str  # the certificate's common name
    certificate_sha256: str
    signed_at: datetime.datetime
    expected: str  # the name of the person recorded as signer
    name_matches: bool


@dataclass(frozen=True)
class SignedUpload:
    signatures: list[OutsideSignature]

    @property
    def mismatches(self) -> list[OutsideSignature]:
        """The signatures a văn thư must confirm: held by someone else than recorded."""
        return [s for s in self.signatures if not s.name_matches]


def same_person_name(certificate_name: str, recorded_name: str) -> bool:
    """Names compared as Vietnamese is written: NFC, case and spacing ignored, accents kept
    ("Nguyễn Văn An" is not "Nguyễn Văn Ân")."""

    def norm(name: str) -> str:
        return " ".join(unicodedata.normalize("NFC", name).casefold().split())

    return norm(certificate_name) == norm(recorded_name)


def trust_anchors() -> list:
    """The certificates in `DOCUMENT_TRUST_ANCHORS_DIR` (PEM or DER, one or more per file)."""
    from asn1crypto import pem, x509

    folder = getattr(settings, "DOCUMENT_TRUST_ANCHORS_DIR", "")
    if not folder or not Path(folder).is_dir():
        return []
    anchors = []
    for path in sorted(Path(folder).iterdir()):
        if path.suffix.lower() not in ANCHOR_SUFFIXES:
            continue
        data = path.read_bytes()
        if pem.detect(data):
            anchors += [
                x509.Certificate.load(der) for _, _, der in pem.unarmor(data, multiple=True)
            ]
        else:
            anchors.append(x509.Certificate.load(data))
    return anchors


def _refuse(code: str, message: str) -> RuleViolation:
    return RuleViolation(message, code=f"signed_upload_{code}")


def check_signed_upload(
    produced: bytes,
    uploaded: bytes,
    *,
    signers: Sequence[str],
    anchors: Sequence | None = None,
    now: datetime.datetime | None = None,
) -> SignedUpload:
    """Check that `uploaded` is `produced` signed by `len(signers)` more signatures, in order,
    each valid and trusted; `signers` are the names of the persons recorded as signers.

    `produced` is the file the portal handed out: the paper to sign, or for a giao ước signed
    in turn, the file as it stood after the previous member's signature.
    """
    from pyhanko.pdf_utils.reader import PdfFileReader

    if not uploaded.startswith(produced) or len(uploaded) == len(produced):
        if uploaded.startswith(produced):
            raise _refuse("unsigned", "Tệp tải lên chưa có chữ ký số mới.")
        raise _refuse(
            "not_produced",
            "Tệp đã ký không phải bản văn bản cổng đã xuất để ký: nội dung trước chữ ký khác "
            "với bản chờ ký. Hãy tải bản chờ ký, ký đúng tệp đó rồi tải lên lại.",
        )
    try:
        embedded = list(PdfFileReader(BytesIO(uploaded), strict=False).embedded_signatures)
    except Exception as error:
        raise _refuse("unreadable", "Không đọc được tệp PDF đã ký.") from error
    # A signature belongs to the upload when its signed range reaches past the produced file.
    new = [sig for sig in embedded if _signed_length(sig) > len(produced)]
    if not new:
        raise _refuse("unsigned", "Tệp tải lên chưa có chữ ký số mới.")
    if len(new) != len(signers):
        raise _refuse(
            "count",
            f"Tệp có {len(new)} chữ ký số mới, trong khi văn bản cần {len(signers)} chữ ký.",
        )
    anchors = trust_anchors() if anchors is None else list(anchors)
    if not anchors:
        raise _refuse(
            "no_anchors",
            "Chưa cấu hình chứng thư gốc tin cậy (DOCUMENT_TRUST_ANCHORS_DIR) để kiểm tra chữ ký.",
        )
    now = now or timezone.now()
    found = []
    for position, (signature, expected) in enumerate(zip(new, signers, strict=True)):
        is_last = position == len(new) - 1
        found.append(_check_one(signature, expected, anchors=anchors, now=now, is_last=is_last))
    return SignedUpload(signatures=found)


def _off_the_loop(function, *args):
    """pyHanko's synchronous calls run their coroutine with asyncio.run, which refuses a thread
    whose event loop is running (an ASGI server, a browser test's worker): there, call from a
    thread of its own."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return function(*args)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(function, *args).result()


def _signed_length(signature) -> int:
    """The end of the byte range a signature covers."""
    start, length = (int(value) for value in list(signature.byte_range)[-2:])
    return start + length


def _check_one(signature, expected: str, *, anchors, now, is_last: bool) -> OutsideSignature:
    from pyhanko.sign.diff_analysis import ModificationLevel
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    certificate = signature.signer_cert
    holder = certificate.subject.native.get("common_name", "") or certificate.subject.human_friendly
    claimed = signature.self_reported_timestamp
    signed_at = min(claimed, now) if claimed else now
    not_before = certificate.not_valid_before
    not_after = certificate.not_valid_after
    if signed_at > not_after:
        raise _refuse(
            "expired",
            f"Chứng thư số của {holder} đã hết hạn ngày "
            f"{timezone.localtime(not_after):%d/%m/%Y} (trước thời điểm ký).",
        )
    if signed_at < not_before:
        raise _refuse(
            "not_yet_valid",
            f"Chứng thư số của {holder} chỉ có hiệu lực từ ngày "
            f"{timezone.localtime(not_before):%d/%m/%Y} (sau thời điểm ký).",
        )
    context = ValidationContext(
        trust_roots=list(anchors),
        allow_fetching=False,
        moment=signed_at,
        best_signature_time=signed_at,
    )
    try:
        status = _off_the_loop(validate_pdf_signature, signature, context)
    except Exception as error:
        raise _refuse("invalid", f"Không kiểm tra được chữ ký số của {holder}.") from error
    if not status.intact:
        raise _refuse(
            "not_intact",
            f"Chữ ký số của {holder} không còn nguyên vẹn: nội dung đã bị sửa sau khi ký.",
        )
    if not status.valid:
        raise _refuse("invalid", f"Chữ ký số của {holder} không hợp lệ.")
    if is_last and status.coverage != SignatureCoverageLevel.ENTIRE_FILE:
        raise _refuse(
            "not_whole_file",
            f"Chữ ký số của {holder} không bao trùm toàn bộ tệp: có dữ liệu được thêm vào sau "
            "chữ ký.",
        )
    if not is_last and (
        status.coverage < SignatureCoverageLevel.ENTIRE_REVISION
        or status.modification_level is None
        or status.modification_level > ModificationLevel.FORM_FILLING
    ):
        raise _refuse(
            "changed_after",
            f"Sau chữ ký số của {holder}, tệp đã bị thay đổi ngoài việc ký tiếp.",
        )
    if status.trust_problem_indic is not None or not status.trusted:
        raise _refuse(
            "untrusted",
            f"Chứng thư số của {holder} không do tổ chức chứng thực được tin cậy cấp.",
        )
    return OutsideSignature(
        holder=holder,
        certificate_sha256=certificate.sha256.hex(),
        signed_at=signed_at,
        expected=expected,
        name_matches=same_person_name(holder, expected),
    )
