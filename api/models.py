"""The API's tables: service tokens and their use log, idempotent POSTs, webhooks with their
outbox and delivery log."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from portal import access
from portal.models import Unit


class ServiceTokenQuerySet(models.QuerySet):
    def visible_to(self, user) -> ServiceTokenQuerySet:
        return self.filter(access.unit_scope(user, "unit__path"))


class ServiceToken(models.Model):
    """A machine's key to the API on behalf of one unit, with the capabilities its maker chose.

    Only the SHA-256 of the secret is kept; the secret is shown once, when the token is made.
    """

    unit = models.ForeignKey(
        Unit, verbose_name="đơn vị", on_delete=models.PROTECT, related_name="service_tokens"
    )
    name = models.CharField("tên hệ thống sử dụng", max_length=150)
    prefix = models.CharField("tiền tố", max_length=16, unique=True)
    digest = models.CharField(max_length=64)
    capabilities = models.JSONField("quyền được cấp", default=list)
    expires_on = models.DateField("hết hạn ngày")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người tạo",
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)
    revoked_at = models.DateTimeField("thu hồi lúc", null=True, blank=True)
    last_used_at = models.DateTimeField("dùng lần cuối", null=True, blank=True)
    history = HistoricalRecords()

    objects = ServiceTokenQuerySet.as_manager()

    class Meta:
        verbose_name = "khóa API của đơn vị"
        verbose_name_plural = "khóa API của đơn vị"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None and self.expires_on >= timezone.localdate()


class TokenUse(models.Model):
    """One request made with a token: the audit of every use."""

    token = models.ForeignKey(ServiceToken, on_delete=models.CASCADE, related_name="uses")
    at = models.DateTimeField(auto_now_add=True)
    method = models.CharField(max_length=8)
    path = models.CharField(max_length=500)
    status = models.PositiveSmallIntegerField()
    ip = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["-at"]
        indexes = [models.Index(fields=["token", "-at"])]

    def __str__(self) -> str:
        return f"{self.method} {self.path} → {self.status}"


class IdempotentRequest(models.Model):
    """A POST seen with an `Idempotency-Key`: a retry with the same key and body gets the stored
    answer instead of writing again."""

    key = models.CharField(max_length=255)
    principal = models.CharField(max_length=40)  # "token:<id>" or "user:<id>"
    request_hash = models.CharField(max_length=64)
    status = models.PositiveSmallIntegerField()
    content = models.BinaryField()  # the answer's bytes, replayed as they were sent
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["principal", "key"], name="api_idempotency_once")
        ]

    def __str__(self) -> str:
        return f"{self.principal} {self.key}"


class WebhookEventKind(models.TextChoices):
    DECISION_ISSUED = "decision.issued", "Quyết định khen thưởng được ban hành"
    DECISION_PUBLISHED = "decision.published", "Quyết định khen thưởng được công bố"
    DOSSIER_RETURNED = "dossier.returned", "Hồ sơ đề nghị bị trả lại"
    CAMPAIGN_LAUNCHED = "campaign.launched", "Phong trào thi đua được phát động"


class WebhookQuerySet(models.QuerySet):
    def visible_to(self, user) -> WebhookQuerySet:
        return self.filter(access.unit_scope(user, "unit__path"))


class Webhook(models.Model):
    """Where a unit wants to be told of its events; each call is signed with `secret`."""

    unit = models.ForeignKey(
        Unit, verbose_name="đơn vị", on_delete=models.PROTECT, related_name="webhooks"
    )
    url = models.URLField("địa chỉ nhận", max_length=500)
    secret = models.CharField(max_length=64)
    events = models.JSONField("sự kiện", default=list)
    is_active = models.BooleanField("đang dùng", default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    objects = WebhookQuerySet.as_manager()

    class Meta:
        verbose_name = "webhook của đơn vị"
        verbose_name_plural = "webhook của đơn vị"
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.url


class WebhookEvent(models.Model):
    """The outbox: an event written in the same transaction as the change that caused it."""

    event_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(max_length=30, choices=WebhookEventKind.choices)
    subject_id = models.PositiveBigIntegerField()
    occurred_at = models.DateTimeField(default=timezone.now)
    dispatched_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        indexes = [models.Index(fields=["dispatched_at"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.event_id}"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "Đang chờ gửi"
    DELIVERED = "delivered", "Đã gửi"
    FAILED = "failed", "Gửi không thành công"


class WebhookDeliveryQuerySet(models.QuerySet):
    def visible_to(self, user) -> WebhookDeliveryQuerySet:
        return self.filter(access.unit_scope(user, "webhook__unit__path"))


class WebhookDelivery(models.Model):
    """One event for one webhook: at most one successful delivery, ever."""

    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="deliveries")
    event = models.ForeignKey(WebhookEvent, on_delete=models.CASCADE, related_name="deliveries")
    payload = models.JSONField()
    status = models.CharField(
        max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = WebhookDeliveryQuerySet.as_manager()

    class Meta:
        ordering = ["-pk"]
        constraints = [
            models.UniqueConstraint(fields=["webhook", "event"], name="api_delivery_once")
        ]

    def __str__(self) -> str:
        return f"{self.event_id} → {self.webhook_id}: {self.status}"
