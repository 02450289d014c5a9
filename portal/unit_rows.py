"""The unit lists' rows drawn in Python (#16): the search results and a unit's child lists.

Through the template engine, 50 rows of `{% url %}`, `get_kind_display` and `|date` cost more
than the plain anchor's whole list; here one route is reversed once a process and each row is
one f-string whose every text is escaped. `tests/portal/test_unit_rows.py` holds the markup.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from portal.models import UnitKind

# Any number the `int` converter takes and no address contains otherwise.
_MARK = 999_999_999
_SPLITS: dict[tuple, tuple[str, str]] = {}
KIND_LABELS = dict(UnitKind.choices)


def url_split(name: str) -> tuple[str, str]:
    """What comes before and after the id in the URL of a route with one `<int:…>` parameter:
    reversed once with a marker (per URLconf), then each row puts its id in between."""
    key = (name, get_script_prefix(), get_urlconf())
    split = _SPLITS.get(key)
    if split is None:
        before, _, after = reverse(name, args=[_MARK]).partition(str(_MARK))
        split = _SPLITS[key] = (before, after)
    return split


def search_results(units: Iterable) -> SafeString:
    """The unit search's result rows: a link per unit with its kind, code and parent's name
    (`parent_name`, annotated by the query), and when it closed."""
    before, after = url_split("unit_detail")
    rows = []
    for unit in units:
        closed = (
            f' <span class="badge text-bg-secondary">đã giải thể từ {unit.valid_to:%d/%m/%Y}</span>'
            if unit.valid_to
            else ""
        )
        code = f" · mã {escape(unit.code)}" if unit.code else ""
        parent = f" · thuộc {escape(unit.parent_name)}" if unit.parent_name else ""
        link = f"{before}{int(unit.pk)}{after}"
        kind = escape(KIND_LABELS.get(unit.kind, unit.kind))
        rows.append(
            f'<a class="list-group-item list-group-item-action" href="{link}">'
            f'<div class="fw-semibold">{escape(unit.name)}{closed}</div>'
            f'<small class="text-muted">{kind}{code}{parent}</small></a>'
        )
    if not rows:
        rows.append(
            '<div class="list-group-item text-muted">'
            "Không tìm thấy đơn vị nào trong phạm vi của bạn.</div>"
        )
    return mark_safe("\n".join(rows))  # every value above is escaped


def child_list(children: Iterable) -> SafeString:
    """A unit's children (one page of them): a link each, how many units each has below it
    (`child_count`), and when it closed."""
    before, after = url_split("unit_detail")
    rows = []
    for child in children:
        count = (
            f' <span class="text-muted">({int(child.child_count)} trực thuộc)</span>'
            if child.child_count
            else ""
        )
        closed = (
            f' <span class="badge text-bg-secondary">đã giải thể {child.valid_to:%d/%m/%Y}</span>'
            if child.valid_to
            else ""
        )
        rows.append(
            f'<li><a href="{before}{int(child.pk)}{after}">{escape(child.name)}</a>'
            f"{count}{closed}</li>"
        )
    if not rows:
        rows.append('<li class="text-muted">Không có.</li>')
    return mark_safe('<ul class="small mb-0">\n' + "\n".join(rows) + "\n</ul>")  # escaped
