"""The author's paragraphs read back from a rendered PDF with pdfplumber.

Lines are grouped into paragraphs by the first-line indent of the body (10 mm) and by the gap
before a paragraph; the page numbers (top margin) and the verification line (bottom margin of
page 1) are left out. Text is NFC, never folded.
"""

from __future__ import annotations

import io
import unicodedata

import pdfplumber

MM = 72 / 25.4
TOP_MARGIN_MM = 20
BOTTOM_MARGIN_MM = 20


def lines(pdf: bytes) -> list[str]:
    """Every text line inside the page's body area, in reading order."""
    result = []
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        for page in document.pages:
            body = page.crop(
                (0, TOP_MARGIN_MM * MM - 1, page.width, page.height - BOTTOM_MARGIN_MM * MM + 1)
            )
            for line in body.extract_text_lines():
                result.append(unicodedata.normalize("NFC", line["text"]))
    return result


def body_lines(pdf: bytes) -> list[dict]:
    """Lines of the body with their left edge (mm) and top (mm from the page's top)."""
    result = []
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        for number, page in enumerate(document.pages):
            body = page.crop(
                (0, TOP_MARGIN_MM * MM - 1, page.width, page.height - BOTTOM_MARGIN_MM * MM + 1)
            )
            for line in body.extract_text_lines():
                result.append(
                    {
                        "text": " ".join(unicodedata.normalize("NFC", line["text"]).split()),
                        "x0": line["x0"] / MM,
                        "top": line["top"] / MM + number * 1000,
                    }
                )
    return result


def paragraphs(pdf: bytes, *, start: str, stop: str | None = None) -> list[str]:
    """The body's paragraphs from the one starting with `start` up to (without) the one
    starting with `stop`: a line starts a paragraph when it is indented (first-line indent of
    10 mm from the 30 mm margin) and the line before it ended the previous one."""
    rows = body_lines(pdf)
    first = next(i for i, row in enumerate(rows) if row["text"].startswith(start))
    result: list[str] = []
    for row in rows[first:]:
        if stop and row["text"].startswith(stop):
            break
        indented = row["x0"] > 30 + 7
        if indented or not result:
            result.append(row["text"])
        else:
            result[-1] = f"{result[-1]} {row['text']}"
    return result


def page_one_png(pdf: bytes, folder):
    """Page 1 rendered at 300 dpi by pdftoppm, as a PIL image (the caller closes it)."""
    import subprocess

    from PIL import Image

    source = folder / "paper.pdf"
    source.write_bytes(pdf)
    subprocess.run(
        [
            *("pdftoppm", "-r", "300", "-f", "1", "-l", "1"),
            *("-png", "-singlefile", source, folder / "p1"),
        ],
        check=True,
    )
    return Image.open(folder / "p1.png")


def qr_codes_on_page_one(pdf: bytes, folder) -> list[str]:
    """What a QR decoder (zxing-cpp) reads from page 1 rendered at 300 dpi."""
    import zxingcpp

    with page_one_png(pdf, folder) as page:
        found = zxingcpp.read_barcodes(page)
    return [code.text for code in found if code.format == zxingcpp.BarcodeFormat.QRCode]
