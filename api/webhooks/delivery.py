"""From an outbox event to signed deliveries: who hears of it, what they are told, and one
HTTP call per attempt; a delivery that succeeded is never sent again."""

from __future__ import annotations

import datetime
import hashlib
import hmac
import http.client
import json

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from api.models import (
    DeliveryStatus,
    Webhook,
    WebhookDelivery,
    WebhookEvent,
    WebhookEventKind,
)
from api.webhooks import targets
from awards.models import AwardDecision, Nomination
from campaigns.models import Campaign
from portal.errors import RuleViolation
from portal.models import Unit

MAX_ATTEMPTS = 8
TIMEOUT_SECONDS = 10
SIGNATURE_HEADER = "X-ThiDua-Signature"


def backoff(attempts: int) -> datetime.timedelta:
    """30 s, 1 min, 2 min … doubling, at most 6 hours between attempts."""
    return datetime.timedelta(seconds=min(30 * 2 ** max(attempts - 1, 0), 6 * 3600))


def _document(document) -> dict | None:
    if document is None or document.status != "issued":
        return None
    return {
        "id": document.pk,
        "number_and_symbol": document.number_and_symbol,
        "issued_on": document.issued_on,
        "verification_code": document.verification_code,
        "pdf_url": settings.SITE_URL
        + reverse("api:get_document_pdf", kwargs={"document_id": document.pk}),
    }


def _decision_data(event: WebhookEvent) -> tuple[list[Unit], callable]:
    decision = AwardDecision.objects.select_related("unit", "document").get(pk=event.subject_id)
    nominations = list(
        (decision.nominations.all() | decision.revoked_nominations.all())
        .select_related("proposing_unit")
        .distinct()
    )
    units = {decision.unit_id: decision.unit}
    for n in nominations:
        units.setdefault(n.proposing_unit_id, n.proposing_unit)

    def data_for(unit: Unit) -> dict:
        # A proposing unit hears of its own dossiers only; the deciding level of all of them.
        own = [n.pk for n in nominations if unit == decision.unit or n.proposing_unit_id == unit.pk]
        return {
            "decision_id": decision.pk,
            "kind": decision.kind,
            "status": decision.status,
            "deciding_unit_code": decision.unit.code,
            "document": _document(decision.document),
            "nomination_ids": own,
        }

    return list(units.values()), data_for


def _dossier_data(event: WebhookEvent):
    nomination = Nomination.objects.select_related("proposing_unit").get(pk=event.subject_id)

    def data_for(unit: Unit) -> dict:
        return {
            "nomination_id": nomination.pk,
            "status": nomination.status,
            "reason": nomination.last_reason,
        }

    return [nomination.proposing_unit], data_for


def _campaign_data(event: WebhookEvent):
    campaign = Campaign.objects.select_related("issuer", "document").get(pk=event.subject_id)
    units = [campaign.issuer, *Unit.objects.filter(campaign_targets__campaign=campaign)]

    def data_for(unit: Unit) -> dict:
        return {
            "campaign_id": campaign.pk,
            "title": campaign.title,
            "issuer_code": campaign.issuer.code,
            "registration_due": campaign.registration_due,
            "document": _document(campaign.document),
        }

    return units, data_for


SUBJECTS = {
    WebhookEventKind.DECISION_ISSUED: _decision_data,
    WebhookEventKind.DECISION_PUBLISHED: _decision_data,
    WebhookEventKind.DOSSIER_RETURNED: _dossier_data,
    WebhookEventKind.CAMPAIGN_LAUNCHED: _campaign_data,
}


@transaction.atomic
def dispatch_event(event_id: int) -> list[int]:
    """Make the event's deliveries (once per webhook, whatever the reruns); their ids."""
    event = WebhookEvent.objects.select_for_update().get(pk=event_id)
    units, data_for = SUBJECTS[event.kind](event)
    hooks = Webhook.objects.filter(unit__in=units, is_active=True).select_related("unit")
    created = []
    for hook in hooks:
        if event.kind not in hook.events:
            continue
        envelope = {
            "event_id": str(event.event_id),
            "event": event.kind,
            "occurred_at": event.occurred_at,
            "unit_code": hook.unit.code,
            "data": data_for(hook.unit),
        }
        payload = json.loads(json.dumps(envelope, cls=DjangoJSONEncoder))
        delivery, made = WebhookDelivery.objects.get_or_create(
            webhook=hook, event=event, defaults={"payload": payload}
        )
        if made:
            created.append(delivery.pk)
    if event.dispatched_at is None:
        event.dispatched_at = timezone.now()
        event.save(update_fields=["dispatched_at"])
    return created


def sign(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def deliver(delivery_id: int) -> bool:
    """One attempt; True when nothing is left to do (delivered, given up, or taken by another
    worker). The row stays locked during the call, so two workers never send it twice."""
    with transaction.atomic():
        delivery = (
            WebhookDelivery.objects.select_for_update(skip_locked=True)
            .select_related("webhook", "event")
            .filter(pk=delivery_id, status=DeliveryStatus.PENDING)
            .first()
        )
        if delivery is None:
            return True
        body = json.dumps(delivery.payload, ensure_ascii=False).encode()
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": "ThiDua-Webhook/1",
            "X-ThiDua-Event": delivery.event.kind,
            "X-ThiDua-Event-Id": str(delivery.event.event_id),
            SIGNATURE_HEADER: sign(delivery.webhook.secret, body),
        }
        delivery.attempts += 1
        try:
            # Checked again here: the name may point elsewhere since the webhook was added.
            delivery.last_status_code = targets.post(
                delivery.webhook.url, body, headers, TIMEOUT_SECONDS
            )
            delivery.last_error = (
                ""
                if 200 <= delivery.last_status_code < 300
                else f"HTTP {delivery.last_status_code}"
            )
        except RuleViolation as refusal:
            delivery.last_status_code = None
            delivery.last_error = refusal.message[:500]
        except (OSError, http.client.HTTPException) as error:
            delivery.last_status_code = None
            delivery.last_error = (str(error) or type(error).__name__)[:500]
        now = timezone.now()
        if delivery.last_status_code is not None and 200 <= delivery.last_status_code < 300:
            delivery.status = DeliveryStatus.DELIVERED
            delivery.delivered_at = now
        elif delivery.attempts >= MAX_ATTEMPTS:
            delivery.status = DeliveryStatus.FAILED
        else:
            delivery.next_attempt_at = now + backoff(delivery.attempts)
        delivery.save()
        return delivery.status != DeliveryStatus.PENDING
