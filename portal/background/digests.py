"""The daily digest: one e-mail and one notification per person per day, most urgent first.

Two workers may be handed the same person (a beat tick re-sending what a killed worker left,
a redelivered message). The digest row, unique per person and day, is claimed by a
conditional update whose count must be 1; only the winner claims the person's pending
outbox rows (one UPDATE ... WHERE status='pending', so each row goes to exactly one digest)
and sends. A failed send puts everything back to pending and re-raises for Celery to retry
with backoff; nothing is marked sent before the mail has gone out. A worker killed between
sending and recording leaves the digest claimed; it is taken over after WORK_CLAIM_LEASE_SECONDS
(at-least-once: that narrow window is the only way a mail can go twice).

The query count of one digest does not depend on the number of items.
"""

from __future__ import annotations

import datetime
import logging
import uuid
from dataclasses import dataclass
from urllib.parse import urlparse

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Case, Exists, F, OuterRef, Q, Value, When
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string
from django.utils import timezone

from portal.background.reminders import kind_has_deadline, kind_label
from portal.models import (
    Digest,
    DigestStatus,
    Notification,
    Reminder,
    ReminderStatus,
    User,
)
from portal.models.notifications import DEFAULT_DIGEST_HOUR

logger = logging.getLogger(__name__)

DIGEST_KIND = "portal.digest"


def recipients_due(
    now: datetime.datetime | None = None, *, day: datetime.date | None = None
) -> tuple[datetime.date, list[int]]:
    """Today's date and the people whose digest hour has come and who have pending rows.

    With `day` (a run by hand, `manage.py remind --now` or `--day`), that day and everyone
    with pending rows up to it, whatever their digest hour."""
    now = now or timezone.now()
    local = timezone.localtime(now)
    today = day or local.date()
    already = Digest.objects.filter(user=OuterRef("recipient_id"), day=today, status="sent")
    rows = Reminder.objects.filter(_waiting(now), remind_on__lte=today)
    if day is None:
        rows = rows.annotate(
            hour=Coalesce(
                "recipient__notification_preference__digest_hour", Value(DEFAULT_DIGEST_HOUR)
            )
        ).filter(hour__lte=local.hour)
    user_ids = (
        rows.filter(recipient__is_active=True)
        .filter(~Exists(already))
        .values_list("recipient_id", flat=True)
        .distinct()
        .order_by("recipient_id")
    )
    return today, list(user_ids)


def _waiting(now: datetime.datetime) -> Q:
    """Rows not sent yet: pending, or held by a digest whose worker died (its lease ran out)."""
    lease = now - datetime.timedelta(seconds=settings.WORK_CLAIM_LEASE_SECONDS)
    return Q(status=ReminderStatus.PENDING) | Q(
        status=ReminderStatus.SENDING,
        digest__status=DigestStatus.SENDING,
        digest__claimed_at__lt=lease,
    )


@dataclass(frozen=True)
class Line:
    kind: str
    title: str
    url: str
    due_on: datetime.date
    overdue: bool
    escalated: bool
    legal_deadline: bool
    unit_name: str

    @property
    def label(self) -> str:
        return kind_label(self.kind)

    @property
    def has_deadline(self) -> bool:
        return kind_has_deadline(self.kind)

    def as_json(self) -> dict:
        return {
            "kind": self.kind,
            "label": self.label,
            "title": self.title,
            "url": self.url,
            "due_on": self.due_on.isoformat(),
            "due_on_display": self.due_on.strftime("%d/%m/%Y"),
            "has_deadline": self.has_deadline,
            "overdue": self.overdue,
            "escalated": self.escalated,
            "legal_deadline": self.legal_deadline,
            "unit_name": self.unit_name,
        }


def lines_of(rows: list[Reminder]) -> list[Line]:
    """One line per record (the latest day's row wins), overdue first, then nearest due date."""
    latest: dict[tuple, Reminder] = {}
    for row in rows:
        key = (row.kind, row.target_type_id, row.target_id)
        if key not in latest or row.remind_on > latest[key].remind_on:
            latest[key] = row
    lines = [
        Line(
            kind=row.kind,
            title=row.title,
            url=row.url,
            due_on=row.due_on,
            overdue=row.overdue,
            escalated=row.escalated,
            legal_deadline=row.legal_deadline,
            unit_name=row.unit.name,
        )
        for row in latest.values()
    ]
    lines.sort(key=lambda line: (not line.overdue, line.due_on, line.title))
    return lines


@dataclass(frozen=True)
class DigestOutcome:
    sent: bool
    items: int = 0
    emailed: bool = False
    notified: bool = False


def send_digest(user_id: int, day: datetime.date) -> DigestOutcome:
    """Send `user_id` their digest of `day` unless another worker has it or it went already."""
    now = timezone.now()
    user = User.objects.select_related("notification_preference").get(pk=user_id)
    digest, _ = Digest.objects.get_or_create(user_id=user_id, day=day)
    token = uuid.uuid4()
    lease = now - datetime.timedelta(seconds=settings.WORK_CLAIM_LEASE_SECONDS)
    claimed = (
        Digest.objects.filter(pk=digest.pk)
        .filter(
            Q(status=DigestStatus.PENDING) | Q(status=DigestStatus.SENDING, claimed_at__lt=lease)
        )
        .update(
            status=DigestStatus.SENDING,
            claim_token=token,
            claimed_at=now,
            attempts=F("attempts") + 1,
        )
    )
    if claimed != 1:
        return DigestOutcome(sent=False)
    Reminder.objects.filter(_waiting(now), recipient_id=user_id, remind_on__lte=day).update(
        status=ReminderStatus.SENDING, digest=digest
    )
    rows = list(
        Reminder.objects.filter(digest=digest, status=ReminderStatus.SENDING).select_related("unit")
    )
    if not rows:
        _release(digest.pk, token, error="")
        return DigestOutcome(sent=False)

    preference = getattr(user, "notification_preference", None)
    lines = lines_of(rows)
    email_muted = bool(preference and preference.mute_email)
    inbox_muted = bool(preference and preference.mute_inbox)
    email_lines = _unmuted(lines, muted=email_muted)
    inbox_lines = _unmuted(lines, muted=inbox_muted)
    emailed = bool(email_lines and user.email)
    try:
        if emailed:
            _mail(user, day, email_lines, digest_id=digest.pk)
    except Exception as error:
        _release(digest.pk, token, error=f"{type(error).__name__}: {error}"[:500])
        raise

    # Legal deadlines always reach the portal; other rows only through an unmuted channel.
    others_delivered = (emailed and not email_muted) or not inbox_muted
    with transaction.atomic():
        if inbox_lines:
            Notification.objects.create(
                user_id=user_id,
                kind=DIGEST_KIND,
                title=subject_of(day, inbox_lines),
                url="",
                items=[line.as_json() for line in inbox_lines],
                digest=digest,
            )
        Reminder.objects.filter(digest=digest, status=ReminderStatus.SENDING).update(
            status=Case(
                When(legal_deadline=True, then=Value(ReminderStatus.SENT)),
                default=Value(ReminderStatus.SENT if others_delivered else ReminderStatus.MUTED),
            )
        )
        Digest.objects.filter(pk=digest.pk, claim_token=token).update(
            status=DigestStatus.SENT,
            sent_at=timezone.now(),
            item_count=len(lines),
            emailed=emailed,
            notified=bool(inbox_lines),
            last_error="",
        )
    return DigestOutcome(sent=True, items=len(lines), emailed=emailed, notified=bool(inbox_lines))


def _unmuted(lines: list[Line], *, muted: bool) -> list[Line]:
    """A muted channel still carries legal deadlines: those cannot be muted."""
    return [line for line in lines if line.legal_deadline] if muted else lines


def _release(digest_id: int, token: uuid.UUID, *, error: str) -> None:
    with transaction.atomic():
        Reminder.objects.filter(digest_id=digest_id, status=ReminderStatus.SENDING).update(
            status=ReminderStatus.PENDING, digest=None
        )
        Digest.objects.filter(pk=digest_id, claim_token=token).update(
            status=DigestStatus.PENDING, claim_token=None, claimed_at=None, last_error=error
        )


def subject_of(day: datetime.date, lines: list[Line]) -> str:
    overdue = sum(1 for line in lines if line.overdue)
    text = f"Nhắc việc ngày {day:%d/%m/%Y}: {len(lines)} việc cần xử lý"
    return f"{text}, {overdue} việc quá hạn" if overdue else text


def _mail(user: User, day: datetime.date, lines: list[Line], *, digest_id: int) -> None:
    context = {
        "user": user,
        "day": day,
        "lines": lines,
        "overdue_count": sum(1 for line in lines if line.overdue),
        "site_url": settings.SITE_URL,
    }
    message = EmailMultiAlternatives(
        subject=f"[Thi đua] {subject_of(day, lines)}",
        body=render_to_string("emails/digest.txt", context),
        to=[user.email],
        # One Message-ID per digest: should a crash make us send it twice, mail systems that
        # drop duplicate ids show it once.
        headers={"Message-ID": f"<digest-{digest_id}@{urlparse(settings.SITE_URL).hostname}>"},
    )
    message.attach_alternative(render_to_string("emails/digest.html", context), "text/html")
    message.send()
