import socket
import time

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from portal.background import jobs
from portal.celery import app as celery_app
from portal.models import Job, JobStatus, Notification, NotificationPreference


def notify(user, title="Nhắc việc ngày 28/11/2026: 1 việc cần xử lý", **fields) -> Notification:
    return Notification.objects.create(user=user, kind="portal.digest", title=title, **fields)


def test_the_bell_counts_only_my_unread_notifications(client, world):
    notify(world.ward_officer)
    notify(world.ward_officer, read_at="2026-11-28T08:00:00+07:00")
    notify(world.outsider)
    client.force_login(world.ward_officer)

    response = client.get(reverse("notification_bell"))

    assert 'data-unread="1"' in response.text
    assert 'hx-trigger="every 60s"' in response.text


def test_the_navbar_loads_the_bell_with_htmx(client, world):
    client.force_login(world.ward_officer)
    response = client.get("/")
    assert f'hx-get="{reverse("notification_bell")}"' in response.text


def test_the_list_shows_my_notifications_with_their_items(client, world):
    notify(
        world.ward_officer,
        items=[
            {
                "title": "Hồ sơ của Nguyễn Thị Hồng chưa hoàn thiện",
                "url": "/ca-nhan/1/",
                "label": "Hồ sơ cá nhân",
                "unit_name": "Phường Xuân Trung",
                "due_on_display": "30/11/2026",
                "overdue": True,
            }
        ],
    )
    notify(world.outsider, title="Của người khác")
    client.force_login(world.ward_officer)

    response = client.get(reverse("notification_list"))

    assert "Hồ sơ của Nguyễn Thị Hồng chưa hoàn thiện" in response.text
    assert "hạn 30/11/2026" in response.text
    assert "Quá hạn" in response.text
    assert "Của người khác" not in response.text


def test_reading_a_notification_marks_it_and_follows_its_link(client, world):
    notification = notify(world.ward_officer, url="/cong-viec/1/")
    client.force_login(world.ward_officer)

    response = client.post(reverse("notification_read", args=[notification.pk]))

    assert response.status_code == 302
    assert response["Location"] == "/cong-viec/1/"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_another_users_notification_is_not_found(client, world):
    notification = notify(world.ward_officer)
    client.force_login(world.leader)

    response = client.post(reverse("notification_read", args=[notification.pk]))

    assert response.status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


def test_mark_all_as_read_touches_only_my_notifications(client, world):
    mine = [notify(world.ward_officer) for _ in range(3)]
    theirs = notify(world.outsider)
    client.force_login(world.ward_officer)

    client.post(reverse("notification_read_all"))

    assert (
        Notification.objects.filter(pk__in=[n.pk for n in mine], read_at__isnull=True).count() == 0
    )
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_a_person_sets_their_digest_hour_and_mutes_email(client, world):
    client.force_login(world.ward_officer)

    response = client.post(
        reverse("notification_preferences"), {"digest_hour": "17", "mute_email": "on"}
    )

    assert response.status_code == 302
    preference = NotificationPreference.objects.get(user=world.ward_officer)
    assert (preference.digest_hour, preference.mute_email, preference.mute_inbox) == (
        17,
        True,
        False,
    )
    page = client.get(reverse("notification_preferences"))
    assert "Nhắc việc có thời hạn luật định luôn được gửi" in page.text


def test_the_notification_list_keeps_its_query_count_at_ten_times_the_data(
    client, world, django_assert_max_num_queries
):
    client.force_login(world.ward_officer)
    for _ in range(2):
        notify(world.ward_officer)
    with django_assert_max_num_queries(8):
        client.get(reverse("notification_list"))
    for _ in range(18):
        notify(world.ward_officer)
    with django_assert_max_num_queries(8):
        client.get(reverse("notification_list"))


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_starting_an_export_leads_to_its_progress_page_and_result(
    client, world, media, django_capture_on_commit_callbacks
):
    client.force_login(world.ward_officer)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("job_export_units"), {"unit": world.ward.pk})

    job = Job.objects.get()
    assert response["Location"] == reverse("job_detail", args=[job.pk])
    page = client.get(response["Location"])
    assert "Xuất danh sách đơn vị trực thuộc" in page.text
    assert "every 2s" not in page.text
    assert reverse("job_result", args=[job.pk]) in page.text
    download = client.get(reverse("job_result", args=[job.pk]))
    assert download["Content-Disposition"].startswith("attachment")
    assert b"".join(download.streaming_content)[:2] == b"PK"


def test_a_running_job_page_polls_until_done(client, world):
    job = Job.objects.create(
        kind=jobs.EXPORT_UNITS_KIND,
        created_by=world.ward_officer,
        unit=world.ward,
        status=JobStatus.RUNNING,
        progress_done=30,
        progress_total=120,
    )
    client.force_login(world.ward_officer)

    response = client.get(reverse("job_progress", args=[job.pk]))

    assert f'hx-get="{reverse("job_progress", args=[job.pk])}"' in response.text
    assert 'hx-trigger="every 2s"' in response.text
    assert "width: 25%" in response.text


def test_a_failed_job_says_why_and_offers_its_creator_a_retry(client, world):
    job = Job.objects.create(
        kind=jobs.EXPORT_UNITS_KIND,
        created_by=world.ward_officer,
        unit=world.ward,
        status=JobStatus.FAILED,
        error="Đơn vị chưa có dữ liệu.",
    )
    client.force_login(world.ward_officer)
    own = client.get(reverse("job_detail", args=[job.pk]))
    client.force_login(world.ward_leader)
    other = client.get(reverse("job_detail", args=[job.pk]))

    assert "Đơn vị chưa có dữ liệu." in own.text
    assert reverse("job_retry", args=[job.pk]) in own.text
    assert "Đơn vị chưa có dữ liệu." in other.text
    assert reverse("job_retry", args=[job.pk]) not in other.text
    assert client.post(reverse("job_retry", args=[job.pk])).status_code == 403


@pytest.mark.parametrize("name", ["job_detail", "job_progress", "job_result"])
def test_a_job_outside_my_scope_is_not_found(client, world, media, name):
    job = Job.objects.create(
        kind=jobs.EXPORT_UNITS_KIND, created_by=world.ward_officer, unit=world.ward, status="done"
    )
    job.result_file.save("x.xlsx", ContentFile(b"PK"))
    client.force_login(world.outsider)

    assert client.get(reverse(name, args=[job.pk])).status_code == 404


@pytest.fixture
def broker_on_a_closed_port():
    """Point the Celery app at a Redis port nobody listens on, as with a wrong REDIS_URL."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    saved = celery_app.conf.broker_url, celery_app.conf.task_always_eager
    celery_app.conf.broker_url = f"redis://127.0.0.1:{port}/0"
    celery_app.conf.task_always_eager = False
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
    yield
    celery_app.conf.broker_url, celery_app.conf.task_always_eager = saved
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.mark.usefixtures("broker_on_a_closed_port")
def test_with_redis_unreachable_starting_a_job_answers_fast_and_says_it_will_run_later(
    client, world, django_capture_on_commit_callbacks
):
    client.force_login(world.ward_officer)

    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("job_export_units"), {"unit": world.ward.pk}, follow=True)
    elapsed = time.monotonic() - started

    assert elapsed < 3
    assert jobs.QUEUE_DOWN in response.text
    job = Job.objects.get()
    assert (job.status, job.enqueued_at) == (JobStatus.QUEUED, None)


def test_asking_for_the_result_of_an_unfinished_job_leads_back_to_its_page(client, world):
    job = Job.objects.create(
        kind=jobs.EXPORT_UNITS_KIND, created_by=world.ward_officer, unit=world.ward
    )
    client.force_login(world.ward_officer)

    response = client.get(reverse("job_result", args=[job.pk]))

    assert response["Location"] == reverse("job_detail", args=[job.pk])


def test_changing_digest_settings_is_recorded_in_history(client, world):
    client.force_login(world.ward_officer)
    client.post(reverse("notification_preferences"), {"digest_hour": "6", "mute_inbox": "on"})

    record = NotificationPreference.history.get()
    assert (record.history_user, record.history_change_reason) == (
        world.ward_officer,
        "portal.notification_preference.updated",
    )
