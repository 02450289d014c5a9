"""Browser journeys: Playwright driving Debian's Chromium against pytest-django's live server."""

from __future__ import annotations

import os
import shutil

import pytest
from playwright.sync_api import expect, sync_playwright

from tests.journeys.axe import Watch, WatchedBrowser

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="session")
def browser():
    # Playwright's sync API keeps an event loop running in the test thread; Django refuses ORM
    # calls from such a thread unless told that they are safe, which they are here: the test's
    # own queries (fixtures, assertions) are plain synchronous code.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    executable = shutil.which("chromium")
    if executable is None:
        pytest.fail(
            "Chromium is missing: `apt-get install chromium` (Playwright cannot download its own "
            "browser here; .ci/run installs it)."
        )
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield WatchedBrowser(chromium)
        chromium.close()
    if previous is None:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(autouse=True)
def _axe_on_every_page(request):
    """axe-core audits every page the test's browser contexts load; a critical or serious
    violation fails the test (tests/journeys/axe.py)."""
    if "browser" not in request.fixturenames:
        yield
        return
    browser = request.getfixturevalue("browser")
    browser.watch = watch = Watch()
    yield watch
    browser.watch = None
    assert not watch.findings, "axe-core:\n" + watch.report()


@pytest.fixture
def phone(browser):
    """A page the size of a phone screen, with Vietnamese as the browser's language."""
    context = browser.new_context(viewport=PHONE, locale="vi-VN")
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


@pytest.fixture
def sign_in(live_server):
    """Sign in through the login page; lands on `next_path` (the test personas share one
    password; the demo's logins pass theirs)."""

    def sign_in_as(
        page, username: str, next_path: str = "/", password: str = "matkhau-123"
    ) -> None:
        page.goto(f"{live_server.url}{next_path}")
        expect(page).to_have_title("Đăng nhập – Cổng thi đua")
        page.get_by_label("Tên đăng nhập").fill(username)
        page.get_by_label("Mật khẩu").fill(password)
        page.get_by_role("button", name="Đăng nhập").click()

    return sign_in_as


# The campaign personas and campaigns of tests/campaign_fixtures.py.
from tests.campaign_fixtures import (  # noqa: E402
    _documents_off_disk,
    city,
    city_campaign,
    draft_campaign,
    real_pdf,
)

__all__ = ["_documents_off_disk", "city", "city_campaign", "draft_campaign", "real_pdf"]
