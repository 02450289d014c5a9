"""The pledges lists' rows drawn in Python (#16): a unit's tasks, the registrations, the unit
reviews, a score table's criteria (with their tie-breaker boxes) and its sheets. Each was a
template loop of five to eleven variables and filters a row (dates, labels through
`get_…_display`, percentages, a truncated label); one tag writes a list's rows with the same
markup (`tests/pledges/test_task_row.py`, `tests/pledges/test_list_rows.py` hold them to the
former templates)."""

from __future__ import annotations

import datetime
import unicodedata
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from html import escape

from django import template
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator

from campaigns.templatetags.campaign_rows import day, id_url, labels, text
from pledges.models import Criterion, Registration, RegistrationTask, ScoreSheet, UnitReview

register = template.Library()

OVERDUE = ' <span class="badge text-bg-danger">Quá hạn</span>'
LATE = '<span class="badge text-bg-warning">Đăng ký muộn</span>'
WHOLE = Decimal(1)
TARGET = RegistrationTask.target_display.fget
OVERDUE_ON = RegistrationTask.is_overdue


def _short(value: str, length: int = 60) -> str:
    """`truncatechars:60`: a text of at most that many characters is never cut (combining
    marks count for none), so only a longer one goes through the Truncator."""
    value = unicodedata.normalize("NFC", value)
    return value if len(value) <= length else Truncator(value).chars(length)


def _row(task, today: datetime.date) -> str:
    """A task, or a plain row of its shown columns (the tasks page reads no model instance):
    the target and the overdue flag are the model's own, read from either."""
    percent = task.latest_percent
    # `floatformat:"0"` rounds half up; `stringformat:'.0f'` goes through float.
    whole = percent.quantize(WHOLE, rounding=ROUND_HALF_UP)
    return (
        f"<tr><td>{escape(task.description)}</td><td>{escape(TARGET(task))}</td>\n"
        f"        <td>{day(task.due_on)}{OVERDUE if OVERDUE_ON(task, today) else ''}</td>\n"
        '        <td style="min-width:8rem"><div class="progress" role="progressbar" '
        f'aria-label="Tiến độ: {escape(_short(task.description))}" '
        f'aria-valuenow="{float(percent):.0f}" aria-valuemin="0" aria-valuemax="100">'
        f'<div class="progress-bar bg-success" style="width: {escape(str(percent))}%">'
        f"{int(whole)}%</div></div></td></tr>"
    )


@register.simple_tag
def task_row(task: RegistrationTask, today: datetime.date) -> SafeString:
    """One `<tr>` of the tasks page: the task, its target, its due date (flagged when overdue)
    and its progress bar."""
    return mark_safe(_row(task, today))  # every value went through escape


@register.simple_tag
def task_rows(tasks: Iterable, today: datetime.date) -> SafeString:
    """Every task row of one registration on the tasks page (tasks or plain rows of
    `pledges.views.TASK_COLUMNS`)."""
    return mark_safe("\n".join(_row(task, today) for task in tasks))


def _label(names: dict[str, str], value) -> str:
    return escape(names.get(value, str(value)))


@register.simple_tag
def registration_rows(rows: Iterable[Registration]) -> SafeString:
    """The registration list's rows: the unit (a link), its tasks, status, first sending and
    the late flag."""
    statuses = labels(Registration, "status")
    return mark_safe(
        "\n".join(
            f'<tr><td><a href="{id_url("pledges:detail", r.pk)}">{text(r.unit_name)}</a></td>'
            f"<td>{text(r.task_count)}</td>\n"
            f"      <td>{_label(statuses, r.status)}</td><td>{day(r.first_submitted_at)}</td>\n"
            f"      <td>{LATE if r.is_late else ''}</td></tr>"
            for r in rows
        )
    )


@register.simple_tag
def review_rows(rows: Iterable[UnitReview]) -> SafeString:
    """The unit reviews' rows: the unit (a link), kind, status, sending date and the counts of
    exemplars and award proposals."""
    kinds, statuses = labels(UnitReview, "kind"), labels(UnitReview, "status")
    return mark_safe(
        "\n".join(
            f'<tr><td><a href="{id_url("pledges:review", r.pk)}">{text(r.unit_name)}</a></td>'
            f"<td>{_label(kinds, r.kind)}</td><td>{_label(statuses, r.status)}</td>\n"
            f'      <td>{day(r.submitted_at)}</td><td class="text-end">{text(r.exemplar_count)}'
            f'</td><td class="text-end">{text(r.proposal_count)}</td></tr>'
            for r in rows
        )
    )


@register.simple_tag
def criterion_rows(criteria: Iterable[Criterion]) -> SafeString:
    """A score table's criteria: position, group, text, kind, points, how they are scored and
    the evidence that must back them."""
    kinds, formulas = labels(Criterion, "kind"), labels(Criterion, "formula")
    return mark_safe(
        "\n  ".join(
            f"<tr><td>{text(c.position)}</td><td>{text(c.group)}</td><td>{text(c.text)}</td>"
            f'<td>{_label(kinds, c.kind)}</td><td class="text-end">{text(c.max_points)}</td>'
            f"<td>{_label(formulas, c.formula)}"
            f"{f' ({text(c.points_per_item)} điểm/đơn vị)' if c.points_per_item else ''}</td>"
            f"<td>{text(c.evidence_required)}</td></tr>"
            for c in criteria
        )
    )


@register.simple_tag
def criterion_boxes(criteria: Iterable[Criterion]) -> SafeString:
    """A box for each criterion of the table, ticked in the order the tie-breakers go."""
    return mark_safe(
        "".join(
            f'<label class="me-2"><input type="checkbox" name="criterion" value="{text(c.pk)}">'
            f" TC {text(c.position)}</label>"
            for c in criteria
        )
    )


@register.simple_tag
def sheet_rows(sheets: Iterable[ScoreSheet]) -> SafeString:
    """The round's sheets: the member (a link to its sheet, `unit_name` read with the row),
    the sheet's status and its total."""
    statuses = labels(ScoreSheet, "status")
    return mark_safe(
        "".join(
            f'<tr><td><a href="{id_url("pledges:sheet", s.pk)}">{text(s.unit_name)}</a></td>'
            f'<td>{_label(statuses, s.status)}</td><td class="text-end">{text(s.total)}</td></tr>'
            for s in sheets
        )
    )
