"""Real published campaign papers, read from their source text for the browser journeys.

Each source under `sources/` is the published text as stored in the public dataset
github.com/tnt305/tai_lieu_noi_bo (`src/etl/dataset/<id>.md`, a collection of Vietnamese legal
texts converted to Markdown), copied unchanged: the address is in `PAPERS`. The parser only
undoes the conversion — lines wrapped inside a paragraph are joined with a space, "**" bold marks
are dropped — and never touches a letter: no NFC folding beyond composition, no accent folding.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

SOURCES = Path(__file__).parent / "sources"
DATASET = "https://github.com/tnt305/tai_lieu_noi_bo/blob/main/src/etl/dataset/"


@dataclass(frozen=True)
class Paper:
    file: str
    source: str  # where the text was published (the dataset's file)
    kind: str  # "plan" or "directive"
    unit_name: str  # the issuing unit as named on the paper's date
    short_name: str
    unit_kind: str
    number_and_symbol: str  # as printed on the source (the portal numbers from its register)
    issued_on: datetime.date
    summary: str = ""
    paragraphs: list[str] = field(default_factory=list)
    signer_capacity: str = ""
    signer_authority: str = ""
    signer_position: str = ""
    signer_name: str = ""
    recipients: list[str] = field(default_factory=list)


def _flat(lines: list[str]) -> str:
    text = " ".join(line.strip() for line in lines)
    # Markdown's bold and italic marks are the conversion's, not the paper's; a lone " * "
    # (a multiplication) would be the paper's and stays.
    text = re.sub(r"(?<! )\*|\*(?! )", "", text)
    return unicodedata.normalize("NFC", re.sub(r"\s+", " ", text).strip())


def read(paper: Paper) -> Paper:
    """`paper` with its trích yếu, body paragraphs, signer and recipients from the source."""
    lines = (SOURCES / paper.file).read_text(encoding="utf-8").splitlines()
    heading = next(
        i for i, line in enumerate(lines) if line.strip() in ("**KẾ HOẠCH**", "**CHỈ THỊ**")
    )
    blocks: list[list[str]] = [[]]
    for line in lines[heading + 1 :]:
        if line.strip() == "|":
            break
        if line.strip():
            blocks[-1].append(line)
        elif blocks[-1]:
            blocks.append([])
    # A block of conversion marks only ("* *") is no paragraph of the paper.
    texts = [text for text in (_flat(block) for block in blocks if block) if text]
    summary, body = texts[0], texts[1:]
    tail = [line.strip() for line in lines[heading:] if line.strip()]
    start = tail.index("Nơi nhận:")
    recipients: list[str] = []
    for line in tail[start + 1 :]:
        if line == "|":
            break
        if line.startswith("-"):
            recipients.append(line)
        else:  # a recipient wrapped onto the next line ("(b/c);")
            recipients[-1] = f"{recipients[-1]} {line}"
    recipients = [r.lstrip("- ").rstrip(";.") for r in recipients]
    opened = tail.index("|", start) + 1
    signature = tail[opened : tail.index("|", opened)]
    # The cell ends with the signer's name (bold or not); above it the bold title
    # ("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH") and the plain position lines.
    name, above = _flat(signature[-1:]), signature[:-1]
    bold = [line for line in above if line.startswith("**") or line.endswith("**")]
    capacity, _, authority = _flat(bold).partition(" ")
    positions = [line for line in above if line not in bold]
    return Paper(
        **{
            **paper.__dict__,
            "summary": summary,
            "paragraphs": body,
            "signer_capacity": capacity,
            "signer_authority": authority,
            "signer_position": "\n".join(positions),
            "signer_name": name,
            "recipients": recipients,
        }
    )


def parts(paper: Paper) -> dict[str, list[str]]:
    """The paragraphs as an author enters them in the campaign form: everything up to the
    heading of part II in the preamble, the paragraphs of part II as the content items (each
    with its own label), the rest after them."""
    body = paper.paragraphs
    second = next(i for i, text in enumerate(body) if text.startswith("II."))
    third = next(i for i, text in enumerate(body) if re.match(r"^[IVX]+\.", text) and i > second)
    return {
        "preamble": body[: second + 1],
        "items": body[second + 1 : third],
        "closing": body[third:],
    }


PAPERS = [
    Paper(
        file="nghe-an-982-kh-ubnd-2025.md",
        source=DATASET + "99c7d8fff9e4572e.md",
        kind="plan",
        unit_name="Tỉnh Nghệ An",
        short_name="Nghệ An",
        unit_kind="province",
        number_and_symbol="982/KH-UBND",
        issued_on=datetime.date(2025, 11, 19),
    ),
    Paper(
        file="can-tho-157-kh-ubnd-2025.md",
        source=DATASET + "3a2db039af8c2d05.md",
        kind="plan",
        unit_name="Thành phố Cần Thơ",
        short_name="Cần Thơ",
        unit_kind="central_city",
        number_and_symbol="157/KH-UBND",
        issued_on=datetime.date(2025, 11, 18),
    ),
    Paper(
        file="dak-lak-0125-kh-ubnd-2025.md",
        source=DATASET + "2957e4f4f0e41373.md",
        kind="plan",
        unit_name="Tỉnh Đắk Lắk",
        short_name="Đắk Lắk",
        unit_kind="province",
        number_and_symbol="0125/KH-UBND",
        issued_on=datetime.date(2025, 11, 18),
    ),
]

# Papers signed on paper before they reach the portal: recorded with their own number and date
# ("Nhập văn bản đã ban hành"), laid out again from their text, and launched on as history.
RECORDED = [
    Paper(
        file="dak-lak-0124-kh-ubnd-2025.md",
        source=DATASET + "556b2fb4a0149576.md",
        kind="plan",
        unit_name="Tỉnh Đắk Lắk",
        short_name="Đắk Lắk",
        unit_kind="province",
        number_and_symbol="0124/KH-UBND",
        issued_on=datetime.date(2025, 11, 18),
    ),
]
