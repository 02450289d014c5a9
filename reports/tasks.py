"""Celery entry points of the periodic reports: ids and plain values in, services do the work.

`generate_due_reports` runs daily just after midnight (Asia/Ho_Chi_Minh). It lists the reports
the cadences ask for that do not exist yet and hands one `generate_periodic_report` per report
to the workers; both are safe to run twice (a report is regenerated in place, never doubled).
"""

from __future__ import annotations

import datetime
import functools

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from portal.background.enqueue import enqueue
from portal.background.locks import exclusive
from portal.models import Unit
from reports import services

# On the first day of a year every unit reports at once (month, quarter and year): in eager
# mode (no Redis) that is rendered inline, and may take longer than an hour at province scale.
DUE_LOCK_SECONDS = 6 * 60 * 60


@shared_task
def generate_due_reports(day: str | None = None) -> dict:
    today = datetime.date.fromisoformat(day) if day else timezone.localdate()
    with exclusive("generate-due-reports", timeout=DUE_LOCK_SECONDS) as held:
        if not held:
            return {"skipped": True}
        due = services.due_reports(today)
        for unit_id, kind, start in due:
            transaction.on_commit(
                functools.partial(
                    enqueue, generate_periodic_report, unit_id, kind, start.isoformat()
                )
            )
        return {"due": len(due)}


@shared_task
def generate_periodic_report(unit_id: int, kind: str, period_start: str) -> int:
    report = services.generate_report(
        Unit.objects.get(pk=unit_id),
        kind=kind,
        period_start=datetime.date.fromisoformat(period_start),
    )
    return report.pk
