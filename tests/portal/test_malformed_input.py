"""No input makes a 500: every URL of the project with malformed query values, and with
malformed uploads posted to it. A refusal (4xx) is a Vietnamese page.

The routes and their arguments come from the denial sweep (tests/sweep.py); the values from
`sweep.MALFORMED_VALUES`, put in every query parameter a page reads (`sweep.QUERY_PARAMS`).
"""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests import sweep
from tests.portal.test_denial_sweep import all_routes, build_url

EXE = b"MZ\x90\x00" + b"\x00" * 100


@pytest.fixture
def sweep_world(world):
    return sweep.extend_world(world)


def _routes(world):
    for route in all_routes():
        if route.is_admin or route.name in {"logout", "login"}:
            continue
        yield route, build_url(route, world)[0]


def _problem(response, where: str) -> str | None:
    status = response.status_code
    if status >= 500:
        return f"{where} → {status}"
    if 400 <= status < 500 and status != 405:
        body = response.content.decode(errors="replace")
        content_type = response.get("Content-Type", "")
        if content_type.startswith("text/html") and 'lang="vi"' not in body:
            return f"{where} → {status} without a Vietnamese page"
    return None


def _get(client, url: str, params: dict) -> object:
    try:
        return client.get(url, params)
    except Exception as error:  # the test client re-raises what a 500 would hide
        return error


def test_malformed_query_values_never_make_a_500(sweep_world, client):
    failures = []
    for route, url in _routes(sweep_world):
        for value in sweep.MALFORMED_VALUES:
            client.force_login(sweep_world.admin)
            params = dict.fromkeys(sweep.QUERY_PARAMS, value)
            response = _get(client, url, params)
            where = f"GET {url} [{route.name}] with {value[:12]!r}"
            if isinstance(response, Exception):
                failures.append(f"{where} raised {type(response).__name__}: {response}"[:300])
            elif problem := _problem(response, where):
                failures.append(problem)
    assert not failures, "\n".join(failures)


def test_a_nul_in_the_query_is_refused_in_vietnamese(sweep_world, client):
    client.force_login(sweep_world.admin)
    response = client.get("/don-vi/", {"q": "Xuân\x00Trung"})
    assert response.status_code == 400
    assert "ký tự rỗng" in response.content.decode()


def test_malformed_uploads_never_make_a_500(sweep_world, client):
    failures = []
    for route, url in _routes(sweep_world):
        client.force_login(sweep_world.ward_officer)
        data = {
            name: SimpleUploadedFile("bao-cao.pdf", EXE, content_type="application/pdf")
            for name in ("file", "files", "signed_report", "scan")
        }
        data |= dict.fromkeys(("unit", "year", "nomination", "value", "reported_on"), "abc")
        where = f"POST {url} [{route.name}]"
        try:
            response = client.post(url, data)
        except Exception as error:
            failures.append(f"{where} raised {type(error).__name__}: {error}"[:300])
            continue
        if problem := _problem(response, where):
            failures.append(problem)
    assert not failures, "\n".join(failures)


def test_the_viewer_gets_403_for_every_action_outside_its_capability(sweep_world, client):
    """The read-only viewer (xem) posting anywhere but its own session and notifications gets
    403 with the reason, never a redirect with a workflow message."""
    from portal.security import READER_POSTS

    failures = []
    for route, url in _routes(sweep_world):
        if route.name in READER_POSTS or route.is_public:
            continue
        client.force_login(sweep_world.viewer)
        response = client.post(url, {})
        if response.status_code not in (403, 405):
            failures.append(f"POST {url} [{route.name}] → {response.status_code}")
        elif response.status_code == 403 and "chỉ có quyền xem" not in response.content.decode():
            failures.append(f"POST {url} [{route.name}] → 403 without the reason")
    assert not failures, "\n".join(failures)
