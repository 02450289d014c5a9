"""The digest's e-mail bodies, drawn from their templates once per shape rather than per person.

Two mails differ only in a few values (the name, the counts, each line's title, unit, date and
link) and in which optional parts of a line show (overdue, legal deadline, due date,
escalated). Each template is rendered once per shape with stand-ins for those values; a mail is
its shapes with the person's values put in, escaped as the template would have escaped them.
At province scale this took the send from one Django render of every line of every mail, the
largest part of a digest's time, to string joins (docs/architecture.md, "A day's digests").
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from typing import Protocol

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.html import escape

# A stand-in is MARK + name + MARK: a control character never found in a value or a template,
# left alone by the HTML escaping.
MARK = "\x1f"


class Line(Protocol):
    """What a mail shows of a line (`digests.Line`, which imports this module)."""

    title: str
    label: str
    unit_name: str
    url: str
    due_on: datetime.date
    overdue: bool
    legal_deadline: bool
    has_deadline: bool
    escalated: bool


def _slot(name: str) -> str:
    return f"{MARK}{name}{MARK}"


class _Shape:
    """A rendered template cut at its stand-ins: literal, name, literal, name, …, literal."""

    def __init__(self, rendered: str) -> None:
        self.parts = rendered.split(MARK)

    def fill(self, values: dict[str, str]) -> str:
        parts = self.parts.copy()
        for index in range(1, len(parts), 2):
            parts[index] = values[parts[index]]
        return "".join(parts)


class DigestMails:
    """The text and HTML bodies of one day's digests, for one batch."""

    def __init__(self, day: datetime.date) -> None:
        self.day = day
        self._shapes: dict[tuple, _Shape] = {}

    def bodies(self, user_name: str, lines: Sequence[Line]) -> tuple[str, str]:
        """The plain text and HTML bodies of the digest of `lines` for `user_name`."""
        return self._body("txt", user_name, lines, str), self._body(
            "html", user_name, lines, escape
        )

    def _body(
        self, ext: str, user_name: str, lines: Sequence[Line], quote: Callable[[str], str]
    ) -> str:
        site_url = quote(settings.SITE_URL)
        entries = [
            self._line_shape(ext, line).fill(
                {
                    "number": str(number),
                    "title": quote(line.title),
                    "label": quote(line.label),
                    "unit_name": quote(line.unit_name),
                    "due_on": line.due_on.strftime("%d/%m/%Y"),
                    "url": quote(line.url),
                    "site_url": site_url,
                }
            )
            for number, line in enumerate(lines, start=1)
        ]
        overdue = sum(1 for line in lines if line.overdue)
        # The plain text sets each line off with a blank line before it.
        joined = "".join(f"\n{entry}" for entry in entries) if ext == "txt" else "".join(entries)
        return self._outer_shape(ext, has_overdue=overdue > 0).fill(
            {
                "user_name": quote(user_name),
                "count": str(len(lines)),
                "overdue_count": str(overdue),
                "lines": joined,
                "site_url": site_url,
            }
        )

    def _outer_shape(self, ext: str, *, has_overdue: bool) -> _Shape:
        key = ("outer", ext, has_overdue)
        if key not in self._shapes:
            context = {
                "day": self.day,
                "user_name": _slot("user_name"),
                "count": _slot("count"),
                "overdue_count": _slot("overdue_count") if has_overdue else 0,
                "lines": _slot("lines"),
                "site_url": _slot("site_url"),
            }
            self._shapes[key] = _Shape(render_to_string(f"emails/digest.{ext}", context))
        return self._shapes[key]

    def _line_shape(self, ext: str, line: Line) -> _Shape:
        flags = (line.overdue, line.legal_deadline, line.has_deadline, line.escalated)
        key = ("line", ext, flags)
        if key not in self._shapes:
            overdue, legal_deadline, has_deadline, escalated = flags
            stand_in = {
                name: _slot(name) for name in ("title", "label", "unit_name", "due_on", "url")
            }
            context = {
                "number": _slot("number"),
                "site_url": _slot("site_url"),
                "line": stand_in
                | {
                    "overdue": overdue,
                    "legal_deadline": legal_deadline,
                    "has_deadline": has_deadline,
                    "escalated": escalated,
                },
            }
            self._shapes[key] = _Shape(render_to_string(f"emails/digest_line.{ext}", context))
        return self._shapes[key]
