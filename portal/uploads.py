"""The one check every uploaded file passes before it is kept.

The type is read from the bytes, never from the name or the browser's claim: an executable or an
HTML page named `.pdf` is refused. The size limit is named in the message. A kept file gets a
random name (the original stays in the record where a model keeps one), and the storage has no
public URL: files leave only through `portal.files`, which applies the record's scope.
"""

from __future__ import annotations

import os
import uuid
import zipfile
from dataclasses import dataclass, replace

from django.conf import settings
from django.core.exceptions import ValidationError
from PIL import Image, UnidentifiedImageError

from portal.errors import RuleViolation

PDF = "pdf"
IMAGE = "image"
DOCX = "docx"
XLSX = "xlsx"
PPTX = "pptx"
ODF = "odf"
OLE = "ole"  # the legacy .doc, .xls, .ppt

PDF_ONLY = frozenset({PDF})
XLSX_ONLY = frozenset({XLSX})
PDF_OR_IMAGE = frozenset({PDF, IMAGE})
EVIDENCE = frozenset({PDF, IMAGE, DOCX, XLSX, PPTX, ODF, OLE})

_WHAT = {
    PDF: "PDF",
    IMAGE: "ảnh (PNG, JPEG, GIF, WebP)",
    DOCX: "Word (.docx)",
    XLSX: "bảng tính Excel (.xlsx)",
    PPTX: "PowerPoint (.pptx)",
    ODF: "OpenDocument",
    OLE: "Word/Excel/PowerPoint đời cũ",
}
_OOXML = {
    "word/document.xml": (
        DOCX,
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ".docx",
    ),
    "xl/workbook.xml": (
        XLSX,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ".xlsx",
    ),
    "ppt/presentation.xml": (
        PPTX,
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        ".pptx",
    ),
}
_IMAGES = {
    "PNG": ("image/png", ".png"),
    "JPEG": ("image/jpeg", ".jpg"),
    "GIF": ("image/gif", ".gif"),
    "WEBP": ("image/webp", ".webp"),
}


@dataclass(frozen=True)
class Sniffed:
    kind: str
    content_type: str
    extension: str
    original_name: str = ""


def max_upload_bytes() -> int:
    return settings.UPLOAD_MAX_BYTES


def megabytes(size: int) -> str:
    """A size as people read it: "10 MB", "11,5 MB", "300 KB"."""
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.3g} MB".replace(".", ",")
    if size >= 1024:
        return f"{size / 1024:.3g} KB".replace(".", ",")
    return f"{size} byte"


def _zip_kind(upload) -> Sniffed | None:
    # Only the central directory is read: the check never inflates an entry, so a zip bomb costs
    # nothing here (the Excel reader applies its own limits before it parses a workbook).
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
            for marker, (kind, content_type, extension) in _OOXML.items():
                if marker in names and "[Content_Types].xml" in names:
                    return Sniffed(kind, content_type, extension)
            if "mimetype" in names and archive.getinfo("mimetype").file_size < 100:
                declared = archive.read("mimetype").decode("ascii", "replace").strip()
                if declared.startswith("application/vnd.oasis.opendocument."):
                    extension = "." + {"text": "odt", "spreadsheet": "ods"}.get(
                        declared.rsplit(".", 1)[-1], "odp"
                    )
                    return Sniffed(ODF, declared, extension)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError):
        return None
    return None


def _pdf_ends_well(upload, size: int) -> bool:
    upload.seek(max(0, size - 2048))
    return b"%%EOF" in upload.read()


def _image_kind(upload) -> Sniffed | None:
    try:
        with Image.open(upload) as image:
            image.verify()
            found = _IMAGES.get(image.format or "")
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        return None
    return Sniffed(IMAGE, *found) if found else None


def sniff(upload) -> Sniffed | None:
    """What the bytes of `upload` are, among the kinds the portal keeps; None otherwise."""
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    try:
        if head.startswith(b"%PDF-"):
            whole = _pdf_ends_well(upload, upload.size)
            return Sniffed(PDF, "application/pdf", ".pdf") if whole else None
        if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
            return Sniffed(OLE, "application/x-ole-storage", ".bin")
        if head.startswith(b"PK\x03\x04"):
            return _zip_kind(upload)
        if head[:4] in (b"\x89PNG", b"GIF8", b"RIFF") or head.startswith(b"\xff\xd8\xff"):
            return _image_kind(upload)
        return None
    finally:
        upload.seek(0)


def describe(allowed: frozenset[str]) -> str:
    if allowed == EVIDENCE:
        return "PDF, ảnh hoặc tài liệu văn phòng (Word, Excel, PowerPoint, OpenDocument)"
    return ", ".join(_WHAT[kind] for kind in sorted(allowed, key=list(_WHAT).index))


def check_upload(
    upload, *, allowed: frozenset[str], max_bytes: int | None = None, label: str = "Tệp"
) -> Sniffed:
    """Refuse an empty, too big or wrongly typed upload (RuleViolation); say what its bytes are."""
    limit = max_bytes or max_upload_bytes()
    name = os.path.basename(getattr(upload, "name", "") or "") or "tệp"
    if upload.size == 0:
        raise RuleViolation(f"{label} “{name}” rỗng.", code="upload_empty")
    if upload.size > limit:
        raise RuleViolation(
            f"{label} “{name}” nặng {megabytes(upload.size)}, vượt giới hạn {megabytes(limit)}.",
            code="upload_too_large",
        )
    found = sniff(upload)
    if found is None or found.kind not in allowed:
        raise RuleViolation(
            f"{label} “{name}” không phải {describe(allowed)} (kiểm tra theo nội dung tệp, "
            "không theo tên tệp).",
            code="upload_wrong_type",
        )
    return replace(found, original_name=name)


def accept_upload(
    upload, *, allowed: frozenset[str], max_bytes: int | None = None, label: str = "Tệp"
) -> Sniffed:
    """Check `upload` as `check_upload` does, then give it a random name to be stored under.

    Services call this before they save a file, whoever called them; the original name comes
    back in the result for the records that show it.
    """
    found = check_upload(upload, allowed=allowed, max_bytes=max_bytes, label=label)
    upload.name = random_name(found.extension)
    return found


def clean_upload(upload, *, allowed: frozenset[str], max_bytes: int | None = None):
    """For a form's clean_<field>: the same check, as a field error."""
    if not upload:
        return upload
    try:
        check_upload(upload, allowed=allowed, max_bytes=max_bytes)
    except RuleViolation as error:
        raise ValidationError(error.message) from error
    return upload


def random_name(extension: str) -> str:
    return f"{uuid.uuid4().hex}{extension}"
