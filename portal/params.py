"""Record ids and numbers read from a query string or a form list, refused when malformed.

A page that reads `?unit=abc`, a 5 KB string or a number no database column can hold answers
400 with a Vietnamese page (templates/400.html) rather than a server error.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import BadRequest
from django.http import HttpRequest

MAX_ID = 2**63 - 1  # the largest bigint: every primary key of the portal fits


def record_id(value: object) -> int | None:
    """`value` as a record id (a positive integer a bigint column holds), or None."""
    text = str(value or "").strip()
    if not text.isascii() or not text.isdigit() or len(text) > 19:
        return None
    number = int(text)
    return number if 0 < number <= MAX_ID else None


def record_ids(values: Iterable[object]) -> list[int]:
    """The well-formed ids among `values`; the others are dropped."""
    return [number for number in map(record_id, values) if number is not None]


def id_param(request: HttpRequest, name: str) -> int | None:
    """The id given as `?name=`, None when absent; a malformed one is a 400."""
    raw = request.GET.get(name, "")
    if not raw:
        return None
    number = record_id(raw)
    if number is None:
        raise BadRequest(f"Tham số “{name}” không phải mã số hợp lệ.")
    return number
