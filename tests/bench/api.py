"""The API's lists against the HTML lists of the same rows (issue #18: each at least as fast
as its page). Signed in as the province's leader, the pages' session; 50 rows a page."""

from __future__ import annotations

from tests.bench.harness import Measure, interleave, report
from tests.bench.lists import _get


def pairs(context) -> list[tuple[str, str, str]]:
    """(label, API list, the page listing the same rows)."""
    province = context.province
    return [
        (
            "units under the province",
            f"/api/v1/units?unit={province.pk}&limit=50",
            f"/don-vi/{province.pk}/",
        ),
        ("campaigns in scope", "/api/v1/campaigns?limit=50", "/phong-trao/"),
        # As the province's officer: the sender's page lists the dossiers where one may propose,
        # which for the officer (not the leader) is the whole subtree, as the API's list.
        ("nominations in scope (officer)", "/api/v1/nominations?limit=50", "/khen-thuong/de-nghi/"),
        ("issued documents in scope", "/api/v1/documents?limit=50", "/van-ban/?trang-thai=issued"),
        ("award decisions in scope", "/api/v1/decisions?limit=50", "/khen-thuong/quyet-dinh/"),
        (
            "award records of the province",
            f"/api/v1/award-records?unit={province.pk}&limit=50",
            f"/khen-thuong/don-vi/{province.pk}/",
        ),
        (
            "published decisions (public)",
            "/api/v1/public/decisions?limit=50",
            "/khen-thuong/cong-khai/quyet-dinh/",
        ),
        (
            "launched campaigns (public)",
            "/api/v1/public/campaigns?limit=50",
            "/cong-khai/phong-trao/",
        ),
    ]


def run(context) -> None:
    from django.test.utils import override_settings

    # The lists are timed, not the rate limiter: the rounds would pass the anonymous rate.
    with override_settings(
        API_RATE_LIMITS={"authenticated": "1000000/m", "anonymous": "1000000/m"}
    ):
        _run(context)


def _officer_client(context):
    from django.contrib.auth import get_user_model
    from django.test import Client

    from portal.models import Membership, Role

    user, _ = get_user_model().objects.get_or_create(
        username="quymo-canbo-api", defaults={"full_name": "Cán bộ đo API"}
    )
    Membership.objects.get_or_create(user=user, unit=context.province, role=Role.OFFICER)
    client = Client()
    client.force_login(user)
    return client


def _run(context) -> None:
    officer = _officer_client(context)
    rows = []
    measures = []
    for label, api_url, page_url in pairs(context):
        client = officer if "(officer)" in label else context.client
        page = Measure(f"page: {label}", _get(client, page_url))
        api = Measure(f"API: {label}", _get(client, api_url))
        measures += [page, api]
        rows += [(page, None, ""), (api, page, "≥ 1× its page")]
    interleave(measures, rounds=15, repeat=5)
    report("API lists against their pages (in-process, Django test client)", rows)
