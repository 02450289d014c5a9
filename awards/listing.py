"""The rows and the total of Nội vụ's queue (#16).

A page's total is a sum over the kept counts (`awards.models.tallies`) whenever the filters are
ones the counts can answer (scope, status, year): the exact COUNT over every dossier in the
user's scope grew 2.2× for 10× the dossiers. A free-text search or the overdue filter keeps the
exact count (`total()` is None and the pager counts), as does a user who may review somewhere
outside what they may see. The scope is one `Q` applied to both the dossiers and the counts,
whose fields bear the same names, so the two cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection
from django.db.models import Q, QuerySet
from django.utils import timezone

from awards.forms.queue import ALL_STEPS
from awards.models import Nomination, NominationTally
from awards.workflow import EDITABLE, OPEN
from portal import access
from portal.access import Cap
from portal.text import fold


@dataclass(frozen=True)
class Listing:
    rows: QuerySet
    # The kept counts matching the rows when the filters allow it.
    tallies: QuerySet | None

    def total(self) -> int | None:
        """The kept total, summed now (after any bulk action of the request); None leaves the
        exact COUNT to the pager."""
        return self.tallies.total() if self.tallies is not None else None


def queue_listing(user, data: dict | None) -> Listing:
    """Nội vụ's queue under the filter form's `data` (None: the default, what waits)."""
    data = data or {}
    scope = access.cap_scope(user, Cap.REVIEW_NOMINATIONS, "handling_unit__path") & ~Q(
        status__in=EDITABLE
    )
    status = data.get("status") or ""
    if not status:
        scope &= Q(status__in=OPEN)
    elif status != ALL_STEPS:
        scope &= Q(status=status)
    if data.get("year"):
        scope &= Q(year=data["year"])
    rows = Nomination.objects.visible_to(user).filter(scope)
    # Where the user reviews lies within what the user sees: `visible_to` removes nothing more,
    # and the counts per handling unit, step and year answer the scope exactly.
    kept = (
        connection.vendor == "postgresql"  # the counts' triggers are PostgreSQL's
        and not data.get("q")
        and not data.get("overdue")
        and access.sees_where_it_may(user, Cap.REVIEW_NOMINATIONS)
    )
    if data.get("q"):
        folded = fold(data["q"])
        rows = rows.filter(
            Q(person__search_name__contains=folded) | Q(household_name__icontains=data["q"])
        )
    if data.get("overdue"):
        rows = rows.overdue(timezone.localdate())
    tallies = NominationTally.objects.filter(scope) if kept else None
    return Listing(rows.order_by("due_on", "pk"), tallies)
