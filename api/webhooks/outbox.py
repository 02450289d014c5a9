"""The outbox: an event row written in the same transaction as the change it reports.

The apps already stamp each write with a dotted change reason (`portal.audit.stamp`); the
history row of a decision issued, a dossier returned or a campaign launched is the moment to
write the event, so no app imports the API and nothing is lost between the change and the
event. Delivery happens after commit (`api.webhooks.tasks`).
"""

from __future__ import annotations

import functools

from django.db import transaction
from simple_history.signals import post_create_historical_record

from api.models import WebhookEvent, WebhookEventKind
from api.webhooks import tasks
from portal.background.enqueue import enqueue

# The change reasons (as the services stamp them) that are events, by the model they name.
EVENT_REASONS: dict[tuple[str, str], str] = {
    ("awards.AwardDecision", "awards.decision.issued"): WebhookEventKind.DECISION_ISSUED,
    ("awards.AwardDecision", "awards.decision.revocation_issued"): (
        WebhookEventKind.DECISION_ISSUED
    ),
    ("awards.AwardDecision", "awards.decision.published"): WebhookEventKind.DECISION_PUBLISHED,
    ("awards.Nomination", "awards.nomination.return"): WebhookEventKind.DOSSIER_RETURNED,
    ("awards.Nomination", "awards.nomination.central_return"): WebhookEventKind.DOSSIER_RETURNED,
    ("awards.Nomination", "awards.nomination.return_to_sender"): (
        WebhookEventKind.DOSSIER_RETURNED
    ),
    ("campaigns.Campaign", "campaigns.campaign.launched"): WebhookEventKind.CAMPAIGN_LAUNCHED,
}


def _record_event(sender, instance, history_instance, **kwargs) -> None:
    reason = (history_instance.history_change_reason or "").split(":", 1)[0]
    kind = EVENT_REASONS.get((instance._meta.label, reason))
    if kind is None:
        return
    event = WebhookEvent.objects.create(kind=kind, subject_id=instance.pk)
    transaction.on_commit(functools.partial(enqueue, tasks.dispatch_webhook_event, event.pk))


def listen_for_events() -> None:
    post_create_historical_record.connect(_record_event, dispatch_uid="api.webhooks.outbox")
