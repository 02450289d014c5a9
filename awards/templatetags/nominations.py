"""Template helpers for the dossier clock and the statistics charts."""

from __future__ import annotations

import datetime

from django import template

register = template.Library()


@register.filter
def days_left(nomination, today: datetime.date) -> int | None:
    return nomination.days_left(today)


@register.filter
def days_waited(nomination, today: datetime.date) -> int | None:
    return nomination.days_waited(today)


@register.filter
def unit_bar(row, largest: int) -> str:
    """The bar's width in % (a dot as decimal separator whatever the locale)."""
    return f"{row.bar(largest):.1f}"
