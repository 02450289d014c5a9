"""Report periods (month, quarter, year) and which a unit reports on by default.

A period is named by its kind and its first day; its last day follows. The beat task runs
after midnight Asia/Ho_Chi_Minh and reports on the period that ended the day before.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import models

from portal.models import COMMUNE_KINDS, DISTRICT_KINDS, PROVINCE_KINDS


class PeriodKind(models.TextChoices):
    MONTH = "month", "Hằng tháng"
    QUARTER = "quarter", "Hằng quý"
    YEAR = "year", "Hằng năm"


ROMAN_QUARTERS = ("I", "II", "III", "IV")


@dataclass(frozen=True)
class Period:
    kind: str
    start: datetime.date
    end: datetime.date

    @property
    def label(self) -> str:
        """ "tháng 10/2026", "quý III năm 2026", "năm 2026" (as written in a report's title)."""
        if self.kind == PeriodKind.MONTH:
            return f"tháng {self.start:%m/%Y}"
        if self.kind == PeriodKind.QUARTER:
            return f"quý {ROMAN_QUARTERS[(self.start.month - 1) // 3]} năm {self.start.year}"
        return f"năm {self.start.year}"

    @property
    def range_label(self) -> str:
        return f"từ {self.start:%d/%m/%Y} đến {self.end:%d/%m/%Y}"


def _first_month(kind: str, day: datetime.date) -> int:
    if kind == PeriodKind.MONTH:
        return day.month
    if kind == PeriodKind.QUARTER:
        return (day.month - 1) // 3 * 3 + 1
    if kind == PeriodKind.YEAR:
        return 1
    raise ValueError(f"unknown period kind: {kind}")


def period_containing(kind: str, day: datetime.date) -> Period:
    start = datetime.date(day.year, _first_month(kind, day), 1)
    months = {PeriodKind.MONTH: 1, PeriodKind.QUARTER: 3, PeriodKind.YEAR: 12}[kind]
    year, month = divmod(start.month - 1 + months, 12)
    after = datetime.date(start.year + year, month + 1, 1)
    return Period(kind=kind, start=start, end=after - datetime.timedelta(days=1))


def previous_period(kind: str, today: datetime.date) -> Period:
    """The last period of `kind` that ended before `today`."""
    current = period_containing(kind, today)
    return period_containing(kind, current.start - datetime.timedelta(days=1))


def period_starting(kind: str, start: datetime.date) -> Period:
    """The period of `kind` that begins on `start`; ValueError when no period begins then."""
    period = period_containing(kind, start)
    if period.start != start:
        raise ValueError(f"{start} does not begin a {kind} period")
    return period


def default_kinds(unit_kind: str) -> tuple[str, ...]:
    """Without a setting of its own: the province monthly and yearly (its leaders follow the
    province every month), the levels below quarterly and yearly, agencies and villages none
    (their figures are in their administrative unit's report)."""
    if unit_kind in PROVINCE_KINDS:
        return (PeriodKind.MONTH, PeriodKind.YEAR)
    if unit_kind in DISTRICT_KINDS | COMMUNE_KINDS:
        return (PeriodKind.QUARTER, PeriodKind.YEAR)
    return ()
