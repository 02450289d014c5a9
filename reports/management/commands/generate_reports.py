"""manage.py generate_reports: a period's reports by hand (the beat task does it nightly)."""

from __future__ import annotations

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Case, When

from portal.errors import RuleViolation
from portal.models import CodeScheme, Unit
from reports import services
from reports.models import kinds_of
from reports.periods import PeriodKind, period_containing

KINDS = {"month": PeriodKind.MONTH, "quarter": PeriodKind.QUARTER, "year": PeriodKind.YEAR}


class Command(BaseCommand):
    help = (
        "Lập (hoặc lập lại) báo cáo định kỳ của kỳ chứa ngày --date cho các đơn vị có lịch báo "
        "cáo kỳ đó, hoặc cho các đơn vị --unit (mã hoặc số hiệu). Chạy lại không tạo trùng."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--period", required=True, choices=sorted(KINDS))
        parser.add_argument(
            "--date", required=True, help="Một ngày trong kỳ, dạng dd/mm/yyyy (hoặc yyyy-mm-dd)."
        )
        parser.add_argument(
            "--unit",
            action="append",
            default=[],
            help="Mã đơn vị (ví dụ 26080, 75-SNV) hoặc số hiệu; lặp lại cho nhiều đơn vị.",
        )

    def handle(self, *args, period: str, date: str, unit: list[str], **options) -> None:
        kind = KINDS[period]
        day = _parse_day(date)
        chosen = period_containing(kind, day)
        if unit:
            units = [_find_unit(value) for value in unit]
        else:
            units = [
                u
                for u in Unit.objects.current().select_related("report_schedule")
                if kind in kinds_of(u)
            ]
        self.stdout.write(f"Báo cáo {chosen.label} ({chosen.range_label}): {len(units)} đơn vị.")
        for target in units:
            try:
                report = services.generate_report(target, kind=kind, period_start=chosen.start)
            except RuleViolation as error:
                raise CommandError(error.message) from error
            action = "lập" if report.generation_count == 1 else "lập lại"
            self.stdout.write(f"  {target.name}: đã {action} (báo cáo số {report.pk}).")


def _parse_day(value: str) -> datetime.date:
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.datetime.strptime(value, pattern).date()
        except ValueError:
            continue
    raise CommandError(f"Ngày không hợp lệ: {value} (dùng dd/mm/yyyy, hoặc yyyy-mm-dd).")


def _find_unit(value: str) -> Unit:
    # A current code wins over a legacy one that happens to be the same digits.
    unit = (
        Unit.objects.filter(code=value)
        .order_by(Case(When(code_scheme=CodeScheme.CURRENT, then=0), default=1))
        .first()
    )
    if unit is None and value.isdigit():
        unit = Unit.objects.filter(pk=int(value)).first()
    if unit is None:
        raise CommandError(f"Không tìm thấy đơn vị: {value}.")
    return unit
