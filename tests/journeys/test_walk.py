"""Issue #15's "Done when": the demo walked as every one of its roles, on a desk and a phone.

After `manage.py load_demo`, each demo login (one per role; the ward's three council members
are one role) opens every page of its menu and, from there, every detail page those pages link
to (one of each kind, following links onward), first at 1280 px and then, on the same page, at
360 px. On every page:
- axe-core (tests/journeys/vendor) finds no critical or serious violation, at both widths;
- at 360 px the page does not spill sideways (`scrollWidth` ≤ 360: wide tables scroll in their
  own box);
- no common English UI word is shown (tests/portal/test_english_words.py's list), and no
  number is written with a decimal point ("83.00": the comma is the one decimal separator;
  "2.340.000" groups thousands);
- tap targets are at least 24 × 24 px or spaced as WCAG 2.2 AA allows (axe's `target-size`);
- a detail page has a breadcrumb trail (a nav labelled "Đường dẫn");
- every pager leads, by its "Trang sau" links, to the last page of its list.
Lists are paged at 10 rows here, so that the demo's lists have pages to walk.
"""

from __future__ import annotations

import re

import pytest
from django.urls import Resolver404, resolve
from playwright.sync_api import Error as PlaywrightError

from portal.demo import DEMO_PASSWORD
from tests.journeys.axe import AXE_JS, FAILING
from tests.journeys.test_demo_award_cycle import demo
from tests.portal.test_english_words import ENGLISH

__all__ = ["demo"]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# One login per role of the demo (`manage.py load_demo` prints them).
LOGINS = (
    "quantri",
    "lanhdao_tinh",
    "canbo_tinh",
    "noivu",
    "hoidong",
    "xem",
    "lanhdao_longkhanh",
    "canbo_longkhanh",
    "vanphong_longkhanh",
    "hoidong_longkhanh1",
)
DESK, PHONE = 1280, 360
PAGE_SIZE = 10
# Detail pages to follow at most, per login: every kind of link the walk meets is opened once.
MAX_PAGES = 120

READ = """async ({failing}) => {
  const options = {rules: {"target-size": {enabled: true}}, resultTypes: ["violations"]};
  const result = await window.axe.run(document, options);
  const shown = [...document.querySelectorAll("[aria-label],[placeholder],[title],img[alt]")]
    .map(e => ["aria-label", "placeholder", "title", "alt"].map(a => e.getAttribute(a) || ""));
  return {
    width: document.documentElement.scrollWidth,
    text: document.body.innerText + " " + shown.flat().join(" "),
    violations: result.violations
      .filter(v => v.id === "target-size" || failing.includes(v.impact))
      .map(v => `${v.id} (${v.help}) at ${v.nodes.slice(0, 4).map(n => n.target.join(" "))}`),
    spilling: [...document.querySelectorAll("main *")]
      .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
      .slice(0, 3).map(e => `${e.tagName.toLowerCase()}.${e.className}`),
    breadcrumb: !!document.querySelector('nav[aria-label="Đường dẫn"]'),
    links: [...document.querySelectorAll("main a[href^='/']")].map(a => a.getAttribute("href")),
    menu: [...document.querySelectorAll("ul[aria-label='Menu chính'] a")]
      .map(a => a.getAttribute("href")).filter(h => h && h !== "#"),
    pagers: [...document.querySelectorAll("nav.pager")].map(n => n.getAttribute("aria-label")),
  };
}"""
PAGE_OF = re.compile(r"Trang (\d+)/(\d+)")
# One or two digits after a point are decimals; three are a group of thousands. A clause of a
# law keeps its point ("Điều 3.3").
DECIMAL_POINT = re.compile(r"(?<![\d.])(?<!Điều )\d+\.\d{1,2}(?![\d.])")


def _detail_kind(href: str) -> str | None:
    """The view name of a link to a detail page of the portal (None for other links)."""
    path = href.split("#")[0].split("?")[0]
    if path.startswith(("/quan-tri/", "/admin/", "/media/", "/static/")):
        return None
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.view_name if match.kwargs else None


def _open(page, url: str):
    """Go to `url`; None when it is a download rather than a page."""
    try:
        response = page.goto(url)
    except PlaywrightError as error:
        if "Download is starting" in str(error):
            return None
        raise
    if response is None or "text/html" not in response.headers.get("content-type", ""):
        return None
    return response


def _walk_pager(page, base: str, path: str, label: str) -> str | None:
    """Follow the "Trang sau" links of the pager labelled `label` from `path`; what went
    wrong, if anything."""
    _open(page, base + path)
    steps = 0
    while True:
        pager = page.locator(f'nav.pager[aria-label="{label}"]')
        shown = PAGE_OF.search(pager.inner_text()) if pager.count() else None
        if shown is None:
            return f"{path}: pager “{label}” lost after {steps} pages"
        following = pager.locator("a[rel=next]")
        if not following.count():
            number, last = int(shown.group(1)), int(shown.group(2))
            if number != last or steps != last - 1:
                return f"{path}: pager “{label}” stopped at page {number}/{last} after {steps}"
            return None
        following.click()
        page.wait_for_load_state()
        steps += 1
        if steps > 100:
            return f"{path}: pager “{label}” does not end"


def _walk(page, base: str, login: str, walked_pagers: set) -> tuple[list[str], int]:
    problems: list[str] = []
    queue, seen, kinds = ["/"], set(), set()
    while queue and len(seen) < MAX_PAGES:
        path = queue.pop(0)
        if path in seen:
            continue
        seen.add(path)
        page.set_viewport_size({"width": DESK, "height": 900})
        response = _open(page, base + path)
        if response is None:
            continue
        where = f"{login} {path}"
        if response.status != 200:
            problems.append(f"{where}: answers {response.status}")
            continue
        for phone in (False, True):
            if phone:
                page.set_viewport_size({"width": PHONE, "height": 780})
            read = page.evaluate(READ, {"failing": list(FAILING)})
            size = f"{PHONE if phone else DESK} px"
            problems += [f"{where} at {size}: {v}" for v in read["violations"]]
            if phone and read["width"] > PHONE:
                problems.append(f"{where}: {read['width']} px wide at 360 px {read['spilling']}")
        english = sorted({m.group(0) for m in ENGLISH.finditer(read["text"])})
        if english:
            problems.append(f"{where}: English words {english}")
        if points := sorted(set(DECIMAL_POINT.findall(read["text"]))):
            problems.append(f"{where}: decimal points {points[:5]}")
        if _detail_kind(path) and not read["breadcrumb"]:
            problems.append(f"{where}: no breadcrumb trail")
        if path == "/":
            queue += read["menu"]
        for href in read["links"]:
            kind = _detail_kind(href)
            if kind and kind not in kinds:
                kinds.add(kind)
                queue.append(href.split("#")[0])
        for label in read["pagers"]:
            if (path.split("?")[0], label) not in walked_pagers:
                walked_pagers.add((path.split("?")[0], label))
                if trouble := _walk_pager(page, base, path, label):
                    problems.append(f"{login} {trouble}")
    return problems, len(seen)


def test_every_role_uses_every_page_on_a_desk_and_a_phone(
    live_server, demo, browser, sign_in, settings
):
    settings.LIST_PAGE_SIZE = PAGE_SIZE
    problems, visited, walked_pagers = [], {}, set()
    for login in LOGINS:
        # Not the journeys' watched context: this walk runs axe itself, at both widths and with
        # `target-size`, on every page it stays on.
        context = browser._browser.new_context(
            locale="vi-VN", viewport={"width": DESK, "height": 900}
        )
        context.add_init_script(path=str(AXE_JS))
        context.set_default_timeout(20_000)
        page = context.new_page()
        sign_in(page, login, "/", password=DEMO_PASSWORD)
        page.wait_for_url(f"{live_server.url}/")
        found, visited[login] = _walk(page, live_server.url, login, walked_pagers)
        problems += found
        context.close()
    # The walk reached the pages it is about: the menus, and the details behind them.
    assert all(count >= 30 for count in visited.values()), visited
    assert len(walked_pagers) >= 5, walked_pagers
    assert not problems, "\n".join(problems)
