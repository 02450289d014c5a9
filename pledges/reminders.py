"""Registration deadlines as a reminder source of the portal's planner (portal/reminders.py)."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from campaigns.models import Campaign, CampaignTarget
from campaigns.workflow import OPEN_FOR_REGISTRATION
from pledges.models import Registration
from pledges.workflow import REGISTERED
from portal.models import Role
from portal.reminders import DueItem, ReminderSource, register_source

REGISTRATION_DUE_KIND = "pledges.registration_due"
# Remind from this many days before the registration deadline, and keep reminding after it.
REMIND_BEFORE_DAYS = 3


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


def register_pledges_sources() -> None:
    register_source(
        ReminderSource(
            kind=REGISTRATION_DUE_KIND,
            label="Đăng ký thi đua chưa nộp",
            due_items=registrations_due,
            roles=(Role.OFFICER,),
        )
    )
