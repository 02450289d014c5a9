"""Celery entry points of the webhooks: thin, they take ids (registered by portal/celery.py)."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from api.models import DeliveryStatus, WebhookDelivery, WebhookEvent
from api.webhooks import delivery
from portal.background.enqueue import enqueue


@shared_task
def dispatch_webhook_event(event_id: int) -> int:
    created = delivery.dispatch_event(event_id)
    for delivery_id in created:
        enqueue(deliver_webhook, delivery_id)
    return len(created)


@shared_task(bind=True, max_retries=delivery.MAX_ATTEMPTS)
def deliver_webhook(self, delivery_id: int) -> bool:
    done = delivery.deliver(delivery_id)
    if not done and not self.request.is_eager:
        row = WebhookDelivery.objects.get(pk=delivery_id)
        countdown = max((row.next_attempt_at - timezone.now()).total_seconds(), 1)
        raise self.retry(countdown=countdown)
    return done


@shared_task
def redeliver_due_webhooks() -> int:
    """The safety net (beat): events never dispatched (the broker was down at commit) and
    deliveries whose next attempt is due."""
    for event_id in WebhookEvent.objects.filter(dispatched_at__isnull=True).values_list(
        "pk", flat=True
    ):
        enqueue(dispatch_webhook_event, event_id)
    due = WebhookDelivery.objects.filter(
        status=DeliveryStatus.PENDING, next_attempt_at__lte=timezone.now()
    ).values_list("pk", flat=True)
    count = 0
    for delivery_id in due:
        count += enqueue(deliver_webhook, delivery_id)
    return count
