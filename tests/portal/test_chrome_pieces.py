"""The chrome every page shares is drawn in Python from pieces made once per process
(portal_nav.navbar, portal_paging.pager; the constant parts: tests/portal/test_chrome.py).
The markup must be what the templates drew, byte for byte, for every user and every pager;
names are escaped, the logout form's CSRF field is valid, and the chrome reads nothing from
the database that the page has not read already."""

from __future__ import annotations

import re

import pytest
from django.core.paginator import Paginator
from django.template import Context, Engine, engines
from django.test import Client, RequestFactory
from django.urls import reverse

from portal import navigation
from tests.factories import make_member
from tests.portal.test_auth import sign_in

# portal/_pagination.html as it was drawn by the template, the reference for the tag.
TEMPLATE_PAGER = """{% load portal_paging %}{% if page.has_other_pages %}{% with p=param|default:'trang' %}
<nav class="pager" aria-label="Phân trang{% if pager_label %}: {{ pager_label }}{% endif %}">
  <ul class="pagination pagination-sm flex-wrap">
    {% if page.has_previous %}<li class="page-item"><a class="page-link" href="{% page_query 1 p %}{% if anchor %}#{{ anchor }}{% endif %}">Trang đầu</a></li>
    <li class="page-item"><a class="page-link" rel="prev" href="{% page_query page.previous_page_number p %}{% if anchor %}#{{ anchor }}{% endif %}">« Trang trước</a></li>{% endif %}
    <li class="page-item disabled"><span class="page-link">Trang {{ page.number }}/{{ page.paginator.num_pages }}</span></li>
    {% if page.has_next %}<li class="page-item"><a class="page-link" rel="next" href="{% page_query page.next_page_number p %}{% if anchor %}#{{ anchor }}{% endif %}">Trang sau »</a></li>
    <li class="page-item"><a class="page-link" href="{% page_query page.paginator.num_pages p %}{% if anchor %}#{{ anchor }}{% endif %}">Trang cuối</a></li>{% endif %}
  </ul>
</nav>
{% endwith %}{% endif %}
"""  # noqa: E501


@pytest.mark.parametrize("number", [1, 2, 7, 13])
@pytest.mark.parametrize(
    "extra",
    [
        {},
        {"param": "trang-co-quan", "anchor": "co-quan", "pager_label": "cơ quan, tổ chức"},
        {"anchor": "a&b", "pager_label": "<đơn vị> & “khác”"},
    ],
)
@pytest.mark.parametrize("query", ["", "q=Thu+nghi%E1%BB%87m&nam=2025&trang=3", "x=<a>&x=2"])
def test_the_pager_draws_what_its_template_drew(number, extra, query):
    request = RequestFactory().get(f"/danh-sach/?{query}")
    django = engines["django"]
    for rows in (range(650), range(50), range(0)):
        page = Paginator(rows, 50).get_page(number)
        context = {"page": page, **extra}
        expected = django.from_string(TEMPLATE_PAGER).render(context, request)
        drawn = django.get_template("portal/_pagination.html").render(context, request)
        assert drawn == expected


def navbar_as_template(user, csrf_token: str) -> str:
    """The navigation bar as base.html drew it with template tags, before it was cut in pieces."""
    source = """{% load portal_nav %}<nav class="navbar navbar-expand-lg navbar-dark border-bottom" style="background:#8b1d1d" aria-label="Thanh điều hướng">
  <div class="container-fluid">
    <a class="navbar-brand text-white fw-semibold" href="{% url 'home' %}">Thi đua – Khen thưởng</a>
    {% if user.is_authenticated %}
    <button class="navbar-toggler" type="button" data-bs-toggle="collapse" data-bs-target="#nav" aria-label="Mở menu">
      <span class="navbar-toggler-icon"></span>
    </button>
    <div class="collapse navbar-collapse" id="nav">
      <ul class="navbar-nav me-auto" aria-label="Menu chính">
        {{ menu }}
      </ul>
      <ul class="navbar-nav">
        {% constant_part "portal/_bell.html" %}
        <li class="nav-item dropdown">
          <a class="nav-link dropdown-toggle text-white" href="#" role="button" data-bs-toggle="dropdown">{{ user.get_full_name }}</a>
          <ul class="dropdown-menu dropdown-menu-end">
            <li><a class="dropdown-item" href="{% url 'password_change' %}">Đổi mật khẩu</a></li>
            <li><form method="post" action="{% url 'logout' %}">{% csrf_token %}<button class="dropdown-item" type="submit">Đăng xuất</button></form></li>
          </ul>
        </li>
      </ul>
    </div>
    {% endif %}
  </div>
</nav>"""  # noqa: E501
    engine = Engine.get_default()
    request = RequestFactory().get("/")
    request.user = user
    menu = navigation.drawn(navigation.menu_for(request)) if user.is_authenticated else ""
    context = Context({"user": user, "menu": menu, "csrf_token": csrf_token})
    return engine.from_string(source).render(context)


def navbar_of(page: str) -> str:
    return re.search(r"<nav class=\"navbar.*?\n</nav>", page, re.S).group(0)


def csrf_of(page: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)


@pytest.mark.parametrize("username", ["canbo", "xem", "ct_xuantrung", "noivu"])
def test_the_navigation_bar_is_what_the_template_drew_for_every_user(world, client, username):
    assert sign_in(client, username, "matkhau-123").status_code == 302
    page = client.get(reverse("home")).content.decode()
    user = client.get(reverse("home")).wsgi_request.user
    assert navbar_of(page) == navbar_as_template(user, csrf_of(page))


def test_a_visitor_sees_the_brand_alone(db, client):
    from django.contrib.auth.models import AnonymousUser

    page = client.get(reverse("login")).content.decode()
    assert navbar_of(page) == navbar_as_template(AnonymousUser(), "")
    assert "Đăng xuất" not in page and "Menu chính" not in page


def test_a_name_is_escaped_in_the_navigation_bar(world, client):
    make_member(world.ward, "officer", "lacuoi", "<b>Lạ</b> & “Cười”")
    assert sign_in(client, "lacuoi", "matkhau-123").status_code == 302
    page = client.get(reverse("home")).content.decode()
    assert "&lt;b&gt;Lạ&lt;/b&gt; &amp; “Cười”" in navbar_of(page)
    assert "<b>Lạ</b>" not in page


def test_the_logout_form_of_the_navigation_bar_passes_the_csrf_check(world):
    client = Client(enforce_csrf_checks=True)
    page = client.get(reverse("login")).content.decode()
    signed = client.post(
        reverse("login"),
        {"username": "canbo", "password": "matkhau-123", "csrfmiddlewaretoken": csrf_of(page)},
    )
    assert signed.status_code == 302
    page = client.get(reverse("home")).content.decode()
    hx_token = re.search(r'"X-CSRFToken": "([^"]+)"', page).group(1)
    assert hx_token and navbar_of(page).count("csrfmiddlewaretoken") == 1
    out = client.post(reverse("logout"), {"csrfmiddlewaretoken": csrf_of(navbar_of(page))})
    assert out.status_code == 302
    assert client.get(reverse("home")).status_code == 302  # signed out


def test_no_template_comment_shows_on_a_page(world, client):
    assert sign_in(client, "canbo", "matkhau-123").status_code == 302
    page = client.get(reverse("home")).content.decode()
    assert "{#" not in page and "#}" not in page


def test_the_chrome_reads_nothing_the_page_has_not(
    world, client, settings, django_assert_num_queries
):
    """A signed-in page: the session (from the cache), the user, their memberships; the menu
    and the bar read no more."""
    settings.SESSION_ENGINE = "portal.sessions"  # as deployed with Redis
    assert sign_in(client, "canbo", "matkhau-123").status_code == 302
    client.get(reverse("notification_list"))
    with django_assert_num_queries(2):  # the user, the memberships
        response = client.get(reverse("password_change"))
    assert response.status_code == 200 and "Đăng xuất" in response.content.decode()
