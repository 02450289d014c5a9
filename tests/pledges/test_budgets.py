"""Query budgets: the campaign pages and the cascade cost the same at 1× and 10× the data."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from campaigns import services as campaign_services
from pledges.models import Measure, ProgressReport, Registration, RegistrationTask
from pledges.services import recount_task_summaries
from pledges.workflow import RegistrationStatus
from portal.models import UnitKind
from tests.campaign_fixtures import days, make_campaign
from tests.factories import make_unit

BUDGET = 15
# The cascade reads kept per-branch counts (pledges.models.tallies): the session, the user, its
# roles, the campaign, the root and its trail, the period, two rows of counts, the branches'
# units with their own registration and target.
CASCADE_BUDGET = 10


def _populate(world, wards: int):
    """`wards` extra wards under the city, each with an office; a launched city campaign; an
    accepted registration with two reported tasks for every ward."""
    for number in range(wards):
        ward = make_unit(world.district, UnitKind.WARD, f"Phường Thử {number}")
        make_unit(ward, UnitKind.OFFICE, f"Văn phòng Phường Thử {number}")
    campaign = campaign_services.launch_campaign(
        make_campaign(world.district, world.city_officer), actor=world.city_leader
    )
    item = campaign.items.first()
    registrations = Registration.objects.bulk_create(
        Registration(
            campaign=campaign,
            unit=target.unit,
            status=RegistrationStatus.ACCEPTED,
            is_late=target.pk % 3 == 0,
            first_submitted_at=timezone.now(),
        )
        for target in campaign.targets.select_related("unit")
        if target.unit.kind == UnitKind.WARD
    )
    tasks = RegistrationTask.objects.bulk_create(
        RegistrationTask(
            registration=registration,
            position=position,
            content_item=item,
            description="Nhiệm vụ",
            measure=Measure.NUMBER,
            target_value=Decimal(10),
            unit_of_measure="mô hình",
            due_on=days(-1 if position == 2 and registration.pk % 2 else 30),
            responsible="Cán bộ",
            latest_percent=Decimal(50),
            last_reported_on=days(0),
        )
        for registration in registrations
        for position in (1, 2)
    )
    ProgressReport.objects.bulk_create(
        ProgressReport(
            task=task,
            reported_on=days(0),
            value=Decimal(5),
            percent=Decimal(50),
            narrative="Đã làm",
            reported_by=world.ward_officer,
        )
        for task in tasks
    )
    # Written in bulk, past the services: recount the kept summaries as a bulk load must.
    recount_task_summaries(Registration.objects.filter(campaign=campaign))
    for number in range(wards):
        make_campaign(world.district, world.city_officer, title=f"Phong trào số {number}")
    return campaign


@pytest.fixture(params=[1, 10], ids=["1x", "10x"])
def scale(request):
    return request.param


def test_cascade_of_the_city_holds_its_budget(client, city, scale, django_assert_max_num_queries):
    campaign = _populate(city, 4 * scale)
    client.force_login(city.city_officer)
    url = reverse("pledges:cascade", kwargs={"campaign_id": campaign.pk})
    with django_assert_max_num_queries(CASCADE_BUDGET):
        response = client.get(url)
    assert response.status_code == 200
    cascade = response.context["cascade"]
    # wards and offices (the world's ward has its Phòng Văn hóa - Xã hội and its Văn phòng)
    assert cascade.totals["targets"] == 2 * 4 * scale + 4
    assert cascade.totals["registered"] == 4 * scale + 2
    with django_assert_max_num_queries(CASCADE_BUDGET):
        assert client.get(url, {"unit": city.ward.pk}).status_code == 200


def test_cascade_from_the_province_drills_down_within_budget(
    client, city, scale, django_assert_max_num_queries
):
    _populate(city, 2 * scale)
    province_campaign = campaign_services.launch_campaign(
        make_campaign(city.province, city.officer), actor=city.leader
    )
    client.force_login(city.leader)
    url = reverse("pledges:cascade", kwargs={"campaign_id": province_campaign.pk})
    with django_assert_max_num_queries(CASCADE_BUDGET):
        response = client.get(url)
    names = [branch.unit.name for branch in response.context["cascade"].branches]
    assert names == ["Sở Nội vụ", "Thành phố Long Khánh"]
    with django_assert_max_num_queries(CASCADE_BUDGET):
        response = client.get(url, {"unit": city.district.pk})
    assert len(response.context["cascade"].branches) == 2 * scale + 3  # the city and its wards


def test_the_cascade_draws_its_branches_a_page_at_a_time_and_totals_them_all(
    client, city, settings
):
    campaign = _populate(city, 4)
    settings.LIST_PAGE_SIZE = 3
    client.force_login(city.city_officer)
    url = reverse("pledges:cascade", kwargs={"campaign_id": campaign.pk})

    pages = [client.get(url, {"unit": city.district.pk, "trang": n}) for n in (1, 2)]

    drawn = [response.content.decode().count("<tr data-unit=") for response in pages]
    branches = pages[0].context["cascade"].branches
    assert len(branches) == 6  # the city's six wards
    assert drawn == [3, 3]
    shown = [branch.unit.pk for response in pages for branch in response.context["page"]]
    assert shown == [branch.unit.pk for branch in branches]
    assert {response.context["cascade"].totals["targets"] for response in pages} == {12}
    assert 'aria-label="Phân trang: đơn vị"' in pages[0].content.decode()


# Each list's own budget, as measured at 1× and 10× (#16): the session, the user, their roles,
# then the page's own queries. Lower it when a page reads less; never raise it.
PAGE_BUDGETS = {
    "campaigns:list": 4,
    "campaigns:detail": BUDGET,
    "pledges:list": 6,
    "pledges:public": BUDGET,
    "pledges:unit_tasks": 5,
    "pledges:reviews": 5,
}


@pytest.mark.parametrize("name", list(PAGE_BUDGETS))
def test_campaign_pages_hold_their_budget(client, city, scale, name, django_assert_max_num_queries):
    campaign = _populate(city, 4 * scale)
    client.force_login(city.city_officer)
    with_campaign = ("campaigns:detail", "pledges:list", "pledges:reviews")
    kwargs = {"campaign_id": campaign.pk} if name in with_campaign else {}
    if name == "pledges:unit_tasks":
        for number in range(3 * scale):
            other = make_campaign(
                city.district, city.city_officer, title=f"Đợt thi đua {number}", document=False
            )
            registration = Registration.objects.create(campaign=other, unit=city.ward)
            RegistrationTask.objects.create(
                registration=registration,
                content_item=other.items.first(),
                description="Nhiệm vụ",
                measure=Measure.MILESTONE,
                due_on=days(30),
                responsible="Cán bộ",
            )
        kwargs = {"unit_id": city.ward.pk}
    with django_assert_max_num_queries(PAGE_BUDGETS[name]):
        response = client.get(reverse(name, kwargs=kwargs))
    assert response.status_code == 200
