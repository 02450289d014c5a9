"""Evidence files: the type is read from the file's content, never from its name.

Accepted: PDF, images (PNG, JPEG, GIF, WebP) and office documents (Word, Excel, PowerPoint in
their OOXML and legacy forms; OpenDocument). A zip that is not an office document is refused.
"""

from __future__ import annotations

import zipfile

from portal.errors import RuleViolation

MAX_EVIDENCE_BYTES = 10 * 1024 * 1024

_OOXML = {
    "word/document.xml": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    ),
    "xl/workbook.xml": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ppt/presentation.xml": (
        "application/vnd.openxmlformats-officedocument.presentationml.presentation"
    ),
}


def _zip_office_type(upload) -> str | None:
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
            for marker, content_type in _OOXML.items():
                if marker in names:
                    return content_type
            if "mimetype" in names:
                declared = archive.read("mimetype").decode("ascii", "replace").strip()
                if declared.startswith("application/vnd.oasis.opendocument."):
                    return declared
    except (zipfile.BadZipFile, OSError, KeyError):
        return None
    finally:
        upload.seek(0)
    return None


def sniff_content_type(upload) -> str | None:
    """The content type of `upload` as its bytes say, or None when it is not accepted."""
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "image/gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "application/x-ole-storage"  # .doc, .xls, .ppt
    if head.startswith(b"PK\x03\x04"):
        return _zip_office_type(upload)
    return None


def check_evidence(upload) -> str:
    """Refuse what is too big, empty or of a type we do not keep; return the content type."""
    name = getattr(upload, "name", "tệp")
    if upload.size == 0:
        raise RuleViolation(f"Tệp “{name}” rỗng.")
    if upload.size > MAX_EVIDENCE_BYTES:
        raise RuleViolation(f"Tệp “{name}” vượt quá {MAX_EVIDENCE_BYTES // (1024 * 1024)} MB.")
    content_type = sniff_content_type(upload)
    if content_type is None:
        raise RuleViolation(
            f"Tệp “{name}” không phải PDF, ảnh hoặc tài liệu văn phòng "
            "(kiểm tra theo nội dung tệp, không theo tên)."
        )
    return content_type
