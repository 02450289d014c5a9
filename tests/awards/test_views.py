import datetime
import io

import pytest
from django.urls import get_resolver, reverse

from awards.history import records
from awards.models import AwardRecord, Freeze
from tests.factories import make_person

DAY = datetime.date(2025, 1, 10)


def give(world, catalogue, person, year):
    return records.record_award(
        person,
        actor=world.ward_officer,
        item=catalogue.title("lao-dong-tien-tien"),
        year=year,
        basis_kind="yearly",
        decision_number=f"{year}/QĐ",
        decision_date=datetime.date(year + 1, 1, 5),
    )


def test_the_catalogue_shows_titles_and_forms_separately_with_todays_money(
    client, world, catalogue, django_assert_max_num_queries
):
    client.force_login(world.ward_officer)
    with django_assert_max_num_queries(20):
        response = client.get(reverse("awards:catalogue"))
    assert response.status_code == 200
    html = response.content.decode()
    titles_at = html.index('<h2 class="h5 mt-4">Danh hiệu thi đua</h2>')
    forms_at = html.index('<h2 class="h5 mt-4">Hình thức khen thưởng</h2>')
    assert titles_at < html.index("Chiến sĩ thi đua cơ sở") < forms_at
    assert forms_at < html.index("Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh")
    assert "2.340.000 đ" in html
    assert "NĐ 152/2025/NĐ-CP" in html
    assert "Điều 59 NĐ 129/2025/NĐ-CP" in html


def test_anonymous_visitors_are_sent_to_the_login_page(client, world):
    response = client.get(reverse("awards:person_history", kwargs={"person_id": world.person.pk}))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_a_persons_history_is_shown_to_their_ward(client, world, catalogue):
    give(world, catalogue, world.person, 2024)
    client.force_login(world.ward_officer)
    response = client.get(reverse("awards:person_history", kwargs={"person_id": world.person.pk}))
    assert response.status_code == 200
    assert "Lao động tiên tiến" in response.content.decode()
    assert "2024/QĐ" in response.content.decode()


@pytest.mark.parametrize("name", ["person_history", "unit_history"])
def test_the_sibling_ward_gets_404_for_history_pages(client, world, name):
    client.force_login(world.outsider)
    kwargs = (
        {"person_id": world.person.pk} if name == "person_history" else {"unit_id": world.ward.pk}
    )
    assert client.get(reverse(f"awards:{name}", kwargs=kwargs)).status_code == 404


def test_discipline_is_hidden_from_mere_viewers(client, world, catalogue):
    records.record_discipline(
        world.person,
        actor=world.ward_officer,
        level="warning",
        decided_on=DAY,
        effective_from=DAY,
        effective_to=DAY,
    )
    url = reverse("awards:person_history", kwargs={"person_id": world.person.pk})
    client.force_login(world.ward_officer)
    assert "Cảnh cáo" in client.get(url).content.decode()
    client.force_login(world.viewer)
    assert "Cảnh cáo" not in client.get(url).content.decode()


def test_the_unit_history_page_keeps_its_query_budget_at_ten_times_the_data(
    client, world, catalogue, django_assert_max_num_queries
):
    for i in range(30):
        member = make_person(world.ward, f"Cán bộ {i}")
        give(world, catalogue, member, 2023)
        give(world, catalogue, member, 2024)
    client.force_login(world.ward_officer)
    url = reverse("awards:unit_history", kwargs={"unit_id": world.ward.pk})
    with django_assert_max_num_queries(15):
        response = client.get(url)
    assert response.status_code == 200
    assert "Trang 1/2" in response.content.decode()


def test_the_import_page_is_forbidden_without_the_capability(client, world):
    client.force_login(world.viewer)
    assert client.get(reverse("awards:import_history")).status_code == 403
    assert client.get(reverse("awards:import_template")).status_code == 403


def test_a_non_excel_upload_is_refused_by_the_form(client, world):
    client.force_login(world.ward_officer)
    upload = io.BytesIO(b"a,b")
    upload.name = "lich-su.csv"
    response = client.post(reverse("awards:import_history"), {"file": upload})
    assert "không phải bảng tính Excel (.xlsx)" in response.content.decode()


def test_the_preview_on_a_persons_page_names_the_failed_rule_and_article(client, world, catalogue):
    records.record_rating(world.person, actor=world.ward_officer, year=2025, rating="httnv")
    client.force_login(world.ward_officer)
    url = reverse("awards:person_history", kwargs={"person_id": world.person.pk})
    cstd = catalogue.title("cstd-co-so")
    response = client.get(
        url, {"item": f"title-{cstd.pk}", "year": 2025, "basis": "yearly", "conferring_unit": ""}
    )
    html = response.content.decode()
    assert "Không đủ điều kiện" in html
    assert "Điều 23 Luật TĐKT 2022" in html
    ldtt = catalogue.title("lao-dong-tien-tien")
    response = client.get(
        url,
        {
            "item": f"title-{ldtt.pk}",
            "year": 2025,
            "basis": "yearly",
            "conferring_unit": world.ward.pk,
        },
    )
    assert "Không phát hiện vướng mắc nào" in response.content.decode()


def test_the_preview_offers_only_the_units_above_the_nominee(client, world, catalogue):
    client.force_login(world.ward_officer)
    url = reverse("awards:unit_history", kwargs={"unit_id": world.ward_office.pk})
    ttldtt = catalogue.title("tap-the-lao-dong-tien-tien")
    response = client.get(
        url,
        {
            "item": f"title-{ttldtt.pk}",
            "year": 2025,
            "basis": "yearly",
            "conferring_unit": world.sibling_ward.pk,
        },
    )
    html = response.content.decode()
    assert "Cấp quyết định:" in html
    assert "Lao động tiên tiến</option>" not in html  # an individual title is not offered


def test_an_officer_records_a_rating_and_a_freeze_then_ends_it(client, world):
    client.force_login(world.ward_officer)
    pid = {"person_id": world.person.pk}
    response = client.post(
        reverse("awards:person_record_rating", kwargs=pid), {"year": 2025, "rating": "htxsnv"}
    )
    assert response.status_code == 302
    response = client.post(
        reverse("awards:person_record_freeze", kwargs=pid),
        {"kind": "complaint", "started_on": "01/12/2025", "reference": "  Đơn  số 5 ", "note": ""},
    )
    assert response.status_code == 302
    page = client.get(reverse("awards:person_history", kwargs=pid)).content.decode()
    assert "đang tạm dừng" in page
    freeze = Freeze.objects.get()
    assert freeze.reference == "Đơn số 5"
    url = reverse("awards:end_freeze", kwargs={"freeze_id": freeze.pk})
    response = client.post(url, {"ended_on": "10/12/2025", "reason": ""})
    assert "Trường này là bắt buộc." in response.content.decode()
    response = client.post(url, {"ended_on": "10/12/2025", "reason": "Đơn không có cơ sở"})
    assert response.status_code == 302
    freeze.refresh_from_db()
    assert freeze.ended_on == datetime.date(2025, 12, 10)


def test_a_refused_entry_shows_the_rule_in_vietnamese(client, world, catalogue):
    client.force_login(world.ward_officer)
    url = reverse("awards:unit_record_award", kwargs={"unit_id": world.ward.pk})
    response = client.post(
        url,
        {
            "item": f"title-{catalogue.title('gia-dinh-van-hoa').pk}",
            "year": 2024,
            "basis_kind": "yearly",
            "decision_number": "4/QĐ",
            "decision_date": "10/01/2025",
        },
    )
    assert response.status_code == 200
    assert "không tặng cho tập thể" in response.content.decode()
    response = client.post(
        url,
        {
            "item": f"title-{catalogue.title('gia-dinh-van-hoa').pk}",
            "year": 2024,
            "basis_kind": "yearly",
            "decision_number": "4/QĐ",
            "decision_date": "10/01/2025",
            "household_name": "Lê Văn Năm",
        },
    )
    assert response.status_code == 302
    assert AwardRecord.objects.get().recipient_name == "Hộ Lê Văn Năm"


def test_entry_pages_are_404_outside_and_403_without_the_capability(client, world):
    url = reverse("awards:person_record_discipline", kwargs={"person_id": world.person.pk})
    client.force_login(world.outsider)
    assert client.get(url).status_code == 404
    client.force_login(world.viewer)
    assert client.get(url).status_code == 403
    client.force_login(world.ward_officer)
    assert client.get(url).status_code == 200


def test_every_awards_page_with_a_record_in_its_address_is_404_for_the_sibling_ward(client, world):
    freeze = records.open_freeze(
        world.person, actor=world.ward_officer, kind="complaint", started_on=DAY
    )
    values = {"person_id": world.person.pk, "unit_id": world.ward.pk, "freeze_id": freeze.pk}
    resolver = get_resolver("awards.urls")
    client.force_login(world.outsider)
    checked = 0
    for name in {p.name for p in resolver.url_patterns}:
        pattern = next(p for p in resolver.url_patterns if p.name == name)
        names = set(pattern.pattern.regex.groupindex)
        # The nomination pages (nomination_id, session_id, decision_id…) are in the denial sweep.
        if not names or not names <= set(values):
            continue
        kwargs = {key: values[key] for key in names}
        url = reverse(f"awards:{name}", kwargs=kwargs)
        assert client.get(url).status_code == 404, url
        assert client.post(url, {}).status_code == 404, url
        checked += 1
    assert checked == 16
