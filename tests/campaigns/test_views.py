from django.urls import reverse

from campaigns.models import Campaign
from campaigns.workflow import CampaignStatus
from portal.models import Post
from tests.campaign_fixtures import days, make_campaign
from tests.portal import pdf_text


def _form_data(world, **overrides):
    data = {
        "issuer": world.district.pk,
        "title": "Phong trào thi đua “Chung tay xây dựng nông thôn mới”",
        "theme": "Đồng thuận cao",
        "kind": "thematic",
        "launch_form": "plan",
        "starts_on": days(0).strftime("%d/%m/%Y"),
        "ends_on": days(200).strftime("%d/%m/%Y"),
        "registration_due": days(20).strftime("%d/%m/%Y"),
        "midterm_review_due": "",
        "final_review_due": days(190).strftime("%d/%m/%Y"),
        "purpose": "Mục đích",
        "items": "Nội dung thứ nhất\nNội dung thứ hai",
        "solutions": "",
        "organisation": "",
        "rewards": "",
        "award_forms": "",
        "target_mode": "kinds",
        "target_kinds": ["ward"],
        "bases-TOTAL_FORMS": "1",
        "bases-INITIAL_FORMS": "0",
        "bases-0-document_number": "Chỉ thị số 41-CT/TW",
        "bases-0-issued_on": "02/01/2025",
        "bases-0-issuer_name": "Ban Bí thư",
        "bases-0-summary": "về tăng cường sự lãnh đạo của Đảng đối với công tác thi đua",
    }
    data.update(overrides)
    return data


def test_an_officer_drafts_a_campaign_with_its_sections(client, city):
    client.force_login(city.city_officer)
    response = client.post(reverse("campaigns:create"), _form_data(city))
    campaign = Campaign.objects.get()
    assert response.url == reverse("campaigns:detail", kwargs={"campaign_id": campaign.pk})
    assert [i.text for i in campaign.items.all()] == ["Nội dung thứ nhất", "Nội dung thứ hai"]
    assert campaign.bases.get().issued_on.year == 2025
    assert campaign.target_kinds == ["ward"]


def test_a_rule_broken_in_the_form_is_shown_in_vietnamese(client, city):
    client.force_login(city.city_officer)
    response = client.post(
        reverse("campaigns:create"),
        _form_data(city, registration_due=days(400).strftime("%d/%m/%Y")),
    )
    assert "Hạn đăng ký phải nằm trong thời gian của phong trào." in response.content.decode()
    assert not Campaign.objects.exists()


def test_a_viewer_may_not_open_the_campaign_editor(client, city):
    client.force_login(city.viewer)
    assert client.get(reverse("campaigns:create")).status_code == 403


def test_the_leader_prepares_previews_and_launches(client, city, real_pdf):
    campaign = make_campaign(city.district, city.city_officer, document=False)
    client.force_login(city.city_leader)
    page = client.get(reverse("campaigns:document", kwargs={"campaign_id": campaign.pk}))
    shown = page.content.decode()
    assert 'name="signer_post"' in shown and "Đặng Văn Khánh – Chủ tịch" in shown
    assert 'name="signer_name"' not in shown
    response = client.post(
        reverse("campaigns:document", kwargs={"campaign_id": campaign.pk}),
        {
            "signer_post": Post.objects.get(person=city.district_chair).pk,
            "recipients": "Các phường",
        },
    )
    assert response.status_code == 302
    campaign.refresh_from_db()
    assert campaign.document is not None
    preview = client.get(reverse("campaigns:preview", kwargs={"campaign_id": campaign.pk}))
    assert preview["Content-Type"] == "application/pdf"
    text = " ".join(pdf_text.lines(b"".join(preview) if preview.streaming else preview.content))
    assert "KẾ HOẠCH" in text or "CHỈ THỊ" in text
    # The chosen leader on the post, for the People's Committee, not the account's label.
    assert (campaign.document.signer_capacity, campaign.document.signer_position) == (
        "TM.",
        "CHỦ TỊCH",
    )
    assert "Đặng Văn Khánh" in text and "Lê Văn Thành" not in text
    client.post(
        reverse("campaigns:transition", kwargs={"campaign_id": campaign.pk}),
        {"action": "launch"},
    )
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.LAUNCHED
    assert campaign.document.is_issued


def test_an_illegal_move_through_the_page_is_refused_with_a_message(client, city, city_campaign):
    client.force_login(city.city_leader)
    response = client.post(
        reverse("campaigns:transition", kwargs={"campaign_id": city_campaign.pk}),
        {"action": "close"},
        follow=True,
    )
    assert "Không thể chuyển phong trào từ “Đã phát động” sang “Đã kết thúc”." in (
        response.content.decode()
    )


def test_a_review_is_recorded_from_the_campaign_page(client, city, city_campaign):
    client.force_login(city.city_officer)
    url = reverse("campaigns:transition", kwargs={"campaign_id": city_campaign.pk})
    client.post(url, {"action": "close_registration"})
    client.post(url, {"action": "start"})
    client.post(
        url,
        {"action": "midterm_review", "held_on": days(0).strftime("%d/%m/%Y"), "summary": "Tốt"},
    )
    city_campaign.refresh_from_db()
    assert city_campaign.status == CampaignStatus.MIDTERM_REVIEWED
    assert city_campaign.reviews.get().summary == "Tốt"


def test_list_search_is_accent_insensitive_and_filters_combine(client, city, city_campaign):
    make_campaign(city.district, city.city_officer, title="Thi đua chuyển đổi số", kind="thematic")
    client.force_login(city.city_officer)
    url = reverse("campaigns:list")
    page = client.get(url, {"q": "chuyen doi so"}).content.decode()
    assert "Thi đua chuyển đổi số" in page
    assert "Long Khánh chung sức" not in page
    page = client.get(url, {"status": "launched", "year": days(-30).year}).content.decode()
    assert "Long Khánh chung sức" in page
    assert "Thi đua chuyển đổi số" not in page
    rows = client.get(url, {"kind": "thematic"}, headers={"HX-Request": "true"})
    assert "<html" not in rows.content.decode()


def test_a_target_ward_launches_its_follow_up_with_one_click(client, city, city_campaign):
    client.force_login(city.ward_officer)
    response = client.post(
        reverse("campaigns:follow_up", kwargs={"campaign_id": city_campaign.pk}),
        {"issuer": city.ward.pk},
    )
    follow_up = Campaign.objects.get(parent=city_campaign)
    assert response.url == reverse("campaigns:edit", kwargs={"campaign_id": follow_up.pk})
    assert follow_up.issuer == city.ward


def _issuers_page(client, user, params):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("campaigns:list"), params)
    assert response.status_code == 200
    return response.content.decode(), len(queries)


def test_the_issuer_filter_is_typed_and_costs_the_same_at_ten_times_the_issuers(client, city):
    from portal.models import Role, UnitKind
    from tests.factories import make_member, make_unit

    make_campaign(city.ward, city.ward_officer, document=False, title="Thi đua phường Xuân Trung")
    make_campaign(city.district, city.city_officer, document=False, title="Thi đua thành phố")
    _, few_queries = _issuers_page(client, city.city_officer, {"issuer": "xuan trung"})
    for number in range(20):
        ward = make_unit(city.district, UnitKind.WARD, f"Phường Thêm Số {number}")
        officer = make_member(ward, Role.OFFICER, f"cb_them{number}")
        make_campaign(ward, officer, document=False, title=f"Thi đua phường thêm {number}")
    many, many_queries = _issuers_page(client, city.city_officer, {"issuer": "xuan trung"})
    # Typed without accents, the name finds the ward's campaign and only it.
    assert "Thi đua phường Xuân Trung" in many and "Thi đua thành phố" not in many
    assert "Thi đua phường thêm" not in many
    # No unit is listed in the page for the filter: the issuers are typed, not chosen.
    assert "Phường Thêm Số" not in many and f'<option value="{city.ward.pk}"' not in many
    assert 'name="issuer"' in many and 'value="xuan trung"' in many
    assert many_queries == few_queries
    by_code, _ = _issuers_page(client, city.city_officer, {"issuer": city.ward.code})
    assert "Thi đua phường Xuân Trung" in by_code and "Thi đua thành phố" not in by_code
    nothing, _ = _issuers_page(client, city.city_officer, {"issuer": "Không có đơn vị này"})
    assert "Thi đua phường" not in nothing
