"""What a periodic report says, measured over the unit's subtree with grouped queries.

Every section is one or two queries whatever the size of the subtree (a `path LIKE 'prefix%'`
filter with GROUP BY), so the province's report costs the same number of queries as a
commune's. Flows (progress reports, decisions) count what happened within the period; states
(registrations, tasks, dossiers) are read as they stand, with deadlines judged on the last day
of the period.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Avg, Count, Exists, Min, OuterRef, Q, Subquery

from awards.models import AwardDecision, DecisionKind, DecisionStatus, Nomination
from awards.workflow import OPEN, Status
from campaigns.models import Campaign, CampaignTarget
from campaigns.workflow import PUBLISHED
from pledges.models import Pledge, ProgressReport, Registration, RegistrationTask
from pledges.workflow import REGISTERED, RegistrationStatus, ScoreSheetStatus
from portal.models import Unit
from reports.periods import Period

RECENT_DAYS = 7
STALE_DAYS = 30
# Steps shown in the nominations table, in the order a dossier moves through them.
NOMINATION_STEPS = [s for s in Status if s in OPEN or s == Status.RETURNED]


def percent(part: int | Decimal, whole: int | Decimal) -> Decimal:
    if not whole:
        return Decimal(0)
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"))


@dataclass
class CampaignRow:
    title: str
    issuer: str
    status: str
    starts_on: datetime.date
    ends_on: datetime.date
    targets: int = 0
    registered: int = 0
    accepted: int = 0
    late: int = 0
    reported: int = 0
    overdue: int = 0
    tasks: int = 0
    tasks_done: int = 0
    average: Decimal = Decimal(0)

    @property
    def registration_rate(self) -> Decimal:
        return percent(self.registered, self.targets)

    @property
    def reporting_rate(self) -> Decimal:
        return percent(self.reported, self.registered)


@dataclass
class Laggard:
    campaign: str
    unit: str
    reasons: list[str]


@dataclass
class PledgeRow:
    bloc: str
    year: int
    head: str
    status: str
    members: int
    signed: int
    table_status: str
    sheets: int
    sheets_submitted: int


@dataclass
class StepRow:
    step: str
    count: int
    recent: int  # in the step for fewer than RECENT_DAYS days
    middle: int
    stale: int  # more than STALE_DAYS days
    overdue: int
    oldest_days: int | None


@dataclass
class OverdueNomination:
    recipient: str
    item: str
    step: str
    handling_unit: str
    due_on: datetime.date


@dataclass
class DecisionRow:
    number: str
    issued_on: datetime.date
    summary: str
    kind: str
    awards: int


@dataclass
class ReportFigures:
    unit_name: str
    period: Period
    campaigns: list[CampaignRow] = field(default_factory=list)
    laggards: list[Laggard] = field(default_factory=list)
    pledges: list[PledgeRow] = field(default_factory=list)
    steps: list[StepRow] = field(default_factory=list)
    overdue_nominations: list[OverdueNomination] = field(default_factory=list)
    decided_in_period: int = 0
    decisions: list[DecisionRow] = field(default_factory=list)

    @property
    def targets(self) -> int:
        return sum(c.targets for c in self.campaigns)

    @property
    def registered(self) -> int:
        return sum(c.registered for c in self.campaigns)

    @property
    def registration_rate(self) -> Decimal:
        return percent(self.registered, self.targets)

    @property
    def tasks(self) -> int:
        return sum(c.tasks for c in self.campaigns)

    @property
    def tasks_done(self) -> int:
        return sum(c.tasks_done for c in self.campaigns)

    @property
    def progress_rate(self) -> Decimal:
        """The average completion of every registered task (weighted by task, not campaign)."""
        if not self.tasks:
            return Decimal(0)
        total = sum(c.average * c.tasks for c in self.campaigns)
        return (total / self.tasks).quantize(Decimal("0.1"))

    @property
    def open_nominations(self) -> int:
        return sum(s.count for s in self.steps if s.step != Status.RETURNED.label)

    @property
    def overdue_count(self) -> int:
        return sum(s.overdue for s in self.steps)

    @property
    def awards_decided(self) -> int:
        return sum(d.awards for d in self.decisions if d.kind == DecisionKind.AWARD.label)

    def summary(self) -> dict:
        """The headline figures kept on the report row for the list pages."""
        return {
            "campaigns": len(self.campaigns),
            "registration_rate": str(self.registration_rate),
            "progress_rate": str(self.progress_rate),
            "laggards": len({lag.unit for lag in self.laggards}),
            "open_nominations": self.open_nominations,
            "overdue_nominations": self.overdue_count,
            "decisions": len(self.decisions),
        }


def compute(unit: Unit, period: Period) -> ReportFigures:
    figures = ReportFigures(unit_name=unit.name, period=period)
    _campaigns(figures, unit, period)
    _pledges(figures, unit, period)
    _nominations(figures, unit, period)
    _decisions(figures, unit, period)
    return figures


def _campaigns(figures: ReportFigures, unit: Unit, period: Period) -> None:
    prefix = unit.path
    targeted = CampaignTarget.objects.filter(campaign=OuterRef("pk"), unit__path__startswith=prefix)
    campaigns = list(
        Campaign.objects.filter(
            status__in=PUBLISHED, starts_on__lte=period.end, ends_on__gte=period.start
        )
        .filter(Q(issuer__path__startswith=prefix) | Q(Exists(targeted)))
        .select_related("issuer")
        .order_by("starts_on", "pk")
    )
    if not campaigns:
        return
    ids = [c.pk for c in campaigns]
    targets = dict(
        CampaignTarget.objects.filter(campaign__in=ids, unit__path__startswith=prefix)
        .values("campaign")
        .annotate(n=Count("pk"))
        .values_list("campaign", "n")
    )
    overdue_tasks = RegistrationTask.objects.filter(
        registration=OuterRef("pk"), due_on__lte=period.end, latest_percent__lt=100
    )
    reports = ProgressReport.objects.filter(
        task__registration=OuterRef("pk"), reported_on__range=(period.start, period.end)
    )
    counts = {
        row["campaign"]: row
        for row in Registration.objects.filter(campaign__in=ids, unit__path__startswith=prefix)
        .annotate(has_overdue=Exists(overdue_tasks), has_report=Exists(reports))
        .values("campaign")
        .annotate(
            registered=Count("pk", filter=Q(status__in=REGISTERED)),
            accepted=Count("pk", filter=Q(status=RegistrationStatus.ACCEPTED)),
            late=Count("pk", filter=Q(is_late=True)),
            reported=Count("pk", filter=Q(has_report=True, status__in=REGISTERED)),
            overdue=Count("pk", filter=Q(has_overdue=True, status__in=REGISTERED)),
        )
    }
    tasks = {
        row["registration__campaign"]: row
        for row in RegistrationTask.objects.filter(
            registration__campaign__in=ids,
            registration__unit__path__startswith=prefix,
            registration__status=RegistrationStatus.ACCEPTED,
        )
        .values("registration__campaign")
        .annotate(
            n=Count("pk"),
            done=Count("pk", filter=Q(latest_percent__gte=100)),
            avg=Avg("latest_percent"),
        )
    }
    titles = {}
    for campaign in campaigns:
        row, task = counts.get(campaign.pk, {}), tasks.get(campaign.pk, {})
        titles[campaign.pk] = campaign.title
        figures.campaigns.append(
            CampaignRow(
                title=campaign.title,
                issuer=campaign.issuer.name,
                status=campaign.get_status_display(),
                starts_on=campaign.starts_on,
                ends_on=campaign.ends_on,
                targets=targets.get(campaign.pk, 0),
                registered=row.get("registered", 0),
                accepted=row.get("accepted", 0),
                late=row.get("late", 0),
                reported=row.get("reported", 0),
                overdue=row.get("overdue", 0),
                tasks=task.get("n", 0),
                tasks_done=task.get("done", 0),
                average=Decimal(task.get("avg") or 0).quantize(Decimal("0.1")),
            )
        )
    _laggards(figures, prefix, period, titles)


def _laggards(figures: ReportFigures, prefix: str, period: Period, titles: dict) -> None:
    """Target units under the unit that did not register, have a task overdue at the end of
    the period, or sent no progress report during it: one query for every campaign."""
    own = Registration.objects.filter(campaign=OuterRef("campaign"), unit=OuterRef("unit"))
    overdue = RegistrationTask.objects.filter(
        registration__campaign=OuterRef("campaign"),
        registration__unit=OuterRef("unit"),
        registration__status__in=REGISTERED,
        due_on__lte=period.end,
        latest_percent__lt=100,
    )
    reported = ProgressReport.objects.filter(
        task__registration__campaign=OuterRef("campaign"),
        task__registration__unit=OuterRef("unit"),
        reported_on__range=(period.start, period.end),
    )
    rows = (
        CampaignTarget.objects.filter(campaign__in=list(titles), unit__path__startswith=prefix)
        .annotate(
            status=Subquery(own.values("status")[:1]),
            has_overdue=Exists(overdue),
            has_report=Exists(reported),
        )
        .filter(
            ~Q(status__in=REGISTERED)
            | Q(status__isnull=True)
            | Q(has_overdue=True)
            | Q(has_report=False)
        )
        .values_list("campaign", "unit__name", "status", "has_overdue", "has_report")
        .order_by("campaign", "unit__path")
    )
    for campaign_id, name, status, has_overdue, has_report in rows:
        reasons = []
        if status not in REGISTERED:
            reasons.append("chưa đăng ký thi đua")
        else:
            if has_overdue:
                reasons.append("có nhiệm vụ quá hạn chưa hoàn thành")
            if not has_report:
                reasons.append("không báo cáo tiến độ trong kỳ")
        if reasons:
            figures.laggards.append(
                Laggard(campaign=titles[campaign_id], unit=name, reasons=reasons)
            )


def _pledges(figures: ReportFigures, unit: Unit, period: Period) -> None:
    prefix = unit.path
    years = range(period.start.year, period.end.year + 1)
    concerned = Pledge.objects.filter(
        Q(bloc__organiser__path__startswith=prefix) | Q(members__unit__path__startswith=prefix)
    ).values("pk")
    submitted = [s for s in ScoreSheetStatus if s != ScoreSheetStatus.DRAFT]
    pledges = (
        Pledge.objects.filter(pk__in=concerned, year__in=years)
        .select_related("bloc", "head", "score_table")
        .annotate(
            member_count=Count("members", distinct=True),
            signed_count=Count("signatures", distinct=True),
            sheet_count=Count("score_table__sheets", distinct=True),
            submitted_count=Count(
                "score_table__sheets",
                filter=Q(score_table__sheets__status__in=submitted),
                distinct=True,
            ),
        )
        .order_by("bloc__name", "year")
    )
    for pledge in pledges:
        table = getattr(pledge, "score_table", None)
        figures.pledges.append(
            PledgeRow(
                bloc=pledge.bloc.name,
                year=pledge.year,
                head=pledge.head.name,
                status=pledge.get_status_display(),
                members=pledge.member_count,
                signed=pledge.signed_count,
                table_status=table.get_status_display() if table else "Chưa có bảng điểm",
                sheets=pledge.sheet_count,
                sheets_submitted=pledge.submitted_count,
            )
        )


def _nominations(figures: ReportFigures, unit: Unit, period: Period) -> None:
    prefix = unit.path
    scoped = Nomination.objects.filter(
        Q(proposing_unit__path__startswith=prefix) | Q(handling_unit__path__startswith=prefix)
    )
    day = period.end
    recent = day - datetime.timedelta(days=RECENT_DAYS)
    stale = day - datetime.timedelta(days=STALE_DAYS)
    late = Q(due_on__lt=day, status__in=OPEN)
    rows = {
        row["status"]: row
        for row in scoped.filter(status__in=NOMINATION_STEPS)
        .values("status")
        .annotate(
            n=Count("pk"),
            recent=Count("pk", filter=Q(step_started_on__gt=recent)),
            stale=Count("pk", filter=Q(step_started_on__lt=stale)),
            overdue=Count("pk", filter=late),
            oldest=Min("step_started_on"),
        )
    }
    for step in NOMINATION_STEPS:
        row = rows.get(step)
        if not row:
            continue
        figures.steps.append(
            StepRow(
                step=step.label,
                count=row["n"],
                recent=row["recent"],
                middle=row["n"] - row["recent"] - row["stale"],
                stale=row["stale"],
                overdue=row["overdue"],
                oldest_days=(day - row["oldest"]).days if row["oldest"] else None,
            )
        )
    figures.decided_in_period = scoped.filter(decided_on__range=(period.start, period.end)).count()
    for nomination in (
        scoped.filter(late)
        .select_related("person", "unit", "title", "award_form", "handling_unit")
        .order_by("due_on", "pk")
    ):
        figures.overdue_nominations.append(
            OverdueNomination(
                recipient=nomination.recipient_name,
                item=str(nomination.item),
                step=nomination.get_status_display(),
                handling_unit=nomination.handling_unit.name if nomination.handling_unit else "",
                due_on=nomination.due_on,
            )
        )


def _decisions(figures: ReportFigures, unit: Unit, period: Period) -> None:
    decisions = (
        AwardDecision.objects.filter(
            unit__path__startswith=unit.path,
            status__in=[DecisionStatus.ISSUED, DecisionStatus.PUBLISHED],
            document__issued_on__range=(period.start, period.end),
        )
        .select_related("document")
        .annotate(
            award_count=Count("nominations", distinct=True),
            revoked_count=Count("revoked_nominations", distinct=True),
        )
        .order_by("document__issued_on", "pk")
    )
    for decision in decisions:
        document = decision.document
        figures.decisions.append(
            DecisionRow(
                number=document.number_and_symbol,
                issued_on=document.issued_on,
                summary=document.summary.replace("\n", " "),
                kind=decision.get_kind_display(),
                awards=decision.award_count
                if decision.kind == DecisionKind.AWARD
                else decision.revoked_count,
            )
        )
