"""The unit lists drawn in Python (portal/unit_rows.py), the search's capped count, the tree's
roots read by path and the unit page's lineage read only when there is one (#16)."""

from __future__ import annotations

import datetime
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portal import paging, unit_rows
from portal.models import Membership, Role, Unit, UnitKind
from tests.factories import make_member, make_unit, make_user


@pytest.fixture
def as_user(client):
    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in


def test_search_rows_show_the_kind_code_parent_and_closing_escaped():
    rows = unit_rows.search_results(
        [
            SimpleNamespace(
                pk=7,
                name="Phường <Xuân> Trung",
                kind=UnitKind.WARD,
                code="26000",
                parent_name="Thành phố Long Khánh",
                valid_to=datetime.date(2025, 6, 30),
            ),
            SimpleNamespace(
                pk=8,
                name="Tỉnh Đồng Nai",
                kind=UnitKind.PROVINCE,
                code="",
                parent_name=None,
                valid_to=None,
            ),
        ]
    )
    assert rows == (
        '<a class="list-group-item list-group-item-action" href="/don-vi/7/">'
        '<div class="fw-semibold">Phường &lt;Xuân&gt; Trung <span class="badge '
        'text-bg-secondary">đã giải thể từ 30/06/2025</span></div><small class="text-muted">'
        "Phường · mã 26000 · thuộc Thành phố Long Khánh</small></a>\n"
        '<a class="list-group-item list-group-item-action" href="/don-vi/8/">'
        '<div class="fw-semibold">Tỉnh Đồng Nai</div><small class="text-muted">Tỉnh</small></a>'
    )
    assert "Không tìm thấy đơn vị nào trong phạm vi của bạn." in unit_rows.search_results([])


def test_child_list_shows_each_childs_count_and_closing():
    rows = unit_rows.child_list(
        [
            SimpleNamespace(pk=3, name="Xã A & B", child_count=4, valid_to=None),
            SimpleNamespace(pk=4, name="Xã C", child_count=0, valid_to=datetime.date(2025, 7, 1)),
        ]
    )
    assert rows == (
        '<ul class="small mb-0">\n'
        '<li><a href="/don-vi/3/">Xã A &amp; B</a> <span class="text-muted">(4 trực thuộc)</span>'
        "</li>\n"
        '<li><a href="/don-vi/4/">Xã C</a> <span class="badge text-bg-secondary">đã giải thể '
        "01/07/2025</span></li>\n</ul>"
    )
    assert unit_rows.child_list([]) == (
        '<ul class="small mb-0">\n<li class="text-muted">Không có.</li>\n</ul>'
    )


def test_a_search_matching_more_than_the_cap_says_more_than_and_pages_on(
    world, as_user, settings, monkeypatch
):
    settings.LIST_PAGE_SIZE = 2
    monkeypatch.setattr(paging, "COUNT_CAP", 4)
    for number in range(7):
        make_unit(world.ward, UnitKind.OFFICE, f"Tổ công tác {number}")
    client = as_user(world.ward_officer)
    first = client.get(reverse("unit_browser"), {"q": "to cong tac"}).content.decode()
    assert "Hơn 4 đơn vị khớp với “to cong tac”" in first
    assert "Trang 1</span>" in first and "Trang sau" in first and "Trang cuối" not in first
    # Far enough, the count reaches the end: the exact total and the last page again.
    last = client.get(reverse("unit_browser"), {"q": "to cong tac", "trang": "3"}).content
    assert "7 đơn vị khớp" in last.decode() and "Trang 3/4" in last.decode()
    assert "Tổ công tác 4" in last.decode() and "Tổ công tác 6" not in last.decode()
    # Nonsense page numbers fall back to the first page, as on every list.
    odd = client.get(reverse("unit_browser"), {"q": "to cong tac", "trang": "x"}).content
    assert "Trang 1</span>" in odd.decode()


def test_search_order_and_parent_are_kept(world, as_user):
    page = as_user(world.leader).get(reverse("unit_browser"), {"q": "phuong xuan"})
    assert [u.name for u in page.context["page"]] == ["Phường Xuân An", "Phường Xuân Trung"]
    assert "thuộc Thành phố Long Khánh" in page.content.decode()


@pytest.mark.parametrize("who", ["leader", "ward_officer", "outsider", "admin", "none", "two"])
def test_the_trees_roots_are_the_visible_units_whose_parent_is_not(world, who):
    if who == "none":
        user = make_user("khongquyen")
    elif who == "two":
        user = make_member(world.ward, Role.OFFICER, "haivaitro")
        Membership.objects.create(user=user, unit=world.sibling_ward, role=Role.VIEWER)
        Membership.objects.create(user=user, unit=world.ward_office, role=Role.VIEWER)
    else:
        user = getattr(world, who)
    visible = Unit.objects.visible_to(user)
    expected = set(visible.exclude(parent__in=visible).values_list("pk", flat=True))
    assert set(Unit.objects.scope_roots(user).values_list("pk", flat=True)) == expected


def test_the_unit_page_reads_the_lineage_only_for_a_merged_unit(world, as_user):
    client = as_user(world.leader)
    url = reverse("unit_detail", args=[world.ward.pk])
    with CaptureQueriesContext(connection) as plain:
        client.get(url)
    world.ward.merged_from.add(world.sibling_ward)
    with CaptureQueriesContext(connection) as merged:
        page = client.get(url).content.decode()
    assert len(merged) == len(plain) + 1
    assert "Hình thành từ" in page and "Phường Xuân An" in page
    other = client.get(reverse("unit_detail", args=[world.sibling_ward.pk])).content.decode()
    assert "Đã nhập vào" in other and "Phường Xuân Trung" in other
