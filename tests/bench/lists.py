"""Paginated list pages against the plain-list anchor (shared/benchmarks.md)."""

from __future__ import annotations

from tests.bench.harness import Measure, interleave, report


def _get(client, url: str):
    def fetch():
        response = client.get(url)
        if response.status_code != 200:
            raise RuntimeError(f"{url} answered {response.status_code}")
        return response

    return fetch


def pages(context) -> list[tuple[str, str]]:
    """The portal's list pages at province scale: (label, url)."""
    from portal.models import Unit

    province = context.province
    commune = Unit.objects.filter(parent=province, kind="commune").order_by("path").first()
    return [
        ("home page", "/"),
        ("unit browser (tree roots)", "/don-vi/"),
        ("unit search, 25 a page", "/don-vi/?q=thu nghiem"),
        ("unit page: the province", f"/don-vi/{province.pk}/"),
        ("unit page: a commune", f"/don-vi/{commune.pk}/"),
        ("people of the province, 25 a page", f"/don-vi/{province.pk}/ca-nhan/"),
    ]


def run(context) -> None:
    client = context.client
    bare = Measure("anchor: bare view", _get(client, "/bench/bare/"))
    plain = Measure(
        "anchor: plain list, 50 of 2,000 rows", _get(client, "/bench/plain-list/?page=7")
    )
    portal = [Measure(label, _get(client, url)) for label, url in pages(context)]
    interleave([bare, plain, *portal], rounds=15, repeat=5)
    rows = [(bare, None, ""), (plain, bare, "plain list ≈ 16–20× slower than bare")]
    rows += [(measure, plain, "≥ 0.7× the plain list") for measure in portal]
    report("Lists (in-process, Django test client)", rows)
