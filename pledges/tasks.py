"""Background work of registrations: deadline reminders as one digest per person per day."""

from __future__ import annotations

import datetime

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from campaigns.models import Campaign, CampaignTarget
from campaigns.workflow import OPEN_FOR_REGISTRATION
from pledges.models import Registration, Reminder, ReminderKind
from pledges.workflow import REGISTERED
from portal.audit import stamp
from portal.models import Membership, Role

# Remind from this many days before the registration deadline, and keep reminding after it.
REMIND_BEFORE_DAYS = 3


@shared_task
def send_registration_reminders(day: str | None = None) -> int:
    """Remind the officers of target units that have not registered; returns mails sent."""
    today = datetime.date.fromisoformat(day) if day else timezone.localdate()
    campaigns = Campaign.objects.filter(
        status__in=OPEN_FOR_REGISTRATION,
        registration_due__lte=today + datetime.timedelta(days=REMIND_BEFORE_DAYS),
        ends_on__gte=today,
    )
    registered = Registration.objects.filter(status__in=REGISTERED)
    missing = _missing_targets(campaigns, registered)
    officers = Membership.objects.filter(
        role=Role.OFFICER, user__is_active=True, unit_id__in={t.unit_id for t in missing}
    ).exclude(user__email="")
    by_unit: dict[int, list[int]] = {}
    for membership in officers:
        by_unit.setdefault(membership.unit_id, []).append(membership.user_id)
    Reminder.objects.bulk_create(
        [
            Reminder(
                kind=ReminderKind.REGISTRATION_DUE,
                campaign_id=target.campaign_id,
                unit_id=target.unit_id,
                user_id=user_id,
                due_on=today,
            )
            for target in missing
            for user_id in by_unit.get(target.unit_id, [])
        ],
        ignore_conflicts=True,
    )
    users = (
        Reminder.objects.filter(due_on=today, sent_at__isnull=True)
        .values_list("user_id", flat=True)
        .distinct()
    )
    return sum(_send_digest(user_id, today) for user_id in list(users))


def _missing_targets(campaigns, registered) -> list[CampaignTarget]:
    done = set(registered.filter(campaign__in=campaigns).values_list("campaign_id", "unit_id"))
    return [
        target
        for target in CampaignTarget.objects.filter(campaign__in=campaigns)
        if (target.campaign_id, target.unit_id) not in done
    ]


def _send_digest(user_id: int, today: datetime.date) -> int:
    """One mail for all of a person's reminders of the day; the rows stay locked while it goes."""
    with transaction.atomic():
        rows = list(
            Reminder.objects.select_for_update(skip_locked=True)
            .filter(user_id=user_id, due_on=today, sent_at__isnull=True)
            .select_related("campaign", "unit", "user")
            .order_by("campaign__registration_due", "unit__path")
        )
        if not rows:
            return 0
        items = [
            {
                "reminder": row,
                "overdue": row.campaign.registration_due < today,
                "url": settings.SITE_URL
                + reverse("pledges:list", kwargs={"campaign_id": row.campaign_id}),
            }
            for row in rows
        ]
        send_mail(
            "Nhắc hạn đăng ký thi đua",
            render_to_string(
                "emails/registration_reminders.txt", {"user": rows[0].user, "items": items}
            ),
            None,
            [rows[0].user.email],
        )
        sent_at = timezone.now()
        for row in rows:
            row.sent_at = sent_at
            stamp(row, actor=None, reason="pledges.reminder.sent")
            row.save(update_fields=["sent_at"])
    return 1
