"""A registration's tasks as the Excel sheet units already keep, out and back in.

The same columns both ways, so a sheet exported, filled in and imported round-trips. The
import is all or nothing: every bad row is listed with its error and nothing is saved.
"""

from __future__ import annotations

import datetime

from openpyxl import Workbook
from openpyxl.styles import Font

from campaigns.models import Campaign
from pledges.models import Measure, Registration, RegistrationTask
from pledges.services import (
    ImportRefused,
    TaskInput,
    parse_decimal,
    set_registration_tasks,
    task_errors,
)
from portal import uploads
from portal.errors import RuleViolation
from portal.excel import (
    add_choices,
    header_cells_style,
    read_workbook,
    set_up_sheet,
    workbook_bytes,
    write_row,
)
from portal.text import normalize_text
from portal.uploads import check_upload

COLUMNS = (
    "STT",
    "Nội dung thi đua (số)",
    "Nhiệm vụ",
    "Loại chỉ tiêu",
    "Chỉ tiêu",
    "Đơn vị tính",
    "Hạn hoàn thành (dd/mm/yyyy)",
    "Người phụ trách",
)
MEASURE_LABELS = {Measure.NUMBER: "Số lượng", Measure.MILESTONE: "Mốc hoàn thành"}
HEADER_ROW = 4
_ECHOES = {
    "Nội dung thi đua": "Nội dung thi đua phải",
    "Chỉ tiêu": "Chỉ tiêu số lượng phải",
    "Hạn hoàn thành": "Thiếu hạn hoàn thành",
}
MAX_ROWS = 500


def export_registration(registration: Registration) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Đăng ký thi đua"
    sheet["A1"] = f"BẢN ĐĂNG KÝ THI ĐUA – {registration.unit.name.upper()}"
    sheet["A1"].font = Font(bold=True, size=13)
    sheet["A2"] = registration.campaign.title
    sheet.append([])
    write_row(sheet, COLUMNS)
    header_cells_style(sheet, HEADER_ROW)
    tasks = list(registration.tasks.select_related("content_item"))
    for task in tasks:
        write_row(
            sheet,
            [
                task.position,
                task.content_item.number,
                task.description,
                MEASURE_LABELS[Measure(task.measure)],
                task.target_value,
                task.unit_of_measure,
                task.due_on,
                task.responsible,
            ],
        )
    set_up_sheet(sheet, header_row=HEADER_ROW, widths=(6, 12, 60, 16, 10, 14, 16, 24))
    # The sheet comes back as the import template: room for new rows with the same dropdowns.
    last = HEADER_ROW + max(len(tasks), 1) + 200
    add_choices(sheet, 4, list(MEASURE_LABELS.values()), first_row=HEADER_ROW + 1, last_row=last)
    item_numbers = [
        str(number) for number in registration.campaign.items.values_list("number", flat=True)
    ]
    if item_numbers:
        add_choices(sheet, 2, item_numbers, first_row=HEADER_ROW + 1, last_row=last)
    items = book.create_sheet("Nội dung thi đua")
    write_row(items, ["Số", "Nội dung"], bold=True)
    for item in registration.campaign.items.all():
        write_row(items, [item.number, item.text])
    set_up_sheet(items, widths=(6, 100))
    return workbook_bytes(book)


def _text(value) -> str:
    return normalize_text("" if value is None else str(value))


def _date(value) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    return datetime.datetime.strptime(_text(value), "%d/%m/%Y").date()


def _parse_row(line: int, cells) -> tuple[TaskInput, list[str]]:
    errors = []
    _, item, description, measure_label, target, unit_of_measure, due, responsible = cells
    try:
        item_number = int(str(item).strip()) if item not in (None, "") else None
    except ValueError:
        item_number = None
        errors.append(f"Nội dung thi đua “{_text(item)}” phải là số thứ tự của nội dung.")
    measures = {label.casefold(): key for key, label in MEASURE_LABELS.items()}
    measure = measures.get(_text(measure_label).casefold(), _text(measure_label))
    try:
        target_value = parse_decimal(target)
    except ValueError:
        target_value = None
        errors.append(f"Chỉ tiêu “{_text(target)}” không phải là số.")
    due_on = None
    if due not in (None, ""):
        try:
            due_on = _date(due)
        except ValueError:
            errors.append(f"Hạn hoàn thành “{_text(due)}” không đúng dạng dd/mm/yyyy.")
    row = TaskInput(
        item_number=item_number,
        description=_text(description),
        measure=measure,
        target_value=target_value,
        unit_of_measure=_text(unit_of_measure),
        due_on=due_on,
        responsible=_text(responsible),
        line=line,
    )
    return row, errors


def read_tasks(upload, campaign: Campaign) -> list[TaskInput]:
    """The task rows of an uploaded sheet, or ImportRefused listing every bad row."""
    try:
        check_upload(upload, allowed=uploads.XLSX_ONLY)
        # One row past the limit is read so that an oversized sheet is refused, not cut short.
        rows = next(iter(read_workbook(upload, max_rows=HEADER_ROW + MAX_ROWS + 1).values()), [])
    except RuleViolation as refused:
        raise ImportRefused([refused.message]) from refused
    beyond = [
        line
        for line, cells in enumerate(rows[HEADER_ROW + MAX_ROWS :], start=HEADER_ROW + MAX_ROWS + 1)
        if any(value not in (None, "") for value in cells)
    ]
    if beyond:
        raise ImportRefused(
            [
                f"Dòng {beyond[0]}: tệp có quá {MAX_ROWS} dòng nhiệm vụ; hãy chia thành nhiều "
                "lần nhập (không dòng nào được nhập)."
            ]
        )
    header = tuple(
        _text(value) for value in (rows[HEADER_ROW - 1] if len(rows) >= HEADER_ROW else ())
    )
    if header[: len(COLUMNS)] != COLUMNS:
        raise ImportRefused(
            [f"Dòng {HEADER_ROW}: tiêu đề cột phải là: {', '.join(COLUMNS)} (như tệp xuất ra)."]
        )
    items = dict(campaign.items.values_list("number", "pk"))
    tasks, errors = [], []
    for line, cells in enumerate(rows[HEADER_ROW:], start=HEADER_ROW + 1):
        cells = tuple(cells[: len(COLUMNS)]) + (None,) * (len(COLUMNS) - len(cells))
        if all(value in (None, "") for value in cells):
            continue
        row, problems = _parse_row(line, cells)
        # A cell that could not be read is reported once, not again as "missing".
        unreadable = {problem.split("“")[0].strip() for problem in problems}
        problems += [
            problem
            for problem in task_errors(campaign, row, items)
            if not any(problem.startswith(_ECHOES[key]) for key in unreadable if key in _ECHOES)
        ]
        errors += [f"Dòng {line}: {problem}" for problem in problems]
        tasks.append(row)
    if not tasks and not errors:
        errors.append("Tệp không có dòng nhiệm vụ nào.")
    if errors:
        raise ImportRefused(errors)
    return tasks


def import_registration_tasks(registration: Registration, *, actor, file) -> list[RegistrationTask]:
    """Replace the registration's tasks with those of an uploaded sheet, all or nothing."""
    rows = read_tasks(file, registration.campaign)
    return set_registration_tasks(registration, actor=actor, tasks=rows)
