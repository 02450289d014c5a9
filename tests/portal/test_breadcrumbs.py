"""Breadcrumbs on every detail page (issue #15): each persona of the sweep world opens its menu
pages and every kind of detail page they link to; each detail page shows one trail, a nav
labelled "Đường dẫn", whose links open for that persona."""

from __future__ import annotations

import re

import pytest
from django.test import RequestFactory
from django.urls import Resolver404, resolve

from portal import navigation
from tests import sweep
from tests.campaign_fixtures import _documents_off_disk
from tests.portal.test_english_words import PERSONAS, ShownText
from tests.portal.test_navigation import menu_links

__all__ = ["_documents_off_disk"]

TRAIL = re.compile(r'<nav[^>]*aria-label="Đường dẫn"[^>]*>(.*?)</nav>', re.S)
HREF = re.compile(r'href="([^"#?]+)')


def test_every_detail_page_shows_one_breadcrumb_trail_that_opens(world, client):
    world = sweep.extend_world(world)
    missing, broken, checked = [], [], 0
    for persona in PERSONAS:
        user = getattr(world, persona)
        pages, kinds = list(menu_links(client, user).values()), set()
        for url in pages:
            response = client.get(url)
            if response.status_code != 200 or "text/html" not in response["Content-Type"]:
                continue
            html = response.content.decode()
            shown = ShownText()
            shown.feed(html)
            for link in shown.links:
                try:
                    match = resolve(link.split("?")[0])
                except Resolver404:
                    continue
                if match.kwargs and match.view_name not in kinds and "admin" not in link:
                    kinds.add(match.view_name)
                    pages.append(link)
            if not resolve(url.split("?")[0]).kwargs:
                continue
            trails = TRAIL.findall(html)
            checked += 1
            if len(trails) != 1:
                missing.append(f"{persona} {url}: {len(trails)} breadcrumb trails")
                continue
            for href in HREF.findall(trails[0]):
                if client.get(href).status_code != 200:
                    broken.append(f"{persona} {url}: the trail's {href} does not open")
    assert checked > 40, checked
    assert not missing and not broken, "\n".join(missing + broken)


@pytest.mark.parametrize(
    ("persona", "path", "section"),
    [
        ("ward_officer", "/khen-thuong/de-nghi/5/", "Đề nghị khen thưởng"),
        ("viewer", "/khen-thuong/de-nghi/5/", None),  # not in the viewer's menu
        ("viewer", "/phong-trao/3/dang-ky/", "Phong trào thi đua"),
        ("viewer", "/cum-khoi/1/", None),  # a page outside every section
    ],
)
def test_the_default_trail_is_home_then_the_menu_section_the_address_continues(
    world, persona, path, section
):
    request = RequestFactory().get(path)
    request.user = getattr(world, persona)
    trail = navigation.trail_for(request)
    assert trail[0].label == "Trang chủ"
    assert [e.label for e in trail[1:]] == ([section] if section else [])
