"""The unit lists' rows drawn in Python (#16): the search results and a unit's child lists.

Through the template engine, 50 rows of `{% url %}`, `get_kind_display` and `|date` cost more
than the plain anchor's whole list; here one route is reversed once a list and each row is one
`format_html`. `tests/portal/test_unit_rows.py` holds the markup.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from portal.models import UnitKind

_MARK = 999_999_999
_SPLITS: dict[tuple, tuple[str, str]] = {}
KIND_LABELS = dict(UnitKind.choices)


def id_url(name: str, pk: int) -> str:
    """`reverse(name, args=[pk])` for a route with one `<int:…>` parameter: reversed once
    with a marker, then the id put in its place."""
    key = (name, get_script_prefix(), get_urlconf())
    split = _SPLITS.get(key)
    if split is None:
        before, _, after = reverse(name, args=[_MARK]).partition(str(_MARK))
        split = _SPLITS[key] = (before, after)
    return f"{split[0]}{int(pk)}{split[1]}"


def search_results(units: Iterable) -> SafeString:
    """The unit search's result rows: a link per unit with its kind, code and parent's name
    (`parent_name`, annotated by the query), and when it closed."""
    rows = [
        format_html(
            '<a class="list-group-item list-group-item-action" href="{}">'
            '<div class="fw-semibold">{}{}</div><small class="text-muted">{}{}{}</small></a>',
            id_url("unit_detail", unit.pk),
            unit.name,
            format_html(
                ' <span class="badge text-bg-secondary">đã giải thể từ {}</span>',
                f"{unit.valid_to:%d/%m/%Y}",
            )
            if unit.valid_to
            else "",
            KIND_LABELS.get(unit.kind, unit.kind),
            format_html(" · mã {}", unit.code) if unit.code else "",
            format_html(" · thuộc {}", unit.parent_name) if unit.parent_name else "",
        )
        for unit in units
    ]
    if not rows:
        return mark_safe(
            '<div class="list-group-item text-muted">'
            "Không tìm thấy đơn vị nào trong phạm vi của bạn.</div>"
        )
    return mark_safe("\n".join(rows))


def child_list(children: Iterable) -> SafeString:
    """A unit's children (one page of them): a link each, how many units each has below it
    (`child_count`), and when it closed."""
    rows = format_html_join(
        "\n",
        '<li><a href="{}">{}</a>{}{}</li>',
        (
            (
                id_url("unit_detail", child.pk),
                child.name,
                format_html(' <span class="text-muted">({} trực thuộc)</span>', child.child_count)
                if child.child_count
                else "",
                format_html(
                    ' <span class="badge text-bg-secondary">đã giải thể {}</span>',
                    f"{child.valid_to:%d/%m/%Y}",
                )
                if child.valid_to
                else "",
            )
            for child in children
        ),
    )
    if not rows:
        rows = mark_safe('<li class="text-muted">Không có.</li>')
    return format_html('<ul class="small mb-0">\n{}\n</ul>', rows)
