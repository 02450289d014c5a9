"""Every list reaches every record by its pager links (issue #15).

The lists are not named one by one: the walk opens every page of the project (the denial
sweep's routes and records) as several personas with one row a page, and any page whose
context holds a paginated page with more than one page is a list to walk. From its first page
it follows only the rendered "Trang sau" links (the one include, the `trang` parameter) until
there is none, and checks that it came to the last page having seen every row once.
"""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.paginator import Page
from django.template.loader import get_template
from django.urls import reverse

from campaigns import services as campaign_services
from campaigns.models import ReviewKind
from pledges import reviews as pledge_reviews
from pledges import services as pledge_services
from portal.models import Job
from tests import sweep
from tests.campaign_fixtures import _documents_off_disk, make_campaign
from tests.portal.test_denial_sweep import all_routes, build_url

__all__ = ["_documents_off_disk"]

NEXT = re.compile(r'<a class="page-link" rel="next" href="([^"]*)"')
# The lists the issue found cut off at one page: each must be walked.
MUST_WALK = {
    "pledges:list",  # registrations of a campaign
    "pledges:unit_tasks",  # a unit's tasks
    "pledges:reviews",  # the units' reviews of a campaign
    "campaigns:list",
    "awards:nomination_list",
    "job_list",
}
PERSONAS = ("admin", "reviewer", "ward_officer")


@pytest.fixture
def crowded_world(world):
    """The sweep's world, with a second row in the lists that have only the ward's."""
    world = sweep.extend_world(world)
    sibling = pledge_services.start_registration(
        world.city_campaign, actor=world.outsider, unit=world.sibling_ward
    )
    pledge_reviews.open_unit_review(
        world.city_campaign, actor=world.outsider, unit=world.sibling_ward, kind=ReviewKind.MIDTERM
    )
    second = campaign_services.launch_campaign(
        make_campaign(world.district, world.city_officer, title="Phong trào thứ hai"),
        actor=world.city_leader,
    )
    pledge_services.start_registration(second, actor=world.ward_officer, unit=world.ward)
    world.sibling_registration = sibling
    for _ in range(2):
        Job.objects.create(kind="portal.export_units", created_by=world.admin, unit=world.ward)
    return world


def pages_in(response) -> list[Page]:
    found = []
    for layer in response.context or []:
        for value in layer.dicts if hasattr(layer, "dicts") else [layer]:
            found += [v for v in dict(value).values() if isinstance(v, Page)]
    return list({id(page): page for page in found}.values())


def walk(client, url: str, first: Page, param: str) -> tuple[list[int], int]:
    """Follow the rendered next links of the list paged by `param`; the page numbers seen and
    the rows counted on them."""
    numbers, rows, next_url = [first.number], len(first.object_list), url
    response = None
    while True:
        body = (response or client.get(next_url)).content.decode()
        links = [unescape(href) for href in NEXT.findall(body)]
        ours = [href for href in links if param in parse_qs(urlsplit(href).query)]
        if not ours:
            return numbers, rows
        next_url = urlsplit(url).path + ours[0]
        response = client.get(next_url)
        page = next(
            p
            for p in pages_in(response)
            if p.paginator.count == first.paginator.count and p.number == numbers[-1] + 1
        )
        numbers.append(page.number)
        rows += len(page.object_list)


def param_of(body: str, page: Page) -> str | None:
    """The query parameter of the pager showing `page` (its "Trang n/N" label's nav)."""
    label = f"Trang {page.number}/{page.paginator.num_pages}"
    for nav in re.findall(r'<nav class="pager".*?</nav>', body, flags=re.S):
        if label in nav:
            for href in NEXT.findall(nav):
                return next(iter(parse_qs(urlsplit(unescape(href)).query).keys() - {"q"}), None)
    return None


def test_every_paged_list_reaches_its_last_record_by_the_pager_links(
    crowded_world, client, settings
):
    settings.LIST_PAGE_SIZE = 1
    routes = [
        (route, *build_url(route, crowded_world))
        for route in all_routes()
        if not route.is_admin and route.name not in ("logout", "login")
    ]
    # The sweep names the ward's draft campaign; the city's launched one has the registrations.
    city = crowded_world.city_campaign.pk
    routes += [
        (route, reverse(route.name, kwargs={"campaign_id": city}), True)
        for route, url, _ in list(routes)
        if "(?P<campaign_id>" in route.regex
    ]
    walked, failures = set(), []
    for persona in PERSONAS:
        client.force_login(getattr(crowded_world, persona))
        for route, url, _ in routes:
            response = client.get(url)
            if response.status_code != 200 or not response.get("Content-Type", "").startswith(
                "text/html"
            ):
                continue
            body = response.content.decode()
            for page in pages_in(response):
                if page.paginator.num_pages < 2 or page.number != 1:
                    continue
                param = param_of(body, page)
                where = f"{persona} {url} [{route.name}]"
                if param is None or not param.startswith("trang"):
                    failures.append(f"{where}: {page.paginator.count} rows, no pager (trang)")
                    continue
                numbers, rows = walk(client, url, page, param)
                if numbers != list(range(1, page.paginator.num_pages + 1)):
                    failures.append(f"{where}: the pager went through pages {numbers}")
                elif rows != page.paginator.count:
                    failures.append(f"{where}: {rows} of {page.paginator.count} rows seen")
                walked.add(route.name)
    assert not failures, "\n".join(failures)
    assert walked >= MUST_WALK, f"not walked: {MUST_WALK - walked}"


def test_the_one_pager_is_the_only_pager():
    """No template writes its own page links and no view builds its own Paginator."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    own_pagers = [
        str(path.relative_to(root))
        for path in (root / "templates").rglob("*.html")
        if "page-link" in path.read_text() and path.name != "_pagination.html"
    ]
    own_paginators = [
        str(path.relative_to(root))
        for app in ("portal", "campaigns", "pledges", "awards", "reports")
        for path in (root / app).rglob("*.py")
        if "Paginator(" in path.read_text() and path.name != "paging.py"
    ]
    assert not own_pagers and not own_paginators, own_pagers + own_paginators
    assert get_template("portal/_pagination.html")
