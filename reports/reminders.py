"""The digest's "Báo cáo định kỳ mới" lines: a reminder source announcing each new report once.

A report is announced to its unit's leaders and to the Nội vụ of the level above on the first
planner run after its first generation; it is not announced again when regenerated (the source
skips reports that already have outbox rows), nor after ANNOUNCE_DAYS.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone

from portal.access import Cap
from portal.background.reminders import DueItem, ReminderSource, register_source
from portal.models import Reminder
from reports.models import PeriodicReport
from reports.recipients import recipients_of

NEW_REPORT_KIND = "reports.new_report"
ANNOUNCE_DAYS = 3


def new_reports(today: datetime.date) -> Iterator[DueItem]:
    content_type = ContentType.objects.get_for_model(PeriodicReport)
    since = timezone.make_aware(
        datetime.datetime.combine(today - datetime.timedelta(days=ANNOUNCE_DAYS), datetime.time())
    )
    announced = Reminder.objects.filter(
        kind=NEW_REPORT_KIND, target_type=content_type, target_id=OuterRef("pk")
    )
    reports = (
        PeriodicReport.objects.filter(first_generated_at__gte=since)
        .filter(~Exists(announced))
        .select_related("unit")
        .order_by("pk")
    )
    for report in reports:
        generated_on = timezone.localtime(report.first_generated_at).date()
        yield DueItem(
            kind=NEW_REPORT_KIND,
            target_type_id=content_type.pk,
            target_id=report.pk,
            unit_id=report.unit_id,
            title=f"Báo cáo {report.period.label} của {report.unit.name}",
            url=reverse("reports:detail", args=[report.pk]),
            due_on=generated_on,
            overdue=False,
            recipient_ids=recipients_of(report.unit).reviewer_ids,
        )


def register_reports_sources() -> None:
    register_source(
        ReminderSource(
            kind=NEW_REPORT_KIND,
            label="Báo cáo định kỳ mới",
            due_items=new_reports,
            caps=(Cap.LEAD_UNIT,),
            has_deadline=False,
        )
    )
