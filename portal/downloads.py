"""File names of downloads: Vietnamese, and readable by every browser.

A header value outside Latin-1 ("Quyết định 12/QĐ-UBND.docx") is RFC 2047-encoded by Django,
which browsers do not read in Content-Disposition (Chromium then saves `download.docx`).
RFC 6266 gives `filename*=UTF-8''…`; Django's `content_disposition_header` writes it, with an
ASCII `filename=` fallback only when the name is ASCII (FileResponse uses it too).
"""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.http import content_disposition_header


def file_name(*parts: str, extension: str) -> str:
    """A file name from words: slashes (a document's "12/QĐ-UBND") become dashes."""
    text = " ".join(part.strip() for part in parts if part and part.strip())
    return f"{text.replace('/', '-')}.{extension}"


def attach(response: HttpResponse, filename: str, *, inline: bool = False) -> HttpResponse:
    response["Content-Disposition"] = content_disposition_header(not inline, filename)
    return response
