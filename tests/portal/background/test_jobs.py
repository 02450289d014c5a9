import datetime
import io
from pathlib import Path

import kombu.exceptions
import pytest
from django.core.exceptions import PermissionDenied
from openpyxl import load_workbook

from portal.background import jobs, tasks
from portal.background.jobs import JobHandler, JobOutput, retry_job, run_job, start_job
from portal.errors import RuleViolation
from portal.models import Job, JobStatus, Notification
from tests.refusals import refused

HCM = datetime.timezone(datetime.timedelta(hours=7))


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def export(world, django_capture_on_commit_callbacks, *, unit=None, actor=None) -> Job:
    with django_capture_on_commit_callbacks(execute=True):
        job = start_job(
            unit or world.district, actor=actor or world.ward_leader, kind=jobs.EXPORT_UNITS_KIND
        )
    job.refresh_from_db()
    return job


@pytest.fixture
def handlers(monkeypatch):
    registry = dict(jobs._HANDLERS)
    monkeypatch.setattr(jobs, "_HANDLERS", registry)
    return registry


def test_a_job_is_handed_to_the_worker_only_after_commit(
    world, media, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = start_job(world.ward, actor=world.ward_officer, kind=jobs.EXPORT_UNITS_KIND)
    job.refresh_from_db()
    assert (job.status, job.attempts, len(callbacks)) == (JobStatus.QUEUED, 0, 1)

    callbacks[0]()

    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    assert job.enqueued_at is not None


def test_the_export_job_writes_the_subtree_workbook_and_reports_progress(
    world, media, django_capture_on_commit_callbacks
):
    job = export(world, django_capture_on_commit_callbacks, actor=world.leader)

    assert (job.status, job.progress_done, job.progress_total, job.percent) == (
        JobStatus.DONE,
        5,
        5,
        100,
    )
    sheet = load_workbook(io.BytesIO(Path(job.result_file.path).read_bytes())).active
    rows = [row for row in sheet.iter_rows(values_only=True)]
    assert rows[0][1] == "Tên đơn vị"
    assert [row[1].strip() for row in rows[1:]] == [
        "Thành phố Long Khánh",
        "Phường Xuân Trung",
        "Phòng Văn hóa - Xã hội",
        "Văn phòng HĐND và UBND",
        "Phường Xuân An",
    ]
    notification = Notification.objects.get(user=world.leader)
    assert notification.title == "Công việc “Xuất danh sách đơn vị trực thuộc” đã hoàn tất."
    assert notification.url == f"/cong-viec/{job.pk}/"


def test_a_finished_job_is_not_redone(world, media, django_capture_on_commit_callbacks):
    job = export(world, django_capture_on_commit_callbacks, actor=world.leader)

    assert run_job(job.pk) is False
    job.refresh_from_db()
    assert job.attempts == 1


def test_a_job_whose_worker_died_is_rerun_and_regenerates_its_result(
    world, media, django_capture_on_commit_callbacks, settings
):
    job = export(world, django_capture_on_commit_callbacks, actor=world.leader)
    first_name = job.result_file.name
    long_ago = datetime.datetime(2020, 1, 1, tzinfo=HCM)
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, heartbeat_at=long_ago)

    assert run_job(job.pk) is True

    job.refresh_from_db()
    assert (job.status, job.attempts, job.result_file.name) == (JobStatus.DONE, 2, first_name)
    assert [p.name for p in (media / "jobs" / str(job.pk)).iterdir()] == [Path(first_name).name]


def test_a_job_another_worker_is_running_is_left_alone(world, media):
    job = Job.objects.create(
        kind=jobs.EXPORT_UNITS_KIND, created_by=world.leader, unit=world.ward, status="running"
    )
    Job.objects.filter(pk=job.pk).update(heartbeat_at=datetime.datetime.now(HCM))

    assert run_job(job.pk) is False


def test_a_refused_job_says_why_in_vietnamese(
    world, media, handlers, django_capture_on_commit_callbacks
):
    def refuse(job, progress):
        raise RuleViolation("Đơn vị chưa có quyết định khen thưởng nào để in.")

    handlers["tests.refuse"] = JobHandler(kind="tests.refuse", label="In giấy khen", run=refuse)
    with django_capture_on_commit_callbacks(execute=True):
        job = start_job(world.ward, actor=world.ward_officer, kind="tests.refuse")
    job.refresh_from_db()

    assert (job.status, job.error) == (
        JobStatus.FAILED,
        "Đơn vị chưa có quyết định khen thưởng nào để in.",
    )
    assert "thất bại" in Notification.objects.get(user=world.ward_officer).title


def test_an_unexpected_error_fails_the_job_with_a_generic_vietnamese_message(
    world, media, handlers, django_capture_on_commit_callbacks
):
    def crash(job, progress):
        raise ValueError("bug")

    handlers["tests.crash"] = JobHandler(kind="tests.crash", label="Thử", run=crash)
    with django_capture_on_commit_callbacks(execute=True):
        job = start_job(world.ward, actor=world.ward_officer, kind="tests.crash")
    job.refresh_from_db()

    assert (job.status, job.error) == (JobStatus.FAILED, jobs.GENERIC_FAILURE)


def test_only_the_creator_may_retry_a_failed_job(
    world, media, handlers, django_capture_on_commit_callbacks
):
    outcomes = iter([ValueError("tạm thời"), None])

    def flaky(job, progress):
        error = next(outcomes)
        if error:
            raise error
        return JobOutput(filename="ket-qua.csv", content="Đơn vị\n".encode())

    handlers["tests.flaky"] = JobHandler(kind="tests.flaky", label="Thử", run=flaky)
    with django_capture_on_commit_callbacks(execute=True):
        job = start_job(world.ward, actor=world.ward_officer, kind="tests.flaky")

    with pytest.raises(PermissionDenied):
        retry_job(job, actor=world.ward_leader)
    with django_capture_on_commit_callbacks(execute=True):
        retry_job(job, actor=world.ward_officer)

    job.refresh_from_db()
    assert (job.status, job.attempts, job.error) == (JobStatus.DONE, 2, "")
    with refused("job_not_failed"):
        retry_job(job, actor=world.ward_officer)


def test_starting_a_job_needs_the_capability_on_its_unit(world):
    with pytest.raises(PermissionDenied):
        start_job(world.ward, actor=world.outsider, kind=jobs.EXPORT_UNITS_KIND)
    with refused("job_kind_unknown"):
        start_job(world.ward, actor=world.ward_officer, kind="tests.unknown")


def test_a_job_is_visible_to_its_creator_and_to_those_who_see_its_unit(world):
    job = Job.objects.create(
        kind=jobs.EXPORT_UNITS_KIND, created_by=world.ward_officer, unit=world.ward
    )

    for user in (world.ward_officer, world.ward_leader, world.leader, world.admin):
        assert Job.objects.visible_to(user).filter(pk=job.pk).exists()
    assert not Job.objects.visible_to(world.outsider).filter(pk=job.pk).exists()


def test_the_sweep_hands_stale_queued_and_abandoned_jobs_to_the_worker_again(world, media):
    never_sent = Job.objects.create(
        kind=jobs.EXPORT_UNITS_KIND, created_by=world.leader, unit=world.ward
    )
    fresh = Job.objects.create(
        kind=jobs.EXPORT_UNITS_KIND, created_by=world.leader, unit=world.ward
    )
    abandoned = Job.objects.create(
        kind=jobs.EXPORT_UNITS_KIND, created_by=world.leader, unit=world.ward, status="running"
    )
    hour_ago = datetime.datetime.now(HCM) - datetime.timedelta(hours=1)
    Job.objects.filter(pk=never_sent.pk).update(created_at=hour_ago)
    Job.objects.filter(pk=abandoned.pk).update(heartbeat_at=hour_ago)

    assert tasks.requeue_stale_jobs() == 2

    statuses = dict(Job.objects.values_list("pk", "status"))
    assert statuses == {
        never_sent.pk: JobStatus.DONE,
        fresh.pk: JobStatus.QUEUED,
        abandoned.pk: JobStatus.DONE,
    }


def test_with_the_broker_down_a_job_stays_queued_for_the_sweep(world, monkeypatch):
    def refuse(*args, **kwargs):
        raise kombu.exceptions.OperationalError("Error 111 connecting to 127.0.0.1:6399.")

    monkeypatch.setattr(tasks.run_job, "apply_async", refuse)
    assert (
        jobs.dispatch_job(
            Job.objects.create(
                kind=jobs.EXPORT_UNITS_KIND, created_by=world.leader, unit=world.ward
            ).pk
        )
        is False
    )
    job = Job.objects.get()
    assert (job.status, job.enqueued_at) == (JobStatus.QUEUED, None)
    assert jobs.waiting_for_queue(job)


def test_progress_is_throttled_but_the_last_step_is_always_recorded(world):
    job = Job.objects.create(kind=jobs.EXPORT_UNITS_KIND, created_by=world.leader, unit=world.ward)
    token = "00000000-0000-0000-0000-000000000001"
    Job.objects.filter(pk=job.pk).update(status="running", run_token=token)
    progress = jobs.Progress(job.pk, token)
    progress(1, 300)
    progress(2, 300)
    job.refresh_from_db()
    assert job.progress_done == 1
    progress(300, 300)
    job.refresh_from_db()
    assert (job.progress_done, job.progress_total) == (300, 300)
    Job.objects.filter(pk=job.pk).update(run_token=None)
    with pytest.raises(jobs.JobSuperseded):
        progress(300, 300)


def test_every_beat_entry_names_a_registered_task(settings):
    from portal.celery import app

    app.loader.import_default_modules()
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        assert entry["task"] in app.tasks


def test_a_job_of_a_kind_since_retired_fails_with_the_reason(
    world, media, handlers, django_capture_on_commit_callbacks
):
    handlers["tests.retired"] = JobHandler(
        kind="tests.retired", label="Cũ", run=lambda job, progress: None
    )
    job = start_job(world.ward, actor=world.ward_officer, kind="tests.retired")
    del handlers["tests.retired"]
    with refused("job_kind_retired"):
        jobs.handler_for(job)
    assert run_job(job.pk) is True
    job.refresh_from_db()
    assert (job.status, job.error) == (
        JobStatus.FAILED,
        "Loại công việc này không còn được hỗ trợ.",
    )
