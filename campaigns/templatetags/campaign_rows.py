"""Tags for the rows of the campaign and registration lists (#16).

A list of 50 rows paid for 50 `{% url %}` (Django's resolver walks its patterns on each: 1.5 ms
a page, an eighth of the whole plain list of units) and, on the campaign list, one
`{% include %}` per row for the status badge. Here the address is reversed once per name and
the badge written in Python.
"""

from __future__ import annotations

from django import template
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.html import format_html

register = template.Library()

# Any number the `int` converter takes and no address contains otherwise.
_MARK = 918273645
_SPLITS: dict[tuple, tuple[str, str]] = {}


@register.simple_tag
def id_url(name: str, pk: int) -> str:
    """`{% url name pk %}` for a route with one `<int:…>` parameter: reversed once with a
    marker, then the id put in its place."""
    key = (name, get_script_prefix(), get_urlconf())
    split = _SPLITS.get(key)
    if split is None:
        before, _, after = reverse(name, args=[_MARK]).partition(str(_MARK))
        split = _SPLITS[key] = (before, after)
    return f"{split[0]}{int(pk)}{split[1]}"


BADGES = {
    "draft": "text-bg-secondary",
    "cancelled": "text-bg-dark",
    "closed": "text-bg-light border",
}


@register.simple_tag
def campaign_status(status: str, label: str) -> str:
    """The campaign's status badge: grey draft, dark cancelled, light closed, green running."""
    badge = BADGES.get(status, "text-bg-success")
    return format_html('<span class="badge {}">{}</span>', badge, label)
