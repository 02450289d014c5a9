"""The walk: every demo login opens every page of its menu and the detail pages they link to,
on a desktop (1280 px) and on a phone (360 px), after `manage.py load_demo` (issue #15).

On every page: axe-core finds no critical or serious violation (the journeys' own watch), the
page does not spill sideways on the phone (`scrollWidth` ≤ 360: wide tables scroll inside
their own box), no English UI word shows, and a paged list is followed by its "Trang sau"
links to its last page. Menu pages are opened by every login on the phone (the width where
pages break) and once on the desktop; each kind of detail page is opened once at both widths
(the template is what is checked; scopes are the denial sweep's business).
"""

from __future__ import annotations

import re

import pytest
from django.urls import Resolver404, resolve

from portal.demo import DEMO_PASSWORD, DEMO_USERS
from tests.journeys.test_demo_award_cycle import demo
from tests.portal.test_english_words import ENGLISH

__all__ = ["demo"]

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 360, "height": 740}
MENU_LINKS = """() => [...document.querySelectorAll('ul[aria-label="Menu chính"] a')]
  .map(a => a.getAttribute('href')).filter(h => h && h !== '#')"""
PAGE_LINKS = """() => [...document.querySelectorAll('main a[href^="/"]')]
  .map(a => a.getAttribute('href').split('#')[0])"""
NEXT = 'nav.pager a[rel="next"]'


def detail_links(page) -> dict[str, str]:
    """One link per kind of detail page (URL name) on `page`, admin and files aside."""
    found = {}
    for href in page.evaluate(PAGE_LINKS):
        try:
            match = resolve(href.split("?")[0])
        except Resolver404:
            continue
        if match.kwargs and not match.view_name.startswith("admin") and "/static/" not in href:
            found.setdefault(match.view_name, href)
    return found


def inspect(page, url: str, width: int, problems: list[str]) -> None:
    response = page.goto(url)
    if (
        response is None
        or response.status != 200
        or "html" not in response.headers.get("content-type", "")
    ):
        return
    page.wait_for_load_state("load")
    if width == PHONE["width"]:
        scroll = page.evaluate("() => document.documentElement.scrollWidth")
        if scroll > width:
            problems.append(f"{url} at {width} px: scrollWidth {scroll}")
    shown = page.evaluate("() => document.body.innerText")
    problems += [f"{url}: English {m.group(0)!r}" for m in ENGLISH.finditer(shown)]


def follow_pager(page, url: str, problems: list[str]) -> None:
    """From the first page of a list, its next links reach "Trang N/N"."""
    page.goto(url)
    hops = 0
    while page.locator(NEXT).count():
        page.locator(NEXT).first.click()
        page.wait_for_load_state("load")
        hops += 1
    label = page.locator("nav.pager .disabled").first
    if hops and label.count():
        current, total = re.findall(r"\d+", label.inner_text())[:2]
        if current != total:
            problems.append(f"{url}: the pager stopped at page {current} of {total}")


def test_every_demo_login_walks_its_menu_and_details_at_1280_and_360_px(
    demo, live_server, browser, sign_in, _axe_on_every_page
):
    problems: list[str] = []
    desktop_done: set[str] = set()
    details_done: set[str] = set()
    paged: set[str] = set()
    for account in DEMO_USERS:
        pages = {}
        for size in (PHONE, DESKTOP):
            context = browser.new_context(viewport=size, locale="vi-VN")
            context.set_default_timeout(30_000)
            page = context.new_page()
            sign_in(page, account.username, "/", password=DEMO_PASSWORD)
            page.wait_for_url(f"{live_server.url}/")
            menu = pages.setdefault("menu", page.evaluate(MENU_LINKS))
            for path in menu:
                if size is DESKTOP and path in desktop_done:
                    continue
                inspect(page, live_server.url + path, size["width"], problems)
                if size is DESKTOP:
                    desktop_done.add(path)
                    for name, href in detail_links(page).items():
                        if name not in details_done:
                            details_done.add(name)
                            pages.setdefault("details", []).append(href)
                    if page.locator(NEXT).count() and path not in paged:
                        paged.add(path)
                        follow_pager(page, live_server.url + path, problems)
            context.close()
        # The detail pages this login found, at both widths.
        for size in (PHONE, DESKTOP):
            context = browser.new_context(viewport=size, locale="vi-VN")
            context.set_default_timeout(30_000)
            page = context.new_page()
            sign_in(page, account.username, "/", password=DEMO_PASSWORD)
            page.wait_for_url(f"{live_server.url}/")
            for href in pages.get("details", []):
                inspect(page, live_server.url + href, size["width"], problems)
            context.close()
    assert len(desktop_done) >= 15 and len(details_done) >= 10, (desktop_done, details_done)
    assert not problems, "\n".join(dict.fromkeys(problems))
