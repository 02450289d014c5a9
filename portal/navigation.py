"""The main menu: every entry declared once, shown to a user only if they may use it.

An entry names the capabilities its page needs (any one of them, held in any unit — see
`access.holds_anywhere`); an entry without any is for everyone signed in. A page behind a
capability answers 403 to the others with `access.require_anywhere` on the same capabilities,
and tests/portal/test_navigation.py follows every entry as every persona to keep the two in
step. A group (a dropdown) is shown when one of its entries is.

Adding an entry: one `Entry(label, url_name, caps)` line in MENU below (docs/architecture.md).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from django.core.signals import setting_changed
from django.http import HttpRequest
from django.template.loader import get_template
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.safestring import SafeString

from portal import access
from portal.access import Cap


@dataclass(frozen=True)
class Entry:
    label: str
    url_name: str = ""  # empty for a group
    caps: tuple[Cap, ...] = ()  # any one of them suffices; none: everyone signed in
    children: tuple[Entry, ...] = ()
    divider_before: bool = False  # inside a group: a separating line above the entry


@dataclass(frozen=True)
class Shown:
    """An entry as one user's menu renders it."""

    label: str
    url: str = ""
    children: tuple[Shown, ...] = ()
    divider_before: bool = False


MENU: tuple[Entry, ...] = (
    Entry("Trang chủ", "home"),
    Entry("Đơn vị", "unit_browser"),
    Entry("Phong trào thi đua", "campaigns:list"),
    Entry(
        "Khen thưởng",
        children=(
            Entry("Đề nghị khen thưởng", "awards:nomination_list", (Cap.PROPOSE_AWARDS,)),
            Entry("Hồ sơ chờ Nội vụ xử lý", "awards:queue", (Cap.REVIEW_NOMINATIONS,)),
            Entry(
                "Xin ý kiến cơ quan liên quan",
                "awards:clearance_list",
                (Cap.REVIEW_NOMINATIONS, Cap.ANSWER_CLEARANCE),
            ),
            Entry(
                "Phiên họp Hội đồng",
                "awards:session_list",
                (Cap.REVIEW_NOMINATIONS, Cap.VOTE_IN_COUNCIL),
            ),
            Entry("Quyết định khen thưởng", "awards:decision_list"),
            Entry("Thống kê", "awards:statistics"),
            Entry("Danh mục danh hiệu, hình thức", "awards:catalogue", divider_before=True),
        ),
    ),
    Entry(
        "Công khai",
        children=(
            Entry("Phong trào đã phát động", "pledges:public"),
            Entry("Lấy ý kiến nhân dân", "awards:public_comments"),
            Entry("Quyết định đã công bố", "awards:public_decisions"),
        ),
    ),
    # Grouped so that the bar stays on one line on a 1280-pixel office screen.
    Entry(
        "Văn bản, báo cáo",
        children=(
            Entry("Văn bản", "document_list"),
            Entry("Báo cáo định kỳ", "reports:list"),
            Entry("Công việc nền", "job_list"),
        ),
    ),
)


def leaves(entries: tuple[Entry, ...] = MENU) -> Iterator[Entry]:
    """Every entry that links to a page, groups flattened."""
    for entry in entries:
        if entry.children:
            yield from leaves(entry.children)
        else:
            yield entry


def _shown(entries: tuple[Entry, ...], user) -> tuple[Shown, ...]:
    shown = []
    for entry in entries:
        if entry.children:
            children = _shown(entry.children, user)
            if children:
                shown.append(Shown(entry.label, children=children))
        elif not entry.caps or access.holds_anywhere(user, *entry.caps):
            shown.append(Shown(entry.label, reverse(entry.url_name), (), entry.divider_before))
    return tuple(shown)


def menu_for(request: HttpRequest) -> tuple[Shown, ...]:
    """The user's menu, worked out once per request from their memberships (one query at most,
    none when the page has loaded them already)."""
    cached = getattr(request, "_portal_menu", None)
    if cached is None:
        cached = _menu_of(request.user) if request.user.is_authenticated else ()
        request._portal_menu = cached
    return cached


# A user's menu depends on them only through which of the entries' capabilities they hold, and
# on the process through its URLs: each distinct menu is built once per process and kept here,
# with the MENU it was built from, since reversing its fifteen addresses on every page was a
# third of the time the chrome took to draw. Whether the user holds each capability is still
# asked of `access` on every request, so a changed role shows at once.
_BUILT: dict[tuple, tuple[tuple[Entry, ...], tuple[Shown, ...]]] = {}
# The HTML of each built menu, drawn once: id(menu) → (menu, its HTML).
_DRAWN: dict[int, tuple[tuple[Shown, ...], SafeString]] = {}


def _menu_of(user) -> tuple[Shown, ...]:
    held = frozenset(
        entry.caps
        for entry in leaves(MENU)
        if entry.caps and access.holds_anywhere(user, *entry.caps)
    )
    key = (id(MENU), get_script_prefix(), get_urlconf(), held)
    source, menu = _BUILT.get(key, (None, ()))
    if source is not MENU:
        menu = _shown(MENU, user)
        _BUILT[key] = (MENU, menu)
    return menu


def drawn(menu: tuple[Shown, ...]) -> SafeString:
    """The menu's HTML (portal/_nav.html), drawn once per process for each distinct menu."""
    kept, html = _DRAWN.get(id(menu), ((), SafeString()))
    if kept is not menu:
        html = SafeString(get_template("portal/_nav.html").render({"menu": menu}))
        _DRAWN[id(menu)] = (menu, html)
    return html


def _forget(**kwargs) -> None:
    # A test that overrides a setting (the URLs, the static files' address) gets fresh menus.
    _BUILT.clear()
    _DRAWN.clear()


setting_changed.connect(_forget)


def trail_for(request: HttpRequest) -> tuple[Shown, ...]:
    """The breadcrumb trail above a page: the home page, and the entry of the user's menu
    whose address is the longest one the page's address starts with (none for the home page
    itself or a page outside every section)."""
    entries = [e for e in _flat(menu_for(request)) if e.url != "/"]
    home = Shown("Trang chủ", reverse("home"))
    within = [e for e in entries if request.path.startswith(e.url) and request.path != e.url]
    if not within:
        return (home,)
    return (home, max(within, key=lambda e: len(e.url)))


def _flat(entries: tuple[Shown, ...]) -> Iterator[Shown]:
    for entry in entries:
        yield from _flat(entry.children) if entry.children else (entry,)
