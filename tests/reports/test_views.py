"""The report pages: scoped lists, downloads, the cadence form and "Tạo lại báo cáo"."""

import datetime
from urllib.parse import quote

import pytest
from django.urls import reverse

from portal.models import Job, JobStatus, Role, UnitKind
from reports import services
from reports.models import PeriodicReport
from reports.periods import PeriodKind
from tests.factories import make_member, make_unit
from tests.portal import pdf_text

from .conftest import APRIL_FIRST, MARCH

pytestmark = pytest.mark.django_db


def generate(unit, kind=PeriodKind.MONTH, start=MARCH.start):
    return services.generate_report(unit, kind=kind, period_start=start, now=APRIL_FIRST)


@pytest.fixture
def reports(world):
    return {
        "ward": generate(world.ward),
        "sibling": generate(world.sibling_ward),
        "province": generate(world.province),
    }


def test_the_ward_leader_sees_the_wards_report_and_downloads_both_files(
    client, world, reports, real_pdf
):
    client.force_login(world.ward_leader)
    page = client.get(reverse("reports:unit_list", args=[world.ward.pk]))
    assert page.status_code == 200
    assert reverse("reports:detail", args=[reports["ward"].pk]) in page.content.decode()

    pdf = client.get(reverse("reports:pdf", args=[reports["ward"].pk]))
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    # The real rendering, read back: the ward's own report of March, not another file.
    text = " ".join(pdf_text.lines(b"".join(pdf.streaming_content)))
    assert reports["ward"].unit.name in text
    assert "01/03/2026" in text and "31/03/2026" in text
    xlsx = client.get(reverse("reports:xlsx", args=[reports["ward"].pk]))
    assert xlsx.status_code == 200
    assert b"".join(xlsx.streaming_content).startswith(b"PK")


def test_the_global_list_shows_only_what_the_user_may_see(client, world, reports):
    client.force_login(world.ward_leader)
    body = client.get(reverse("reports:list")).content.decode()
    assert reverse("reports:detail", args=[reports["ward"].pk]) in body
    assert reverse("reports:detail", args=[reports["sibling"].pk]) not in body
    assert reverse("reports:detail", args=[reports["province"].pk]) not in body


def test_the_noi_vu_above_lists_the_whole_subtree(client, world, reports):
    client.force_login(world.reviewer)
    url = reverse("reports:unit_list", args=[world.province.pk])
    own = client.get(url).content.decode()
    assert reverse("reports:detail", args=[reports["ward"].pk]) not in own
    subtree = client.get(url, {"truc-thuoc": "1"}).content.decode()
    for report in reports.values():
        assert reverse("reports:detail", args=[report.pk]) in subtree


def test_an_outsider_gets_404_for_the_wards_report_and_its_files(client, world, reports):
    client.force_login(world.outsider)
    for name in ("detail", "pdf", "xlsx", "regenerate"):
        method = client.post if name == "regenerate" else client.get
        assert method(reverse(f"reports:{name}", args=[reports["ward"].pk])).status_code == 404
    assert client.get(reverse("reports:unit_list", args=[world.ward.pk])).status_code == 404
    assert client.get(reverse("reports:schedule", args=[world.ward.pk])).status_code == 404


def test_regenerating_runs_as_a_job_and_replaces_the_report_in_place(
    client, world, reports, django_capture_on_commit_callbacks
):
    report = reports["ward"]
    client.force_login(world.ward_leader)
    detail = client.get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert "Tạo lại báo cáo" in detail

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:regenerate", args=[report.pk]))

    job = Job.objects.get(kind=services.REGENERATE_KIND)
    assert response.status_code == 302
    assert response["Location"] == reverse("job_detail", args=[job.pk])
    assert job.status == JobStatus.DONE
    assert job.params == {"report_id": report.pk}
    # Stored with underscores for spaces, downloaded under the report's Vietnamese name.
    assert job.result_file.name.endswith("Báo_cáo_tháng_03-2026_Phường_Xuân_Trung.pdf")
    saved = client.get(reverse("job_result", args=[job.pk]))["Content-Disposition"]
    assert saved.endswith(
        "filename*=utf-8''" + quote("Báo cáo tháng 03-2026 Phường Xuân Trung.pdf")
    )
    report.refresh_from_db()
    assert report.generation_count == 2
    assert report.generated_by == world.ward_leader
    assert PeriodicReport.objects.filter(unit=world.ward).count() == 1


def test_a_viewer_may_read_but_not_regenerate(client, world, reports):
    client.force_login(world.viewer)
    report = reports["ward"]
    detail = client.get(reverse("reports:detail", args=[report.pk]))
    assert detail.status_code == 200
    assert "Tạo lại báo cáo" not in detail.content.decode()
    assert client.post(reverse("reports:regenerate", args=[report.pk])).status_code == 403
    assert not Job.objects.exists()


def test_the_leader_sets_the_cadence_an_officer_may_not(client, world):
    url = reverse("reports:schedule", args=[world.ward.pk])
    client.force_login(world.ward_officer)
    assert client.get(url).status_code == 403
    assert client.post(url, {"kinds": ["month"]}).status_code == 403

    client.force_login(world.ward_leader)
    assert client.get(url).status_code == 200
    response = client.post(url, {"kinds": ["month", "year"]})
    assert response.status_code == 302
    world.ward.refresh_from_db()
    assert world.ward.report_schedule.kinds == ("month", "year")


@pytest.fixture(params=[1, 10], ids=["1x", "10x"])
def scale(request, world):
    """`n` wards under the city, each with a monthly and a quarterly report."""
    for number in range(request.param):
        ward = make_unit(world.district, UnitKind.WARD, f"Phường Đo {number}")
        make_member(ward, Role.LEADER)
        generate(ward)
        generate(ward, PeriodKind.QUARTER, datetime.date(2026, 1, 1))
    return request.param


@pytest.mark.parametrize("subtree", [False, True])
def test_the_report_lists_hold_their_query_budget(
    client, world, scale, subtree, django_assert_max_num_queries
):
    client.force_login(world.reviewer)
    params = {"truc-thuoc": "1"} if subtree else {}
    with django_assert_max_num_queries(10):
        assert client.get(reverse("reports:list")).status_code == 200
    with django_assert_max_num_queries(10):
        response = client.get(reverse("reports:unit_list", args=[world.district.pk]), params)
    assert response.status_code == 200


def test_the_rates_on_the_pages_use_the_vietnamese_decimal_comma(client, world, reports):
    report = reports["ward"]
    report.summary = {**report.summary, "registration_rate": "33.3", "progress_rate": "5.24"}
    report.save(update_fields=["summary"])
    client.force_login(world.ward_leader)
    for url in (reverse("reports:detail", args=[report.pk]), reverse("reports:list")):
        page = client.get(url).content.decode()
        assert "33,3 %" in page and "5,2 %" in page
        assert "33.3" not in page
