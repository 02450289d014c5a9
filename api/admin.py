"""The API's audited tables in the admin, read with their history (secrets are never shown)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from api.models import (
    IdempotentRequest,
    ServiceToken,
    TokenUse,
    Webhook,
    WebhookDelivery,
    WebhookEvent,
)


@admin.register(ServiceToken)
class ServiceTokenAdmin(SimpleHistoryAdmin):
    list_display = ["name", "unit", "prefix", "expires_on", "revoked_at", "last_used_at"]
    exclude = ["digest"]
    readonly_fields = ["prefix", "created_by", "last_used_at"]


@admin.register(Webhook)
class WebhookAdmin(SimpleHistoryAdmin):
    list_display = ["url", "unit", "is_active"]
    exclude = ["secret"]
    readonly_fields = ["created_by"]


@admin.register(TokenUse)
class TokenUseAdmin(admin.ModelAdmin):
    list_display = ["token", "at", "method", "path", "status", "ip"]


@admin.register(IdempotentRequest)
class IdempotentRequestAdmin(admin.ModelAdmin):
    list_display = ["principal", "key", "status", "created_at"]


@admin.register(WebhookEvent)
class WebhookEventAdmin(admin.ModelAdmin):
    list_display = ["event_id", "kind", "subject_id", "occurred_at", "dispatched_at"]


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = ["event", "webhook", "status", "attempts", "last_status_code"]
