"""What the organisation pages share: scoped lookups, form handling, paging.

Every page starts from `visible_to(user)`: outside the user's scope the answer is 404; inside
it, a page that needs a capability answers 403 without it. Writes go through portal.services.
"""

from __future__ import annotations

import datetime
from typing import NamedTuple

from django.core.exceptions import PermissionDenied
from django.core.paginator import Page
from django.db import connection
from django.db.models import Case, Count, IntegerField, OuterRef, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from portal import access
from portal.access import Cap
from portal.history import history_entries
from portal.models import (
    ADMINISTRATIVE_KINDS,
    AGENCY_KINDS,
    SETTLEMENT_KINDS,
    Unit,
)
from portal.models.units import valid_on_q
from portal.paging import page_of, page_of_positions

PEOPLE_PREVIEW = 20
BLOCS_PREVIEW = 20
HISTORY_PREVIEW = 10
# `with_child_counts`' group of the agencies, after administrative units (0) and villages (1).
AGENCY_GROUP = 2


def posted(request: HttpRequest):
    """The POST data to bind a form to, even when empty (a confirmation has no fields)."""
    return request.POST if request.method == "POST" else None


def form_page(request: HttpRequest, form, *, title: str, back: str, **extra) -> HttpResponse:
    context = {"form": form, "title": title, "back": back, "submit": "Lưu", **extra}
    return render(request, "portal/form_page.html", context)


def visible_unit(request: HttpRequest, unit_id: int, units: QuerySet | None = None) -> Unit:
    """The unit, from `units` (all units by default), if `request.user` may see it, or 404."""
    units = Unit.objects.all() if units is None else units
    return get_object_or_404(units.visible_to(request.user).select_related("parent"), pk=unit_id)


def unit_permissions(user, unit: Unit) -> dict[str, bool]:
    """What the page may offer on `unit`; the services check the same rules again."""
    may_edit = access.can_manage_unit_record(user, unit)
    return {
        "add_units": unit.is_current and access.can(user, Cap.MANAGE_AGENCIES, unit),
        "edit": may_edit,
        "close": may_edit and unit.valid_to is None,
        "blocs": unit.is_current and access.can(user, Cap.MANAGE_BLOCS, unit),
        "people": access.can(user, Cap.MANAGE_PEOPLE, unit),
        "memberships": access.can(user, Cap.MANAGE_MEMBERSHIPS, unit),
        "history": access.can(user, Cap.VIEW_HISTORY, unit),
        "api": access.leads_unit(user, unit),
    }


def require_unit_record(user, unit: Unit) -> None:
    if not access.can_manage_unit_record(user, unit):
        raise PermissionDenied("Bạn không có quyền sửa hoặc giải thể đơn vị này.")


def with_child_counts(units: QuerySet, include_closed: bool) -> QuerySet:
    """Units as rows (`pk`, `name`, `valid_to`) with how many (open) children each has
    (`child_count`): administrative units first, then villages, then agencies, each in tree
    order (for loaded units, the order of the national list)."""
    if not include_closed:
        units = units.filter(valid_on_q(timezone.localdate()))
    children = Unit.objects.filter(parent=OuterRef("pk"))
    if not include_closed:
        children = children.filter(valid_on_q(timezone.localdate()))
    # A subquery, run for the rows of the page only: a joined Count grouped every child of
    # every listed unit before the page was cut (a province's 2,000 units for 50 rows).
    counted = children.order_by().values("parent").annotate(n=Count("*")).values("n")
    # The lists show a child's name, its count and when it closed: rows, not model instances.
    return (
        units.annotate(
            child_count=Coalesce(Subquery(counted), 0),
            group=Case(
                When(kind__in=ADMINISTRATIVE_KINDS, then=Value(0)),
                When(kind__in=SETTLEMENT_KINDS, then=Value(1)),
                default=Value(AGENCY_GROUP),
                output_field=IntegerField(),
            ),
        )
        .order_by("group", "path")
        .values_list("pk", "name", "valid_to", "child_count", "group", "path", named=True)
    )


def children_totals() -> dict:
    """Annotations for a unit query: how many children the unit has (`child_total`) and how
    many of them are agencies (`agency_total`), read with the unit instead of a query more."""
    children = Unit.objects.filter(parent=OuterRef("pk")).order_by().values("parent")
    agencies = children.filter(kind__in=AGENCY_KINDS)
    return {
        "child_total": Coalesce(Subquery(children.annotate(n=Count("*")).values("n")), 0),
        "agency_total": Coalesce(Subquery(agencies.annotate(n=Count("*")).values("n")), 0),
    }


class ChildRow(NamedTuple):
    """A row of the unit page's child lists (`portal.unit_rows.child_list`)."""

    pk: int
    name: str
    valid_to: datetime.date | None
    child_count: int
    part: int  # 0: administrative units and villages, 1: agencies


# The unit page's two child lists, a page each, in one statement (#16). Written out: composing
# it through the ORM (two annotated querysets and their union) cost more CPU a request than
# the anchor's whole list. The same rows, counts and order as `with_child_counts` with closed
# units included (tests/portal/test_unit_children_pages.py compares the two): administrative
# units, then villages, then agencies, each in tree order.
# Each part is a sorted, cut SELECT wrapped in one more, and the kinds are a list of
# placeholders: SQLite (the first run's database) takes neither a bracketed part of a UNION nor
# arrays; PostgreSQL plans it the same (it unwraps the parts and reads IN as = ANY).
_SETTLEMENTS = sorted(SETTLEMENT_KINDS)
_AGENCIES = sorted(AGENCY_KINDS)


def _kinds(name: str, kinds: list[str]) -> str:
    return "(" + ", ".join(f"%({name}{i})s" for i in range(len(kinds))) + ")"


CHILD_PAGES_SQL = f"""
SELECT * FROM (
 SELECT u.id, u.name, u.valid_to,
        (SELECT count(*) FROM portal_unit c WHERE c.parent_id = u.id) AS child_count,
        0 AS part, u.kind IN {_kinds("settlement", _SETTLEMENTS)} AS settlement, u.path
   FROM portal_unit u
  WHERE u.parent_id = %(unit)s AND u.kind NOT IN {_kinds("agency", _AGENCIES)}
  ORDER BY settlement, u.path LIMIT %(limit0)s OFFSET %(offset0)s) AS own
UNION ALL
SELECT * FROM (
 SELECT u.id, u.name, u.valid_to,
        (SELECT count(*) FROM portal_unit c WHERE c.parent_id = u.id) AS child_count,
        1 AS part, false AS settlement, u.path
   FROM portal_unit u
  WHERE u.parent_id = %(unit)s AND u.kind IN {_kinds("agency", _AGENCIES)}
  ORDER BY u.path LIMIT %(limit1)s OFFSET %(offset1)s) AS agencies
ORDER BY part, settlement, path
"""
_KIND_PARAMS = {
    **{f"settlement{i}": kind for i, kind in enumerate(_SETTLEMENTS)},
    **{f"agency{i}": kind for i, kind in enumerate(_AGENCIES)},
}


def _as_date(value: datetime.date | str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if isinstance(value, str) else value


def children_pages(request: HttpRequest, unit: Unit) -> tuple[Page, Page]:
    """The unit's children, a page each: administrative units and villages (`trang`),
    then agencies (`trang-co-quan`), each paged on its own. `unit` carries its totals
    (`children_totals`), and both pages are read in one query (#16)."""
    totals = (unit.child_total - unit.agency_total, unit.agency_total)
    pages = []
    params: dict = {"unit": unit.pk, **_KIND_PARAMS}
    for part, (total, param) in enumerate(zip(totals, ("trang", "trang-co-quan"), strict=True)):
        page = page_of_positions(request, total, param=param)
        params[f"offset{part}"] = page.object_list.start
        params[f"limit{part}"] = len(page.object_list)
        pages.append(page)
    with connection.cursor() as cursor:
        cursor.execute(CHILD_PAGES_SQL, params)
        rows = [
            # SQLite hands a date back as text.
            ChildRow(pk, name, _as_date(to), n, part)
            for pk, name, to, n, part, *_ in cursor.fetchall()
        ]
    for part, page in enumerate(pages):
        page.object_list = [row for row in rows if row.part == part]
    return pages[0], pages[1]


def history_page(request: HttpRequest, record, *, title: str) -> HttpResponse:
    page = page_of(request, record.history.all())
    entries = (
        history_entries(record.history.all(), page.start_index() - 1, page.end_index())
        if page.paginator.count
        else []
    )
    context = {"record": record, "page": page, "entries": entries, "title": title}
    return render(request, "portal/history_page.html", context)
