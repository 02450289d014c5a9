"""Each person's to-do list on the home page, read from the digest's own outbox.

The reminder planner (hourly) writes one outbox row per record, person and day from every
registered source; the digest mails those rows once a day. The home page reads the same rows
through the digest's own `lines_of`, so it lists what the digest lists and counts it alike:
today's rows, and older ones the digest has not sent yet. It sorts them three ways:
- overdue: the person's own items past their date;
- to do: the rest of the person's own items (due soon, or news such as a new report);
- waiting on others: items overdue at a unit below, which reach its superior's leaders
  (the planner's escalation) to follow up rather than to do.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from portal.background.digests import OUTBOX_FIELDS, Line, OutboxRow, lines_of
from portal.models import DigestStatus, Reminder, User


@dataclass
class TodoList:
    day: datetime.date
    overdue: list[Line] = field(default_factory=list)
    upcoming: list[Line] = field(default_factory=list)
    waiting: list[Line] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.overdue) + len(self.upcoming) + len(self.waiting)


def todo_for(user: User, today: datetime.date) -> TodoList:
    """`user`'s to-do list of `today`, in one query whatever its length.

    Today's rows, and older ones the digest has not sent: waiting for a digest, or held by one
    still being sent. Three arms of one UNION, each on its own index: one OR would read every
    row the person was ever reminded of."""
    mine = Reminder.objects.filter(recipient=user)
    rows = (
        mine.filter(remind_on=today)
        .values_list("pk", *OUTBOX_FIELDS)
        .union(
            mine.filter(remind_on__lt=today, digest__isnull=True).values_list("pk", *OUTBOX_FIELDS),
            mine.filter(remind_on__lt=today, digest__status=DigestStatus.SENDING).values_list(
                "pk", *OUTBOX_FIELDS
            ),
            all=True,
        )
    )
    todo = TodoList(day=today)
    for line in lines_of(OutboxRow(*values) for _, *values in rows):
        if line.escalated:
            todo.waiting.append(line)
        elif line.overdue:
            todo.overdue.append(line)
        else:
            todo.upcoming.append(line)
    return todo
