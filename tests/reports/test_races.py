"""A periodic report regenerated twice, a unit's first schedule set twice, at the same instant
(PostgreSQL only, tests/races.py).

Without the row's lock both callers read the same generation count and one regeneration is
lost; how a lock-free variant was shown to fail: docs/testing.md.
"""

from __future__ import annotations

import time

from reports import services
from reports.models import PeriodicReport, ReportSchedule
from tests.races import at_once, kinds, needs_row_locks, race

from .test_views import generate

pytestmark = race


def test_a_report_regenerated_twice_at_once_counts_both(world, monkeypatch):
    needs_row_locks()
    first = generate(world.ward)
    # Writing the two files takes a while: both callers are then surely between their read of
    # the row and their write of it at the same time (the window the lock closes).
    write_files = services._replace
    monkeypatch.setattr(
        services, "_replace", lambda field, content: (time.sleep(0.3), write_files(field, content))
    )
    outcomes = at_once(lambda: generate(world.ward), lambda: generate(world.ward))
    assert kinds(outcomes) == ["won", "won"]
    report = PeriodicReport.objects.get(pk=first.pk)
    assert PeriodicReport.objects.filter(unit=world.ward).count() == 1
    assert report.generation_count == 3
    assert report.history.filter(history_change_reason__startswith="reports.").count() == 3


def test_a_units_first_schedule_set_twice_at_once_is_one_schedule(world, monkeypatch):
    """A unit's first schedule has no row to lock yet: the unit's row stands for it. Without
    that lock both callers find none and both insert, and the second fails on the one schedule
    a unit has (a database error instead of a schedule)."""
    needs_row_locks()
    stamp = services.stamp
    monkeypatch.setattr(services, "stamp", lambda row, **kw: (time.sleep(0.3), stamp(row, **kw))[1])
    outcomes = at_once(
        lambda: services.set_report_schedule(world.ward, actor=world.ward_leader, kinds=["month"]),
        lambda: services.set_report_schedule(
            world.ward, actor=world.ward_leader, kinds=["quarter", "year"]
        ),
    )
    assert kinds(outcomes) == ["won", "won"]
    schedule = ReportSchedule.objects.get(unit=world.ward)
    # One of the two choices, whole: never a mix of both.
    chosen = (schedule.monthly, schedule.quarterly, schedule.yearly)
    assert chosen in ((True, False, False), (False, True, True))
