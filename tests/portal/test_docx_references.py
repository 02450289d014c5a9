"""The Word file keeps references whole on a line, as the PDF does (content.UNBREAKABLE)."""

from __future__ import annotations

import shutil
import subprocess
import unicodedata
import zipfile
from io import BytesIO

import docx
import pdfplumber
import pytest

from portal import documents

# What the PDF keeps together (content.UNBREAKABLE), each among plain words.
REFERENCES = [
    "số 12-CT/TW",
    "số 152/2025/NĐ-CP",
    "ngày 15 tháng 6 năm 2022",
    "điểm a khoản 2 Điều 3",
]
# Words of every length before each reference put it, in one paragraph or another, across the
# right margin: unprotected, some line would end inside it.
FILLER = "Thi đua yêu nước theo tinh thần của"


def _paragraphs() -> list[str]:
    rows = []
    for shift in range(14):
        lead = " ".join([FILLER] * 2 + ["ở"] * shift)
        rows.append(
            f"{lead} Chỉ thị {REFERENCES[0]}, Nghị định {REFERENCES[1]}, {REFERENCES[2]}, "
            f"{REFERENCES[3]} đã được quán triệt."
        )
    return rows


@pytest.fixture
def draft(world):
    return documents.create_draft(
        "plan",
        issuer=world.province,
        actor=world.officer,
        summary="Về việc thực hiện Chỉ thị số 12-CT/TW ngày 15 tháng 6 năm 2022",
        body="\n".join(_paragraphs()),
    )


def test_references_in_the_docx_are_made_of_unbreakable_characters(draft):
    word = docx.Document(BytesIO(documents.render_docx(draft)))
    body = [p.text for p in word.paragraphs if FILLER in p.text]
    assert len(body) == 14
    for text in body:
        assert "12\u2011CT" not in text  # Word's own hyphen element, read back as "-"
        assert "số\u00a012-CT/\u2060TW" in text
        assert "số\u00a0152/\u20602025/\u2060NĐ-CP" in text
        assert "ngày\u00a015\u00a0tháng\u00a06\u00a0năm\u00a02022" in text
        assert "điểm\u00a0a\u00a0khoản\u00a02\u00a0Điều\u00a03" in text
        assert FILLER in text  # the words around the references break as usual
    with zipfile.ZipFile(BytesIO(documents.render_docx(draft))) as package:
        xml = package.read("word/document.xml").decode()
    assert "<w:noBreakHyphen/>" in xml


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is missing")
def test_no_reference_is_split_across_lines_when_the_docx_is_laid_out(draft, tmp_path):
    (tmp_path / "ke-hoach.docx").write_bytes(documents.render_docx(draft))
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(tmp_path / "ke-hoach.docx"),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    with pdfplumber.open(tmp_path / "ke-hoach.pdf") as pdf:
        text = "\n".join(page.extract_text() for page in pdf.pages)
    lines = [
        unicodedata.normalize("NFC", line).replace("\u2060", "").replace("\u00a0", " ")
        for line in text.splitlines()
    ]
    body = [line for line in lines if line.strip()]
    joined = " ".join(body)
    for reference in REFERENCES:
        # Every occurrence is printed, and each sits whole on one line.
        assert joined.count(reference) >= 14, reference
        assert sum(line.count(reference) for line in body) == joined.count(reference), reference
