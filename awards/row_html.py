"""Draws the rows of the award lists in Python (#16).

Fifty rows of the Nội vụ queue were over half of its time in the template engine: per cell a
variable lookup, a `{% url %}`, the escaping and the localizing, each through the engine's
machinery. These functions write the same markup with `format_html` (every value escaped)
and one `reverse()` a list (the decisions, from plain values, with f-strings and `escape`).
`tests/awards/test_row_html.py` holds them equal to the templates they replaced and checks the
escaping.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from html import escape

from django.urls import reverse
from django.utils.formats import localize
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator

from awards.models import (
    CouncilSession,
    DecisionKind,
    DecisionStatus,
    Nomination,
    SessionStatus,
)
from awards.statistics import Share
from awards.templatetags.nominations import clock, nomination_status
from portal.models import DocumentKind

# `get_FOO_display()` rebuilds a hashable copy of the choices on every call: a millisecond a
# column of 50 rows under load.
DECISION_KINDS = {value: str(label) for value, label in DecisionKind.choices}
DECISION_STATUSES = {value: str(label) for value, label in DecisionStatus.choices}
DOCUMENT_KINDS = {value: str(label) for value, label in DocumentKind.choices}
SESSION_STATUSES = {value: str(label) for value, label in SessionStatus.choices}
# A number no id reaches: the one reversed URL is the pattern every row's link is cut from.
_SENTINEL = 987654321987


def _link(name: str, kwarg: str) -> Callable[[int], str]:
    """`{% url name kwarg=pk %}` for many rows at the cost of one `reverse()`."""
    head, tail = reverse(name, kwargs={kwarg: _SENTINEL}).split(str(_SENTINEL))
    return lambda pk: f"{head}{pk}{tail}"


def _text(value) -> str:
    """`{{ value }}`: localized as the template would, then escaped."""
    if not isinstance(value, str):
        value = str(localize(value))
    return conditional_escape(value)


def _clocks(today: datetime.date) -> Callable[[Nomination], SafeString]:
    """`{% nomination_clock n today %}` for many rows, counting the working days once per
    due date and step (what `Nomination.days_left` reads) rather than once per row."""
    lefts: dict[tuple, int | None] = {}

    def draw(n: Nomination) -> SafeString:
        key = (n.due_on, n.status)
        if key not in lefts:
            lefts[key] = n.days_left(today)
        return clock(n, today, lefts[key])

    return draw


def _join(rows: Iterable[str], empty: SafeString) -> SafeString:
    html = "".join(rows)
    return mark_safe(html) if html else empty  # each row was built by format_html


def queue_rows(rows: Iterable[Nomination], today: datetime.date) -> SafeString:
    """The Nội vụ queue's rows: a tick box, the recipient, the item, the year, the proposer,
    the step, the clock and the eligibility findings."""
    link = _link("awards:nomination_detail", "nomination_id")
    clock_of = _clocks(today)
    return _join(
        (
            format_html(
                "<tr>\n"
                '  <td><input class="form-check-input" type="checkbox" name="nomination" '
                'value="{}" aria-label="Chọn {}"></td>\n'
                '  <td><a href="{}">{}</a></td>\n'
                "  <td>{}</td><td>{}</td><td>{}</td>\n"
                "  <td>{}</td>\n"
                "  <td>{}</td>\n"
                "  <td>{}</td>\n"
                "</tr>\n",
                _text(n.pk),
                n.recipient_name,
                link(n.pk),
                n.recipient_name,
                n.item.name,
                _text(n.year),
                n.proposing_unit.name,
                nomination_status(n),
                clock_of(n),
                _findings(n.findings),
            )
            for n in rows
        ),
        SafeString('<tr><td colspan="8" class="text-muted">Không có hồ sơ.</td></tr>\n'),
    )


def _findings(findings: list) -> SafeString:
    if findings:
        return format_html(
            '<span class="badge text-bg-warning">{} điểm</span>', _text(len(findings))
        )
    return SafeString('<span class="badge text-bg-success">đạt</span>')


def sender_rows(
    rows: Iterable[Nomination], today: datetime.date, editable: Iterable[str]
) -> SafeString:
    """The sender's rows: a tick box for the dossiers still editable, the recipient, the item,
    the year, the step and where it is, the clock and the latest reason (80 characters)."""
    link = _link("awards:nomination_detail", "nomination_id")
    clock_of = _clocks(today)
    editable = frozenset(editable)
    return _join(
        (
            format_html(
                "<tr>\n"
                "  <td>{}</td>\n"
                '  <td><a href="{}">{}</a></td>\n'
                "  <td>{}</td><td>{}</td>\n"
                "  <td>{}{}</td>\n"
                "  <td>{}</td>\n"
                "  <td><small>{}</small></td>\n"
                "</tr>\n",
                _tick(n) if n.status in editable else "",
                link(n.pk),
                n.recipient_name,
                n.item.name,
                _text(n.year),
                nomination_status(n),
                format_html(' <small class="text-muted">tại {}</small>', n.handling_unit.name)
                if n.handling_unit_id
                else "",
                clock_of(n),
                _truncate(n.last_reason, 80),
            )
            for n in rows
        ),
        SafeString('<tr><td colspan="7" class="text-muted">Chưa có hồ sơ.</td></tr>\n'),
    )


def _tick(n: Nomination) -> SafeString:
    return format_html(
        '<input class="form-check-input" type="checkbox" name="nomination" value="{}" '
        'aria-label="Chọn {}">',
        _text(n.pk),
        n.recipient_name,
    )


def _truncate(text: str, length: int) -> str:
    """`|truncatechars:length`."""
    return Truncator(text).chars(length) if text else text


def _document(row: dict) -> str:
    """`str(document)` (`OfficialDocument.__str__`) from the row's document columns."""
    label = DOCUMENT_KINDS.get(row["document_kind"], row["document_kind"])
    number, symbol = row["document_number"], row["document_symbol"]
    if number:
        return f"{label} số {number}{'' if symbol.startswith('-') else '/'}{symbol}"
    summary = row["document_summary"]
    return f"{label} – {summary[:60]}" if summary else label


def decision_rows(rows: Iterable[dict]) -> SafeString:
    """The decisions' rows: the document (a link), the kind, the deciding level, the status.
    Each row is the values of `awards.views.decisions.DECISION_COLUMNS`."""
    link = _link("awards:decision_detail", "decision_id")
    return _join(
        (
            f'<tr><td><a href="{link(d["pk"])}">{escape(_document(d))}</a></td>'
            f"<td>{escape(DECISION_KINDS.get(d['kind'], d['kind']))}</td>"
            f"<td>{escape(d['unit_name'])}</td>"
            f"<td>{escape(DECISION_STATUSES.get(d['status'], d['status']))}</td></tr>\n"
            for d in rows
        ),
        SafeString('<tr><td colspan="4" class="text-muted">Chưa có quyết định.</td></tr>'),
    )


def session_rows(rows: Iterable[CouncilSession]) -> SafeString:
    """The council sessions' rows: the session (a link), the level, the status."""
    link = _link("awards:session_detail", "session_id")
    return _join(
        (
            format_html(
                '<tr><td><a href="{}">{}</a></td><td>{}</td><td>{}</td></tr>\n',
                link(s.pk),
                str(s),
                s.unit.name,
                SESSION_STATUSES.get(s.status, s.status),
            )
            for s in rows
        ),
        SafeString('<tr><td colspan="3" class="text-muted">Chưa có phiên họp.</td></tr>'),
    )


def item_rows(by_item: Iterable[tuple[str, str, str, int]]) -> SafeString:
    """The statistics page's awards by item: kind, name, level, count."""
    return _join(
        (
            f"<tr><td>{_text(kind)}</td><td>{_text(name)}</td><td>{_text(level)}</td>"
            f"<td>{_text(count)}</td></tr>"
            for kind, name, level, count in by_item
        ),
        SafeString('<tr><td colspan="4" class="text-muted">Chưa có.</td></tr>'),
    )


def share_bars(shares: Iterable[Share]) -> SafeString:
    """The statistics page's shares among the individual awards, each with its bar."""
    bars = []
    for share in shares:
        label, percent = _text(share.label), share.percent
        width = escape(f"{percent:.1f}")
        bars.append(
            '\n<div class="mb-2"><div class="d-flex justify-content-between small">'
            f"<span>{label}</span><span>{_text(share.count)}/{_text(share.total)} "
            f"({_text(percent)} %)</span></div>\n"
            f'<div class="progress" role="progressbar" aria-label="{label}" '
            f'aria-valuenow="{width}" aria-valuemin="0" aria-valuemax="100">'
            f'<div class="progress-bar" style="width: {width}%"></div></div></div>\n'
        )
    return mark_safe("".join(bars))  # every value went through _text or escape


def level_year_rows(by_level_year: Iterable[tuple[int, list[int]]]) -> SafeString:
    """The statistics page's awards per deciding level (columns) and year (rows)."""
    return _join(
        (
            f"<tr><td>{_text(year)}</td>"
            + "".join(f'<td class="text-end">{_text(n)}</td>' for n in counts)
            + "</tr>"
            for year, counts in by_level_year
        ),
        SafeString('<tr><td colspan="4" class="text-muted">Chưa có.</td></tr>'),
    )
