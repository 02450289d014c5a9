"""Every operation of the API's OpenAPI schema, with its path filled for the ward Xuân Trung."""

from __future__ import annotations

import re

from api.core import api
from tests import sweep


def operations() -> list[tuple[str, str]]:
    """(method, path template) of every operation the schema documents."""
    schema = api.get_openapi_schema()
    return [
        (method.upper(), path)
        for path, item in schema["paths"].items()
        for method in item
        if method in ("get", "post", "put", "patch", "delete")
    ]


def fill(path: str, world) -> tuple[str, bool]:
    """The path with its parameters from tests/sweep.py, and whether it names a ward record."""
    names_record = False

    def value(match: re.Match) -> str:
        nonlocal names_record
        name = match.group(1)
        if name in sweep.OBJECT_KWARGS:
            names_record = True
            return str(sweep.OBJECT_KWARGS[name](world))
        return sweep.PLAIN_KWARGS[name]

    filled = re.sub(r"\{(\w+)\}", value, path)
    if path in QUERIES:
        return filled + QUERIES[path](world), True
    return filled, names_record


# Operations whose required query names the ward's records.
QUERIES = {
    "/api/v1/exports/national": lambda w: f"?unit={w.ward.pk}&year=2025",
}


PUBLIC_PREFIXES = ("/api/v1/public/",)
