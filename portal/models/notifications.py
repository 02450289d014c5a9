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
from django.db.models import Case, F, Q, Value, When
from simple_history.models import HistoricalRecords

from .units import Unit


class ReminderStatus(models.TextChoices):
    """Where an outbox row stands, read from its digest (`ReminderQuerySet.with_status`)."""

    PENDING = "pending", "Chờ gửi"
    SENDING = "sending", "Đang gửi"
    SENT = "sent", "Đã gửi"
    MUTED = "muted", "Người nhận đã tắt kênh"


class ReminderQuerySet(models.QuerySet):
    def with_status(self) -> ReminderQuerySet:
        """Each row's `status`: pending without a digest; otherwise its digest's, where a sent
        digest whose person muted both channels leaves its ordinary rows muted (a legal
        deadline always reaches the portal)."""
        return self.annotate(
            status=Case(
                When(digest__isnull=True, then=Value(ReminderStatus.PENDING)),
                When(
                    digest__status=DigestStatus.SENT,
                    digest__muted=True,
                    legal_deadline=False,
                    then=Value(ReminderStatus.MUTED),
                ),
                default=F("digest__status"),
                output_field=models.CharField(),
            )
        )


class Reminder(models.Model):
    """One reminder of one record to one person for one day: the outbox row of the planner.

    The unique constraint on (kind, target, recipient, day) makes a second planner run
    harmless. A row without a digest waits; the sender claims it by pointing it at the
    person's digest (a conditional update on `digest`), and from then on the row is what its
    digest is: sending, sent (or muted). The row is written once by the sender, not again
    when the mail went: each write of a row rewrites every index of this table, the largest
    part of a digest's cost at province scale (docs/architecture.md, "A day's digests").
    """

    kind = models.CharField("loại nhắc việc", max_length=64)
    # Not indexed: nothing looks rows up by their content type (only a content type's deletion
    # would), and each index is paid on every row the planner writes and the sender claims.
    target_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    target_id = models.PositiveBigIntegerField()
    # Not indexed alone: `reminder_outbox` starts with it.
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="reminders",
        db_index=False,
    )
    remind_on = models.DateField("ngày nhắc")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    title = models.CharField("nội dung", max_length=300)
    url = models.CharField("đường dẫn", max_length=300)
    due_on = models.DateField("hạn")
    overdue = models.BooleanField("quá hạn", default=False)
    escalated = models.BooleanField("chuyển cấp trên", default=False)
    legal_deadline = models.BooleanField("thời hạn luật định", default=False)
    digest = models.ForeignKey(
        "Digest", null=True, blank=True, on_delete=models.SET_NULL, related_name="reminders"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ReminderQuerySet.as_manager()

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
            # A person's rows of a day (the to-do list).
            models.Index(fields=["recipient", "remind_on"], name="reminder_outbox"),
            # The rows waiting for a digest: the sender's claim and the send sweep. A claimed
            # row leaves this index and is never added to it again.
            models.Index(
                fields=["recipient", "remind_on"],
                condition=Q(digest__isnull=True),
                name="reminder_waiting",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} → {self.recipient_id} ({self.remind_on:%d/%m/%Y})"


class DigestStatus(models.TextChoices):
    PENDING = "pending", "Chờ gửi"
    SENDING = "sending", "Đang gửi"
    SENT = "sent", "Đã gửi"


class Digest(models.Model):
    """The one digest of one person for one day; the unique constraint keeps it one."""

    # Not indexed alone: `digest_once_per_user_day` starts with it.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digests", db_index=False
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
    # The person had muted both channels: the digest's ordinary rows reached nobody.
    muted = models.BooleanField("người nhận đã tắt kênh", default=False)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "bản tin nhắc việc"
        verbose_name_plural = "bản tin nhắc việc"
        constraints = [
            models.UniqueConstraint(fields=["user", "day"], name="digest_once_per_user_day"),
        ]
        indexes = [
            # Digests being sent, to find those whose worker died (few at any time).
            models.Index(
                fields=["claimed_at"],
                condition=Q(status="sending"),
                name="digest_sending",
            ),
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
