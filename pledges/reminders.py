"""The pledges app's reminder sources for the portal's planner (portal/reminders.py).

Each source is a generator over a bounded number of queries (no query per item), so that it
runs hourly at province scale: 2,000 units, 100,000 registered tasks.

- registrations not submitted by a target unit (from a few days before the deadline on);
- registered tasks due soon or overdue with no progress report in the current period;
- unit reviews (sơ kết, tổng kết) not submitted by a target unit;
- a bloc's giao ước awaiting a member unit's signature.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator

from django.contrib.contenttypes.models import ContentType
from django.db.models import F, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse

from campaigns.models import Campaign, CampaignTarget, ReportingPeriod, ReviewKind
from campaigns.workflow import OPEN_FOR_REGISTRATION, RUNNING
from pledges.models import (
    Pledge,
    PledgeMember,
    PledgeSignature,
    Registration,
    RegistrationTask,
    UnitReview,
)
from pledges.workflow import REGISTERED, PledgeStatus, RegistrationStatus, UnitReviewStatus
from portal.access import Cap
from portal.background.reminders import DueItem, ReminderSource, register_source

REGISTRATION_DUE_KIND = "pledges.registration_due"
TASK_PROGRESS_KIND = "pledges.task_progress_due"
MIDTERM_REVIEW_KIND = "pledges.midterm_review_due"
FINAL_REVIEW_KIND = "pledges.final_review_due"
PLEDGE_SIGNATURE_KIND = "pledges.pledge_signature_due"

# Remind from this many days before the registration deadline, and keep reminding after it.
REMIND_BEFORE_DAYS = 3
# Tasks, reviews and signatures: a week ahead, and every day after the date has passed.
REMIND_AHEAD_DAYS = 7
# Without a signing conference date, a bloc's giao ước is signed by the end of March (the
# yearly cycle of domain §8: launch and giao ước in the first quarter).
PLEDGE_SIGNING_DUE = (3, 31)
ITERATE_CHUNK = 2000


def registrations_due(today: datetime.date) -> Iterator[DueItem]:
    """One item per target unit of an open campaign that has not registered yet."""
    campaigns = Campaign.objects.filter(
        status__in=OPEN_FOR_REGISTRATION,
        registration_due__lte=today + datetime.timedelta(days=REMIND_BEFORE_DAYS),
        ends_on__gte=today,
    )
    done = set(
        Registration.objects.filter(status__in=REGISTERED, campaign__in=campaigns).values_list(
            "campaign_id", "unit_id"
        )
    )
    content_type = ContentType.objects.get_for_model(CampaignTarget)
    targets = (
        CampaignTarget.objects.filter(campaign__in=campaigns)
        .select_related("campaign")
        .order_by("campaign_id", "unit_id")
    )
    for target in targets:
        if (target.campaign_id, target.unit_id) in done:
            continue
        campaign = target.campaign
        yield DueItem(
            kind=REGISTRATION_DUE_KIND,
            target_type_id=content_type.pk,
            target_id=target.pk,
            unit_id=target.unit_id,
            title=f"{campaign.title}: chưa đăng ký thi đua",
            url=reverse("pledges:list", kwargs={"campaign_id": campaign.pk}),
            due_on=campaign.registration_due,
            overdue=campaign.registration_due < today,
        )


def tasks_without_progress(today: datetime.date) -> Iterator[DueItem]:
    """Accepted tasks of running campaigns, unfinished, due within a week or overdue, with no
    progress report in the current period: the campaign's reporting period covering today,
    or the calendar month when it has none (as the cascade counts "reported this period")."""
    period = ReportingPeriod.objects.filter(
        campaign=OuterRef("registration__campaign_id"), starts_on__lte=today, ends_on__gte=today
    ).order_by("starts_on")
    month_start = today.replace(day=1)
    tasks = (
        RegistrationTask.objects.filter(
            registration__status=RegistrationStatus.ACCEPTED,
            registration__campaign__status__in=RUNNING,
            due_on__lte=today + datetime.timedelta(days=REMIND_AHEAD_DAYS),
            latest_percent__lt=100,
        )
        .annotate(
            period_start=Coalesce(Subquery(period.values("starts_on")[:1]), Value(month_start)),
            period_name=Coalesce(
                Subquery(period.values("name")[:1]), Value(f"tháng {today:%m/%Y}")
            ),
        )
        .filter(Q(last_reported_on__isnull=True) | Q(last_reported_on__lt=F("period_start")))
        .order_by("pk")
        .values_list("pk", "description", "due_on", "registration__unit_id", "period_name")
    )
    content_type = ContentType.objects.get_for_model(RegistrationTask)
    for pk, description, due_on, unit_id, period_name in tasks.iterator(ITERATE_CHUNK):
        short = description if len(description) <= 160 else f"{description[:157]}…"
        yield DueItem(
            kind=TASK_PROGRESS_KIND,
            target_type_id=content_type.pk,
            target_id=pk,
            unit_id=unit_id,
            title=f"Nhiệm vụ “{short}”: chưa báo cáo tiến độ kỳ {period_name}",
            url=reverse("pledges:report", kwargs={"task_id": pk}),
            due_on=due_on,
            overdue=due_on < today,
        )


def _reviews_due(kind: str) -> Callable[[datetime.date], Iterator[DueItem]]:
    """Target units of running campaigns whose sơ kết (or tổng kết) is due within a week or
    overdue and who have not submitted theirs. A late sơ kết stops being asked for once the
    tổng kết is being asked for: the final report covers the whole campaign."""
    midterm = kind == ReviewKind.MIDTERM
    reminder_kind = MIDTERM_REVIEW_KIND if midterm else FINAL_REVIEW_KIND
    noun = "sơ kết" if midterm else "tổng kết"
    due_field = "midterm_review_due" if midterm else "final_review_due"

    def reviews_due(today: datetime.date) -> Iterator[DueItem]:
        horizon = today + datetime.timedelta(days=REMIND_AHEAD_DAYS)
        campaigns = Campaign.objects.filter(status__in=RUNNING, **{f"{due_field}__lte": horizon})
        if midterm:
            campaigns = campaigns.filter(final_review_due__gt=horizon)
        reviews = UnitReview.objects.filter(campaign__in=campaigns, kind=kind)
        submitted = set(
            reviews.filter(status=UnitReviewStatus.SUBMITTED).values_list("campaign_id", "unit_id")
        )
        drafts = {
            (campaign_id, unit_id): pk
            for pk, campaign_id, unit_id in reviews.filter(
                status=UnitReviewStatus.DRAFT
            ).values_list("pk", "campaign_id", "unit_id")
        }
        content_type = ContentType.objects.get_for_model(CampaignTarget)
        targets = (
            CampaignTarget.objects.filter(campaign__in=campaigns)
            .order_by("campaign_id", "unit_id")
            .values_list(
                "pk", "campaign_id", "unit_id", "campaign__title", f"campaign__{due_field}"
            )
        )
        for pk, campaign_id, unit_id, title, due_on in targets.iterator(ITERATE_CHUNK):
            if (campaign_id, unit_id) in submitted:
                continue
            draft = drafts.get((campaign_id, unit_id))
            url = (
                reverse("pledges:review", kwargs={"review_id": draft})
                if draft
                else reverse("pledges:reviews", kwargs={"campaign_id": campaign_id})
            )
            yield DueItem(
                kind=reminder_kind,
                target_type_id=content_type.pk,
                target_id=pk,
                unit_id=unit_id,
                title=f"{title}: chưa gửi báo cáo {noun}",
                url=url,
                due_on=due_on,
                overdue=due_on < today,
            )

    return reviews_due


midterm_reviews_due = _reviews_due(ReviewKind.MIDTERM)
final_reviews_due = _reviews_due(ReviewKind.FINAL)


def pledge_signing_due(pledge_year: int, ceremony_on: datetime.date | None) -> datetime.date:
    return ceremony_on or datetime.date(pledge_year, *PLEDGE_SIGNING_DUE)


def pledge_signatures_due(today: datetime.date) -> Iterator[DueItem]:
    """Member units that have not signed a giao ước open for signature, from a week before
    its signing conference (or the end of March) on. The leader signs for the unit."""
    pledges = Pledge.objects.filter(status=PledgeStatus.OPEN, scan="")
    signed = set(
        PledgeSignature.objects.filter(pledge__in=pledges).values_list("pledge_id", "unit_id")
    )
    members = (
        PledgeMember.objects.filter(pledge__in=pledges)
        .order_by("pledge_id", "position", "pk")
        .values_list(
            "pk",
            "pledge_id",
            "unit_id",
            "pledge__year",
            "pledge__ceremony_on",
            "pledge__bloc__name",
        )
    )
    content_type = ContentType.objects.get_for_model(PledgeMember)
    horizon = today + datetime.timedelta(days=REMIND_AHEAD_DAYS)
    for pk, pledge_id, unit_id, year, ceremony_on, bloc_name in members.iterator(ITERATE_CHUNK):
        due_on = pledge_signing_due(year, ceremony_on)
        if (pledge_id, unit_id) in signed or due_on > horizon:
            continue
        yield DueItem(
            kind=PLEDGE_SIGNATURE_KIND,
            target_type_id=content_type.pk,
            target_id=pk,
            unit_id=unit_id,
            title=f"Giao ước thi đua năm {year} – {bloc_name}: đơn vị chưa ký",
            url=reverse("pledges:pledge", kwargs={"pledge_id": pledge_id}),
            due_on=due_on,
            overdue=due_on < today,
        )


def register_pledges_sources() -> None:
    register_source(
        ReminderSource(
            kind=REGISTRATION_DUE_KIND,
            label="Đăng ký thi đua chưa nộp",
            due_items=registrations_due,
            caps=(Cap.SUBMIT_REGISTRATION,),
        )
    )
    register_source(
        ReminderSource(
            kind=TASK_PROGRESS_KIND,
            label="Nhiệm vụ đến hạn chưa báo cáo tiến độ kỳ này",
            due_items=tasks_without_progress,
            caps=(Cap.REPORT_PROGRESS,),
        )
    )
    register_source(
        ReminderSource(
            kind=MIDTERM_REVIEW_KIND,
            label="Báo cáo sơ kết chưa gửi",
            due_items=midterm_reviews_due,
            caps=(Cap.REPORT_PROGRESS,),
        )
    )
    register_source(
        ReminderSource(
            kind=FINAL_REVIEW_KIND,
            label="Báo cáo tổng kết chưa gửi",
            due_items=final_reviews_due,
            caps=(Cap.REPORT_PROGRESS,),
        )
    )
    register_source(
        ReminderSource(
            kind=PLEDGE_SIGNATURE_KIND,
            label="Giao ước thi đua chờ đơn vị ký",
            due_items=pledge_signatures_due,
            caps=(Cap.SIGN_PLEDGE,),
        )
    )
