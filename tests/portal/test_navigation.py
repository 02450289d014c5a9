"""The main menu shows each persona exactly the sections they may use, and every one opens."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portal import navigation
from portal.access import Cap
from portal.models import Membership, Role, User
from tests.factories import make_unit

EVERYONE = {
    "Trang chủ",
    "Đơn vị",
    "Phong trào thi đua",
    "Quyết định khen thưởng",
    "Thống kê",
    "Danh mục danh hiệu, hình thức",
    "Văn bản",
    "Phong trào đã phát động",
    "Lấy ý kiến nhân dân",
    "Quyết định đã công bố",
    "Báo cáo định kỳ",
    "Công việc nền",
}
PROPOSE = "Đề nghị khen thưởng"
QUEUE = "Hồ sơ chờ Nội vụ xử lý"
SESSIONS = "Phiên họp Hội đồng"
CLEARANCE = "Xin ý kiến cơ quan liên quan"

EXPECTED = {
    "leader": EVERYONE | {PROPOSE, SESSIONS, CLEARANCE},
    "officer": EVERYONE | {PROPOSE, CLEARANCE},
    "reviewer": EVERYONE | {QUEUE, SESSIONS, CLEARANCE},
    "council": EVERYONE | {SESSIONS},
    "viewer": EVERYONE,
    "ward_leader": EVERYONE | {PROPOSE, SESSIONS, CLEARANCE},
    "ward_officer": EVERYONE | {PROPOSE, CLEARANCE},
    "outsider": EVERYONE | {PROPOSE, CLEARANCE},
    "admin": EVERYONE | {PROPOSE, QUEUE, SESSIONS, CLEARANCE},
}


class MenuLinks(HTMLParser):
    """(label, href) of the links inside the list labelled "Menu chính", groups' toggles aside."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0  # <ul> nesting inside the menu; 0 outside it
        self.href: str | None = None
        self.text = ""
        self.links: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "ul" and (self.depth or attrs.get("aria-label") == "Menu chính"):
            self.depth += 1
        elif tag == "a" and self.depth and attrs.get("href") not in (None, "#"):
            self.href, self.text = attrs["href"], ""

    def handle_endtag(self, tag):
        if tag == "ul" and self.depth:
            self.depth -= 1
        elif tag == "a" and self.href is not None:
            self.links.append((self.text.strip(), self.href))
            self.href = None

    def handle_data(self, data):
        if self.href is not None:
            self.text += data


def menu_links(client, user) -> dict[str, str]:
    client.force_login(user)
    parser = MenuLinks()
    parser.feed(client.get(reverse("home")).content.decode())
    return dict(parser.links)


def divergences(client, user) -> list[str]:
    """Where the menu and the pages disagree for `user`: a shown entry answering 403, or a
    hidden one that opens."""
    shown = menu_links(client, user)
    found = []
    for entry in navigation.leaves():
        url = reverse(entry.url_name)
        status = client.get(url).status_code
        if entry.label in shown and status == 403:
            found.append(f"{user.username}: “{entry.label}” is shown but {url} answers 403")
        elif entry.label not in shown and status != 403:
            found.append(f"{user.username}: “{entry.label}” is hidden but {url} answers {status}")
        elif status >= 500:
            found.append(f"{user.username}: {url} answers {status}")
    return found


@pytest.mark.parametrize("persona", sorted(EXPECTED))
def test_each_persona_sees_exactly_the_sections_they_may_use(world, client, persona):
    user = getattr(world, persona)
    shown = menu_links(client, user)
    assert set(shown) == EXPECTED[persona]
    # The labels and addresses stay those the browser journeys and bookmarks know.
    assert shown["Đơn vị"] == "/don-vi/"
    assert divergences(client, user) == []


def test_a_menu_that_drifts_from_the_pages_is_caught(world, client, monkeypatch):
    # The Nội vụ queue offered to everyone: the viewer would be shown a page that refuses them.
    drifted = tuple(
        navigation.Entry(e.label, e.url_name) if e.url_name == "awards:queue" else e
        for e in navigation.leaves()
    )
    monkeypatch.setattr(navigation, "MENU", drifted)
    assert divergences(client, world.viewer) == [
        "xem: “Hồ sơ chờ Nội vụ xử lý” is shown but /khen-thuong/noi-vu/ answers 403"
    ]
    # A capability the reviewer lacks on the decisions list: hidden though it opens.
    hidden = tuple(
        navigation.Entry(e.label, e.url_name, (Cap.DECIDE_AWARDS,))
        if e.url_name == "awards:decision_list"
        else e
        for e in navigation.leaves()
    )
    monkeypatch.setattr(navigation, "MENU", hidden)
    assert divergences(client, world.reviewer) == [
        "noivu: “Quyết định khen thưởng” is hidden but /khen-thuong/quyet-dinh/ answers 200"
    ]


def test_a_group_without_any_entry_for_the_user_is_not_shown(world):
    group = (
        navigation.Entry(
            "Nội vụ",
            children=(navigation.Entry(QUEUE, "awards:queue", (Cap.REVIEW_NOMINATIONS,)),),
        ),
    )
    assert navigation._shown(group, world.viewer) == ()
    (shown,) = navigation._shown(group, world.reviewer)
    assert [child.label for child in shown.children] == [QUEUE]


def test_the_anonymous_visitor_gets_no_menu(db, client):
    page = client.get(reverse("awards:public_decisions")).content.decode()
    assert "Menu chính" not in page and "Đề nghị khen thưởng" not in page


def _request_for(rf: RequestFactory, user: User):
    request = rf.get("/")
    request.user = User.objects.get(pk=user.pk)  # nothing loaded yet, as at a request's start
    return request


@pytest.mark.parametrize("roles", [1, 12])
def test_the_menu_costs_one_query_once_per_request_however_many_roles(world, rf, roles):
    user = User.objects.create_user("nhieu-vai-tro", password="matkhau-123")
    for number in range(roles):
        unit = make_unit(world.province, "department", f"Sở số {number}")
        Membership.objects.create(user=user, unit=unit, role=Role.REVIEWER)
    request = _request_for(rf, user)
    with CaptureQueriesContext(connection) as queries:
        menu = navigation.menu_for(request)
        again = navigation.menu_for(request)
    assert len(queries) == 1  # the memberships, which every page loads for its own checks
    assert again is menu
    assert QUEUE in {child.label for entry in menu for child in entry.children}


def test_the_menu_adds_no_query_to_a_page_that_loaded_the_roles(world, rf):
    from portal import access

    request = _request_for(rf, world.ward_officer)
    access.memberships_of(request.user)
    with CaptureQueriesContext(connection) as queries:
        navigation.menu_for(request)
    assert len(queries) == 0


def test_a_menu_is_built_once_for_all_who_hold_the_same_capabilities(world, rf, monkeypatch):
    navigation.menu_for(_request_for(rf, world.ward_officer))
    reversed_names = []
    counting = navigation.reverse

    def count(name, *args, **kwargs):
        reversed_names.append(name)
        return counting(name, *args, **kwargs)

    monkeypatch.setattr(navigation, "reverse", count)
    # Another officer's menu is the one already built: no address is worked out again.
    same = navigation.menu_for(_request_for(rf, world.officer))
    assert reversed_names == []
    assert same is navigation.menu_for(_request_for(rf, world.ward_officer))
    # A reviewer holds other capabilities: their menu is built for them.
    assert QUEUE in {
        c.label for e in navigation.menu_for(_request_for(rf, world.reviewer)) for c in e.children
    }
    assert reversed_names


def test_a_role_given_shows_in_the_menu_of_the_next_page(world, client):
    assert QUEUE not in menu_links(client, world.viewer)
    Membership.objects.create(user=world.viewer, unit=world.province, role=Role.REVIEWER)
    assert QUEUE in menu_links(client, world.viewer)
    Membership.objects.filter(user=world.viewer, role=Role.REVIEWER).delete()
    assert QUEUE not in menu_links(client, world.viewer)
