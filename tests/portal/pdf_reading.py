"""Reading produced PDFs back in tests: text runs with their positions, embedded fonts."""

from __future__ import annotations

from pypdf import PdfReader

MM = 72 / 25.4


def text_items(page) -> list[tuple[float, float, str]]:
    """(x mm from the left, y mm from the bottom, text) of every text run on a page."""
    items = []

    def visit(text, cm, tm, font_dict, font_size):
        if text.strip():
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            items.append((x / MM, y / MM, text.strip()))

    page.extract_text(visitor_text=visit)
    return items


def embedded_fonts(reader: PdfReader) -> set[str]:
    names = set()
    for page in reader.pages:
        for font in page["/Resources"].get("/Font", {}).values():
            font = font.get_object()
            names.add(str(font["/BaseFont"]).split("+", 1)[-1])
            for descendant in font.get("/DescendantFonts", []):
                names.add(str(descendant.get_object()["/BaseFont"]).split("+", 1)[-1])
    return names
