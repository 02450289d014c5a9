"""Printing a decision's certificates is a background job with a progress bar (issue #7)."""

from __future__ import annotations

import datetime
import re
from io import BytesIO
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from awards import jobs as award_jobs
from awards.demo import bulk_decision
from awards.models import AwardDecision
from awards.paperwork import certificates
from awards.procedure import decisions
from portal.background.jobs import run_job
from portal.models import Job, JobStatus
from tests.awards.nomination_helpers import TODAY, decided
from tests.portal.pdf_reading import text_items
from tests.refusals import refused

HCM = datetime.timezone(datetime.timedelta(hours=7))


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(TODAY, tick=False)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _print(world, decision, django_capture_on_commit_callbacks, *, actor=None) -> Job:
    with django_capture_on_commit_callbacks(execute=True):
        job = certificates.print_certificates(decision, actor=actor or world.reviewer)
    job.refresh_from_db()
    return job


def _pages(job: Job) -> list[str]:
    reader = PdfReader(BytesIO(Path(job.result_file.path).read_bytes()))
    return [" ".join(page.extract_text().split()) for page in reader.pages]


def _awardees(decision: AwardDecision) -> list[str]:
    return [
        n.person.full_name for n in decision.nominations.select_related("person").order_by("pk")
    ]


def test_a_decision_of_60_prints_a_page_per_awardee_with_name_and_register_number(
    world, media, django_capture_on_commit_callbacks
):
    decision = bulk_decision(world.ward, actor=world.ward_leader, count=60)

    job = _print(world, decision, django_capture_on_commit_callbacks)

    assert (job.status, job.kind, job.unit) == (
        JobStatus.DONE,
        "awards.print_certificates",
        world.ward,
    )
    assert (job.progress_done, job.progress_total) == (60, 60)
    pages = _pages(job)
    number = decision.document.number_and_symbol
    assert len(pages) == 60
    for index, (page, name) in enumerate(zip(pages, _awardees(decision), strict=True), start=1):
        assert name in page
        assert f"Số sổ: {number} – {index}" in page
        assert "Đã có thành tích xuất sắc năm 2025" in page
        assert f"Quyết định số {number}" in page
    decision.refresh_from_db()
    assert decision.certificates_job == job


def test_the_handler_reports_progress_chunk_by_chunk_up_to_the_total(world, media):
    decision = bulk_decision(world.ward, actor=world.ward_leader, count=60)
    layout = certificates.certificate_layout(decision, actor=world.reviewer)
    job = Job.objects.create(
        kind=certificates.PRINT_CERTIFICATES_JOB,
        created_by=world.reviewer,
        unit=world.ward,
        params={"decision_id": decision.pk, "layout_id": layout.pk},
    )
    calls = []

    award_jobs.print_certificates(job, lambda done, total: calls.append((done, total)))

    assert calls == [(0, 60), (25, 60), (50, 60), (60, 60)]


def test_a_rerun_of_the_job_rebuilds_the_same_file_instead_of_adding_one(
    world, media, django_capture_on_commit_callbacks
):
    decision = bulk_decision(world.ward, actor=world.ward_leader, count=30)
    job = _print(world, decision, django_capture_on_commit_callbacks)
    first_name, first_pages = job.result_file.name, _pages(job)
    # The worker died after finishing: the broker hands the job out again.
    long_ago = datetime.datetime(2020, 1, 1, tzinfo=HCM)
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, heartbeat_at=long_ago)

    assert run_job(job.pk) is True

    job.refresh_from_db()
    assert (job.status, job.attempts, job.result_file.name) == (JobStatus.DONE, 2, first_name)
    assert [p.name for p in (media / "jobs" / str(job.pk)).iterdir()] == [Path(first_name).name]
    assert _pages(job) == first_pages
    assert Job.objects.filter(kind=certificates.PRINT_CERTIFICATES_JOB).count() == 1


def test_a_print_still_waiting_is_returned_rather_than_started_twice(
    world, media, django_capture_on_commit_callbacks
):
    decision = decided(world, code="giay-khen").decision
    decisions.issue_decision(decision, actor=world.ward_leader)
    with django_capture_on_commit_callbacks(execute=False):
        first = certificates.print_certificates(decision, actor=world.reviewer)
        second = certificates.print_certificates(decision, actor=world.reviewer)
    assert first == second
    assert Job.objects.count() == 1
    # Once finished, printing again is a new job (for a corrected signer, a lost file...).
    run_job(first.pk)
    again = _print(world, decision, django_capture_on_commit_callbacks)
    assert again != first
    decision.refresh_from_db()
    assert decision.certificates_job == again


def test_the_calibration_offset_for_preprinted_blanks_applies_to_the_job(
    world, media, settings, django_capture_on_commit_callbacks
):
    decision = bulk_decision(world.ward, actor=world.ward_leader, count=2)

    def awardee_x(job: Job) -> float:
        page = PdfReader(job.result_file.path).pages[0]
        name = _awardees(decision)[0]
        return next(x for x, _, t in text_items(page) if t.startswith(name))

    plain = _print(world, decision, django_capture_on_commit_callbacks)
    settings.DOCUMENT_CERTIFICATE_OFFSET_MM = (4.0, 0.0)
    settings.DOCUMENT_CERTIFICATE_PREPRINTED = True
    shifted = _print(world, decision, django_capture_on_commit_callbacks)

    assert awardee_x(shifted) - awardee_x(plain) == pytest.approx(4, abs=0.2)
    assert "GIẤY KHEN" in _pages(plain)[0]
    assert "GIẤY KHEN" not in _pages(shifted)[0]


def test_only_home_affairs_of_the_deciding_level_may_print(world, media):
    decision = bulk_decision(world.ward, actor=world.ward_leader, count=2)
    for outsider in (world.ward_officer, world.outsider):
        with pytest.raises(PermissionDenied):
            certificates.print_certificates(decision, actor=outsider)
    assert not Job.objects.exists()


def test_a_draft_decision_has_no_certificates_to_print(world, media):
    decision = decided(world).decision
    with refused("certificates_of_issued_decision_only"):
        certificates.print_certificates(decision, actor=world.reviewer)
    assert not Job.objects.exists()


def test_the_print_button_leads_to_the_job_page_and_the_decision_links_the_result(
    world, media, client, django_capture_on_commit_callbacks
):
    decision = bulk_decision(world.ward, actor=world.ward_leader, count=3)
    page = reverse("awards:decision_detail", kwargs={"decision_id": decision.pk})
    act = reverse("awards:decision_act", kwargs={"decision_id": decision.pk, "step": "in-bang"})
    client.force_login(world.ward_officer)
    assert client.post(act).status_code == 403
    client.force_login(world.outsider)
    assert client.post(act).status_code == 404
    assert not Job.objects.exists()

    client.force_login(world.reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(act)
    job = Job.objects.get()
    assert response["Location"] == reverse("job_detail", args=[job.pk])
    progress = client.get(response["Location"]).content.decode()
    assert "In bằng khen, giấy khen của quyết định" in progress
    assert "Tải kết quả" in progress
    detail = client.get(page).content.decode()
    assert "Hoàn tất" in detail and "(3/3)" in detail
    assert reverse("job_result", args=[job.pk]) in detail
    assert "In lại bằng, giấy khen" in detail
    download = client.get(reverse("job_result", args=[job.pk]))
    assert len(PdfReader(BytesIO(b"".join(download.streaming_content))).pages) == 3


def test_a_300_certificate_print_shows_its_progress_to_the_end(
    world, media, client, django_capture_on_commit_callbacks
):
    decision = bulk_decision(world.ward, actor=world.ward_leader, count=300)

    job = _print(world, decision, django_capture_on_commit_callbacks)

    assert (job.status, job.progress_done, job.progress_total, job.percent) == (
        JobStatus.DONE,
        300,
        300,
        100,
    )
    pages = _pages(job)
    assert len(pages) == 300
    assert _awardees(decision)[299] in pages[299]
    client.force_login(world.reviewer)
    bar = " ".join(client.get(reverse("job_progress", args=[job.pk])).content.decode().split())
    assert 'aria-valuenow="100"' in bar
    assert "Hoàn tất</strong> – 300/300" in bar


def test_the_decision_page_lists_awardees_50_a_page_in_a_constant_number_of_queries(
    world, client, django_assert_num_queries
):
    small = bulk_decision(world.ward, actor=world.ward_leader, count=3)
    large = bulk_decision(world.ward, actor=world.ward_leader, count=60)
    client.force_login(world.ward_leader)
    url = reverse("awards:decision_detail", kwargs={"decision_id": large.pk})

    def rows(page) -> int:
        return len(re.findall(r'href="/khen-thuong/de-nghi/\d+/"', page.content.decode()))

    with CaptureQueriesContext(connection) as few:
        client.get(reverse("awards:decision_detail", kwargs={"decision_id": small.pk}))
    with django_assert_num_queries(len(few)):
        first = client.get(url)
    assert rows(first) == 50 and "Danh sách (60)" in first.content.decode()
    assert "Trang sau" in first.content.decode()
    second = client.get(url, {"trang": 2})
    assert rows(second) == 10
    assert "<td>51</td>" in second.content.decode()
