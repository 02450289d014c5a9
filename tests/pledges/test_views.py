import hashlib
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from campaigns.models import ReviewKind
from pledges import reviews, services
from pledges.models import Evidence, Registration, UnitReview
from pledges.workflow import RegistrationStatus
from tests.campaign_fixtures import days, make_campaign, registered

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def scene(city, city_campaign):
    """Xuân Trung's accepted registration with a report carrying one evidence file, its open
    review, and a draft campaign of the ward: one object for every URL kwarg."""
    registration = registered(city, city_campaign)
    task = registration.tasks.first()
    report = services.report_progress(
        task,
        actor=city.ward_officer,
        reported_on=days(0),
        value=Decimal(3),
        narrative="Ba mô hình",
        files=[SimpleUploadedFile("mc.pdf", PDF)],
    )
    review = reviews.open_unit_review(
        city_campaign, actor=city.ward_officer, unit=city.ward, kind=ReviewKind.MIDTERM
    )
    ward_campaign = make_campaign(city.ward, city.ward_officer)
    return {
        "campaign_id": ward_campaign.pk,
        "registration_id": registration.pk,
        "task_id": task.pk,
        "evidence_id": Evidence.objects.get(report=report).pk,
        "review_id": review.pk,
        "unit_id": city.ward.pk,
    }


# Every URL of the two apps with the kwargs it takes (the denial sweep fills them by name).
URLS = [
    ("campaigns:detail", ["campaign_id"]),
    ("campaigns:edit", ["campaign_id"]),
    ("campaigns:document", ["campaign_id"]),
    ("campaigns:preview", ["campaign_id"]),
    ("campaigns:transition", ["campaign_id"]),
    ("campaigns:follow_up", ["campaign_id"]),
    ("pledges:cascade", ["campaign_id"]),
    ("pledges:list", ["campaign_id"]),
    ("pledges:start", ["campaign_id"]),
    ("pledges:review_open", ["campaign_id"]),
    ("pledges:reviews", ["campaign_id"]),
    ("pledges:review_report", ["campaign_id"]),
    ("pledges:detail", ["registration_id"]),
    ("pledges:tasks", ["registration_id"]),
    ("pledges:transition", ["registration_id"]),
    ("pledges:export", ["registration_id"]),
    ("pledges:import", ["registration_id"]),
    ("pledges:report", ["task_id"]),
    ("pledges:evidence", ["evidence_id"]),
    ("pledges:review", ["review_id"]),
    ("pledges:unit_tasks", ["unit_id"]),
]


@pytest.mark.parametrize(("name", "kwargs"), URLS)
def test_an_outsider_from_the_sibling_ward_gets_404_everywhere(client, city, scene, name, kwargs):
    client.force_login(city.outsider)
    url = reverse(name, kwargs={key: scene[key] for key in kwargs})
    assert client.get(url).status_code in (404, 405)
    assert client.post(url).status_code == 404


@pytest.mark.parametrize(("name", "kwargs"), URLS)
def test_anonymous_visitors_are_sent_to_the_login_page(client, scene, name, kwargs):
    url = reverse(name, kwargs={key: scene[key] for key in kwargs})
    response = client.post(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize(
    ("name", "kwarg", "method"),
    [
        ("pledges:tasks", "registration_id", "get"),
        ("pledges:import", "registration_id", "post"),
        ("pledges:report", "task_id", "get"),
        ("campaigns:edit", "campaign_id", "get"),
        ("campaigns:document", "campaign_id", "get"),
    ],
)
def test_inside_the_scope_without_the_capability_is_403(client, city, scene, name, kwarg, method):
    client.force_login(city.ward_leader if kwarg != "campaign_id" else city.viewer)
    url = reverse(name, kwargs={kwarg: scene[kwarg]})
    assert getattr(client, method)(url).status_code == 403


def test_pages_render_for_the_people_who_use_them(client, city, scene, city_campaign):
    client.force_login(city.ward_officer)
    for name, kwargs in URLS:
        if name in (
            "campaigns:transition",
            "campaigns:follow_up",
            "pledges:start",
            "pledges:review_open",
            "pledges:review_report",
            "pledges:transition",
            "pledges:import",
        ):
            continue
        url = reverse(name, kwargs={key: scene[key] for key in kwargs})
        assert client.get(url).status_code == 200, url
    client.force_login(city.city_officer)
    assert (
        client.get(reverse("pledges:cascade", kwargs={"campaign_id": city_campaign.pk})).status_code
        == 200
    )


def test_the_cascade_opens_at_the_highest_unit_each_user_sees(client, city, city_campaign):
    """The issuer for whoever sees it; else the top of the user's own branch inside it."""
    url = reverse("pledges:cascade", kwargs={"campaign_id": city_campaign.pk})
    for user, root in (
        (city.city_officer, city_campaign.issuer),
        (city.leader, city_campaign.issuer),
        (city.ward_officer, city.ward),
        (city.outsider, city.sibling_ward),
    ):
        client.force_login(user)
        assert client.get(url).context["cascade"].root == root, user


def test_registration_form_saves_task_rows_and_the_officer_submits(client, city, city_campaign):
    client.force_login(city.ward_officer)
    response = client.post(
        reverse("pledges:start", kwargs={"campaign_id": city_campaign.pk}), {"unit": city.ward.pk}
    )
    registration = Registration.objects.get(campaign=city_campaign, unit=city.ward)
    assert response.url == reverse("pledges:tasks", kwargs={"registration_id": registration.pk})
    row = {
        "item_number": "1",
        "description": "Xây dựng 5 tuyến phố văn minh",
        "measure": "number",
        "target_value": "5",
        "unit_of_measure": "tuyến phố",
        "due_on": days(60).strftime("%d/%m/%Y"),
        "responsible": "Huỳnh Thị Thu",
    }
    data = {
        "tasks-TOTAL_FORMS": "2",
        "tasks-INITIAL_FORMS": "0",
        "titles-TOTAL_FORMS": "0",
        "titles-INITIAL_FORMS": "0",
        **{f"tasks-0-{key}": value for key, value in row.items()},
    }
    response = client.post(
        reverse("pledges:tasks", kwargs={"registration_id": registration.pk}), data
    )
    assert response.status_code == 302
    assert registration.tasks.get().target_value == Decimal(5)
    client.post(
        reverse("pledges:transition", kwargs={"registration_id": registration.pk}),
        {"action": "submit"},
    )
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.SUBMITTED


def test_an_illegal_registration_move_is_shown_as_a_message(client, city, city_campaign):
    registration = registered(city, city_campaign, accept=False)
    client.force_login(city.city_officer)
    response = client.post(
        reverse("pledges:transition", kwargs={"registration_id": registration.pk}),
        {"action": "submit"},
        follow=True,
    )
    assert "Không thể chuyển bản đăng ký" in response.content.decode()


def _excel_upload(content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile("dang-ky.xlsx", content)


def test_excel_round_trip_keeps_every_task(client, city, city_campaign):
    source = registered(city, city_campaign)
    client.force_login(city.ward_officer)
    exported = client.get(reverse("pledges:export", kwargs={"registration_id": source.pk}))
    assert exported["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(exported.content)).active
    assert sheet["C5"].value == source.tasks.first().description

    target = services.start_registration(city_campaign, actor=city.admin, unit=city.ward_office)
    client.force_login(city.admin)
    response = client.post(
        reverse("pledges:import", kwargs={"registration_id": target.pk}),
        {"file": _excel_upload(exported.content)},
        follow=True,
    )
    assert "Đã nhập 2 nhiệm vụ" in response.content.decode()
    fields = (
        "position",
        "description",
        "measure",
        "target_value",
        "unit_of_measure",
        "due_on",
        "responsible",
    )
    assert list(target.tasks.values_list(*fields)) == list(source.tasks.values_list(*fields))


def test_excel_import_is_all_or_nothing_and_lists_each_bad_row(client, city, city_campaign):
    source = registered(city, city_campaign)
    client.force_login(city.ward_officer)
    exported = client.get(reverse("pledges:export", kwargs={"registration_id": source.pk}))
    book = load_workbook(io.BytesIO(exported.content))
    sheet = book.active
    sheet["G5"] = "31/02/2026"
    sheet["B6"] = 9
    sheet.append([3, 1, "Nhiệm vụ thêm", "Số lượng", "nhiều", "hộ", days(30), "Ông Ba"])
    buffer = io.BytesIO()
    book.save(buffer)
    target = services.start_registration(city_campaign, actor=city.admin, unit=city.ward_office)
    client.force_login(city.admin)
    response = client.post(
        reverse("pledges:import", kwargs={"registration_id": target.pk}),
        {"file": _excel_upload(buffer.getvalue())},
        follow=True,
    )
    page = response.content.decode()
    assert "chưa dòng nào được lưu" in page
    assert "Dòng 5: Hạn hoàn thành “31/02/2026” không đúng dạng dd/mm/yyyy." in page
    assert "Dòng 6: Nội dung thi đua phải là một trong các số: 1, 2, 3." in page
    assert "Dòng 7: Chỉ tiêu “nhiều” không phải là số." in page
    assert not target.tasks.exists()


def test_a_sheet_longer_than_the_limit_is_refused_not_cut_short(client, city, city_campaign):
    from pledges.excel import HEADER_ROW, MAX_ROWS

    source = registered(city, city_campaign)
    client.force_login(city.ward_officer)
    exported = client.get(reverse("pledges:export", kwargs={"registration_id": source.pk}))
    book = load_workbook(io.BytesIO(exported.content))
    sheet = book.active
    while sheet.max_row < HEADER_ROW + MAX_ROWS + 1:
        sheet.append([sheet.max_row, 1, "Nhiệm vụ thêm", "Số lượng", 1, "hộ", days(30), "Ông Ba"])
    buffer = io.BytesIO()
    book.save(buffer)
    target = services.start_registration(city_campaign, actor=city.admin, unit=city.ward_office)
    client.force_login(city.admin)
    response = client.post(
        reverse("pledges:import", kwargs={"registration_id": target.pk}),
        {"file": _excel_upload(buffer.getvalue())},
        follow=True,
    )
    assert f"tệp có quá {MAX_ROWS} dòng nhiệm vụ" in response.content.decode()
    assert not target.tasks.exists()


def test_a_file_that_is_not_excel_is_refused(client, city, city_campaign):
    target = services.start_registration(city_campaign, actor=city.admin, unit=city.ward_office)
    client.force_login(city.admin)
    response = client.post(
        reverse("pledges:import", kwargs={"registration_id": target.pk}),
        {"file": SimpleUploadedFile("x.xlsx", b"not a workbook")},
        follow=True,
    )
    assert "không phải bảng tính Excel (.xlsx)" in response.content.decode()


def test_progress_form_uploads_evidence_and_refuses_a_disguised_file(client, city, city_campaign):
    task = registered(city, city_campaign).tasks.first()
    client.force_login(city.ward_officer)
    url = reverse("pledges:report", kwargs={"task_id": task.pk})
    data = {"reported_on": days(0).strftime("%d/%m/%Y"), "value": "2,5", "narrative": "Tiến triển"}
    response = client.post(
        url, {**data, "files": [SimpleUploadedFile("bao-cao.pdf", b"plain text")]}, follow=True
    )
    assert "không phải PDF, ảnh hoặc tài liệu văn phòng" in response.content.decode()
    assert not task.reports.exists()
    client.post(url, {**data, "files": [SimpleUploadedFile("bao-cao.pdf", PDF)]})
    report = task.reports.get()
    assert report.percent == Decimal("25.0")
    assert report.evidence.get().content_type == "application/pdf"


def test_unit_review_form_submits_with_proposals(client, city, city_campaign):
    registered(city, city_campaign)
    client.force_login(city.ward_officer)
    client.post(
        reverse("pledges:review_open", kwargs={"campaign_id": city_campaign.pk}),
        {"unit": city.ward.pk, "kind": "final"},
    )
    review = UnitReview.objects.get(unit=city.ward, kind="final")
    assert "chỉ tiêu 10 mô hình" in review.self_assessment
    data = {
        "self_assessment": review.self_assessment,
        "strengths": "Đoàn kết",
        "shortcomings": "",
        "exemplars-TOTAL_FORMS": "1",
        "exemplars-INITIAL_FORMS": "0",
        "exemplars-0-kind": "new_model",
        "exemplars-0-name": "Mô hình “Tuyến phố không rác”",
        "exemplars-0-description": "Khu phố 2",
        "proposals-TOTAL_FORMS": "1",
        "proposals-INITIAL_FORMS": "0",
        "proposals-0-award": "giay_khen",
        "proposals-0-person": city.person.pk,
        "proposals-0-achievement": "Hoàn thành xuất sắc nhiệm vụ",
        "submit": "1",
    }
    response = client.post(reverse("pledges:review", kwargs={"review_id": review.pk}), data)
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.status == "submitted"
    assert review.proposals.get().person == city.person
    public = client.get(reverse("pledges:public")).content.decode()
    assert "Tuyến phố không rác" in public


def test_public_page_needs_no_login_and_shows_only_launched_campaigns(client, city, city_campaign):
    other = make_campaign(city.ward, city.ward_officer, title="Phong trào nháp của phường")
    page = client.get(reverse("pledges:public")).content.decode()
    assert "Long Khánh chung sức xây dựng đô thị văn minh" in page
    assert other.title not in page
    city_campaign.refresh_from_db()
    code = city_campaign.document.verification_code
    assert reverse("campaigns:public_document", kwargs={"code": code}) in page
    document = client.get(reverse("campaigns:public_document", kwargs={"code": code}))
    assert document.status_code == 200
    assert document["Content-Type"] == "application/pdf"
    # The stand-in renders any bytes; the hash recorded at issue says they are the issued file.
    served = b"".join(document.streaming_content) if document.streaming else document.content
    assert hashlib.sha256(served).hexdigest() == city_campaign.document.sha256
    assert (
        client.get(reverse("campaigns:public_document", kwargs={"code": "KHONGCO"})).status_code
        == 404
    )


def test_the_city_drafts_its_review_report_and_lands_on_the_document(client, city, city_campaign):
    registered(city, city_campaign)
    client.force_login(city.city_officer)
    response = client.post(
        reverse("pledges:review_report", kwargs={"campaign_id": city_campaign.pk}),
        {"kind": "final"},
    )
    assert response.status_code == 302
    assert response.url.startswith("/van-ban/")
    assert client.get(response.url).status_code == 200
