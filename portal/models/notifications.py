"""Reminders waiting to be sent (the outbox), the daily digests, notifications and preferences.

These are operational rows, not domain records: the outbox is written by the hourly planner
(thousands of rows a day) and moved through its states by conditional updates, which
simple-history would not see anyway. Their own columns are the trail (who, what, when sent),
so they carry no `HistoricalRecords`. Preferences are a user's own settings, changed only by
that user through `update_notification_preferences`, and audited like domain records.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from .units import Unit


class ReminderStatus(models.TextChoices):
    PENDING = "pending", "Chờ gửi"
    SENDING = "sending", "Đang gửi"
    SENT = "sent", "Đã gửi"
    MUTED = "muted", "Người nhận đã tắt kênh"


class Reminder(models.Model):
    """One reminder of one record to one person for one day: the outbox row of the planner.

    The unique constraint on (kind, target, recipient, day) makes a second planner run
    harmless; the sender claims rows by a conditional update on `status`.
    """

    kind = models.CharField("loại nhắc việc", max_length=64)
    target_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    target_id = models.PositiveBigIntegerField()
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminders"
    )
    remind_on = models.DateField("ngày nhắc")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    title = models.CharField("nội dung", max_length=300)
    url = models.CharField("đường dẫn", max_length=300)
    due_on = models.DateField("hạn")
    overdue = models.BooleanField("quá hạn", default=False)
    escalated = models.BooleanField("chuyển cấp trên", default=False)
    legal_deadline = models.BooleanField("thời hạn luật định", default=False)
    status = models.CharField(
        max_length=10, choices=ReminderStatus.choices, default=ReminderStatus.PENDING
    )
    digest = models.ForeignKey(
        "Digest", null=True, blank=True, on_delete=models.SET_NULL, related_name="reminders"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "nhắc việc"
        verbose_name_plural = "nhắc việc"
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "target_type", "target_id", "recipient", "remind_on"],
                name="reminder_once_per_day",
            ),
        ]
        indexes = [
            models.Index(fields=["recipient", "status", "remind_on"], name="reminder_outbox"),
            models.Index(fields=["status", "remind_on"], name="reminder_pending"),
        ]

    def __str__(self) -> str:
        return f"{self.title} → {self.recipient_id} ({self.remind_on:%d/%m/%Y})"


class DigestStatus(models.TextChoices):
    PENDING = "pending", "Chờ gửi"
    SENDING = "sending", "Đang gửi"
    SENT = "sent", "Đã gửi"


class Digest(models.Model):
    """The one digest of one person for one day; the unique constraint keeps it one."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digests"
    )
    day = models.DateField("ngày")
    status = models.CharField(
        max_length=10, choices=DigestStatus.choices, default=DigestStatus.PENDING
    )
    claim_token = models.UUIDField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)
    item_count = models.PositiveIntegerField(default=0)
    emailed = models.BooleanField("đã gửi thư", default=False)
    notified = models.BooleanField("đã báo trên cổng", default=False)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "bản tin nhắc việc"
        verbose_name_plural = "bản tin nhắc việc"
        constraints = [
            models.UniqueConstraint(fields=["user", "day"], name="digest_once_per_user_day"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} – {self.day:%d/%m/%Y} – {self.get_status_display()}"


class NotificationQuerySet(models.QuerySet):
    def visible_to(self, user) -> NotificationQuerySet:
        """A notification is private to its recipient, administrators included."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(user=user)

    def unread(self) -> NotificationQuerySet:
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """An entry of the in-portal notification centre (the bell)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=64)
    title = models.CharField("tiêu đề", max_length=300)
    url = models.CharField("đường dẫn", max_length=300, blank=True)
    # A frozen copy of the digest lines (title, url, due date, overdue, escalated, unit), as
    # mailed: later changes to the records do not rewrite what the user was told.
    items = models.JSONField(default=list, blank=True)
    digest = models.OneToOneField(
        Digest, null=True, blank=True, on_delete=models.SET_NULL, related_name="notification"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = "thông báo"
        verbose_name_plural = "thông báo"
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(
                fields=["user", "created_at"],
                condition=Q(read_at__isnull=True),
                name="notification_unread",
            ),
        ]

    def __str__(self) -> str:
        return self.title


DEFAULT_DIGEST_HOUR = 7


class NotificationPreference(models.Model):
    """When a person gets their digest, and which channels they muted."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    digest_hour = models.PositiveSmallIntegerField("giờ nhận bản tin", default=DEFAULT_DIGEST_HOUR)
    mute_email = models.BooleanField("tắt thư điện tử", default=False)
    mute_inbox = models.BooleanField("tắt thông báo trên cổng", default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "cài đặt thông báo"
        verbose_name_plural = "cài đặt thông báo"
        constraints = [
            models.CheckConstraint(
                condition=Q(digest_hour__lte=23), name="preference_digest_hour_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.digest_hour}h"
