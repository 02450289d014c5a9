"""Bulk jobs with progress: a registry of handlers by kind and the runner that calls them.

An app registers a handler in its `AppConfig.ready()`:

    from portal.background.jobs import JobHandler, register_handler

    register_handler(
        JobHandler(
            kind="awards.print_certificates",
            label="In bằng khen, giấy khen của quyết định",
            run=awards.jobs.print_certificates,   # (job, progress) -> JobOutput | None
            capability=Cap.REVIEW_NOMINATIONS,    # needed on job.unit to start it
        )
    )

and starts one from a view with `start_job(unit, actor=request.user, kind=..., params={...})`,
then redirects to `reverse("job_detail", args=[job.pk])`, the page with the progress bar.
`run` reads `job.params` (ids and plain values), calls `progress(done, total)` as it goes and
returns the result file and/or a one-sentence summary. It may run more than once for one job (a
worker killed mid-run, a retry): it must rebuild its result from scratch, never append to a
previous one. A refusal the user must read raises `RuleViolation`; `JobRefused` also carries a
file explaining it (e.g. the rows of an import with an error column).
"""

from __future__ import annotations

import datetime
import functools
import logging
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from celery import shared_task
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook

from portal import access
from portal.access import Cap
from portal.background.enqueue import enqueue
from portal.downloads import file_name
from portal.errors import RuleViolation
from portal.excel import set_up_sheet, workbook_bytes, write_row
from portal.models import Job, JobStatus, Notification, Unit

logger = logging.getLogger(__name__)

GENERIC_FAILURE = (
    "Lỗi hệ thống khi thực hiện công việc. Hãy bấm “Thử lại”; nếu vẫn lỗi, "
    "hãy báo quản trị hệ thống kèm số công việc."
)
QUEUE_DOWN = (
    "Hàng đợi xử lý nền đang tạm ngưng. Công việc đã được ghi nhận và sẽ tự chạy "
    "khi hệ thống hoạt động trở lại; bạn không cần tạo lại."
)
PROGRESS_EVERY_SECONDS = 0.5


@dataclass(frozen=True)
class JobOutput:
    filename: str = ""  # "": no file, only the summary
    content: bytes = b""
    summary: str = ""  # one Vietnamese sentence shown on the job page


class JobRefused(RuleViolation):
    """The job failed for a reason the user can fix; `output` is kept as the job's result file."""

    def __init__(self, message: str, *, code: str, output: JobOutput) -> None:
        super().__init__(message, code=code)
        self.output = output


class JobSuperseded(Exception):
    """Another runner took the job over (this one was presumed dead): stop quietly."""


class Progress:
    """Reports progress of one run; also the heartbeat that keeps the run's claim alive."""

    def __init__(self, job_id: int, token: uuid.UUID) -> None:
        self.job_id = job_id
        self.token = token
        self._last = 0.0

    def __call__(self, done: int, total: int) -> None:
        if done < total and time.monotonic() - self._last < PROGRESS_EVERY_SECONDS:
            return
        self._last = time.monotonic()
        updated = Job.objects.filter(pk=self.job_id, run_token=self.token).update(
            progress_done=min(done, total), progress_total=total, heartbeat_at=timezone.now()
        )
        if updated != 1:
            raise JobSuperseded(self.job_id)


@dataclass(frozen=True)
class JobHandler:
    kind: str  # dotted code, "<app>.<what>"
    label: str  # Vietnamese, shown on the job page
    run: Callable[[Job, Progress], JobOutput | None]
    capability: Cap = Cap.VIEW


_HANDLERS: dict[str, JobHandler] = {}


def register_handler(handler: JobHandler) -> None:
    existing = _HANDLERS.get(handler.kind)
    if existing is not None and existing != handler:
        raise ImproperlyConfigured(f"Job kind {handler.kind!r} is registered twice.")
    _HANDLERS[handler.kind] = handler


def label_of(job: Job) -> str:
    handler = _HANDLERS.get(job.kind)
    return handler.label if handler else job.kind


def handler_for(job: Job) -> JobHandler:
    """The handler that runs `job`; a job recorded under a kind since retired is refused."""
    handler = _HANDLERS.get(job.kind)
    if handler is None:
        raise RuleViolation("Loại công việc này không còn được hỗ trợ.", code="job_kind_retired")
    return handler


@transaction.atomic
def start_job(unit: Unit, *, actor, kind: str, params: dict | None = None) -> Job:
    """Record a job for `unit` and hand it to the worker once the transaction commits."""
    handler = _HANDLERS.get(kind)
    if handler is None:
        raise RuleViolation("Loại công việc không tồn tại.", code="job_kind_unknown")
    access.require(actor, handler.capability, unit)
    job = Job.objects.create(kind=kind, created_by=actor, unit=unit, params=params or {})
    transaction.on_commit(functools.partial(dispatch_job, job.pk))
    return job


@transaction.atomic
def retry_job(job: Job, *, actor) -> Job:
    """Queue a failed job again; only the person who started it (or an administrator) may."""
    job = Job.objects.select_for_update().get(pk=job.pk)
    if job.created_by_id != actor.pk and not access.sees_everything(actor):
        raise PermissionDenied("Chỉ người tạo công việc mới được chạy lại.")
    if job.status != JobStatus.FAILED:
        raise RuleViolation("Chỉ chạy lại được công việc đã thất bại.", code="job_not_failed")
    job.status = JobStatus.QUEUED
    job.error = ""
    job.progress_done = 0
    job.enqueued_at = None
    job.save(update_fields=["status", "error", "progress_done", "enqueued_at"])
    transaction.on_commit(functools.partial(dispatch_job, job.pk))
    return job


def dispatch_job(job_id: int) -> bool:
    """Enqueue the run of `job_id`; when the broker is down the job stays queued for the sweep."""
    if not enqueue(run_job_task, job_id):
        return False
    Job.objects.filter(pk=job_id).update(enqueued_at=timezone.now())
    return True


def waiting_for_queue(job: Job) -> bool:
    """Whether the job was recorded but could not be handed to the worker yet."""
    return job.status == JobStatus.QUEUED and job.enqueued_at is None


def requeue_stale_jobs(now: datetime.datetime | None = None) -> int:
    """Re-enqueue jobs whose message was never sent or was lost with a dead worker."""
    now = now or timezone.now()
    lease = now - datetime.timedelta(seconds=settings.WORK_CLAIM_LEASE_SECONDS)
    settle = now - datetime.timedelta(seconds=60)
    stale = Job.objects.filter(
        Q(status=JobStatus.QUEUED, enqueued_at__isnull=True, created_at__lt=settle)
        | Q(status=JobStatus.QUEUED, enqueued_at__lt=lease)
        | Q(status=JobStatus.RUNNING, heartbeat_at__lt=lease)
    ).values_list("pk", flat=True)
    count = 0
    for job_id in list(stale):
        count += dispatch_job(job_id)
    return count


def run_job(job_id: int) -> bool:
    """Run the job's handler once; False when it is done already or someone else runs it."""
    now = timezone.now()
    lease = now - datetime.timedelta(seconds=settings.WORK_CLAIM_LEASE_SECONDS)
    token = uuid.uuid4()
    claimed = (
        Job.objects.filter(pk=job_id)
        .filter(Q(status=JobStatus.QUEUED) | Q(status=JobStatus.RUNNING, heartbeat_at__lt=lease))
        .update(
            status=JobStatus.RUNNING,
            run_token=token,
            attempts=F("attempts") + 1,
            started_at=now,
            heartbeat_at=now,
            progress_done=0,
            error="",
            summary="",
        )
    )
    if claimed != 1:
        return False
    job = Job.objects.select_related("unit", "created_by").get(pk=job_id)
    try:
        output = handler_for(job).run(job, Progress(job.pk, token))
    except JobSuperseded:
        return False
    except JobRefused as error:
        _fail(job, token, error.message, error.output)
    except RuleViolation as error:
        _fail(job, token, error.message)
    except Exception:
        logger.exception("Công việc %s thất bại.", job_id)
        _fail(job, token, GENERIC_FAILURE)
    else:
        _finish(job, token, output)
    return True


# The job runner's two Celery entry points live here, beside `dispatch_job` that enqueues the
# first: tasks.py lists them with the others. They keep the names they were registered under
# (messages already queued and the beat schedule name them).
@shared_task(name="portal.tasks.run_job")
def run_job_task(job_id: int) -> bool:
    return run_job(job_id)


@shared_task(name="portal.tasks.requeue_stale_jobs")
def requeue_stale_jobs_task() -> int:
    return requeue_stale_jobs()


def _store(job: Job, output: JobOutput | None) -> str:
    # Regenerate, never append: a second run replaces the previous run's file (a retry that
    # succeeds also drops the file that explained the failure).
    if job.result_file:
        job.result_file.delete(save=False)
    if output is None or not output.filename:
        return ""
    job.result_file.save(output.filename, ContentFile(output.content), save=False)
    return job.result_file.name


def _finish(job: Job, token: uuid.UUID, output: JobOutput | None) -> None:
    name = _store(job, output)
    with transaction.atomic():
        done = Job.objects.filter(pk=job.pk, run_token=token).update(
            status=JobStatus.DONE,
            result_file=name,
            summary=output.summary[:300] if output else "",
            progress_done=F("progress_total"),
            finished_at=timezone.now(),
        )
        if done:
            _notify(job, f"Công việc “{label_of(job)}” đã hoàn tất.")


def _fail(job: Job, token: uuid.UUID, message: str, output: JobOutput | None = None) -> None:
    name = _store(job, output)
    with transaction.atomic():
        failed = Job.objects.filter(pk=job.pk, run_token=token).update(
            status=JobStatus.FAILED,
            error=message[:500],
            result_file=name,
            finished_at=timezone.now(),
        )
        if failed:
            _notify(job, f"Công việc “{label_of(job)}” thất bại: {message}"[:300])


def _notify(job: Job, title: str) -> None:
    Notification.objects.create(
        user_id=job.created_by_id,
        kind="portal.job",
        title=title,
        url=reverse("job_detail", args=[job.pk]),
    )


# The portal's own handler: the unit tree under one unit as an Excel workbook.
EXPORT_UNITS_KIND = "portal.export_units"
EXPORT_COLUMNS = ["Mã", "Tên đơn vị", "Loại", "Đơn vị cấp trên", "Hiệu lực từ", "Hiệu lực đến"]


def export_units(job: Job, progress: Progress) -> JobOutput:
    units = Unit.objects.subtree(job.unit).select_related("parent").order_by("path")
    total = units.count()
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Đơn vị")
    # Write-only: the page setup goes in before the rows.
    set_up_sheet(sheet, widths=(10, 50, 20, 40, 14, 14))
    write_row(sheet, EXPORT_COLUMNS, bold=True)
    progress(0, total)
    for done, unit in enumerate(units.iterator(chunk_size=500), start=1):
        write_row(
            sheet,
            [
                unit.code,
                "    " * (unit.depth - job.unit.depth) + unit.name,
                unit.get_kind_display(),
                unit.parent.name if unit.parent else "",
                unit.valid_from,
                unit.valid_to,
            ],
        )
        progress(done, total)
    return JobOutput(
        filename=file_name("Danh sách đơn vị", job.unit.name, extension="xlsx"),
        content=workbook_bytes(workbook),
    )


def register_portal_handlers() -> None:
    register_handler(
        JobHandler(
            kind=EXPORT_UNITS_KIND, label="Xuất danh sách đơn vị trực thuộc", run=export_units
        )
    )
