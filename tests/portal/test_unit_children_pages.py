"""A unit with many children lists them 50 a page, each list with its own pager and total."""

from __future__ import annotations

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portal.models import Role, Unit, UnitKind
from portal.views.common import children_pages, children_totals, with_child_counts
from tests.factories import make_member, make_unit


@pytest.fixture
def big_province(db):
    province = make_unit(None, UnitKind.PROVINCE, "Tỉnh Thử Phân Trang", code="93")
    for number in range(60):
        make_unit(province, UnitKind.WARD, f"Phường số {number:02d}")
    for number in range(55):
        make_unit(province, UnitKind.DEPARTMENT, f"Sở số {number:02d}")
    officer = make_member(province, Role.OFFICER, "canbo93", "Cán bộ tỉnh")
    return province, officer


def _names(response, key: str) -> list[str]:
    return [child.name for child in response.context[key]]


def test_the_province_page_lists_fifty_children_a_page_with_the_totals(big_province, client):
    province, officer = big_province
    client.force_login(officer)
    url = reverse("unit_detail", args=[province.pk])
    first = client.get(url)
    page = first.content.decode()
    assert "Đơn vị hành chính trực thuộc (60)" in page
    assert "Cơ quan, tổ chức trực thuộc (55)" in page
    assert _names(first, "administrative_children") == [f"Phường số {n:02d}" for n in range(50)]
    assert _names(first, "agency_children") == [f"Sở số {n:02d}" for n in range(50)]
    assert page.count("Trang 1/2") == 2
    assert 'href="?trang=2#hanh-chinh">Trang sau »' in page
    assert 'href="?trang-co-quan=2#co-quan">Trang sau »' in page
    assert "Trang trước" not in page
    assert "Phường số 50" not in page

    # Paging one list keeps the other where it was.
    second = client.get(url, {"trang": 2, "trang-co-quan": 2})
    page = second.content.decode()
    assert _names(second, "administrative_children") == [f"Phường số {n}" for n in range(50, 60)]
    assert _names(second, "agency_children") == [f"Sở số {n}" for n in range(50, 55)]
    assert re.search(r'href="\?trang=1&amp;trang-co-quan=2#hanh-chinh">« Trang trước', page)
    assert re.search(r'href="\?trang=2&amp;trang-co-quan=1#co-quan">« Trang trước', page)
    assert "Trang sau" not in page
    # Still the totals, not the page's length.
    assert "Đơn vị hành chính trực thuộc (60)" in page


def test_a_page_beyond_the_last_shows_the_last_and_costs_the_same_queries(big_province, client):
    province, officer = big_province
    client.force_login(officer)
    url = reverse("unit_detail", args=[province.pk])
    client.get(url)  # warm the session and content types
    counts = []
    for params in ({}, {"trang": 2}, {"trang": "99", "trang-co-quan": "khong-phai-so"}):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, params)
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1] == counts[2]
    # Blocs, roles, people and history load after the page; the totals come with the unit and
    # both lists in one query (#16).
    assert counts[0] <= 5
    assert _names(response, "administrative_children")[0] == "Phường số 50"
    assert _names(response, "agency_children")[0] == "Sở số 00"


def test_a_unit_without_children_says_so_in_both_lists(world, client):
    client.force_login(world.ward_officer)
    page = client.get(reverse("unit_detail", args=[world.ward_office.pk])).content.decode()
    assert "Thôn, tổ dân phố (0)" not in page and "Đơn vị hành chính trực thuộc (0)" in page
    assert "Cơ quan, tổ chức trực thuộc (0)" in page
    assert page.count('<li class="text-muted">Không có.</li>') == 2


def test_a_small_unit_shows_no_pager(world, client):
    client.force_login(world.ward_officer)
    page = client.get(reverse("unit_detail", args=[world.ward.pk])).content.decode()
    assert "Phòng Văn hóa - Xã hội" in page
    assert "Phân trang" not in page


def test_the_pages_read_in_one_statement_hold_the_tree_lists_rows(big_province, rf, settings):
    """`children_pages` writes its statement out (#16): page through both lists and get the
    rows, counts and order of `with_child_counts`, closed units included, villages after the
    administrative units, whatever the order of the paths."""
    province, _ = big_province
    wards = list(province.children.filter(kind=UnitKind.WARD).order_by("path"))
    departments = list(province.children.filter(kind=UnitKind.DEPARTMENT).order_by("path"))
    # Villages among the first wards' paths, a closed ward and a closed department, and
    # grandchildren (one of them closed, still counted) under a ward and a department.
    Unit.objects.filter(pk__in=[wards[1].pk, wards[4].pk]).update(kind=UnitKind.VILLAGE)
    Unit.objects.filter(pk__in=[wards[2].pk, departments[3].pk]).update(
        valid_to=datetime.date(2025, 6, 30)
    )
    for number in range(3):
        make_unit(wards[7], UnitKind.VILLAGE, f"Thôn {number}")
    make_unit(departments[5], UnitKind.OFFICE, "Phòng một")
    closed = make_unit(departments[5], UnitKind.OFFICE, "Phòng hai")
    Unit.objects.filter(pk=closed.pk).update(valid_to=datetime.date(2025, 6, 30))
    settings.LIST_PAGE_SIZE = 7
    unit = Unit.objects.annotate(**children_totals()).get(pk=province.pk)
    rows = list(with_child_counts(province.children.all(), include_closed=True))
    expected = [
        [(r.pk, r.name, r.valid_to, r.child_count) for r in rows if (r.group == 2) == agency]
        for agency in (False, True)
    ]
    assert [row[0] for row in expected[0][-2:]] == [wards[1].pk, wards[4].pk]
    for part, param in enumerate(("trang", "trang-co-quan")):
        read, number = [], 1
        while True:
            pages = children_pages(rf.get("/", {param: number}), unit)
            page = pages[part]
            assert page.paginator.count == len(expected[part])
            read += [(r.pk, r.name, r.valid_to, r.child_count) for r in page.object_list]
            if not page.has_next():
                break
            number += 1
        assert read == expected[part]
        assert number == -(-len(expected[part]) // 7)


def test_each_unit_page_shows_its_own_totals_from_the_shared_annotated_query(big_province, client):
    """The unit page's annotated queryset is built once a process (#16): each request chains
    its own copy, so one unit's totals or lineage never leak into the next page."""
    province, officer = big_province
    ward = province.children.filter(kind=UnitKind.WARD).order_by("path").first()
    make_unit(ward, UnitKind.RESIDENTIAL_GROUP, "Tổ dân phố 1")
    client.force_login(officer)
    for unit, totals in ((province, (60, 55)), (ward, (1, 0)), (province, (60, 55))):
        response = client.get(reverse("unit_detail", args=[unit.pk]))
        shown = (
            response.context["unit"].child_total - response.context["unit"].agency_total,
            response.context["unit"].agency_total,
        )
        assert shown == totals
        assert response.context["administrative_children"].paginator.count == totals[0]
