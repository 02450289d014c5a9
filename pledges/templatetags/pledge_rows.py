"""A unit's task rows drawn in Python (#16): the tasks page lists every task of the unit's
registrations (56 in the bench's registration), and each row was eleven template variables and
filters (dates, percentages, a truncated label); one tag a row writes the same markup."""

from __future__ import annotations

import datetime

from django import template
from django.template.defaultfilters import floatformat
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.text import Truncator

from pledges.models import RegistrationTask

register = template.Library()

OVERDUE = SafeString(' <span class="badge text-bg-danger">Quá hạn</span>')


@register.simple_tag
def task_row(task: RegistrationTask, today: datetime.date) -> SafeString:
    """One `<tr>` of the tasks page: the task, its target, its due date (flagged when overdue)
    and its progress bar."""
    percent = task.latest_percent
    return format_html(
        "<tr><td>{}</td><td>{}</td>\n"
        "        <td>{}{}</td>\n"
        '        <td style="min-width:8rem"><div class="progress" role="progressbar" '
        'aria-label="Tiến độ: {}" aria-valuenow="{}" aria-valuemin="0" aria-valuemax="100">'
        '<div class="progress-bar bg-success" style="width: {}%">{}%</div></div></td></tr>',
        task.description,
        task.target_display,
        task.due_on.strftime("%d/%m/%Y"),
        OVERDUE if task.is_overdue(today) else "",
        Truncator(task.description).chars(60),
        f"{float(percent):.0f}",  # as `stringformat:'.0f'`, which goes through float
        str(percent),
        floatformat(percent, "0"),
    )
