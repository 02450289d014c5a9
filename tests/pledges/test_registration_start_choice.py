"""The start form of a registration lists a bounded choice of units and finds the rest by
name: a province campaign has thousands of targets, and the list page must not read them all."""

import pytest
from django.urls import reverse

from campaigns import services as campaign_services
from campaigns.workflow import CampaignStatus
from pledges.listing import open_targets, start_units
from pledges.models import Registration
from pledges.views import START_CHOICES
from portal.access import Cap
from portal.models import Membership, Role, UnitKind
from tests.campaign_fixtures import make_campaign
from tests.factories import make_unit

pytestmark = pytest.mark.django_db


def _campaign_with_wards(world, wards: int):
    for number in range(wards):
        make_unit(world.district, UnitKind.WARD, f"Phường Thử {number:03d}")
    return campaign_services.launch_campaign(
        make_campaign(world.district, world.city_officer), actor=world.city_leader
    )


def _offered(response) -> list[str]:
    return [
        label for value, label in response.context["start_form"].fields["unit"].choices if value
    ]


def test_the_start_form_offers_the_first_units_and_finds_the_others_by_name(client, city):
    world = city
    campaign = _campaign_with_wards(world, START_CHOICES + 10)
    client.force_login(world.admin)
    url = reverse("pledges:list", kwargs={"campaign_id": campaign.pk})

    page = client.get(url)
    offered = _offered(page)
    assert len(offered) == START_CHOICES
    assert page.context["more_start_units"] is True
    assert "chỉ hiện 50 đơn vị đầu tiên chưa đăng ký" in page.content.decode()
    assert "Phường Thử 059" not in offered

    found = client.get(url, {"don_vi": "phuong thu 059"})  # accent-insensitive
    assert _offered(found) == ["Phường Thử 059"]
    assert found.context["more_start_units"] is False


def test_registered_units_and_units_without_the_right_are_not_offered(client, city):
    world = city
    campaign = _campaign_with_wards(world, 2)
    Registration.objects.create(campaign=campaign, unit=world.ward)
    client.force_login(world.admin)
    url = reverse("pledges:list", kwargs={"campaign_id": campaign.pk})
    assert world.ward.name not in _offered(client.get(url))

    client.force_login(world.outsider)
    offered = _offered(client.get(url))
    assert offered == [world.sibling_ward.name]  # only the unit where the officer registers


def test_a_search_that_matches_nothing_says_so(client, city):
    world = city
    campaign = _campaign_with_wards(world, 1)
    client.force_login(world.admin)
    response = client.get(
        reverse("pledges:list", kwargs={"campaign_id": campaign.pk}), {"don_vi": "không có"}
    )
    assert _offered(response) == []
    assert "Không có đơn vị chưa đăng ký nào khớp" in response.content.decode()


def test_the_list_page_holds_its_budget_with_many_targets(
    client, city, django_assert_max_num_queries
):
    campaign = _campaign_with_wards(city, 100)
    client.force_login(city.admin)
    url = reverse("pledges:list", kwargs={"campaign_id": campaign.pk})
    with django_assert_max_num_queries(15):
        assert client.get(url).status_code == 200


def test_an_officials_choice_read_from_their_roles_is_the_whole_query(city):
    """An official's start form is read from the units of their own roles (`start_units`, #16):
    the same units, in the same order, as the query over every target of the campaign."""

    world = city
    campaign = _campaign_with_wards(world, 3)
    officer = world.ward_officer
    for unit in (world.sibling_ward, world.ward_office, world.district, world.province):
        Membership.objects.create(user=officer, unit=unit, role=Role.OFFICER)
    Registration.objects.create(campaign=campaign, unit=world.ward_office)
    queries = ["", "xuan", "XUÂN AN", "26001", " 26000 ", "phuong thu", "khong co"]
    for user in (officer, world.outsider, world.leader, world.viewer):
        for query in queries:
            user = type(user).objects.get(pk=user.pk)  # roles read afresh, as per request
            expected = list(open_targets(user, campaign, Cap.SUBMIT_REGISTRATION, query)[:2])
            assert start_units(user, campaign, query, 2) == expected, (user, query)
    officer = type(officer).objects.get(pk=officer.pk)
    assert [u.name for u in start_units(officer, campaign, "", 50)] == [
        world.ward.name,
        world.sibling_ward.name,
    ]


def test_a_campaign_closed_for_registration_offers_no_start_form(client, city):
    world = city
    campaign = _campaign_with_wards(world, 2)
    url = reverse("pledges:list", kwargs={"campaign_id": campaign.pk})
    start = reverse("pledges:start", kwargs={"campaign_id": campaign.pk})
    for user in (world.admin, world.outsider):
        client.force_login(user)
        response = client.get(url)
        assert _offered(response)
        assert f'action="{start}"' in response.content.decode()
    type(campaign).objects.filter(pk=campaign.pk).update(status=CampaignStatus.FINAL_REVIEWED)
    for user in (world.admin, world.outsider):
        client.force_login(user)
        response = client.get(url)
        assert _offered(response) == []
        assert f'action="{start}"' not in response.content.decode()
