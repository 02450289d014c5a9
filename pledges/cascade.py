"""The cascade of a campaign over the tree: who registered, who is late, who reported.

One row per branch under the unit being looked at (province → district → ward → unit), each
read from the counts PostgreSQL keeps per branch (`pledges.models.tallies`), so the page reads
the same few small rows for ten units as for twenty thousand (#16).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Count, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Substr

from campaigns.models import Campaign, CampaignTarget, ReportingPeriod
from campaigns.workflow import CampaignStatus
from pledges.models import CascadeDayTally, CascadeTally, Registration
from pledges.workflow import REGISTERED, RegistrationStatus
from portal.models import Unit
from portal.models.units import PATH_STEP


@dataclass
class Branch:
    unit: Unit
    is_self: bool  # the row of the unit being looked at (a target itself)
    targets: int = 0
    registered: int = 0
    accepted: int = 0
    late: int = 0
    reported: int = 0
    on_track: int = 0
    overdue: int = 0
    follow_ups: int = 0
    is_target: bool = False  # the branch's own unit is expected to register
    status: str = ""  # that unit's own registration status
    own_overdue: bool = False  # that unit has a task past its due date, unmet

    @property
    def missing(self) -> int:
        return self.targets - self.registered

    @property
    def can_drill(self) -> bool:
        return not self.is_self and self.targets > (1 if self.is_target else 0)

    @property
    def own_on_track(self) -> bool:
        return self.status == RegistrationStatus.ACCEPTED and not self.own_overdue

    @property
    def status_label(self) -> str:
        return RegistrationStatus(self.status).label if self.status else "Chưa đăng ký"


@dataclass
class Cascade:
    root: Unit
    period_start: datetime.date
    period_end: datetime.date
    period_name: str
    registration_overdue: bool
    branches: list[Branch] = field(default_factory=list)

    def total(self, name: str) -> int:
        return sum(getattr(branch, name) for branch in self.branches)

    @property
    def totals(self) -> dict[str, int]:
        names = ("targets", "registered", "accepted", "late", "reported", "on_track", "overdue")
        return {name: self.total(name) for name in names} | {
            "missing": self.total("targets") - self.total("registered")
        }


def current_period(
    campaign: Campaign, today: datetime.date
) -> tuple[datetime.date, datetime.date, str]:
    """The reporting period covering `today`; without one, the current calendar month."""
    period = ReportingPeriod.objects.filter(
        campaign=campaign, starts_on__lte=today, ends_on__gte=today
    ).first()
    if period is not None:
        return period.starts_on, period.ends_on, period.name
    return today.replace(day=1), today, f"Tháng {today:%m/%Y}"


# Each branch's figures by name, keyed by the branch's unit path.
Figures = dict[str, dict[str, int]]
FIGURES = ("targets", "registered", "accepted", "late", "reported", "on_track", "overdue")


def build(campaign: Campaign, *, root: Unit, today: datetime.date) -> Cascade:
    # PostgreSQL keeps the counts per branch (pledges.models.tallies); SQLite keeps none.
    count = kept_figures if connection.vendor == "postgresql" else counted_figures
    return build_with(count, campaign, root=root, today=today)


def build_with(
    count: Callable[..., Figures], campaign: Campaign, *, root: Unit, today: datetime.date
) -> Cascade:
    """The cascade with its figures from `count` (`kept_figures` or `counted_figures`)."""
    start, end, name = current_period(campaign, today)
    cascade = Cascade(
        root=root,
        period_start=start,
        period_end=end,
        period_name=name,
        registration_overdue=campaign.is_registration_overdue(today),
    )
    figures = count(campaign, root=root, today=today, start=start, end=end)
    if not figures:
        return cascade
    paths = sorted(figures)
    # Each branch's own unit, with whether it is a target and its own registration's status
    # and earliest open due date. Scalar subqueries, each one index probe a branch: as EXISTS,
    # PostgreSQL hashed every target and late registration of the campaign instead, and the
    # query grew with the campaign (1.7 ms to 8.8 ms from 1× to 10× data, #16).
    own = Registration.objects.filter(campaign=campaign, unit=OuterRef("pk")).order_by()
    target = CampaignTarget.objects.filter(campaign=campaign, unit=OuterRef("pk")).order_by()
    units = {
        unit.path: unit
        for unit in Unit.objects.filter(path__in=paths).annotate(
            own_target=Subquery(target.values("pk")[:1]),
            own_status=Subquery(own.values("status")[:1]),
            own_due=Subquery(own.values("open_due_on")[:1]),
        )
    }
    for path in paths:
        unit = units[path]
        cascade.branches.append(
            Branch(
                unit=unit,
                is_self=path == root.path,
                **figures[path],
                is_target=unit.own_target is not None,
                status=unit.own_status or "",
                own_overdue=unit.own_due is not None and unit.own_due < today,
            )
        )
    return cascade


def kept_figures(
    campaign: Campaign,
    *,
    root: Unit,
    today: datetime.date,
    start: datetime.date,
    end: datetime.date,
) -> Figures:
    """Each branch's figures (the unit being looked at and each child with targets) from the
    kept counts: the root's row and its children's rows of `CascadeTally`, and their rows of
    `CascadeDayTally` summed below today (overdue) and over the period (reported). Two small
    queries whatever the size of the subtree. A row counts its whole branch, so the root's own
    figures are its row less its children's."""
    here = Q(path=root.path) | Q(parent=root.path)
    rows = {
        row.pop("path"): row
        for row in CascadeTally.objects.filter(here, campaign=campaign).values(
            "path", "targets", "registered", "accepted", "late", "follow_ups"
        )
    }
    if not rows.get(root.path, {}).get("targets"):
        return {}
    # Reports are never dated in the future and the period runs to today or beyond, so a
    # report inside it is one on or after its start.
    overdue = Q(day__lt=today)
    days = {
        row.pop("path"): row
        for row in CascadeDayTally.objects.filter(here, campaign=campaign, day__lte=end)
        .values("path")
        .annotate(
            overdue=Sum("due", filter=overdue, default=0),
            accepted_overdue=Sum("accepted_due", filter=overdue, default=0),
            reported=Sum("reported", filter=Q(day__gte=start), default=0),
        )
    }
    # A branch may have dated rows and no time-free ones (a draft registration counts in none).
    zero = dict.fromkeys(("targets", "registered", "accepted", "late", "follow_ups"), 0)
    figures = {}
    for path in rows.keys() | days.keys():
        row, day = rows.get(path, zero), days.get(path, {})
        figures[path] = {
            **row,
            "reported": day.get("reported", 0),
            "overdue": day.get("overdue", 0),
            "on_track": row["accepted"] - day.get("accepted_overdue", 0),
        }
    own = figures.pop(root.path)
    for branch in figures.values():
        for name, value in branch.items():
            own[name] -= value
    figures[root.path] = own
    return {path: branch for path, branch in figures.items() if branch["targets"]}


def counted_figures(
    campaign: Campaign,
    *,
    root: Unit,
    today: datetime.date,
    start: datetime.date,
    end: datetime.date,
) -> Figures:
    """The same figures counted from the subtree's registrations, targets and follow-up
    campaigns (where no counts are kept, and the recount the kept ones are tested against)."""
    width = len(root.path) + PATH_STEP
    branch = Substr("unit__path", 1, width)
    targets = dict(
        CampaignTarget.objects.filter(campaign=campaign, unit__path__startswith=root.path)
        .annotate(branch=branch)
        .values("branch")
        .annotate(count=Count("pk"))
        .values_list("branch", "count")
    )
    if not targets:
        return {}
    # The registrations' kept task summaries (pledges.services.refresh_task_summary) answer
    # "has an unmet task past its due date" and "reported this period" without reading tasks.
    late_task = Q(open_due_on__lt=today)
    reported = Q(last_reported_on__gte=start, last_reported_on__lte=end)
    counts = {
        row.pop("branch"): row
        for row in Registration.objects.filter(campaign=campaign, unit__path__startswith=root.path)
        .annotate(branch=branch)
        .values("branch")
        .annotate(
            registered=Count("pk", filter=Q(status__in=REGISTERED)),
            accepted=Count("pk", filter=Q(status=RegistrationStatus.ACCEPTED)),
            late=Count("pk", filter=Q(is_late=True)),
            reported=Count("pk", filter=reported),
            on_track=Count("pk", filter=Q(status=RegistrationStatus.ACCEPTED) & ~late_task),
            overdue=Count("pk", filter=late_task),
        )
    }
    follow_ups = dict(
        Campaign.objects.filter(parent=campaign, issuer__path__startswith=root.path)
        .exclude(status=CampaignStatus.CANCELLED)
        .annotate(branch=Substr("issuer__path", 1, width))
        .values("branch")
        .annotate(count=Count("pk"))
        .values_list("branch", "count")
    )
    return {
        path: {name: counts.get(path, {}).get(name, 0) for name in FIGURES[1:]}
        | {"targets": count, "follow_ups": follow_ups.get(path, 0)}
        for path, count in targets.items()
    }
