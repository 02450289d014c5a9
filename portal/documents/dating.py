"""Which day a paper may carry: the register's order, the calendar and the issuer's lifetime.

A paper issued in the portal is dated the day it is signed, today by default. An earlier day is
allowed back to the latest paper of the same register and year, never before it, so that the
numbers and the dates of a register never go backwards; a day to come is refused. An issuer
closed by the 2025 reorganisation (`Unit.valid_to`) keeps recording and re-typesetting its past
papers, but issues nothing dated after its dissolution: the refusal names its successor (the
unit formed from it, `Unit.merged_into`). A paper recorded from outside (signed on paper) takes
its place in the register by its own number, and its date must fit between its neighbours.
"""

from __future__ import annotations

import datetime

from django.db.models import Max, Min

from portal.errors import RuleViolation
from portal.models import DocumentStatus, OfficialDocument, Register, Unit


def successors_of(unit: Unit) -> list[Unit]:
    """The units formed from `unit` when it was closed; for a former district, which has no
    single successor, the units formed from its communes (the 2025 tables link communes)."""
    formed = list(unit.merged_into.order_by("path"))
    if not formed:
        formed = list(
            Unit.objects.filter(merged_from__path__startswith=unit.path)
            .exclude(path__startswith=unit.path)
            .distinct()
            .order_by("path")
        )
    current = [u for u in formed if u.valid_to is None]
    return current or formed


def check_issuer_on(unit: Unit, day: datetime.date) -> None:
    """Refuse a paper dated outside the issuer's lifetime."""
    if unit.valid_to is not None and day > unit.valid_to:
        successors = successors_of(unit)
        names = ", ".join(u.name for u in successors[:4]) + ("…" if len(successors) > 4 else "")
        then = (
            f" Văn bản từ ngày {unit.valid_to + datetime.timedelta(days=1):%d/%m/%Y} do "
            f"{names} ban hành."
            if successors
            else ""
        )
        raise RuleViolation(
            f"{unit.name} chỉ hoạt động đến hết ngày {unit.valid_to:%d/%m/%Y}; không thể "
            f"ban hành văn bản ngày {day:%d/%m/%Y}.{then}",
            code="issuer_dissolved",
        )
    if unit.valid_from is not None and day < unit.valid_from:
        raise RuleViolation(
            f"{unit.name} bắt đầu hoạt động từ ngày {unit.valid_from:%d/%m/%Y}; không thể "
            f"ban hành văn bản ngày {day:%d/%m/%Y}.",
            code="issuer_not_yet",
        )


def check_not_future(day: datetime.date, today: datetime.date) -> None:
    if day > today:
        raise RuleViolation(
            f"Ngày ban hành {day:%d/%m/%Y} chưa đến; văn bản mang ngày ký, muộn nhất là hôm nay "
            f"({today:%d/%m/%Y}).",
            code="date_future",
        )


def _issued(register: Register, year: int):
    return OfficialDocument.objects.filter(
        register=register, year=year, status=DocumentStatus.ISSUED
    )


def check_next_in_register(register: Register | None, day: datetime.date) -> None:
    """A new number follows every paper of the register's year, so its day does too."""
    if register is None:
        return
    latest = _issued(register, day.year).order_by("-issued_on", "-sequence").first()
    if latest is not None and latest.issued_on > day:
        raise RuleViolation(
            f"Không thể lùi ngày ban hành về {day:%d/%m/%Y}: {register.name} đã có {latest} "
            f"ngày {latest.issued_on:%d/%m/%Y}; số và ngày trong sổ không được đi ngược. "
            f"Ngày sớm nhất được phép là {latest.issued_on:%d/%m/%Y}.",
            code="date_backwards",
        )


def check_recorded_place(register: Register, sequence: int, day: datetime.date) -> None:
    """A recorded number is free, and its day lies between the papers numbered around it."""
    papers = _issued(register, day.year)
    taken = papers.filter(sequence=sequence).first()
    if taken is not None:
        raise RuleViolation(
            f"Số {sequence:02d} năm {day.year} của {register.name} đã có văn bản: {taken} ngày "
            f"{taken.issued_on:%d/%m/%Y}.",
            code="duplicate_number",
        )
    before = papers.filter(sequence__lt=sequence).aggregate(day=Max("issued_on"))["day"]
    after = papers.filter(sequence__gt=sequence).aggregate(day=Min("issued_on"))["day"]
    if (before and day < before) or (after and day > after):
        raise RuleViolation(
            f"Số {sequence:02d} ngày {day:%d/%m/%Y} không khớp thứ tự của {register.name}: "
            "số nhỏ hơn phải có ngày không muộn hơn, số lớn hơn có ngày không sớm hơn.",
            code="date_out_of_order",
        )
