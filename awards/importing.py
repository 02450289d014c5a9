"""Import past awards and annual ratings from an Excel workbook: all rows or none.

Two sheets, found by name: "Khen thưởng" and "Xếp loại" (either may be absent). Columns are
found by their header text (accents and case ignored), so their order does not matter.
Every row goes through the same service as a manual entry; every bad row is reported with its
sheet, row number and a Vietnamese reason, and then nothing is saved.
"""

from __future__ import annotations

import datetime
import io
import zipfile
from dataclasses import dataclass, field
from typing import BinaryIO

from django.core.exceptions import PermissionDenied
from django.db import transaction
from openpyxl import Workbook, load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from portal.errors import RuleViolation
from portal.models import Person, Unit
from portal.text import fold, normalize_text

from . import services
from .models import AwardForm, BasisKind, EmulationTitle, Item, Rating, Source

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
        super().__init__(
            f"Không nhập dữ liệu nào: {len(errors)} dòng có lỗi. "
            "Sửa các dòng dưới đây rồi nhập lại."
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


def _rows(sheet, columns: dict[str, str], required: tuple[str, ...]):
    """(row number, {key: value}) for each non-empty row; raises on missing headers."""
    lookup = {fold(header): key for key, header in columns.items()}
    header_row = next(sheet.iter_rows(min_row=1, max_row=1, values_only=True), ())
    positions = {}
    for index, header in enumerate(header_row):
        key = lookup.get(fold(str(header or "")))
        if key:
            positions[key] = index
    missing = [columns[key] for key in required if key not in positions]
    if missing:
        raise _RowProblem(f"thiếu cột: {', '.join(missing)}.")
    for number, values in enumerate(sheet.iter_rows(min_row=2, values_only=True), start=2):
        if not any(v not in (None, "") for v in values):
            continue
        row = {}
        for key, index in positions.items():
            value = values[index] if index < len(values) else None
            row[key] = normalize_text(value) if isinstance(value, str) else value
        yield number, row


def _import_award(row: dict, resolver: _Resolver, actor) -> None:
    kind = _choice(KINDS, row.get("kind"), "đối tượng")
    unit = resolver.unit(row.get("unit"))
    name = row.get("name") or ""
    recipient = resolver.person(row.get("person_id"), name, unit) if kind == "individual" else unit
    if kind == "household" and not name:
        raise _RowProblem("thiếu tên hộ gia đình.")
    issuer_name = row.get("issuer") or ""
    issuer = resolver.visible_units.filter(name=issuer_name).first() if issuer_name else None
    services.record_award(
        recipient,
        actor=actor,
        item=resolver.item(row.get("item")),
        year=_year(row.get("year")),
        basis_kind=_choice(BASES, row.get("basis"), "loại khen thưởng"),
        basis_reference=row.get("reference") or "",
        household_name=name if kind == "household" else "",
        decision_number=str(row.get("number") or ""),
        decision_date=_date(row.get("date")),
        decision_issuer=issuer,
        decision_issuer_name="" if issuer else issuer_name,
        source=Source.IMPORTED,
    )


def _import_rating(row: dict, resolver: _Resolver, actor) -> None:
    kind = _choice(KINDS, row.get("kind"), "đối tượng")
    if kind == "household":
        raise _RowProblem("hộ gia đình không có xếp loại hằng năm.")
    unit = resolver.unit(row.get("unit"))
    subject = (
        resolver.person(row.get("person_id"), row.get("name") or "", unit)
        if kind == "individual"
        else unit
    )
    services.record_rating(
        subject,
        actor=actor,
        year=_year(row.get("year")),
        rating=_choice(RATINGS, row.get("rating"), "xếp loại"),
        source=Source.IMPORTED,
    )


def import_award_history(file: BinaryIO, *, actor) -> ImportResult:
    """Import every row of both sheets, or nothing; raises ImportFailed listing each bad row."""
    try:
        workbook = load_workbook(file, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, OSError, KeyError, ValueError) as error:
        raise RuleViolation("Tệp không phải bảng tính Excel (.xlsx) hợp lệ.") from error
    sheets = {fold(name): workbook[name] for name in workbook.sheetnames}
    plan = [
        (sheets.get(fold(AWARD_SHEET)), AWARD_COLUMNS, REQUIRED_AWARD, _import_award, "awards"),
        (
            sheets.get(fold(RATING_SHEET)),
            RATING_COLUMNS,
            REQUIRED_RATING,
            _import_rating,
            "ratings",
        ),
    ]
    if all(sheet is None for sheet, *_ in plan):
        raise RuleViolation(f"Bảng tính cần trang “{AWARD_SHEET}” hoặc “{RATING_SHEET}”.")
    result = ImportResult()
    resolver = _Resolver(actor)
    with transaction.atomic():
        for sheet, columns, required, handler, counter in plan:
            if sheet is None:
                continue
            try:
                rows = list(_rows(sheet, columns, required))
            except _RowProblem as problem:
                result.errors.append(RowError(sheet.title, 1, str(problem)))
                continue
            for number, row in rows:
                try:
                    with transaction.atomic():
                        handler(row, resolver, actor)
                except (_RowProblem, RuleViolation) as problem:
                    result.errors.append(RowError(sheet.title, number, str(problem)))
                except PermissionDenied:
                    result.errors.append(
                        RowError(
                            sheet.title, number, "bạn không có quyền ghi lịch sử tại đơn vị này."
                        )
                    )
                else:
                    setattr(result, counter, getattr(result, counter) + 1)
        if result.errors:
            # Leaving the atomic block by an exception rolls back every row already saved.
            raise ImportFailed(result.errors)
    return result


def template_workbook() -> bytes:
    """An empty workbook with both sheets and their headers, plus one example row each."""
    workbook = Workbook()
    awards = workbook.active
    awards.title = AWARD_SHEET
    awards.append(list(AWARD_COLUMNS.values()))
    awards.append(
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
        ]
    )
    ratings = workbook.create_sheet(RATING_SHEET)
    ratings.append(list(RATING_COLUMNS.values()))
    ratings.append(["Cá nhân", "", "Nguyễn Văn A", "26000", 2024, "Hoàn thành xuất sắc nhiệm vụ"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
