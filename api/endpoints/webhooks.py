"""A unit's webhook delivery log, as its page shows it."""

from __future__ import annotations

import datetime

from django.http import HttpRequest
from ninja import Query, Router, Schema

from api.endpoints.common import ListFilters, filter_list, paginate, user_of
from api.models import DeliveryStatus, WebhookDelivery

router = Router(tags=["Webhook"])


class DeliveryOut(Schema):
    id: int
    event_id: str
    event: str
    occurred_at: datetime.datetime
    unit_code: str
    url: str
    status: str
    attempts: int
    last_status_code: int | None
    last_error: str
    delivered_at: datetime.datetime | None


class DeliveryPage(Schema):
    items: list[DeliveryOut]
    next_cursor: str | None = None


def delivery_out(row: WebhookDelivery) -> dict:
    return {
        "id": row.pk,
        "event_id": str(row.event.event_id),
        "event": row.event.kind,
        "occurred_at": row.event.occurred_at,
        "unit_code": row.webhook.unit.code,
        "url": row.webhook.url,
        "status": row.status,
        "attempts": row.attempts,
        "last_status_code": row.last_status_code,
        "last_error": row.last_error,
        "delivered_at": row.delivered_at,
    }


@router.get("/webhook-deliveries", response=DeliveryPage, summary="Nhật ký gửi webhook của đơn vị")
def list_webhook_deliveries(request: HttpRequest, filters: Query[ListFilters]):
    user = user_of(request)
    rows = filter_list(
        WebhookDelivery.objects.visible_to(user).select_related("event", "webhook__unit"),
        filters,
        user,
        unit_path="webhook__unit__path",
        year_field="event__occurred_at__year",
        date_field="event__occurred_at__date",
        statuses=DeliveryStatus.values,
    )
    return paginate(rows, filters, delivery_out)
