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

from django.db.models import Q

from portal.background.digests import Line, lines_of
from portal.models import Reminder, ReminderStatus, User


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
    """`user`'s to-do list of `today`, in one query whatever its length."""
    unsent = Q(status__in=[ReminderStatus.PENDING, ReminderStatus.SENDING], remind_on__lt=today)
    rows = list(
        Reminder.objects.filter(Q(remind_on=today) | unsent, recipient=user).select_related("unit")
    )
    todo = TodoList(day=today)
    for line in lines_of(rows):
        if line.escalated:
            todo.waiting.append(line)
        elif line.overdue:
            todo.overdue.append(line)
        else:
            todo.upcoming.append(line)
    return todo
