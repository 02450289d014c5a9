"""What every list and detail of the API shares: scoping, filters and the cursor."""

from __future__ import annotations

import base64
import datetime
from collections.abc import Callable, Iterable
from typing import Any

from django.db.models import Model, Q, QuerySet
from django.http import Http404
from ninja import Schema

from api.core import ApiError, Error
from portal import access
from portal.access import Cap
from portal.models import Unit

DEFAULT_LIMIT = 50

IDEMPOTENCY_HEADER = {
    "parameters": [
        {
            "name": "Idempotency-Key",
            "in": "header",
            "required": True,
            "description": "Một khóa mới cho mỗi thao tác; gửi lại cùng khóa không ghi hai lần.",
            "schema": {"type": "string", "maxLength": 255},
        }
    ]
}
REFUSALS = {400: Error, 401: Error, 403: Error, 404: Error, 422: Error, 429: Error}
MAX_LIMIT = 200


class Page(Schema):
    """One page of a list; `next_cursor` is passed back as `cursor` for the next one."""

    items: list[Any]
    next_cursor: str | None = None


class ListFilters(Schema):
    unit: int | None = None  # the unit whose subtree to list (must be within your scope)
    year: int | None = None
    status: str | None = None
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    cursor: str | None = None
    limit: int = DEFAULT_LIMIT


def user_of(request):
    """The acting user: the token's narrowed principal, or the session's user."""
    return request.auth


def get_scoped(queryset: QuerySet, **lookup) -> Model:
    """The record if the caller may see it; 404 otherwise, as the pages answer."""
    found = queryset.filter(**lookup).first()
    if found is None:
        raise Http404
    return found


def require(user, cap: Cap, unit: Unit) -> None:
    access.require(user, cap, unit)


def subtree_unit(user, unit_id: int | None, units: QuerySet | None = None) -> Unit | None:
    """The unit whose subtree to list, among `units` (by default those the caller sees)."""
    if unit_id is None:
        return None
    return get_scoped(Unit.objects.visible_to(user) if units is None else units, pk=unit_id)


def _decode(cursor: str) -> int:
    try:
        return int(base64.urlsafe_b64decode(cursor.encode() + b"==").decode())
    except ValueError as exc:
        raise ApiError(422, "invalid", "Con trỏ phân trang không hợp lệ.", "cursor") from exc


def _encode(pk: int) -> str:
    return base64.urlsafe_b64encode(str(pk).encode()).decode().rstrip("=")


def paginate(
    queryset: QuerySet, filters: ListFilters, serialize: Callable[[Any], Any] | None = None
) -> dict:
    """Keyset pagination, newest first: one query a page whatever the table's size."""
    if not 1 <= filters.limit <= MAX_LIMIT:
        raise ApiError(422, "invalid", f"limit phải từ 1 đến {MAX_LIMIT}.", "limit")
    queryset = queryset.order_by("-pk")
    if filters.cursor:
        queryset = queryset.filter(pk__lt=_decode(filters.cursor))
    rows: Iterable = list(queryset[: filters.limit + 1])
    more = len(rows) > filters.limit
    rows = rows[: filters.limit]
    items = [serialize(row) for row in rows] if serialize else rows
    return {"items": items, "next_cursor": _encode(rows[-1].pk) if more else None}


def filter_list(
    queryset: QuerySet,
    filters: ListFilters,
    user,
    *,
    unit_path: str | tuple[str, ...],
    year_field: str | None = None,
    date_field: str | None = None,
    statuses: Iterable[str] | None = None,
    units: QuerySet | None = None,
) -> QuerySet:
    """Apply the common filters; each list names its fields for them. A public list passes
    `units` (every unit: the public pages name them all), since it has no caller's scope."""
    unit = subtree_unit(user, filters.unit, units)
    if unit is not None:
        paths = (unit_path,) if isinstance(unit_path, str) else unit_path
        under = Q(pk__in=[])
        for path in paths:
            under |= Q(**{f"{path}__startswith": unit.path})
        queryset = queryset.filter(under)
    if filters.year is not None:
        if year_field is None:
            raise ApiError(422, "invalid", "Danh sách này không lọc theo năm.", "year")
        queryset = queryset.filter(**{year_field: filters.year})
    if filters.status:
        if statuses is None:
            raise ApiError(422, "invalid", "Danh sách này không lọc theo trạng thái.", "status")
        if filters.status not in statuses:
            raise ApiError(
                422,
                "invalid",
                f"Trạng thái không hợp lệ; chọn một trong: {', '.join(statuses)}.",
                "status",
            )
        queryset = queryset.filter(status=filters.status)
    if filters.date_from or filters.date_to:
        if date_field is None:
            raise ApiError(422, "invalid", "Danh sách này không lọc theo ngày.", "date_from")
        if filters.date_from:
            queryset = queryset.filter(**{f"{date_field}__gte": filters.date_from})
        if filters.date_to:
            queryset = queryset.filter(**{f"{date_field}__lte": filters.date_to})
    return queryset
