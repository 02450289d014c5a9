"""Background work of campaigns: thin entry points that take ids."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from campaigns.models import Campaign, LaunchNotice
from portal.models import Role, User


@shared_task
def notify_campaign_launched(campaign_id: int) -> int:
    """Tell the leaders and emulation officers of every target unit; returns how many mails
    went out this run (a rerun sends only what an earlier run did not)."""
    campaign = Campaign.objects.select_related("issuer").get(pk=campaign_id)
    recipients = (
        User.objects.filter(
            is_active=True,
            memberships__role__in=[Role.LEADER, Role.OFFICER],
            memberships__unit__campaign_targets__campaign=campaign,
        )
        .exclude(email="")
        .distinct()
    )
    LaunchNotice.objects.bulk_create(
        [LaunchNotice(campaign=campaign, user=user) for user in recipients],
        ignore_conflicts=True,
    )
    url = settings.SITE_URL + reverse("campaigns:detail", kwargs={"campaign_id": campaign.pk})
    sent = 0
    pending = LaunchNotice.objects.filter(campaign=campaign, sent_at__isnull=True)
    for notice in pending.select_related("user"):
        claimed = LaunchNotice.objects.filter(pk=notice.pk, sent_at__isnull=True).update(
            sent_at=timezone.now()
        )
        if claimed != 1:
            continue
        try:
            send_mail(
                f"Phát động {campaign.title}",
                render_to_string(
                    "emails/campaign_launched.txt",
                    {"campaign": campaign, "user": notice.user, "url": url},
                ),
                None,
                [notice.user.email],
            )
        except Exception:
            # Release the claim so that the retry sends it.
            LaunchNotice.objects.filter(pk=notice.pk).update(sent_at=None)
            raise
        sent += 1
    return sent
