"""The launch announcement's outbox: who is told of a launch, recorded in the launch's own
transaction, so that a broker down at commit time loses nobody (`tasks.announce_launch`; the
beat sends what is left)."""

from __future__ import annotations

import datetime

from django.db.models import QuerySet
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from campaigns.models import Campaign, LaunchNotice
from portal import access
from portal.access import Cap
from portal.models import Unit, User
from portal.models.units import valid_on_q


def launch_recipients(campaign: Campaign, day: datetime.date) -> QuerySet[User]:
    """Those with an e-mail who run campaigns (MANAGE_CAMPAIGN: the leaders and emulation
    officers) in the campaign's target units that exist on `day`: a unit closed since the
    launch has nobody to act on the call."""
    targets = Unit.objects.filter(valid_on_q(day), campaign_targets__campaign=campaign)
    held = access.holder_ids(Cap.MANAGE_CAMPAIGN, targets.only("pk", "path"))
    return User.objects.filter(
        pk__in={user_id for user_ids in held.values() for user_id in user_ids}, is_active=True
    ).exclude(email="")


def record_launch_notices(campaign: Campaign, *, actor: User | None) -> int:
    """One unsent notice per recipient not yet noted; returns how many were added."""
    noted = LaunchNotice.objects.filter(campaign=campaign).values("user_id")
    users = launch_recipients(campaign, timezone.localdate()).exclude(pk__in=noted)
    created = bulk_create_with_history(
        [LaunchNotice(campaign=campaign, user=user) for user in users],
        LaunchNotice,
        default_user=actor,
        default_change_reason="campaigns.launch_notice.recorded",
    )
    return len(created)


def campaigns_with_pending_notices() -> list[int]:
    """The campaigns with a launch notice left unsent: the broker was down at the launch's
    commit, a worker died, or a mail server refused."""
    return list(
        LaunchNotice.objects.filter(sent_at__isnull=True)
        .values_list("campaign_id", flat=True)
        .distinct()
        .order_by("campaign_id")
    )
