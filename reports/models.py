"""Periodic reports of a unit: when it reports (its cadence) and the reports themselves."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from portal.models import Unit
from reports.periods import Period, PeriodKind, default_kinds


class ReportScheduleQuerySet(models.QuerySet):
    def visible_to(self, user) -> ReportScheduleQuerySet:
        from portal import access

        return self.filter(access.unit_scope(user, "unit__path"))


class ReportSchedule(models.Model):
    """A unit's own cadence; a unit without one follows `periods.default_kinds`."""

    unit = models.OneToOneField(
        Unit, verbose_name="đơn vị", on_delete=models.PROTECT, related_name="report_schedule"
    )
    monthly = models.BooleanField("hằng tháng", default=False)
    quarterly = models.BooleanField("hằng quý", default=False)
    yearly = models.BooleanField("hằng năm", default=False)

    history = HistoricalRecords()
    objects = ReportScheduleQuerySet.as_manager()

    class Meta:
        verbose_name = "lịch báo cáo định kỳ"
        verbose_name_plural = "lịch báo cáo định kỳ"

    def __str__(self) -> str:
        return f"{self.unit}: {', '.join(PeriodKind(k).label for k in self.kinds) or 'không'}"

    @property
    def kinds(self) -> tuple[str, ...]:
        flags = {
            PeriodKind.MONTH: self.monthly,
            PeriodKind.QUARTER: self.quarterly,
            PeriodKind.YEAR: self.yearly,
        }
        return tuple(kind for kind, on in flags.items() if on)


def kinds_of(unit: Unit) -> tuple[str, ...]:
    """The periods `unit` reports on: its own setting, else the default for its kind."""
    schedule = getattr(unit, "report_schedule", None) if unit.pk else None
    return schedule.kinds if schedule is not None else default_kinds(unit.kind)


class PeriodicReportQuerySet(models.QuerySet):
    def visible_to(self, user) -> PeriodicReportQuerySet:
        """Wherever the unit is visible: its own officials and every level above it."""
        from portal import access

        return self.filter(access.unit_scope(user, "unit__path"))


def _file_name(report: PeriodicReport, extension: str) -> str:
    # Fixed per report: a regeneration replaces the file under the same name.
    return (
        f"bao-cao-dinh-ky/{report.unit_id}/{report.kind}-{report.period_start:%Y-%m-%d}.{extension}"
    )


def pdf_path(report: PeriodicReport, filename: str) -> str:
    return _file_name(report, "pdf")


def xlsx_path(report: PeriodicReport, filename: str) -> str:
    return _file_name(report, "xlsx")


class PeriodicReport(models.Model):
    """The Báo cáo of one unit for one period, as PDF and Excel; one row per unit, kind and
    period start, regenerated in place when the job runs again."""

    unit = models.ForeignKey(
        Unit, verbose_name="đơn vị", on_delete=models.PROTECT, related_name="periodic_reports"
    )
    kind = models.CharField("kỳ báo cáo", max_length=10, choices=PeriodKind.choices)
    period_start = models.DateField("từ ngày")
    period_end = models.DateField("đến ngày")
    pdf = models.FileField("báo cáo (PDF)", upload_to=pdf_path, blank=True)
    xlsx = models.FileField("số liệu (Excel)", upload_to=xlsx_path, blank=True)
    # The headline figures, for the list page (the files hold the detail).
    summary = models.JSONField("số liệu chính", default=dict, blank=True)
    first_generated_at = models.DateTimeField("lập lần đầu lúc")
    generated_at = models.DateTimeField("lập lại lần cuối lúc")
    generation_count = models.PositiveSmallIntegerField("số lần lập", default=1)
    generated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người lập lại",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    history = HistoricalRecords()
    objects = PeriodicReportQuerySet.as_manager()

    class Meta:
        verbose_name = "báo cáo định kỳ"
        verbose_name_plural = "báo cáo định kỳ"
        ordering = ["-period_start", "unit__path", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "kind", "period_start"], name="periodic_report_once"
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="periodic_report_dates_ordered",
            ),
        ]
        indexes = [models.Index(fields=["first_generated_at"], name="periodic_report_new")]

    def __str__(self) -> str:
        return f"Báo cáo {self.period.label} – {self.unit}"

    @property
    def period(self) -> Period:
        return Period(kind=self.kind, start=self.period_start, end=self.period_end)

    def download_name(self, extension: str) -> str:
        """The name a download is saved under: "Báo cáo tháng 11-2026 Phường Long Khánh.pdf"
        (the stored file keeps its fixed path, regenerated in place)."""
        from portal.downloads import file_name

        return file_name(str(self), extension=extension).replace(" – ", " ")
