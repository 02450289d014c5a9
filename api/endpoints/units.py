"""Units with their national codes and lineage."""

from __future__ import annotations

import datetime

from django.http import HttpRequest
from ninja import Query, Router, Schema

from api.endpoints.common import ListFilters, filter_list, get_scoped, paginate, user_of
from portal.models import Unit

router = Router(tags=["Đơn vị"])


class UnitOut(Schema):
    id: int
    code: str
    code_scheme: str
    name: str
    short_name: str
    kind: str
    kind_label: str
    parent_id: int | None
    parent_code: str | None
    depth: int
    valid_from: datetime.date | None
    valid_to: datetime.date | None
    merged_from: list[str]  # the national codes of the units this one was formed from


class UnitPage(Schema):
    items: list[UnitOut]
    next_cursor: str | None = None


def unit_out(unit: Unit) -> dict:
    return {
        "id": unit.pk,
        "code": unit.code,
        "code_scheme": unit.code_scheme,
        "name": unit.name,
        "short_name": unit.short_name,
        "kind": unit.kind,
        "kind_label": unit.get_kind_display(),
        "parent_id": unit.parent_id,
        "parent_code": unit.parent.code if unit.parent_id else None,
        "depth": unit.depth,
        "valid_from": unit.valid_from,
        "valid_to": unit.valid_to,
        "merged_from": [u.code for u in unit.merged_from.all()],
    }


def _units(user):
    return Unit.objects.visible_to(user).select_related("parent").prefetch_related("merged_from")


@router.get("/units", response=UnitPage, summary="Đơn vị trong phạm vi")
def list_units(request: HttpRequest, filters: Query[ListFilters]):
    user = user_of(request)
    rows = filter_list(_units(user), filters, user, unit_path="path")
    return paginate(rows, filters, unit_out)


@router.get("/units/{unit_id}", response=UnitOut, summary="Một đơn vị")
def get_unit(request: HttpRequest, unit_id: int):
    return unit_out(get_scoped(_units(user_of(request)), pk=unit_id))
