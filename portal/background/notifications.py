"""The notification centre's writes: reading notifications and a person's digest settings."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from portal.audit import stamp
from portal.errors import RuleViolation
from portal.models import Notification, NotificationPreference, User


def mark_notification_read(notification: Notification, *, actor) -> Notification:
    if notification.user_id != actor.pk:
        raise PermissionDenied("Thông báo này không phải của bạn.")
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def mark_all_notifications_read(user: User, *, actor) -> int:
    if user.pk != actor.pk:
        raise PermissionDenied("Chỉ người nhận mới đánh dấu được thông báo của mình.")
    return Notification.objects.filter(user=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def preferences_of(user: User) -> NotificationPreference:
    return NotificationPreference.objects.filter(user=user).first() or NotificationPreference(
        user=user
    )


@transaction.atomic
def update_notification_preferences(
    user: User, *, actor, digest_hour: int, mute_email: bool, mute_inbox: bool
) -> NotificationPreference:
    if user.pk != actor.pk:
        raise PermissionDenied("Chỉ chủ tài khoản mới đổi được cài đặt thông báo.")
    if not 0 <= digest_hour <= 23:
        raise RuleViolation("Giờ nhận bản tin phải từ 0 đến 23.", code="digest_hour_invalid")
    # The account's row stands for its preference not saved yet (a missing row locks nothing):
    # two first saves at once would both insert.
    list(User.objects.select_for_update().filter(pk=user.pk).values_list("pk"))
    preference = NotificationPreference.objects.filter(user=user).first() or NotificationPreference(
        user=user
    )
    preference.digest_hour = digest_hour
    preference.mute_email = mute_email
    preference.mute_inbox = mute_inbox
    stamp(preference, actor=actor, reason="portal.notification_preference.updated")
    preference.save()
    return preference
