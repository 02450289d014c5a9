"""Background work of campaigns: thin entry points that take ids."""

from __future__ import annotations

import functools

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from campaigns import notices
from campaigns.models import Campaign, LaunchNotice
from portal.audit import stamp
from portal.background.enqueue import enqueue
from portal.models import User


@shared_task
def notify_campaign_launched(campaign_id: int) -> int:
    """Tell the leaders and emulation officers of every target unit (noted at the launch, and
    any who joined since); returns how many mails went out this run (a rerun sends only what an
    earlier run did not)."""
    campaign = Campaign.objects.select_related("issuer", "document").get(pk=campaign_id)
    notices.record_launch_notices(campaign, actor=None)
    url = settings.SITE_URL + reverse("campaigns:detail", kwargs={"campaign_id": campaign.pk})
    sent = 0
    pending = LaunchNotice.objects.filter(campaign=campaign, sent_at__isnull=True)
    for notice_id in pending.values_list("pk", flat=True):
        # The row lock is held while mailing: a failed send rolls back and the retry sends it.
        with transaction.atomic():
            notice = (
                LaunchNotice.objects.select_for_update(skip_locked=True)
                .select_related("user")
                .filter(pk=notice_id, sent_at__isnull=True)
                .first()
            )
            if notice is None:
                continue
            send_mail(
                f"Phát động {campaign.title}",
                render_to_string(
                    "emails/campaign_launched.txt",
                    {"campaign": campaign, "user": notice.user, "url": url},
                ),
                None,
                [notice.user.email],
            )
            notice.sent_at = timezone.now()
            stamp(notice, actor=None, reason="campaigns.launch_notice.sent")
            notice.save(update_fields=["sent_at"])
        sent += 1
    return sent


@shared_task
def resend_launch_notices() -> int:
    """The safety net (beat): hands the worker again every campaign with a launch notice left
    unsent; returns how many were handed over. Handing one over twice is harmless: each notice
    is locked while it is sent."""
    return sum(
        enqueue(notify_campaign_launched, pk) for pk in notices.campaigns_with_pending_notices()
    )


def announce_launch(campaign: Campaign, *, actor: User) -> None:
    """Note who is to be told, in the launch's transaction, and hand the mailing to the worker
    once the launch commits."""
    notices.record_launch_notices(campaign, actor=actor)
    transaction.on_commit(functools.partial(enqueue, notify_campaign_launched, campaign.pk))
