"""Tags and helpers for the rows of the campaign, registration and review lists (#16).

A list of 50 rows paid for 50 `{% url %}` (Django's resolver walks its patterns on each: 1.5 ms
a page, an eighth of the whole plain list of units), one `{% include %}` per row for the status
badge on the campaign list, and per cell a variable lookup, a filter and a call of
`get_…_display` (which rebuilds the field's choices on every call). Here the address is reversed
once per name; `text`, `day` and `labels` let a list's rows be written in Python with the
escaping, dates and labels the template gave them (`pledges/templatetags/pledge_rows.py`;
`tests/campaigns/test_row_tags.py` holds them to the template's filters).
"""

from __future__ import annotations

import datetime
from html import escape

from django import template
from django.conf import settings
from django.db.models import Model
from django.utils import timezone
from django.utils.formats import localize
from django.utils.html import format_html

from portal.unit_rows import url_split

register = template.Library()


@register.simple_tag
def id_url(name: str, pk: int) -> str:
    """`{% url name pk %}` for a route with one `<int:…>` parameter: reversed once a process
    (`portal.unit_rows.url_split`), then the id put in its place."""
    before, after = url_split(name)
    return f"{before}{int(pk)}{after}"


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


def text(value) -> str:
    """`{{ value }}` in an autoescaped template: None as "None", numbers localized (a whole
    number is its digits unless thousands are grouped: localize() costs 20 µs a number)."""
    if type(value) is int and not settings.USE_THOUSAND_SEPARATOR:
        return str(value)
    if not isinstance(value, str):
        value = str(localize(value))
    return escape(value)


def day(value: datetime.date | datetime.datetime | None) -> str:
    """`{{ value|date:"d/m/Y" }}`: an aware datetime on the local calendar, nothing for None."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return f"{value.day:02d}/{value.month:02d}/{value.year:04d}"


def labels(model: type[Model], field: str) -> dict[str, str]:
    """What `get_<field>_display` shows for each stored value of `field`."""
    return {str(value): str(label) for value, label in model._meta.get_field(field).flatchoices}
