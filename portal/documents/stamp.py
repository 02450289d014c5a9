"""Bulk certificates: the page is laid out once by WeasyPrint, each awardee's lines are stamped.

A batch of Giấy khen / Bằng khen shares everything but five fields (awardee, detail,
achievement, register number, verification code) and the QR code of that verification code.
Laying out hundreds of identical pages is what makes HTML renderers slow, so the shared page is
rendered once, with the fields empty, and reused as a Form XObject; WeasyPrint also reports
where the empty fields sit (their anchors). Each awardee's text is then set at those places in
the same bundled fonts, embedded once per batch as subsets with a ToUnicode map so the text
stays searchable and copyable, and the QR code drawn as filled squares in the box `cert-qr`.

Vietnamese text is NFC and Liberation Serif has every precomposed letter, so each character is
one glyph; kerning is not applied (the names are centred lines, the difference is invisible).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from io import BytesIO

from django.contrib.staticfiles import finders

LINE_HEIGHT = 1.25  # as `body` in nd30.css
BUNDLED_FONT = "Liberation-Serif-VN"  # the PDF name of nd30.css's "Liberation Serif VN"
PX = 0.75  # CSS px → PDF pt


@dataclass(frozen=True)
class Field:
    """A stamped field: its font file, size (pt) and alignment; mirrors nd30.css `.cert-*`."""

    font: str
    size: float
    align: str = "center"
    prefix: str = ""


FIELDS: dict[str, Field] = {
    "awardee": Field("LiberationSerif-Bold.ttf", 24),
    "detail": Field("LiberationSerif-Regular.ttf", 15),
    "achievement": Field("LiberationSerif-Italic.ttf", 15),
    "book_number": Field("LiberationSerif-Regular.ttf", 12, "left", "Số sổ: "),
    "verification_code": Field("LiberationSerif-Regular.ttf", 12, "left", "Mã xác minh: "),
}
ANCHORS = {name: f"cert-{name.replace('_', '-')}" for name in FIELDS}
QR_ANCHOR = "cert-qr"


def qr_matrix(text: str) -> list[list[bool]]:
    """The QR code of `text` as rows of dark (True) modules, with a one-module quiet zone.

    Encoded by zxing-cpp (C++): 0.4 ms a code where the pure-Python `qrcode` took 22 ms, which
    was most of a 500-certificate batch's time (#16). Error correction M, as `qrcode`'s default.
    """
    import zxingcpp

    code = zxingcpp.create_barcode(text, zxingcpp.BarcodeFormat.QRCode, ec_level="M")
    image = memoryview(code.to_image(scale=1, add_quiet_zones=False))
    size = image.shape[1]
    pixels = image.tobytes()  # one byte a module, 0 dark
    blank = [False] * (size + 2)
    rows = [
        [False, *(pixel == 0 for pixel in pixels[r * size : (r + 1) * size]), False]
        for r in range(image.shape[0])
    ]
    return [blank, *rows, list(blank)]


def _qr_ops(url: str, box: tuple[float, float, float, float], height_pt: float) -> str:
    """The QR code of `url` as filled rectangles fitting `box` (CSS px, origin top-left)."""
    matrix = qr_matrix(url)
    x1, y1, x2, y2 = box
    size = min(x2 - x1, y2 - y1) * PX
    module = size / len(matrix)
    left, top = x1 * PX, height_pt - y1 * PX
    rects = []
    for r, line in enumerate(matrix):
        c = 0
        while c < len(line):
            if not line[c]:
                c += 1
                continue
            start = c
            while c < len(line) and line[c]:
                c += 1
            # One rectangle per run of dark modules keeps the page small.
            rects.append(
                f"{left + start * module:.3f} {top - (r + 1) * module:.3f} "
                f"{(c - start) * module:.3f} {module:.3f} re"
            )
    return "0 g\n" + "\n".join(rects) + "\nf" if rects else ""


class _Font:
    def __init__(self, file_name: str) -> None:
        from fontTools.ttLib import TTFont

        self.file_name = file_name
        self.path = finders.find(f"fonts/{file_name}")
        font = TTFont(self.path)
        self.units = font["head"].unitsPerEm
        self.cmap = font.getBestCmap()
        order = font.getGlyphOrder()
        self.gid = {name: index for index, name in enumerate(order)}
        self.advance = {index: font["hmtx"][name][0] for index, name in enumerate(order)}
        self.ascent = font["hhea"].ascent / self.units
        self.descent = -font["hhea"].descent / self.units
        head = font["head"]
        self.bbox = [head.xMin, head.yMin, head.xMax, head.yMax]
        self.italic_angle = font["post"].italicAngle
        self.postscript = font["name"].getDebugName(6) or file_name

    def glyphs(self, text: str) -> list[int]:
        return [self.gid.get(self.cmap.get(ord(ch), ".notdef"), 0) for ch in text]

    def width(self, text: str, size: float) -> float:
        return sum(self.advance[g] for g in self.glyphs(text)) * size / self.units

    def wrap(self, text: str, size: float, width: float) -> list[str]:
        lines, line = [], ""
        for word in text.split(" "):
            candidate = f"{line} {word}" if line else word
            if line and self.width(candidate, size) > width:
                lines.append(line)
                line = word
            else:
                line = candidate
        return [*lines, line] if line else lines


@lru_cache(maxsize=8)
def _font(file_name: str) -> _Font:
    return _Font(file_name)


def _embed_font(writer, font: _Font, glyph_text: dict[int, str], tag: str):
    """A Type0/CIDFontType2 font holding just `glyph_text`'s glyphs (glyph ids kept)."""
    from fontTools import subset
    from fontTools.ttLib import TTFont
    from pypdf.generic import (
        ArrayObject,
        DecodedStreamObject,
        DictionaryObject,
        FloatObject,
        NameObject,
        NumberObject,
        TextStringObject,
    )

    options = subset.Options()
    options.retain_gids = True
    options.notdef_outline = True
    options.name_IDs = ["*"]
    options.layout_features = []
    options.drop_tables += ["FFTM"]  # FontForge's timestamp table: not needed, not subsettable
    tt = TTFont(font.path)
    subsetter = subset.Subsetter(options)
    subsetter.populate(gids=sorted(glyph_text))
    subsetter.subset(tt)
    data = BytesIO()
    tt.save(data)
    program = DecodedStreamObject()
    program.set_data(data.getvalue())
    program[NameObject("/Length1")] = NumberObject(len(data.getvalue()))
    program = program.flate_encode()

    # Named as WeasyPrint names the same bundled font (its @font-face family, nd30.css).
    style = font.postscript.partition("-")[2].replace("Regular", "")
    style = style.replace("BoldItalic", "Bold-Italic")
    base = NameObject(f"/{tag}+{BUNDLED_FONT}" + (f"-{style}" if style else ""))
    scale = 1000 / font.units
    flags = 32 | (64 if font.italic_angle else 0) | 2
    descriptor = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/FontDescriptor"),
            NameObject("/FontName"): base,
            NameObject("/Flags"): NumberObject(flags),
            NameObject("/FontBBox"): ArrayObject([FloatObject(v * scale) for v in font.bbox]),
            NameObject("/ItalicAngle"): FloatObject(font.italic_angle),
            NameObject("/Ascent"): FloatObject(font.ascent * 1000),
            NameObject("/Descent"): FloatObject(-font.descent * 1000),
            NameObject("/CapHeight"): FloatObject(font.ascent * 1000),
            NameObject("/StemV"): NumberObject(80),
            NameObject("/FontFile2"): writer._add_object(program),
        }
    )
    widths = ArrayObject()
    for gid in sorted(glyph_text):
        widths += [NumberObject(gid), ArrayObject([FloatObject(font.advance[gid] * scale)])]
    cid_font = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/CIDFontType2"),
            NameObject("/BaseFont"): base,
            NameObject("/CIDSystemInfo"): DictionaryObject(
                {
                    NameObject("/Registry"): TextStringObject("Adobe"),
                    NameObject("/Ordering"): TextStringObject("Identity"),
                    NameObject("/Supplement"): NumberObject(0),
                }
            ),
            NameObject("/FontDescriptor"): writer._add_object(descriptor),
            NameObject("/W"): widths,
            NameObject("/CIDToGIDMap"): NameObject("/Identity"),
        }
    )
    to_unicode = DecodedStreamObject()
    to_unicode.set_data(_to_unicode_cmap(glyph_text))
    return writer._add_object(
        DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Font"),
                NameObject("/Subtype"): NameObject("/Type0"),
                NameObject("/BaseFont"): base,
                NameObject("/Encoding"): NameObject("/Identity-H"),
                NameObject("/DescendantFonts"): ArrayObject([writer._add_object(cid_font)]),
                NameObject("/ToUnicode"): writer._add_object(to_unicode.flate_encode()),
            }
        )
    )


def _to_unicode_cmap(glyph_text: dict[int, str]) -> bytes:
    entries = [
        f"<{gid:04X}> <{text.encode('utf-16-be').hex().upper()}>"
        for gid, text in sorted(glyph_text.items())
    ]
    blocks = []
    for start in range(0, len(entries), 100):
        chunk = entries[start : start + 100]
        blocks.append(f"{len(chunk)} beginbfchar\n" + "\n".join(chunk) + "\nendbfchar")
    return (
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
        "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
        "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n"
        + "\n".join(blocks)
        + "\nendcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n"
    ).encode("ascii")


def stamp_certificates(
    background,
    rows: list[dict[str, str]],
    *,
    progress: Callable[[int, int], None] | None = None,
    progress_every: int = 25,
) -> bytes:
    """One page per row: the laid-out `background` (a WeasyPrint document) plus the row's text.

    `rows` hold the FIELDS' values and, under "qr", the URL to encode (none: no QR code).
    The field boxes come from the background's anchors; `progress(done, total)` is called every
    `progress_every` rows and after the last.
    """
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import (
        ArrayObject,
        DecodedStreamObject,
        DictionaryObject,
        FloatObject,
        NameObject,
    )

    page_box = background.pages[0]
    height_pt = page_box.height * PX
    boxes = {name: page_box.anchors[anchor] for name, anchor in ANCHORS.items()}
    qr_box = page_box.anchors.get(QR_ANCHOR)
    source = PdfReader(BytesIO(background.write_pdf(pdf_identifier=b"thidua-portal"))).pages[0]

    writer = PdfWriter()
    form = DecodedStreamObject()
    form.set_data(source.get_contents().get_data())
    form.update(
        {
            NameObject("/Type"): NameObject("/XObject"),
            NameObject("/Subtype"): NameObject("/Form"),
            NameObject("/BBox"): ArrayObject([FloatObject(v) for v in source.mediabox]),
            NameObject("/Resources"): source["/Resources"].clone(writer),
        }
    )
    form_ref = writer._add_object(form.flate_encode())

    # Lay out every row's lines first, so that each font is embedded once with what it needs.
    font_files = dict.fromkeys(field.font for field in FIELDS.values())
    font_names = {name: f"/F{i}" for i, name in enumerate(font_files)}
    used: dict[str, dict[int, str]] = {name: {} for name in font_names}
    pages_ops = []
    for done, row in enumerate(rows, 1):
        ops = ["q 1 0 0 1 0 0 cm /Background Do Q", "0 g"]
        for name, field in FIELDS.items():
            value = (row.get(name) or "").strip()
            if not value:
                continue
            font = _font(field.font)
            x1, y1, x2, _ = boxes[name]
            left, width = x1 * PX, (x2 - x1) * PX
            top = height_pt - y1 * PX
            size = field.size
            first_baseline = (
                top - ((LINE_HEIGHT - font.ascent - font.descent) / 2 + font.ascent) * size
            )
            for index, line in enumerate(font.wrap(field.prefix + value, size, width)):
                glyphs = font.glyphs(line)
                for gid, ch in zip(glyphs, line, strict=True):
                    used[field.font].setdefault(gid, ch)
                line_width = font.width(line, size)
                x = left + ((width - line_width) / 2 if field.align == "center" else 0)
                y = first_baseline - index * LINE_HEIGHT * size
                hex_glyphs = "".join(f"{g:04X}" for g in glyphs)
                ops.append(
                    f"BT {font_names[field.font]} {size:g} Tf 1 0 0 1 {x:.2f} {y:.2f} Tm"
                    f" <{hex_glyphs}> Tj ET"
                )
        if row.get("qr") and qr_box is not None:
            ops.append(_qr_ops(row["qr"], qr_box, height_pt))
        pages_ops.append("\n".join(ops).encode("ascii"))
        if progress is not None and (done % progress_every == 0 or done == len(rows)):
            progress(done, len(rows))

    fonts = DictionaryObject()
    for index, (file_name, resource) in enumerate(font_names.items()):
        if used[file_name]:
            tag = "".join(chr(ord("A") + (index * 7 + i) % 26) for i in range(6))
            fonts[NameObject(resource)] = _embed_font(
                writer, _font(file_name), used[file_name], tag
            )
    resources = writer._add_object(
        DictionaryObject(
            {
                NameObject("/XObject"): DictionaryObject({NameObject("/Background"): form_ref}),
                NameObject("/Font"): fonts,
            }
        )
    )
    width_pt, height = float(source.mediabox.width), float(source.mediabox.height)
    for ops in pages_ops:
        page = writer.add_blank_page(width_pt, height)
        content = DecodedStreamObject()
        content.set_data(ops)
        page[NameObject("/Contents")] = writer._add_object(content.flate_encode())
        page[NameObject("/Resources")] = resources
    writer.add_metadata({"/Producer": "Cổng thi đua – khen thưởng"})
    out = BytesIO()
    writer.write(out)
    return out.getvalue()
