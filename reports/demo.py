"""Last month's periodic report for the demo province and the demo ward (Long Khánh).

Only those two are generated (rendering every commune would slow `load_demo` down); a second
run finds them and adds nothing. The rest come from the nightly task or `generate_reports`.
"""

from __future__ import annotations

from typing import TextIO

from django.utils import timezone

from portal.demo import WARD_LONG_KHANH, demo_province, demo_unit
from reports import services
from reports.models import PeriodicReport
from reports.periods import PeriodKind, previous_period


def load(*, stdout: TextIO) -> None:
    period = previous_period(PeriodKind.MONTH, timezone.localdate())
    for unit in (demo_province(), demo_unit(WARD_LONG_KHANH)):
        if PeriodicReport.objects.filter(
            unit=unit, kind=period.kind, period_start=period.start
        ).exists():
            stdout.write(f"Báo cáo định kỳ {period.label} của {unit.name}: đã có.\n")
            continue
        services.generate_report(unit, kind=period.kind, period_start=period.start)
        stdout.write(f"Báo cáo định kỳ {period.label} của {unit.name}: đã lập.\n")
