"""The one Excel writer and the one Excel reader of the portal.

Writing: text that Excel would take for a formula (it starts with =, +, -, @, a tab or a carriage
return) is stored as text with Excel's own quote prefix, so a task named `=HYPERLINK(…)` can never
run in a city officer's spreadsheet; numbers and dates stay real numbers and dates. Every sheet
prints on A4, fitted to the page width, with its header row repeated on each page. Import
templates get dropdown lists where a column has a fixed set of values.

Reading: a workbook is a zip of XML. Before anything is parsed the archive's central directory is
checked against `EXCEL_MAX_ENTRIES` and `EXCEL_MAX_UNCOMPRESSED_BYTES` (a zip bomb of 800 MB in
820 KB is refused in milliseconds, without inflating a byte); rows are read up to a cap; a broken
archive or malformed XML is refused with a Vietnamese message naming the problem.
"""

from __future__ import annotations

import datetime
import zipfile
from collections.abc import Iterable, Sequence
from io import BytesIO
from xml.etree.ElementTree import ParseError

from django.conf import settings
from django.utils import timezone
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from portal.errors import RuleViolation
from portal.uploads import megabytes

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
DATE_FORMAT = "DD/MM/YYYY"
DATETIME_FORMAT = "DD/MM/YYYY HH:MM"
HEADER_FONT = Font(bold=True)

try:  # lxml's parser, when openpyxl uses it, raises its own error class
    from lxml.etree import XMLSyntaxError
except ImportError:  # pragma: no cover - lxml is a dependency of the project
    XMLSyntaxError = ParseError


# ---------------------------------------------------------------- writing


def is_formula_like(value: object) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def _protect(cell) -> None:
    """A cell holding formula-like text: stored as a string, shown with Excel's quote prefix."""
    if is_formula_like(cell.value):
        cell.data_type = "s"
        cell.quotePrefix = True
    elif isinstance(cell.value, datetime.datetime):
        cell.number_format = DATETIME_FORMAT
    elif isinstance(cell.value, datetime.date):
        cell.number_format = DATE_FORMAT


def _plain(value: object) -> object:
    # Excel has no time zones: an aware datetime is written in the portal's local time.
    if isinstance(value, datetime.datetime) and value.tzinfo is not None:
        return timezone.localtime(value).replace(tzinfo=None)
    return value


def write_row(sheet, values: Iterable[object], *, bold: bool = False) -> None:
    """Append one row to `sheet` (normal or write-only), every text cell safe from formulas."""
    values = [_plain(value) for value in values]
    if isinstance(sheet, Worksheet):
        sheet.append(values)
        for cell in sheet[sheet.max_row]:
            _protect(cell)
            if bold:
                cell.font = HEADER_FONT
        return
    cells = []
    for value in values:
        cell = WriteOnlyCell(sheet, value=value)
        _protect(cell)
        if bold:
            cell.font = HEADER_FONT
        cells.append(cell)
    sheet.append(cells)


def set_up_sheet(sheet, *, header_row: int | None = 1, widths: Sequence[int] = ()) -> None:
    """A4, fitted to the width, the header row repeated on each printed page, column widths."""
    sheet.page_setup.paperSize = 9  # A4 in the SpreadsheetML enumeration
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    if header_row:
        sheet.print_title_rows = f"{header_row}:{header_row}"
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width


def add_choices(sheet, column: int, choices: Sequence[str], *, first_row: int, last_row: int):
    """A dropdown on `column` (1-based) from `first_row` to `last_row` with the fixed choices."""
    listed = ",".join(choice.replace(",", " ") for choice in choices)
    validation = DataValidation(
        type="list",
        formula1=f'"{listed}"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Giá trị không hợp lệ",
        error="Hãy chọn một giá trị trong danh sách.",
    )
    letter = get_column_letter(column)
    validation.add(f"{letter}{first_row}:{letter}{last_row}")
    sheet.add_data_validation(validation)


def workbook_bytes(book: Workbook) -> bytes:
    """Save `book`; before saving, every cell of a normal sheet gets the same protection, so a
    value written directly (sheet["A1"] = …) is as safe as one written by write_row."""
    for sheet in book.worksheets:
        if isinstance(sheet, Worksheet):
            for row in sheet.iter_rows():
                for cell in row:
                    _protect(cell)
            if not sheet.print_title_rows and sheet.max_row > 1:
                set_up_sheet(sheet, header_row=None)
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def header_cells_style(sheet, row: int = 1) -> None:
    for cell in sheet[row]:
        cell.font = HEADER_FONT
        cell.alignment = Alignment(wrap_text=True, vertical="center")


# ---------------------------------------------------------------- reading


class WorkbookRefused(RuleViolation):
    """An uploaded workbook refused as a whole, before or while it was read; nothing saved."""


def _refuse(problem: str) -> WorkbookRefused:
    return WorkbookRefused(
        f"Không đọc được tệp Excel: {problem} Chưa có dữ liệu nào được lưu.",
        code="workbook_unreadable",
    )


def check_archive(upload) -> None:
    """Refuse a workbook whose archive is broken, or too big once inflated, before parsing it.

    Only the central directory is read. Python's zip reader never inflates an entry past the size
    the directory declares, so the sum checked here bounds what openpyxl can later unpack.
    """
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError) as error:
        raise _refuse("tệp không phải bảng tính .xlsx (cấu trúc nén bị hỏng).") from error
    finally:
        upload.seek(0)
    if len(entries) > settings.EXCEL_MAX_ENTRIES:
        raise _refuse(
            f"tệp có {len(entries)} thành phần, quá giới hạn {settings.EXCEL_MAX_ENTRIES}."
        )
    inflated = sum(entry.file_size for entry in entries)
    if inflated > settings.EXCEL_MAX_UNCOMPRESSED_BYTES:
        raise _refuse(
            f"nội dung giải nén là {megabytes(inflated)}, quá giới hạn "
            f"{megabytes(settings.EXCEL_MAX_UNCOMPRESSED_BYTES)} (tệp có thể là “bom nén”)."
        )


_PARSE_ERRORS = (
    XMLSyntaxError,
    ParseError,
    InvalidFileException,
    zipfile.BadZipFile,
    KeyError,
    ValueError,
    TypeError,
    AttributeError,
    IndexError,
    EOFError,
    OSError,
)


def read_workbook(upload, *, max_rows: int) -> dict[str, list[tuple]]:
    """Every sheet's rows (values only), by sheet name, in order; at most `max_rows` rows each.

    A sheet with a non-empty row past the cap refuses the whole file (the message names the cap
    and the sheet): an import is all or nothing, never silently cut short.
    """
    check_archive(upload)
    try:
        book = load_workbook(upload, read_only=True, data_only=True)
    except _PARSE_ERRORS as error:
        raise _refuse(f"cấu trúc bảng tính bị hỏng ({_what(error)}).") from error
    sheets: dict[str, list[tuple]] = {}
    try:
        for sheet in book.worksheets:
            rows = []
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
                if number > 2 * max_rows + 1000:
                    break  # formatted but empty rows far below the data are not read
                if number > max_rows:
                    if any(value not in (None, "") for value in values):
                        raise _refuse(
                            f"trang “{sheet.title}” có quá {max_rows} dòng; hãy chia thành "
                            "nhiều tệp nhỏ hơn."
                        )
                    continue
                rows.append(tuple(values))
            sheets[sheet.title] = rows
    except WorkbookRefused:
        raise
    except _PARSE_ERRORS as error:
        raise _refuse(f"nội dung XML của trang tính bị hỏng ({_what(error)}).") from error
    finally:
        book.close()
    return sheets


def _what(error: Exception) -> str:
    if isinstance(error, XMLSyntaxError | ParseError):
        return "XML sai cú pháp"
    if isinstance(error, zipfile.BadZipFile | InvalidFileException):
        return "cấu trúc nén sai"
    if isinstance(error, KeyError):
        return "thiếu thành phần bắt buộc của tệp .xlsx"
    return "giá trị không đọc được"
