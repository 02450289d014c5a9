"""Import past awards and annual ratings from an Excel workbook: all rows or none.

Two sheets, found by name: "Khen thưởng" and "Xếp loại" (either may be absent). Columns are
found by their header text (accents and case ignored), so their order does not matter.
Every row goes through the same service as a manual entry; every bad row is reported with its
sheet, row number and a Vietnamese reason, and then nothing is saved.

From the page the import runs as a job (`IMPORT_JOB`, started by `start_history_import`): the
upload is kept as a `HistoryImport` and the worker reads it; a failed import's result file is
the workbook with an error column (`error_report`). The management command imports in-process.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import BinaryIO

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import PatternFill

from awards.history import records
from awards.models import AwardForm, BasisKind, EmulationTitle, HistoryImport, Item, Rating, Source
from portal import access, uploads
from portal.access import Cap
from portal.audit import stamp
from portal.background import jobs
from portal.errors import RuleViolation
from portal.excel import add_choices, read_workbook, set_up_sheet, workbook_bytes, write_row
from portal.models import Job, Person, Unit
from portal.text import fold, normalize_text
from portal.uploads import accept_upload

IMPORT_JOB = "awards.import_history"

AWARD_SHEET = "Khen thưởng"
RATING_SHEET = "Xếp loại"

# column key → header as printed in the template
AWARD_COLUMNS = {
    "kind": "Đối tượng",
    "person_id": "Mã cá nhân",
    "name": "Họ và tên / Tên hộ",
    "unit": "Mã đơn vị",
    "item": "Danh hiệu / Hình thức",
    "year": "Năm",
    "basis": "Loại khen thưởng",
    "reference": "Đợt, chuyên đề, sự kiện",
    "number": "Số quyết định",
    "date": "Ngày quyết định",
    "issuer": "Cơ quan ban hành",
}
RATING_COLUMNS = {
    "kind": "Đối tượng",
    "person_id": "Mã cá nhân",
    "name": "Họ và tên",
    "unit": "Mã đơn vị",
    "year": "Năm",
    "rating": "Xếp loại",
}
REQUIRED_AWARD = ("kind", "unit", "item", "year", "basis", "number", "date")
REQUIRED_RATING = ("kind", "unit", "year", "rating")

KINDS = {"ca nhan": "individual", "tap the": "collective", "ho gia dinh": "household"}
BASES = {
    "hang nam": BasisKind.YEARLY,
    "tong ket nam": BasisKind.YEARLY,
    "theo dot": BasisKind.CAMPAIGN,
    "chuyen de": BasisKind.CAMPAIGN,
    "theo dot, chuyen de": BasisKind.CAMPAIGN,
    "dot xuat": BasisKind.AD_HOC,
    "cong trang": BasisKind.MERIT,
    "qua trinh cong hien": BasisKind.CAREER,
}
# The templates' dropdowns: one label per value, as the import reads it back.
KIND_LABELS = ["Cá nhân", "Tập thể", "Hộ gia đình"]
BASIS_LABELS = [
    "Hằng năm",
    "Theo đợt",
    "Chuyên đề",
    "Đột xuất",
    "Công trạng",
    "Quá trình cống hiến",
]
RATINGS = {fold(r.label): r.value for r in Rating} | {r.value: r.value for r in Rating}


@dataclass(frozen=True)
class RowError:
    sheet: str
    row: int
    message: str

    def __str__(self) -> str:
        return f"Trang “{self.sheet}”, dòng {self.row}: {self.message}"


class ImportFailed(RuleViolation):
    def __init__(self, errors: list[RowError]) -> None:
        rows = len({(error.sheet, error.row) for error in errors})
        super().__init__(
            f"Tệp có {rows} dòng lỗi; không dòng nào được nhập.", code="import_rows_invalid"
        )
        self.errors = errors


@dataclass
class ImportResult:
    awards: int = 0
    ratings: int = 0
    errors: list[RowError] = field(default_factory=list)


class _RowProblem(Exception):
    pass


class _Resolver:
    """Names and codes to records, only among those the importing user may see."""

    def __init__(self, actor) -> None:
        self.people = Person.objects.visible_to(actor)
        self.visible_units = Unit.objects.visible_to(actor)
        self.items: dict[str, Item] = {}
        for model in (EmulationTitle, AwardForm):
            for item in model.objects.all():
                for key in (item.code, item.name, item.abbreviation):
                    if key:
                        self.items[fold(key)] = item
        self.units: dict[str, Unit | None] = {}
        self.issuers: dict[str, Unit | None] = {}

    def unit(self, value) -> Unit:
        code = normalize_text(str(value or ""))
        if not code:
            raise _RowProblem("thiếu mã đơn vị.")
        if code not in self.units:
            matches = list(self.visible_units.filter(code=code)[:2])
            self.units[code] = matches[0] if len(matches) == 1 else None
            if len(matches) > 1:
                raise _RowProblem(
                    f"mã đơn vị “{code}” trùng giữa các hệ mã; hãy dùng mã hiện hành."
                )
        unit = self.units[code]
        if unit is None:
            raise _RowProblem(f"không tìm thấy đơn vị có mã “{code}”.")
        return unit

    def person(self, person_id, name: str, unit: Unit) -> Person:
        if person_id not in (None, ""):
            try:
                person = self.people.get(pk=int(person_id))
            except (ValueError, Person.DoesNotExist) as error:
                raise _RowProblem(f"không tìm thấy cá nhân có mã “{person_id}”.") from error
            if name and fold(person.full_name) != fold(name):
                raise _RowProblem(
                    f"mã cá nhân {person.pk} là “{person.full_name}”, không phải “{name}”."
                )
            return person
        if not name:
            raise _RowProblem("thiếu họ và tên hoặc mã cá nhân.")
        matches = list(self.people.filter(unit=unit, search_name=fold(name))[:2])
        if not matches:
            raise _RowProblem(f"không tìm thấy “{name}” trong {unit.name}.")
        if len(matches) > 1:
            raise _RowProblem(f"{unit.name} có nhiều người tên “{name}”; hãy ghi mã cá nhân.")
        return matches[0]

    def issuer(self, name: str) -> Unit | None:
        if not name:
            return None
        if name not in self.issuers:
            self.issuers[name] = self.visible_units.filter(name=name).first()
        return self.issuers[name]

    def item(self, value) -> Item:
        key = fold(str(value or ""))
        if key not in self.items:
            raise _RowProblem(f"không có danh hiệu, hình thức “{value}” trong danh mục.")
        return self.items[key]


def _year(value) -> int:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError) as error:
        raise _RowProblem(f"năm “{value}” không hợp lệ.") from error


def _date(value) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.datetime.strptime(str(value).strip(), "%d/%m/%Y").date()
    except ValueError as error:
        raise _RowProblem(f"ngày “{value}” không đúng dạng dd/mm/yyyy.") from error


def _choice(table: dict[str, str], value, what: str) -> str:
    key = fold(str(value or ""))
    if key not in table:
        raise _RowProblem(f"{what} “{value}” không hợp lệ.")
    return table[key]


def _rows(sheet: _Sheet, columns: dict[str, str], required: tuple[str, ...]):
    """(row number, {key: value}) for each non-empty row; raises on missing headers."""
    lookup = {fold(header): key for key, header in columns.items()}
    header_row = sheet.rows[0] if sheet.rows else ()
    positions = {}
    for index, header in enumerate(header_row):
        key = lookup.get(fold(str(header or "")))
        if key:
            positions[key] = index
    missing = [columns[key] for key in required if key not in positions]
    if missing:
        raise _RowProblem(f"thiếu cột: {', '.join(missing)}.")
    for number, values in enumerate(sheet.rows[1:], start=2):
        if not any(v not in (None, "") for v in values):
            continue
        row = {}
        for key, index in positions.items():
            value = values[index] if index < len(values) else None
            row[key] = normalize_text(value) if isinstance(value, str) else value
        yield number, row


class _RowProblems(Exception):
    """Every fault found in one row, so the user fixes them all in one pass."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(" ".join(problems))
        self.problems = problems


class _Faults:
    def __init__(self) -> None:
        self.problems: list[str] = []

    def read(self, reader: Callable[..., object], *args) -> object:
        """The value `reader` makes of the cell, or None with its fault noted."""
        try:
            return reader(*args)
        except _RowProblem as problem:
            self.problems.append(str(problem))
            return None

    def check(self) -> None:
        if self.problems:
            raise _RowProblems(self.problems)


def _plan_award(row: dict, resolver: _Resolver) -> Callable[..., object]:
    faults = _Faults()
    kind = faults.read(_choice, KINDS, row.get("kind"), "đối tượng")
    unit = faults.read(resolver.unit, row.get("unit"))
    name = row.get("name") or ""
    recipient = unit
    if kind == "individual" and unit is not None:
        recipient = faults.read(resolver.person, row.get("person_id"), name, unit)
    if kind == "household" and not name:
        faults.problems.append("thiếu tên hộ gia đình.")
    issuer_name = row.get("issuer") or ""
    issuer = faults.read(resolver.issuer, issuer_name)
    item = faults.read(resolver.item, row.get("item"))
    year = faults.read(_year, row.get("year"))
    basis = faults.read(_choice, BASES, row.get("basis"), "loại khen thưởng")
    decided_on = faults.read(_date, row.get("date"))
    faults.check()
    return functools.partial(
        records.record_award,
        recipient,
        item=item,
        year=year,
        basis_kind=basis,
        basis_reference=row.get("reference") or "",
        household_name=name if kind == "household" else "",
        decision_number=str(row.get("number") or ""),
        decision_date=decided_on,
        decision_issuer=issuer,
        decision_issuer_name="" if issuer else issuer_name,
        source=Source.IMPORTED,
    )


def _plan_rating(row: dict, resolver: _Resolver) -> Callable[..., object]:
    faults = _Faults()
    kind = faults.read(_choice, KINDS, row.get("kind"), "đối tượng")
    if kind == "household":
        faults.problems.append("hộ gia đình không có xếp loại hằng năm.")
    unit = faults.read(resolver.unit, row.get("unit"))
    subject = unit
    if kind == "individual" and unit is not None:
        subject = faults.read(resolver.person, row.get("person_id"), row.get("name") or "", unit)
    year = faults.read(_year, row.get("year"))
    rating = faults.read(_choice, RATINGS, row.get("rating"), "xếp loại")
    faults.check()
    return functools.partial(
        records.record_rating, subject, year=year, rating=rating, source=Source.IMPORTED
    )


@dataclass(frozen=True)
class _Step:
    sheet: str
    row: int
    write: Callable[..., object]  # the service call, waiting for its actor
    counter: str  # "awards" or "ratings"


@dataclass(frozen=True)
class _Sheet:
    title: str
    rows: list[tuple]


def _open(file: BinaryIO):
    """The sheets to import, in order: (sheet, columns, required, planner, counter); refuses a
    file that is not a sound workbook, passes the limits of portal.excel, or has neither sheet.
    The rows are read here, once, up to the row cap (HISTORY_IMPORT_MAX_ROWS a sheet)."""
    read = read_workbook(file, max_rows=settings.HISTORY_IMPORT_MAX_ROWS + 1)
    sheets = {fold(name): _Sheet(name, rows) for name, rows in read.items()}
    plan = [
        (sheets.get(fold(AWARD_SHEET)), AWARD_COLUMNS, REQUIRED_AWARD, _plan_award, "awards"),
        (
            sheets.get(fold(RATING_SHEET)),
            RATING_COLUMNS,
            REQUIRED_RATING,
            _plan_rating,
            "ratings",
        ),
    ]
    plan = [entry for entry in plan if entry[0] is not None]
    if not plan:
        raise RuleViolation(
            f"Bảng tính cần trang “{AWARD_SHEET}” hoặc “{RATING_SHEET}”.",
            code="import_sheet_missing",
        )
    return plan


def _no_progress(done: int, total: int) -> None:
    pass


def import_award_history(
    file: BinaryIO,
    *,
    actor,
    progress: Callable[[int, int], None] = _no_progress,
    upload: HistoryImport | None = None,
) -> ImportResult:
    """Import every row of both sheets, or nothing; raises ImportFailed listing each bad row.

    Two passes over the rows, both reported to `progress` (total: twice the rows): every row is
    read and resolved first (names, codes, dates), then all are written in one transaction,
    each through the same service as a manual entry (which refuses duplicates). With `upload`,
    the upload is locked and marked imported in that transaction: a second run of the same
    upload (a retried or redelivered job) writes nothing and returns the first run's counts.
    """
    plan = _open(file)
    sheet_order = {sheet.title: index for index, (sheet, *_) in enumerate(plan)}
    errors: list[RowError] = []
    read = []
    for sheet, columns, required, planner, counter in plan:
        try:
            rows = list(_rows(sheet, columns, required))
        except _RowProblem as problem:
            errors.append(RowError(sheet.title, 1, str(problem)))
            continue
        read.extend((sheet.title, number, row, planner, counter) for number, row in rows)
    total = 2 * len(read)
    progress(0, total)
    resolver = _Resolver(actor)
    steps: list[_Step] = []
    for done, (title, number, row, planner, counter) in enumerate(read, start=1):
        try:
            steps.append(_Step(title, number, planner(row, resolver), counter))
        except _RowProblems as found:
            errors.extend(RowError(title, number, problem) for problem in found.problems)
        progress(done, total)
    result = ImportResult()
    with transaction.atomic():
        if upload is not None:
            upload = HistoryImport.objects.select_for_update().get(pk=upload.pk)
            if upload.imported_at is not None:
                progress(total, total)
                return ImportResult(awards=upload.awards, ratings=upload.ratings)
        for done, step in enumerate(steps, start=len(read) + 1):
            try:
                with transaction.atomic():
                    step.write(actor=actor)
            except (_RowProblem, RuleViolation) as problem:
                errors.append(RowError(step.sheet, step.row, str(problem)))
            except PermissionDenied:
                errors.append(
                    RowError(step.sheet, step.row, "bạn không có quyền ghi lịch sử tại đơn vị này.")
                )
            else:
                setattr(result, step.counter, getattr(result, step.counter) + 1)
            progress(done, total)
        if errors:
            # Leaving the atomic block by an exception rolls back every row already saved.
            raise ImportFailed(sorted(errors, key=lambda e: (sheet_order[e.sheet], e.row)))
        if upload is not None:
            upload.imported_at = timezone.now()
            upload.awards, upload.ratings = result.awards, result.ratings
            stamp(upload, actor=actor, reason="awards.history_import.imported")
            upload.save(update_fields=["imported_at", "awards", "ratings"])
    progress(total, total)
    return result


def summary_of(result: ImportResult) -> str:
    return f"Đã nhập {result.awards} khen thưởng và {result.ratings} xếp loại hằng năm."


def importer_unit(actor) -> Unit:
    """The unit an import is filed under (its job's unit): the highest one where the actor
    keeps award history; rows may still touch any unit the actor's grants reach."""
    units = access.units_where(actor, Cap.MANAGE_AWARD_HISTORY)
    if units:
        return min(units, key=lambda unit: (unit.depth, unit.path))
    root = Unit.objects.filter(depth=1).order_by("path").first()
    if access.sees_everything(actor) and root is not None:
        return root
    raise PermissionDenied("Bạn không có quyền nhập lịch sử khen thưởng.")


@transaction.atomic
def start_history_import(file: UploadedFile, *, actor) -> Job:
    """Keep the uploaded workbook and start the job that imports it (`IMPORT_JOB`).

    A file that is not a workbook, or has neither sheet, is refused here, in the request; the
    rows are read by the job.
    """
    unit = importer_unit(actor)
    found = accept_upload(file, allowed=uploads.XLSX_ONLY, label="Tệp Excel")
    _open(file)
    file.seek(0)
    upload = HistoryImport(original_name=found.original_name[:255], unit=unit, uploaded_by=actor)
    upload.file.save(file.name, file, save=False)
    stamp(upload, actor=actor, reason="awards.history_import.uploaded")
    upload.save()
    job = jobs.start_job(unit, actor=actor, kind=IMPORT_JOB, params={"import_id": upload.pk})
    upload.job = job
    stamp(upload, actor=actor, reason="awards.history_import.queued")
    upload.save(update_fields=["job"])
    return job


def failure_message(failure: ImportFailed) -> str:
    """The job's error: the count, then as many of the rows as the page line holds."""
    rows = "; ".join(str(error) for error in failure.errors)
    message = f"{failure.message} {rows}"
    if len(message) > 480:
        message = message[:440].rsplit(" ", 1)[0] + " … (xem tệp chi tiết lỗi)"
    return message


ERROR_FILL = PatternFill("solid", fgColor="F8D7DA")


def error_report(file: BinaryIO, errors: list[RowError]) -> bytes:
    """The uploaded sheets as they were, each with a last column “Lỗi” giving every bad row's
    reason (shaded): the user fixes the rows in place and uploads the file again (the import
    ignores the extra column)."""
    by_row: dict[tuple[str, int], list[str]] = {}
    for error in errors:
        by_row.setdefault((error.sheet, error.row), []).append(error.message)
    report = Workbook()
    report.remove(report.active)
    for sheet, *_ in _open(file):
        out = report.create_sheet(sheet.title)
        for number, values in enumerate(sheet.rows, start=1):
            problems = by_row.get((sheet.title, number))
            note = " ".join(problems) if problems else None
            if number == 1:
                note = "Lỗi: " + note if note else "Lỗi"
            # The user's own cells go back through the writer: a formula they typed stays text.
            write_row(out, [*values, note] if note else values, bold=number == 1)
            if problems:
                out.cell(row=number, column=len(values) + 1).fill = ERROR_FILL
        set_up_sheet(out)
    return workbook_bytes(report)


def template_workbook() -> bytes:
    """An empty workbook with both sheets and their headers, plus one example row each."""
    workbook = Workbook()
    awards = workbook.active
    awards.title = AWARD_SHEET
    write_row(awards, list(AWARD_COLUMNS.values()), bold=True)
    write_row(
        awards,
        [
            "Cá nhân",
            "",
            "Nguyễn Văn A",
            "26000",
            "Chiến sĩ thi đua cơ sở",
            2024,
            "Hằng năm",
            "",
            "12/QĐ-UBND",
            "15/01/2025",
            "Ủy ban nhân dân phường",
        ],
    )
    ratings = workbook.create_sheet(RATING_SHEET)
    write_row(ratings, list(RATING_COLUMNS.values()), bold=True)
    write_row(
        ratings, ["Cá nhân", "", "Nguyễn Văn A", "26000", 2024, "Hoàn thành xuất sắc nhiệm vụ"]
    )
    last = settings.HISTORY_IMPORT_MAX_ROWS + 1
    for sheet, columns, lists in (
        (awards, AWARD_COLUMNS, {"kind": KIND_LABELS, "basis": BASIS_LABELS}),
        (ratings, RATING_COLUMNS, {"kind": KIND_LABELS[:2], "rating": list(Rating.labels)}),
    ):
        for key, choices in lists.items():
            add_choices(sheet, list(columns).index(key) + 1, choices, first_row=2, last_row=last)
        set_up_sheet(sheet, widths=[18] * len(columns))
    return workbook_bytes(workbook)
