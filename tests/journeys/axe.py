"""axe-core (vendored: tests/journeys/vendor/axe.min.js, 4.14.1, MPL-2.0) inside the journeys.

Every browser context the journeys open is watched: axe is injected into each document and
run when its `load` event fires, so every page a journey visits is audited, whether it got
there by `goto`, a link or a form. Violations of impact "critical" or "serious" fail the test
(the journeys' autouse fixture `_axe_on_every_page`). A page the journey leaves before axe has
finished is audited no further: what matters is what the user stays on.
"""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Error as PlaywrightError

AXE_JS = Path(__file__).with_name("vendor") / "axe.min.js"
FAILING = ("critical", "serious")
# The journeys answer "OK" to every confirmation (static/js/confirm.js) and keep its text for
# the test to read (`confirmations(page)`). In the page, not through Playwright's dialog event:
# a modal dialog would stall axe running on the same page.
ANSWER_OK = """
window.confirm = function (message) {
  var said = JSON.parse(sessionStorage.getItem("confirmations") || "[]");
  said.push(String(message));
  sessionStorage.setItem("confirmations", JSON.stringify(said));
  return true;
};
"""


def confirmations(page) -> list[str]:
    """The confirmations this tab answered so far."""
    return page.evaluate("() => JSON.parse(sessionStorage.getItem('confirmations') || '[]')")


RUN = """async () => {
  if (!window.axe) return null;
  const result = await window.axe.run(document, {resultTypes: ["violations"]});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    targets: v.nodes.slice(0, 5).map(n => n.target.join(" ")),
  }));
}"""


def audit(page) -> list[dict]:
    """The critical and serious violations on `page` as it is now."""
    if not page.evaluate("() => !!window.axe"):
        page.add_script_tag(path=str(AXE_JS))
    found = page.evaluate(RUN) or []
    return [v for v in found if v["impact"] in FAILING]


class Watch:
    """Collects the failing violations of every page loaded in the watched contexts."""

    def __init__(self) -> None:
        self.findings: list[str] = []
        self.audited: list[str] = []

    def context(self, context):
        context.add_init_script(path=str(AXE_JS))
        context.add_init_script(script=ANSWER_OK)
        context.on("page", self.page)
        for page in context.pages:
            self.page(page)
        return context

    def page(self, page) -> None:
        page.on("load", lambda: self.check(page))

    def check(self, page) -> None:
        url = page.url
        if not url.startswith("http") or "/media/" in url or url.endswith(".pdf"):
            return
        try:
            found = audit(page)
        except PlaywrightError:
            return  # the journey moved on (or downloaded a file) before axe finished
        self.audited.append(url)
        for v in found:
            self.findings.append(f"{url}: {v['impact']} {v['id']} ({v['help']}) at {v['targets']}")

    def report(self) -> str:
        return "\n".join(dict.fromkeys(self.findings))


class WatchedBrowser:
    """The session's browser, whose new contexts are watched by the current test's Watch."""

    def __init__(self, browser) -> None:
        self._browser = browser
        self.watch: Watch | None = None

    def new_context(self, **kwargs):
        context = self._browser.new_context(**kwargs)
        return self.watch.context(context) if self.watch else context

    def __getattr__(self, name):
        return getattr(self._browser, name)
