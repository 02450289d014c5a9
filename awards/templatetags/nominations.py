"""Template helpers for the dossier clock."""

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
