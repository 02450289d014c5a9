"""Every URL of the project, as an anonymous visitor and as an outsider: no answer carries data.

The patterns come from the URL resolver, so a new URL is swept as soon as it exists; its
keyword arguments are filled from tests/sweep.py (an unknown name fails with instructions).
Each test walks all routes and reports every offending URL at once.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils.regex_helper import normalize

from tests import sweep


@dataclass(frozen=True)
class Route:
    name: str  # "ns:name", or the regex when the pattern has no name
    regex: str
    namespace: str

    @property
    def is_admin(self) -> bool:
        return self.namespace.split(":")[0] == "admin"

    @property
    def is_public(self) -> bool:
        return self.name in sweep.PUBLIC_URL_NAMES


def all_routes(resolver: URLResolver | None = None, prefix: str = "^", namespace: str = ""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver) and entry.namespace == "api":
            # The JSON API answers 401, not the login page: tests/api/test_api_sweep.py sweeps
            # every operation of its schema as anonymous, outsider, viewer and another unit's
            # token.
            continue
        regex = prefix + entry.pattern.regex.pattern.removeprefix("^")
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from all_routes(entry, regex.removesuffix("$"), inner)
        elif isinstance(entry, URLPattern):
            label = f"{namespace}{entry.name}" if entry.name else regex
            yield Route(name=label, regex=regex, namespace=namespace.rstrip(":"))


class UnknownKwarg(Exception):
    pass


def build_url(route: Route, world) -> tuple[str, bool]:
    """The route's URL with its arguments filled, and whether it names one of the ward's records."""
    template, params = normalize(route.regex)[0]
    values, names_record = {}, False
    for param in params:
        if param in sweep.OBJECT_KWARGS:
            values[param] = sweep.OBJECT_KWARGS[param](world)
            names_record = True
        elif param in sweep.PLAIN_KWARGS:
            values[param] = sweep.PLAIN_KWARGS[param]
        elif param.startswith("_") and route.is_admin:
            values[param] = "1"  # positional groups of admin add-ons (simple-history)
        else:
            raise UnknownKwarg(
                f"URL {route.name!r} has the argument {param!r}, unknown to the denial sweep. "
                f"Add it to OBJECT_KWARGS in tests/sweep.py, pointing at a record of the ward "
                f"Xuân Trung (world.ward) that the outsider must not see."
            )
    return "/" + template % values, names_record


@pytest.fixture
def sweep_world(world):
    return sweep.extend_world(world)


@pytest.fixture
def routes(sweep_world):
    """Every route with its URL; any unknown kwarg fails the sweep before it starts."""
    built, unknown = [], []
    for route in all_routes():
        try:
            built.append((route, *build_url(route, sweep_world)))
        except UnknownKwarg as error:
            unknown.append(str(error))
    if unknown:
        pytest.fail("\n".join(unknown))
    return built


def leaks(response, world) -> list[str]:
    body = response.content.decode(errors="replace")
    return [marker for marker in sweep.ward_markers(world) if marker in body]


def send(client, method: str, url: str, data=None):
    return client.get(url, data) if method == "GET" else client.post(url, data or {})


def test_sweep_sees_the_portal_pages_and_the_admin():
    names = {route.name for route in all_routes()}
    assert {"home", "unit_browser", "unit_detail", "bloc_detail", "person_detail"} <= names
    assert {"admin:index", "admin:portal_unit_change"} <= names


def test_an_unknown_url_argument_fails_the_sweep_with_instructions():
    route = Route(name="widget_detail", regex=r"^tien-ich/(?P<widget_id>[0-9]+)/\Z", namespace="")
    with pytest.raises(UnknownKwarg, match=r"Add it to OBJECT_KWARGS in tests/sweep\.py"):
        build_url(route, world=None)


def test_anonymous_visitor_gets_the_login_page_everywhere(routes, sweep_world, client):
    failures = []
    for route, url, _ in routes:
        login = reverse("admin:login") if route.is_admin else reverse("login")
        for method in ("GET", "POST"):
            response = send(client, method, url)
            where = f"{method} {url} [{route.name}] → {response.status_code}"
            if leaked := leaks(response, sweep_world):
                failures.append(f"{where} shows {leaked}")
            if route.is_public:
                if response.status_code not in (200, 302, 404, 405):
                    failures.append(f"{where}: a public page should answer")
            elif response.status_code != 302 or not response["Location"].startswith(login):
                failures.append(f"{where}: expected a redirect to {login}")
    assert not failures, "\n".join(failures)


def test_outsider_from_the_sibling_ward_gets_404_or_nothing_of_the_ward(
    routes, sweep_world, client
):
    failures = []
    for route, url, names_record in routes:
        statuses = []
        for method in ("GET", "POST"):
            # Signed in afresh each time: a swept URL may be a logout.
            client.force_login(sweep_world.outsider)
            response = send(client, method, url)
            status = response.status_code
            statuses.append(status)
            where = f"{method} {url} [{route.name}] → {status}"
            if leaked := leaks(response, sweep_world):
                failures.append(f"{where} shows {leaked}")
            if status >= 500:
                failures.append(f"{where}: server error")
            elif route.is_admin and not route.is_public:
                if status != 302 or not response["Location"].startswith(reverse("admin:login")):
                    failures.append(f"{where}: the admin is for system administrators only")
            elif names_record and status not in (404, 405):
                failures.append(f"{where}: expected 404 outside the outsider's scope")
        if names_record and not route.is_admin and 404 not in statuses:
            failures.append(f"{url} [{route.name}] never answers 404 to the outsider")
        if not names_record and not route.is_admin:
            client.force_login(sweep_world.outsider)
            response = send(client, "GET", url, sweep.LIST_QUERY)
            if leaked := leaks(response, sweep_world):
                failures.append(f"GET {url}?q=… [{route.name}] shows {leaked}")
    assert not failures, "\n".join(failures)


def test_the_swept_records_exist_for_someone_who_may_see_them(routes, sweep_world, client):
    # Without this control, a mapping to a missing record would pass the outsider test (404).
    client.force_login(sweep_world.admin)
    failures = []
    for route, url, names_record in routes:
        if names_record and not route.is_admin:
            response = client.get(url)
            if response.status_code not in (200, 302, 405):
                failures.append(f"GET {url} [{route.name}] → {response.status_code}")
    assert not failures, "\n".join(failures)
