"""Long work done by the worker on a user's behalf (exports, bulk printing, reports).

A job row is operational state moved by the runner many times a second (progress, heartbeat)
through conditional updates, so it is not simple-history audited: the row itself records who
started it, for which unit, how many attempts and how it ended.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from portal import access

from .units import Unit


class JobStatus(models.TextChoices):
    QUEUED = "queued", "Đang chờ"
    RUNNING = "running", "Đang chạy"
    DONE = "done", "Hoàn tất"
    FAILED = "failed", "Thất bại"


class JobQuerySet(models.QuerySet):
    def visible_to(self, user) -> JobQuerySet:
        """The creator's own jobs and every job of a unit the user may see."""
        if not user.is_authenticated:
            return self.none()
        if access.sees_everything(user):
            return self
        return self.filter(Q(created_by=user) | access.unit_scope(user, "unit__path"))


def job_result_path(job: Job, filename: str) -> str:
    return f"jobs/{job.pk}/{filename}"


class Job(models.Model):
    kind = models.CharField("loại công việc", max_length=64)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người tạo",
        on_delete=models.PROTECT,
        related_name="jobs",
    )
    unit = models.ForeignKey(
        Unit, verbose_name="đơn vị", on_delete=models.PROTECT, related_name="jobs"
    )
    params = models.JSONField("tham số", default=dict, blank=True)
    status = models.CharField(
        "trạng thái", max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED
    )
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)
    result_file = models.FileField("tệp kết quả", upload_to=job_result_path, blank=True)
    error = models.CharField("lý do thất bại", max_length=500, blank=True)
    summary = models.CharField("kết quả", max_length=300, blank=True)
    attempts = models.PositiveSmallIntegerField("số lần chạy", default=0)
    run_token = models.UUIDField(null=True, blank=True)
    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)
    enqueued_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = JobQuerySet.as_manager()

    class Meta:
        verbose_name = "công việc nền"
        verbose_name_plural = "công việc nền"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "enqueued_at"], name="job_status")]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress_done__lte=models.F("progress_total")) | Q(progress_total=0),
                name="job_progress_within_total",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}"

    @property
    def percent(self) -> int:
        if self.status == JobStatus.DONE:
            return 100
        if not self.progress_total:
            return 0
        return min(100, self.progress_done * 100 // self.progress_total)

    @property
    def is_finished(self) -> bool:
        return self.status in {JobStatus.DONE, JobStatus.FAILED}
