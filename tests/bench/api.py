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
        ("nominations in scope", "/api/v1/nominations?limit=50", "/khen-thuong/de-nghi/"),
    ]


def run(context) -> None:
    client = context.client
    rows = []
    measures = []
    for label, api_url, page_url in pairs(context):
        page = Measure(f"page: {label}", _get(client, page_url))
        api = Measure(f"API: {label}", _get(client, api_url))
        measures += [page, api]
        rows += [(page, None, ""), (api, page, "≥ 1× its page")]
    interleave(measures, rounds=15, repeat=5)
    report("API lists against their pages (in-process, Django test client)", rows)
