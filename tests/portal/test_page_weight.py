"""A signed-in first visit of the home page weighs under 100 KB in production mode (#15).

Production mode here is what `make run` with DEBUG off serves: collectstatic with WhiteNoise's
compressed, hashed files, pages gzipped by Django's middleware. The test fetches the home page
as a browser does on its first visit (nothing cached, `Accept-Encoding: gzip`), then every
stylesheet, script, icon sprite and favicon the page names, and the notification bell htmx
loads at once, and adds up the bytes on the wire (bodies as sent; headers aside).
"""

from __future__ import annotations

import gzip
import re

import pytest
from django.core.management import call_command
from django.urls import reverse

BUDGET = 100 * 1024
ASSETS = re.compile(r'(?:href|src)="(/static/[^"#]+)')


@pytest.fixture
def production(settings, tmp_path):
    settings.DEBUG = False
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    settings.STATIC_URL = "/static/"
    call_command("collectstatic", "--noinput", "-v0")
    return settings


def fetch(client, url: str) -> tuple[int, bytes, str]:
    response = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
    body = b"".join(response.streaming_content) if response.streaming else bytes(response.content)
    return response.status_code, body, response.get("Content-Encoding", "")


def test_the_first_visit_of_the_home_page_is_under_100_kb(production, world, client):
    client.force_login(world.ward_officer)
    status, page, encoding = fetch(client, reverse("home"))
    assert status == 200 and encoding == "gzip"
    html = client.get(reverse("home")).content.decode()
    assets = sorted(set(ASSETS.findall(html)))
    assert any(a.endswith(".css") for a in assets) and any(a.endswith(".js") for a in assets)
    assert any("icons" in a for a in assets) and any("favicon" in a for a in assets)
    assert not [a for a in assets if "bootstrap-icons" in a or a.endswith((".woff", ".woff2"))]
    weights = {reverse("home"): len(page)}
    for url in [*assets, reverse("notification_bell")]:
        status, body, encoding = fetch(client, url)
        assert status == 200, url
        if url.endswith((".css", ".js", ".svg")):
            assert encoding == "gzip", f"{url} is sent uncompressed"
        weights[url] = len(body)
    total = sum(weights.values())
    assert total < BUDGET, f"{total} bytes: {weights}"


def test_pages_go_out_gzipped_with_random_padding_against_breach(production, world, client):
    client.force_login(world.ward_officer)
    status, body, encoding = fetch(client, reverse("unit_browser"))
    assert status == 200 and encoding == "gzip"
    assert gzip.decompress(body).decode().startswith("<!doctype html>")
    # Django's GZipMiddleware writes 0-99 random bytes as the gzip header's file name (Heal The
    # Breach): the FNAME flag is set and the name's length varies from response to response.
    names = set()
    for _ in range(8):
        body = fetch(client, reverse("unit_browser"))[1]
        assert body[3] & 0x08
        names.add(body[10:].index(b"\x00"))
    assert len(names) > 1
