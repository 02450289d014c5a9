"""Writes of the reports app: a unit's cadence, and generating (or regenerating) a report.

A report is one row per (unit, period kind, period start). Generating it again, by the beat
task, the command or the "Tạo lại báo cáo" job, recomputes the figures and replaces both files
under the same names on the same row; the first generation's time is kept, and it is what the
digest announces (once).
"""

from __future__ import annotations

import datetime

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from portal import access
from portal.access import Cap
from portal.audit import stamp
from portal.background import jobs
from portal.errors import RuleViolation
from portal.models import Job, Unit, UnitKind
from portal.models.units import valid_on_q
from reports import figures as report_figures
from reports import rendering
from reports.models import PeriodicReport, ReportSchedule
from reports.periods import PeriodKind, default_kinds, period_starting, previous_period
from reports.recipients import recipients_of

REGENERATE_KIND = "reports.regenerate"
# A nightly run that was missed (beat down) is made up for this many days after the period
# ended; older periods are left to `manage.py generate_reports`, so that switching the portal
# on does not produce a year of stale reports.
CATCH_UP_DAYS = 7


@transaction.atomic
def set_report_schedule(unit: Unit, *, actor, kinds) -> ReportSchedule:
    """Set which periods `unit` reports on (none at all is allowed: the unit opts out)."""
    access.require(actor, Cap.CONFIGURE_REPORTS, unit)
    kinds = set(kinds)
    unknown = kinds - set(PeriodKind.values)
    if unknown:
        raise RuleViolation(
            "Kỳ báo cáo không hợp lệ: " + ", ".join(sorted(unknown)) + ".",
            code="period_kind_unknown",
        )
    # The unit's row stands for its schedule not set yet (a missing row locks nothing): two
    # first settings at once would both insert.
    list(Unit.objects.select_for_update().filter(pk=unit.pk).values_list("pk"))
    schedule = ReportSchedule.objects.filter(unit=unit).first() or ReportSchedule(unit=unit)
    schedule.monthly = PeriodKind.MONTH in kinds
    schedule.quarterly = PeriodKind.QUARTER in kinds
    schedule.yearly = PeriodKind.YEAR in kinds
    stamp(schedule, actor=actor, reason="reports.schedule.updated")
    schedule.save()
    return schedule


def _replace(field, content: bytes) -> None:
    """Write `content` under the field's fixed name, removing the previous file first."""
    name = field.field.generate_filename(field.instance, "")
    if field.storage.exists(name):
        field.storage.delete(name)
    field.save(name, ContentFile(content), save=False)


def generate_report(
    unit: Unit,
    *,
    kind: str,
    period_start: datetime.date,
    actor=None,
    now: datetime.datetime | None = None,
) -> PeriodicReport:
    """Compute and render the report of `unit` for the period of `kind` starting on
    `period_start`; the same row and file names on every run. `actor=None`: the system."""
    try:
        period = period_starting(kind, period_start)
    except ValueError as error:
        raise RuleViolation(
            f"Ngày {period_start:%d/%m/%Y} không phải ngày đầu của một kỳ báo cáo.",
            code="period_start_misaligned",
        ) from error
    if actor is not None:
        access.require(actor, Cap.GENERATE_REPORTS, unit)
    now = now or timezone.now()
    generated_on = timezone.localtime(now).date()
    if period.end >= generated_on:
        raise RuleViolation(f"Kỳ báo cáo {period.label} chưa kết thúc.", code="period_not_over")
    figures = report_figures.compute(unit, period)
    recipients = recipients_of(unit)
    pdf = rendering.render_pdf(
        unit, figures, generated_on=generated_on, addressees=list(recipients.addressees)
    )
    xlsx = rendering.render_xlsx(figures, generated_on=generated_on)
    try:
        return _store(unit, period, actor=actor, now=now, figures=figures, pdf=pdf, xlsx=xlsx)
    except IntegrityError:
        # A parallel first generation inserted the row first: update that row instead.
        return _store(unit, period, actor=actor, now=now, figures=figures, pdf=pdf, xlsx=xlsx)


@transaction.atomic
def _store(unit, period, *, actor, now, figures, pdf: bytes, xlsx: bytes) -> PeriodicReport:
    """Write the files and the row, under the row's lock when it exists already."""
    report = (
        PeriodicReport.objects.select_for_update()
        .filter(unit=unit, kind=period.kind, period_start=period.start)
        .first()
    )
    created = report is None
    if created:
        report = PeriodicReport(
            unit=unit,
            kind=period.kind,
            period_start=period.start,
            period_end=period.end,
            first_generated_at=now,
        )
    else:
        report.generation_count += 1
    report.generated_at = now
    report.generated_by = actor if getattr(actor, "pk", None) else None
    report.summary = figures.summary()
    _replace(report.pdf, pdf)
    _replace(report.xlsx, xlsx)
    stamp(
        report,
        actor=actor,
        reason="reports.report.generated" if created else "reports.report.regenerated",
    )
    report.save()
    return report


def due_reports(today: datetime.date) -> list[tuple[int, str, datetime.date]]:
    """(unit id, kind, period start) of every report the cadences ask for that does not exist
    yet, for the periods that ended in the last CATCH_UP_DAYS days: on the first day of a
    period its predecessor, and whatever a missed nightly run left behind. Three queries."""
    periods = {
        kind: period
        for kind in PeriodKind.values
        if (today - (period := previous_period(kind, today)).end).days <= CATCH_UP_DAYS
    }
    if not periods:
        return []
    wanted = Q(pk__in=[])
    for kind, period in periods.items():
        wanted |= Q(kind=kind, period_start=period.start)
    existing = set(PeriodicReport.objects.filter(wanted).values_list("unit_id", "kind"))
    schedules = {
        unit_id: (monthly, quarterly, yearly)
        for unit_id, monthly, quarterly, yearly in ReportSchedule.objects.values_list(
            "unit_id", "monthly", "quarterly", "yearly"
        )
    }
    units = Unit.objects.filter(valid_on_q(today - datetime.timedelta(days=1))).filter(
        Q(pk__in=list(schedules)) | Q(kind__in=_kinds_with_defaults())
    )
    due = []
    for unit_id, unit_kind in units.order_by("path").values_list("pk", "kind"):
        if unit_id in schedules:
            flags = dict(zip(PeriodKind.values, schedules[unit_id], strict=True))
            kinds = [kind for kind, on in flags.items() if on]
        else:
            kinds = list(default_kinds(unit_kind))
        for kind in kinds:
            if kind in periods and (unit_id, kind) not in existing:
                due.append((unit_id, kind, periods[kind].start))
    return due


def _kinds_with_defaults() -> list[str]:
    return [kind for kind in UnitKind.values if default_kinds(kind)]


# ---------------------------------------------------------------------------------------------
# "Tạo lại báo cáo": a job, so the user watches its progress on the job page.


def start_regeneration(report: PeriodicReport, *, actor) -> Job:
    access.require(actor, Cap.GENERATE_REPORTS, report.unit)
    return jobs.start_job(
        report.unit, actor=actor, kind=REGENERATE_KIND, params={"report_id": report.pk}
    )


def regenerate_job(job: Job, progress: jobs.Progress) -> jobs.JobOutput:
    """The job's result is the new PDF, so the job page offers it for download too."""
    report = PeriodicReport.objects.select_related("unit").get(pk=job.params["report_id"])
    progress(0, 1)
    report = generate_report(
        report.unit, kind=report.kind, period_start=report.period_start, actor=job.created_by
    )
    progress(1, 1)
    with report.pdf.open("rb") as pdf:
        content = pdf.read()
    return jobs.JobOutput(filename=report.download_name("pdf"), content=content)


def register_reports_handlers() -> None:
    jobs.register_handler(
        jobs.JobHandler(
            kind=REGENERATE_KIND,
            label="Tạo lại báo cáo định kỳ",
            run=regenerate_job,
            capability=Cap.GENERATE_REPORTS,
        )
    )
