"""The registration's Excel export and import against the probes of issue #14."""

from __future__ import annotations

import io
from types import SimpleNamespace

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from awards.statistics import workbook as statistics_workbook
from pledges import services
from tests.campaign_fixtures import registered
from tests.portal.test_excel import EVIL, broken_sheet_xml, zip_bomb


def test_a_formula_in_a_task_is_exported_as_text(client, city, city_campaign):
    registration = registered(city, city_campaign, accept=False)
    task = registration.tasks.first()
    task.description = EVIL
    task.save()
    client.force_login(city.ward_officer)
    response = client.get(reverse("pledges:export", kwargs={"registration_id": registration.pk}))
    assert response["X-Content-Type-Options"] == "nosniff"
    sheet = load_workbook(io.BytesIO(response.content))["Đăng ký thi đua"]
    [cell] = [c for row in sheet.iter_rows() for c in row if c.value == EVIL]
    assert cell.data_type == "s"
    assert sheet.print_title_rows == "$4:$4"
    assert sheet.page_setup.paperSize == 9
    assert any("D5" in str(v.sqref) for v in sheet.data_validations.dataValidation)


def test_a_village_named_as_a_formula_stays_text_in_the_statistics():
    share = SimpleNamespace(label="Nữ", count=1, total=2, percent=50.0)
    report = SimpleNamespace(
        by_item=[("Danh hiệu", "CSTĐCS", "Cơ sở", 1)],
        total=1,
        shares=[share],
        by_recipient=[("Cá nhân", 1)],
        decided=1,
        mean_days=3,
        median_days=3,
        unit=SimpleNamespace(name="Phường Xuân Trung"),
        by_unit=[
            SimpleNamespace(
                name=EVIL,
                total=1,
                individuals=1,
                collectives=0,
                households=0,
                titles=1,
                forms=0,
                shares=[share],
            )
        ],
        levels=["Cơ sở"],
        by_level_year=[(2025, [1])],
        cap_year=2025,
        caps=[],
    )
    book = load_workbook(io.BytesIO(statistics_workbook(report)))
    cell = book["Theo đơn vị"]["A3"]
    assert (cell.value, cell.data_type) == (EVIL, "s")


def _import(client, city, campaign, content: bytes):
    target = services.start_registration(campaign, actor=city.admin, unit=city.ward_office)
    client.force_login(city.admin)
    response = client.post(
        reverse("pledges:import", kwargs={"registration_id": target.pk}),
        {"file": SimpleUploadedFile("dang-ky.xlsx", content)},
        follow=True,
    )
    return target, response


def test_the_zip_bomb_is_refused_by_the_registration_import(client, city, city_campaign, tmp_path):
    target, response = _import(
        client, city, city_campaign, zip_bomb(tmp_path / "b.xlsx").read_bytes()
    )
    assert response.status_code == 200
    assert "quá giới hạn 50 MB" in response.content.decode()
    assert not target.tasks.exists()


def test_a_malformed_sheet_gets_a_vietnamese_message_not_a_500(client, city, city_campaign):
    target, response = _import(client, city, city_campaign, broken_sheet_xml().getvalue())
    assert response.status_code == 200
    assert "Không đọc được tệp Excel" in response.content.decode()
    assert not target.tasks.exists()
