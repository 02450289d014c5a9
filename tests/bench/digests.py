"""Reminders at province scale: plan 100,000 due items for 5,000 users, then send digests.

Two parts: a synthetic source of BENCH_REMINDER_ITEMS items (the planner and the sender
alone), then the portal's registered sources over province-scale domain rows
(tests/bench/due_world.py: 100,000 tasks, 20,000 nominations): each source's time, queries
and items, and the planner with all of them. Each part runs inside one transaction that is
rolled back, so the seeded province is left as it was and the section can be run again.
Figures are printed, never asserted.
"""

from __future__ import annotations

import datetime
import os
import statistics
import time

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import F, Value
from django.db.models.functions import Concat
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from portal.access import Cap
from portal.background import digests, reminders
from portal.background.reminders import DueItem, ReminderSource
from portal.models import Reminder, Unit, User

ITEMS = int(os.environ.get("BENCH_REMINDER_ITEMS", "100000"))
DIGESTS = int(os.environ.get("BENCH_DIGESTS", "1000"))
KIND = "bench.synthetic"


def synthetic_source(unit_ids: list[int], type_id: int):
    def due_items(today: datetime.date):
        for i in range(ITEMS):
            due_on = today + datetime.timedelta(days=i % 30 - 10)
            yield DueItem(
                kind=KIND,
                target_type_id=type_id,
                target_id=i + 1,
                unit_id=unit_ids[i % len(unit_ids)],
                title=f"Việc thử nghiệm số {i + 1}",
                url=f"/thu-nghiem/{i + 1}/",
                due_on=due_on,
                overdue=due_on < today,
            )

    return due_items


def run(context) -> None:
    unit_ids = list(Unit.objects.subtree(context.province).values_list("pk", flat=True))
    source = ReminderSource(
        kind=KIND,
        label="Việc thử nghiệm",
        due_items=synthetic_source(unit_ids, ContentType.objects.get_for_model(Unit).pk),
        caps=(Cap.MANAGE_CAMPAIGN,),
    )
    saved = reminders._SOURCES
    reminders._SOURCES = {KIND: source}
    try:
        with transaction.atomic():
            _measure(context)
            transaction.set_rollback(True)
    finally:
        reminders._SOURCES = saved
    with transaction.atomic():
        _measure_sources(context)
        transaction.set_rollback(True)


def _measure(context) -> None:
    today = timezone.localdate()
    User.objects.filter(username__startswith="quymo").update(
        email=Concat(F("username"), Value("@thidua.test"))
    )
    started = time.perf_counter()
    first = reminders.plan_reminders(today)
    planned = time.perf_counter() - started
    started = time.perf_counter()
    second = reminders.plan_reminders(today)
    replanned = time.perf_counter() - started

    evening = timezone.make_aware(datetime.datetime.combine(today, datetime.time(23, 0)))
    day, due_users = digests.recipients_due(evening)
    sample = due_users[:DIGESTS]
    queries, items, times = [], [], []
    for user_id in sample:
        connection.queries_log.clear()  # its window is 9,000 queries: count from empty
        with CaptureQueriesContext(connection) as captured:
            began = time.perf_counter()
            outcome = digests.send_digest(user_id, day)
            times.append(time.perf_counter() - began)
        queries.append(len(captured))
        items.append(outcome.items)

    rows = Reminder.objects.filter(remind_on=today, kind=KIND).count()
    sent_rows = sum(items)
    print("\n## Reminders and digests (province scale, in-process, rolled back)")
    people = len(due_users)
    print(f"due items: {first.items:,}; reminders planned: {first.created:,} for {people:,} people")
    per_thousand = planned / rows * 1000 * 1000
    print(f"plan, first run:   {planned:8.2f} s  = {per_thousand:8.1f} ms per 1,000 reminders")
    print(f"plan, second run:  {replanned:8.2f} s  (new rows: {second.created})")
    print(
        f"send {len(sample):,} digests: {sum(times):8.2f} s  = "
        f"{sum(times) / max(sent_rows, 1) * 1000 * 1000:8.1f} ms per 1,000 reminders "
        f"({statistics.median(times) * 1000:.1f} ms median per digest)"
    )
    print(
        f"queries per digest: min {min(queries)}, max {max(queries)} "
        f"for {min(items)}–{max(items)} items per digest (constant, not per item)"
    )


def _measure_sources(context) -> None:
    from tests.bench import due_world

    started = time.perf_counter()
    seeded = due_world.seed(context.province)
    print("\n## Reminder sources over province-scale domain rows (in-process, rolled back)")
    print(
        "seeded in "
        + f"{time.perf_counter() - started:.1f} s: "
        + ", ".join(f"{count:,} {what}" for what, count in seeded.items())
    )
    today = timezone.localdate()
    print(f"{'source':<36} {'items':>8} {'queries':>8} {'time':>10}")
    for source in reminders.sources():
        connection.queries_log.clear()
        with CaptureQueriesContext(connection) as captured:
            began = time.perf_counter()
            items = sum(1 for _ in source.due_items(today))
            took = time.perf_counter() - began
        print(f"{source.kind:<36} {items:>8,} {len(captured):>8} {took * 1000:>8.0f}ms")
    started = time.perf_counter()
    first = reminders.plan_reminders(today)
    planned = time.perf_counter() - started
    started = time.perf_counter()
    second = reminders.plan_reminders(today)
    replanned = time.perf_counter() - started
    print(
        f"plan, every source: {planned:8.2f} s for {first.items:,} items, "
        f"{first.created:,} reminders; second run {replanned:.2f} s ({second.created} new)"
    )
