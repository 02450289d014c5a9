"""The cascade of a campaign over the tree: who registered, who is late, who reported.

One row per branch under the unit being looked at (province → district → ward → unit), each
counted over the whole branch with a handful of grouped queries, so the page costs the same
number of queries for ten units as for two thousand.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import BooleanField, Count, ExpressionWrapper, Q
from django.db.models.functions import Substr

from campaigns.models import Campaign, CampaignTarget, ReportingPeriod
from campaigns.workflow import CampaignStatus
from pledges.models import Registration
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


def build(campaign: Campaign, *, root: Unit, today: datetime.date) -> Cascade:
    start, end, name = current_period(campaign, today)
    cascade = Cascade(
        root=root,
        period_start=start,
        period_end=end,
        period_name=name,
        registration_overdue=campaign.is_registration_overdue(today),
    )
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
        return cascade
    # The registrations' kept task summaries (pledges.services.refresh_task_summary) answer
    # "has an unmet task past its due date" and "reported this period" without reading tasks:
    # reports are never dated in the future and the period runs to today or beyond, so a
    # report inside it is one on or after its start.
    late_task = Q(open_due_on__lt=today)
    reported = Q(last_reported_on__gte=start, last_reported_on__lte=end)
    counts = {
        row["branch"]: row
        for row in Registration.objects.filter(campaign=campaign, unit__path__startswith=root.path)
        .annotate(branch=branch)
        .values("branch")
        .annotate(
            registered=Count("pk", filter=Q(status__in=REGISTERED)),
            accepted=Count("pk", filter=Q(status=RegistrationStatus.ACCEPTED)),
            late=Count("pk", filter=Q(is_late=True)),
            reported_count=Count("pk", filter=reported),
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
    own = {
        path: (status, has_overdue)
        for path, status, has_overdue in Registration.objects.filter(
            campaign=campaign, unit__path__in=list(targets)
        )
        .annotate(has_overdue=ExpressionWrapper(late_task, output_field=BooleanField()))
        .values_list("unit__path", "status", "has_overdue")
    }
    own_targets = set(
        CampaignTarget.objects.filter(campaign=campaign, unit__path__in=list(targets)).values_list(
            "unit__path", flat=True
        )
    )
    units = {unit.path: unit for unit in Unit.objects.filter(path__in=list(targets))}
    for path in sorted(targets):
        row = counts.get(path, {})
        cascade.branches.append(
            Branch(
                unit=units[path],
                is_self=path == root.path,
                targets=targets[path],
                registered=row.get("registered", 0),
                accepted=row.get("accepted", 0),
                late=row.get("late", 0),
                reported=row.get("reported_count", 0),
                on_track=row.get("on_track", 0),
                overdue=row.get("overdue", 0),
                follow_ups=follow_ups.get(path, 0),
                is_target=path in own_targets,
                status=own.get(path, ("", False))[0],
                own_overdue=own.get(path, ("", False))[1],
            )
        )
    return cascade
