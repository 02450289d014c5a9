"""Template helpers for the dossier clock and the statistics charts."""

from __future__ import annotations

import datetime

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from awards.workflow import Status

register = template.Library()

# A dossier's step badge and clock are drawn on every row of the sender's list and the Nội vụ
# queue: as tags rather than included templates they cost a tenth (an include per row and
# cell was a fifth of the queue's time under load, #16).
DANGER = frozenset({"returned", "rejected", "revoked", "central_returned"})
SUCCESS = frozenset({"issued", "published", "approved", "central_decided"})
CENTRAL_WAIT_TITLE = "Cổng không đặt thời hạn cho Trung ương"


# `get_status_display()` rebuilds a hashable copy of the choices on every call.
STATUS_LABELS = {value: str(label) for value, label in Status.choices}


def _day(day: datetime.date | None) -> str:
    """`|date:"d/m/Y"` of a date."""
    return "" if day is None else f"{day.day:02d}/{day.month:02d}/{day.year:04d}"


@register.simple_tag
def nomination_status(nomination) -> SafeString:
    """The dossier's step as a coloured badge."""
    status = nomination.status
    if status in DANGER:
        colour = "text-bg-danger"
    elif status in SUCCESS:
        colour = "text-bg-success"
    elif status == "draft":
        colour = "text-bg-secondary"
    else:
        colour = "text-bg-primary"
    label = STATUS_LABELS.get(status, status)
    return format_html('<span class="badge {}">{}</span>', colour, label)


@register.simple_tag
def nomination_clock(nomination, today: datetime.date) -> SafeString:
    """Working days left in the step (or overdue), with the legal basis as the tooltip; for a
    dossier at the central level, the calendar days it has waited (no limit runs there)."""
    return clock(nomination, today, nomination.days_left(today))


def clock(nomination, today: datetime.date, left: int | None) -> SafeString:
    """`nomination_clock` with the working days `left` (`Nomination.days_left`) known."""
    if left is not None:
        due = _day(nomination.due_on)
        if left < 0:
            return format_html(
                '<span class="badge text-bg-danger" title="{}">Quá hạn (hạn {})</span>',
                nomination.limit_article,
                due,
            )
        return format_html(
            '<span class="badge text-bg-light border text-dark" title="{}">'
            "Còn {} ngày làm việc (hạn {})</span>",
            nomination.limit_article,
            left,
            due,
        )
    if nomination.status == "sent_to_central":
        return format_html(
            '<span class="badge text-bg-light border text-dark" title="{}">'
            "Đã chờ {} ngày (từ {})</span>",
            CENTRAL_WAIT_TITLE,
            nomination.days_waited(today),
            _day(nomination.step_started_on),
        )
    return SafeString("")


@register.filter
def unit_bar(row, largest: int) -> str:
    """The bar's width in % (a dot as decimal separator whatever the locale)."""
    return f"{row.bar(largest):.1f}"
