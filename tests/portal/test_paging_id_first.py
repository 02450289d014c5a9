"""The one pager cuts a long list on its ids before joining, and shows what a plain slice
would: the same rows in the same order, on every page, the last one included."""

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from portal.models import Person
from portal.paging import ID_FIRST_FROM, page_of

ROWS = ID_FIRST_FROM + 37


@pytest.fixture
def people(world):
    units = [world.province, world.district, world.ward]
    Person.objects.bulk_create(
        Person(full_name=f"Người {i % 97:02d}", gender="male", unit=units[i % 3])
        for i in range(ROWS)
    )
    return Person.objects.filter(full_name__startswith="Người ").select_related("unit")


@pytest.mark.parametrize("number", ["1", "6", "11", "999"])
def test_a_page_holds_the_rows_a_plain_slice_would(people, number):
    ordered = people.order_by("full_name", "-pk")
    request = RequestFactory().get("/", {"trang": number})
    page = page_of(request, ordered)
    plain = Paginator(ordered, 50).get_page(number)
    assert [p.pk for p in page] == [p.pk for p in plain]
    assert page.number == plain.number and page.paginator.num_pages == plain.paginator.num_pages
    assert all(p.unit.name for p in page)  # the joins come with the rows


def test_the_ids_are_chosen_without_the_joins_and_the_rows_fetched_with_them(people):
    request = RequestFactory().get("/", {"trang": "3"})
    with CaptureQueriesContext(connection) as queries:
        rows = list(page_of(request, people.order_by("full_name", "pk")))
        names = [p.unit.name for p in rows]
    count, ids, fetch = (q["sql"] for q in queries.captured_queries)
    assert "COUNT(" in count
    assert "portal_unit" not in ids and "LIMIT 50 OFFSET 100" in ids
    assert "portal_unit" in fetch and "IN (" in fetch
    assert len(names) == 50


def test_a_short_list_is_sliced_as_before(world):
    Person.objects.bulk_create(
        Person(full_name=f"Ít {i}", gender="male", unit=world.ward) for i in range(60)
    )
    request = RequestFactory().get("/", {"trang": "2"})
    with CaptureQueriesContext(connection) as queries:
        page = page_of(
            request, Person.objects.filter(full_name__startswith="Ít ").select_related("unit")
        )
        assert len(list(page)) == 10
    assert len(queries.captured_queries) == 2


@pytest.mark.parametrize("rows", [0, 1, 50, 51, 120])
def test_a_list_of_few_rows_counts_only_past_its_first_page(world, rows):
    """`few=True`: the first page is read with one row more; its length is the count unless
    that row is there, and the page is the one the counting pager shows."""
    Person.objects.bulk_create(
        Person(full_name=f"Vài {i:03d}", gender="male", unit=world.ward) for i in range(rows)
    )
    listed = Person.objects.filter(full_name__startswith="Vài ").order_by("full_name")
    plain = Paginator(listed, 50).get_page(None)
    with CaptureQueriesContext(connection) as queries:
        page = page_of(RequestFactory().get("/"), listed, few=True)
        shown = [p.pk for p in page]
        counted = (page.paginator.count, page.paginator.num_pages, page.has_next())
    assert shown == [p.pk for p in plain]
    assert counted == (plain.paginator.count, plain.paginator.num_pages, plain.has_next())
    assert len(queries.captured_queries) == (1 if rows <= 50 else 2)
    assert "COUNT(" not in queries.captured_queries[0]["sql"]


def test_a_list_of_few_rows_pages_on_as_before(world):
    Person.objects.bulk_create(
        Person(full_name=f"Vài {i:03d}", gender="male", unit=world.ward) for i in range(70)
    )
    listed = Person.objects.filter(full_name__startswith="Vài ").order_by("full_name")
    page = page_of(RequestFactory().get("/", {"trang": "2"}), listed, few=True)
    assert [p.full_name for p in page] == [f"Vài {i:03d}" for i in range(50, 70)]
    assert page.paginator.count == 70
