"""The writes of a unit's webhooks: add (the signing secret shown once) and switch off."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.db import transaction

from api.models import Webhook, WebhookEventKind
from api.tokens import may_make_tokens
from api.webhooks import targets
from portal import access
from portal.audit import stamp
from portal.errors import RuleViolation
from portal.models import Unit


@dataclass(frozen=True)
class NewWebhook:
    webhook: Webhook
    secret: str


@transaction.atomic
def add_webhook(unit: Unit, *, actor, url: str, events: list[str]) -> NewWebhook:
    if not may_make_tokens(actor, unit):
        raise access.denied()
    url = url.strip()
    targets.check_target(url)
    if not events:
        raise RuleViolation("Chọn ít nhất một sự kiện.", code="webhook_events_required")
    unknown = set(events) - set(WebhookEventKind.values)
    if unknown:
        raise RuleViolation(
            f"Sự kiện không có: {', '.join(sorted(unknown))}.", code="webhook_event_unknown"
        )
    secret = secrets.token_hex(32)
    webhook = Webhook(unit=unit, url=url, secret=secret, events=sorted(events), created_by=actor)
    stamp(webhook, actor=actor, reason="api.webhook.added")
    webhook.save()
    return NewWebhook(webhook=webhook, secret=secret)


@transaction.atomic
def switch_off_webhook(webhook: Webhook, *, actor) -> Webhook:
    webhook = Webhook.objects.select_for_update().select_related("unit").get(pk=webhook.pk)
    if not may_make_tokens(actor, webhook.unit):
        raise access.denied()
    if not webhook.is_active:
        raise RuleViolation("Webhook này đã tắt.", code="webhook_already_off")
    webhook.is_active = False
    stamp(webhook, actor=actor, reason="api.webhook.switched_off")
    webhook.save(update_fields=["is_active"])
    return webhook
