"""The award history import as a background job: progress over both passes, all rows or none,
an error workbook for the bad rows, once per upload, and the page flow."""

import io
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from awards.history.importing import IMPORT_JOB, start_history_import, template_workbook
from awards.models import AnnualRating, AwardRecord, HistoryImport
from portal.background.jobs import run_job
from portal.models import Job, JobStatus, Person
from tests.factories import make_person
from tests.refusals import refused

from .test_history import good_award, workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def upload_of(buffer: io.BytesIO, name: str = "lich-su.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=XLSX)


def start(world, buffer, capture, *, actor=None) -> Job:
    with capture(execute=True):
        job = start_history_import(upload_of(buffer), actor=actor or world.ward_officer)
    job.refresh_from_db()
    return job


def rating_rows(world, people: int, years: range) -> list[list]:
    members = Person.objects.bulk_create(
        Person(unit=world.ward, full_name=f"Cán bộ {i}", search_name=f"can bo {i}", gender="male")
        for i in range(people)
    )
    return [
        ["Cá nhân", member.pk, "", "26000", year, "Hoàn thành tốt nhiệm vụ"]
        for member in members
        for year in years
    ]


def test_two_thousand_rows_import_through_the_job_with_progress_to_the_total(
    world, catalogue, media, django_capture_on_commit_callbacks
):
    rows = rating_rows(world, 200, range(2015, 2025))
    assert len(rows) == 2000
    job = start(world, workbook([good_award()], rows), django_capture_on_commit_callbacks)
    assert (job.kind, job.status, job.error) == (IMPORT_JOB, JobStatus.DONE, "")
    # Two passes (read, then write) over 2,001 rows.
    assert (job.progress_done, job.progress_total) == (4002, 4002)
    assert job.summary == "Đã nhập 1 khen thưởng và 2000 xếp loại hằng năm."
    assert not job.result_file
    assert AnnualRating.objects.filter(source="imported").count() == 2000
    assert AwardRecord.objects.count() == 1
    upload = HistoryImport.objects.get(job=job)
    assert upload.imported_at is not None and (upload.awards, upload.ratings) == (1, 2000)
    assert upload.file.name.startswith("private/awards/imports/")
    assert upload.unit == world.ward


def test_three_bad_rows_import_nothing_and_the_job_names_them(
    world, catalogue, media, django_capture_on_commit_callbacks
):
    bad_title, bad_date, unknown = good_award(), good_award(), good_award("Người Không Có")
    bad_title[4] = "Huy chương vàng"
    bad_date[9] = "2025-01-15"
    good_rating = ["Cá nhân", world.person.pk, "", "26000", 2024, "HTTNV"]
    job = start(
        world,
        workbook([good_award(), bad_title, bad_date, unknown], [good_rating]),
        django_capture_on_commit_callbacks,
    )
    assert job.status == JobStatus.FAILED
    assert job.error.startswith("Tệp có 3 dòng lỗi; không dòng nào được nhập.")
    for row in (3, 4, 5):
        assert f"Trang “Khen thưởng”, dòng {row}:" in job.error
    assert not AwardRecord.objects.exists() and not AnnualRating.objects.exists()
    assert HistoryImport.objects.get(job=job).imported_at is None

    report = load_workbook(io.BytesIO(Path(job.result_file.path).read_bytes()))
    awards = report["Khen thưởng"]
    assert awards.cell(1, 12).value == "Lỗi"
    errors = {row: awards.cell(row, 12).value for row in range(2, 6)}
    assert errors[2] is None
    assert "Huy chương vàng" in errors[3]
    assert "dd/mm/yyyy" in errors[4]
    assert "Người Không Có" in errors[5]
    # The rows come back as uploaded, ready to be fixed in place.
    assert awards.cell(3, 3).value == "Nguyễn Thị Hồng"
    assert report["Xếp loại"].cell(2, 7).value is None


def test_a_failed_import_retried_after_the_fix_imports_and_drops_the_error_file(
    world, catalogue, media, django_capture_on_commit_callbacks
):
    from portal.background.jobs import retry_job

    job = start(world, workbook([good_award("Trần Văn Mới")]), django_capture_on_commit_callbacks)
    assert job.status == JobStatus.FAILED and job.result_file
    make_person(world.ward, "Trần Văn Mới", gender="male")
    with django_capture_on_commit_callbacks(execute=True):
        retry_job(job, actor=world.ward_officer)
    job.refresh_from_db()
    assert (job.status, job.attempts, job.error) == (JobStatus.DONE, 2, "")
    assert not job.result_file
    assert AwardRecord.objects.get().person.full_name == "Trần Văn Mới"


def test_a_rerun_of_a_finished_import_imports_nothing_twice(
    world, catalogue, media, django_capture_on_commit_callbacks
):
    job = start(world, workbook([good_award()]), django_capture_on_commit_callbacks)
    assert job.status == JobStatus.DONE
    # A redelivered message, or a worker that died after the commit but before the job was
    # marked done: the job is run again from the start.
    Job.objects.filter(pk=job.pk).update(status=JobStatus.QUEUED)
    assert run_job(job.pk) is True
    job.refresh_from_db()
    assert (job.status, job.attempts) == (JobStatus.DONE, 2)
    assert job.summary == "Đã nhập 1 khen thưởng và 0 xếp loại hằng năm."
    assert AwardRecord.objects.count() == 1


def test_an_upload_already_imported_inside_the_transaction_is_not_imported_again(
    world, catalogue, media, django_capture_on_commit_callbacks
):
    """The handler checks before reading; the import checks again under the row lock."""
    from awards.history.importing import import_award_history

    job = start(world, workbook([good_award()]), django_capture_on_commit_callbacks)
    upload = HistoryImport.objects.get(job=job)
    stale = HistoryImport.objects.get(pk=upload.pk)
    stale.imported_at = None  # as a second runner read it before the first one committed
    with upload.file.open("rb") as file:
        result = import_award_history(file, actor=world.ward_officer, upload=stale)
    assert (result.awards, result.ratings) == (1, 0)
    assert AwardRecord.objects.count() == 1


def test_someone_without_the_history_right_may_not_start_an_import(
    world, media, django_capture_on_commit_callbacks
):
    for person in (world.viewer, world.council):
        with pytest.raises(PermissionDenied):
            start(world, workbook([good_award()]), django_capture_on_commit_callbacks, actor=person)
    assert not Job.objects.exists() and not HistoryImport.objects.exists()


def test_an_outsiders_import_is_filed_under_their_ward_and_cannot_reach_ours(
    client, world, catalogue, media, django_capture_on_commit_callbacks
):
    job = start(
        world, workbook([good_award()]), django_capture_on_commit_callbacks, actor=world.outsider
    )
    assert job.unit == world.sibling_ward
    assert job.status == JobStatus.FAILED
    assert "không tìm thấy đơn vị có mã “26000”" in job.error
    assert not AwardRecord.objects.exists()
    client.force_login(world.ward_officer)
    assert client.get(reverse("job_detail", args=[job.pk])).status_code == 404
    assert client.get(reverse("job_result", args=[job.pk])).status_code == 404


def test_a_file_that_is_not_a_workbook_is_refused_in_the_request(world, media):
    with refused("upload_wrong_type"):
        start_history_import(SimpleUploadedFile("x.xlsx", b"not excel"), actor=world.ward_officer)
    assert not Job.objects.exists()


def test_the_page_uploads_and_redirects_to_the_job_page_with_the_result(
    client, world, catalogue, media, django_capture_on_commit_callbacks
):
    make_person(world.ward, "Nguyễn Văn A", gender="male")
    client.force_login(world.ward_officer)
    template = client.get(reverse("awards:import_template")).content
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("awards:import_history"), {"file": upload_of(io.BytesIO(template))}
        )
    job = Job.objects.get(kind=IMPORT_JOB)
    assert response.status_code == 302
    assert response.url == reverse("job_detail", args=[job.pk])
    page = client.get(response.url).content.decode()
    assert "Nhập lịch sử khen thưởng và xếp loại từ Excel" in page
    assert "Đã nhập 1 khen thưởng và 1 xếp loại hằng năm." in page

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("awards:import_history"), {"file": upload_of(io.BytesIO(template))}
        )
    failed = Job.objects.filter(kind=IMPORT_JOB).exclude(pk=job.pk).get()
    page = client.get(response.url).content.decode()
    assert "Tệp có 2 dòng lỗi; không dòng nào được nhập." in page
    assert "Tải tệp chi tiết lỗi" in page and "Thử lại" in page
    download = client.get(reverse("job_result", args=[failed.pk]))
    assert download.status_code == 200
    report = load_workbook(io.BytesIO(b"".join(download.streaming_content)))
    assert "đã có" in report["Khen thưởng"].cell(2, 12).value
    assert AwardRecord.objects.count() == 1


def test_the_page_refuses_a_viewer_and_a_non_workbook_stays_on_the_form(
    client, world, media, django_capture_on_commit_callbacks
):
    client.force_login(world.viewer)
    assert client.post(reverse("awards:import_history")).status_code == 403
    client.force_login(world.ward_officer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("awards:import_history"),
            {"file": SimpleUploadedFile("x.xlsx", b"not excel")},
        )
    assert response.status_code == 200
    assert "không phải bảng tính Excel" in response.content.decode()
    assert not Job.objects.exists()


def test_the_template_is_a_workbook_the_import_reads(world):
    assert load_workbook(io.BytesIO(template_workbook())).sheetnames == ["Khen thưởng", "Xếp loại"]
