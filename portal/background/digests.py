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
import json
import logging
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlparse

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import connection, transaction
from django.db.models import Case, Exists, F, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from portal.background.digest_mail import DigestMails
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


# People per send task: the queries of a batch do not grow with it, and one SMTP connection
# carries its mails; small enough that a retry after a mail server's refusal redoes little.
BATCH_SIZE = 50


@dataclass
class _Claimed:
    """One digest this worker won, and what it will deliver."""

    digest_id: int
    user: User
    lines: list[Line]
    email_lines: list[Line]
    inbox_lines: list[Line]
    email_muted: bool
    inbox_muted: bool

    @property
    def emailed(self) -> bool:
        return bool(self.email_lines and self.user.email)

    @property
    def others_delivered(self) -> bool:
        """Legal deadlines always reach the portal; other rows only through an unmuted channel."""
        return (self.emailed and not self.email_muted) or not self.inbox_muted

    def outcome(self) -> DigestOutcome:
        return DigestOutcome(
            sent=True, items=len(self.lines), emailed=self.emailed, notified=bool(self.inbox_lines)
        )


def send_digest(user_id: int, day: datetime.date) -> DigestOutcome:
    """Send `user_id` their digest of `day` unless another worker has it or it went already."""
    return send_digests([user_id], day)[user_id]


def send_digests(user_ids: Sequence[int], day: datetime.date) -> dict[int, DigestOutcome]:
    """Send the digests of `day` to `user_ids` that no other worker has and that have not gone
    yet, over one mail connection. The batch is claimed and read in a fixed number of queries;
    each digest then costs the same few writes, whatever its number of items.

    A mail that fails puts its digest and every one not sent yet back to pending and re-raises
    (the task retries the batch; the digests that went are recorded and are not sent again)."""
    now = timezone.now()
    token = uuid.uuid4()
    user_ids = sorted(set(user_ids))
    outcomes = {user_id: DigestOutcome(sent=False) for user_id in user_ids}
    mine = Digest.objects.filter(user_id__in=user_ids, day=day)
    Digest.objects.bulk_create(
        [Digest(user_id=user_id, day=day) for user_id in user_ids], ignore_conflicts=True
    )
    lease = now - datetime.timedelta(seconds=settings.WORK_CLAIM_LEASE_SECONDS)
    mine.filter(
        Q(status=DigestStatus.PENDING) | Q(status=DigestStatus.SENDING, claimed_at__lt=lease)
    ).update(
        status=DigestStatus.SENDING,
        claim_token=token,
        claimed_at=now,
        attempts=F("attempts") + 1,
    )
    won = dict(mine.filter(claim_token=token).values_list("user_id", "pk"))
    if not won:
        return outcomes
    Reminder.objects.filter(_waiting(now), recipient_id__in=won, remind_on__lte=day).update(
        status=ReminderStatus.SENDING,
        digest_id=Subquery(
            Digest.objects.filter(
                user_id=OuterRef("recipient_id"), day=day, claim_token=token
            ).values("pk")[:1]
        ),
    )
    rows_of: dict[int, list[Reminder]] = {}
    for row in Reminder.objects.filter(
        digest_id__in=won.values(), status=ReminderStatus.SENDING
    ).select_related("unit"):
        rows_of.setdefault(row.digest_id, []).append(row)
    users = User.objects.select_related("notification_preference").in_bulk(won)
    claimed = [
        _claim(users[user_id], digest_id, rows_of[digest_id])
        for user_id, digest_id in won.items()
        if digest_id in rows_of
    ]
    empty = [digest_id for digest_id in won.values() if digest_id not in rows_of]
    if empty:
        _release(empty, token, error="")

    done: list[_Claimed] = []
    mails = DigestMails(day)
    mail_connection = get_connection()
    try:
        with mail_connection:
            for item in claimed:
                if item.emailed:
                    _mail(item, day, mail_connection, mails)
                # Recorded at once, not at the end of the batch: a worker killed later in the
                # batch must not leave this mail unrecorded, to go a second time.
                _record_sent(item, token, day)
                done.append(item)
    except Exception as error:
        failed = [item.digest_id for item in claimed[len(done) :]]
        _release(failed, token, error=f"{type(error).__name__}: {error}"[:500])
        raise
    for item in done:
        outcomes[item.user.pk] = item.outcome()
    return outcomes


def _claim(user: User, digest_id: int, rows: list[Reminder]) -> _Claimed:
    preference = getattr(user, "notification_preference", None)
    lines = lines_of(rows)
    email_muted = bool(preference and preference.mute_email)
    inbox_muted = bool(preference and preference.mute_inbox)
    return _Claimed(
        digest_id=digest_id,
        user=user,
        lines=lines,
        email_lines=_unmuted(lines, muted=email_muted),
        inbox_lines=_unmuted(lines, muted=inbox_muted),
        email_muted=email_muted,
        inbox_muted=inbox_muted,
    )


def _record_sent(item: _Claimed, token: uuid.UUID, day: datetime.date) -> None:
    """Mark what went out: the notification, the rows (sent, or muted) and the digest.

    On PostgreSQL one statement does all three (its parts commit together): a digest's record
    is one round trip instead of five, which under load was half of its time. It commits
    without waiting for the disk flush (another few milliseconds a digest): only a crash of
    the database server itself in the next fraction of a second could lose the mark, and the
    digest would then go again after its lease, with the same Message-ID, as after a worker
    killed between its mail and its record."""
    others = ReminderStatus.SENT if item.others_delivered else ReminderStatus.MUTED
    notified = bool(item.inbox_lines)
    title = subject_of(day, item.inbox_lines) if notified else ""
    items = [line.as_json() for line in item.inbox_lines]
    now = timezone.now()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                f"""
                SET LOCAL synchronous_commit TO OFF;
                WITH notice AS (
                    INSERT INTO {Notification._meta.db_table}
                        (user_id, kind, title, url, items, digest_id, created_at)
                    SELECT %s, %s, %s, '', %s::jsonb, %s, %s WHERE %s
                ), marked AS (
                    UPDATE {Reminder._meta.db_table}
                    SET status = CASE WHEN legal_deadline THEN %s ELSE %s END
                    WHERE digest_id = %s AND status = %s
                )
                UPDATE {Digest._meta.db_table}
                SET status = %s, sent_at = %s, item_count = %s, emailed = %s, notified = %s,
                    last_error = ''
                WHERE id = %s AND claim_token = %s
                """,
                [
                    *(item.user.pk, DIGEST_KIND, title, json.dumps(items)),
                    *(item.digest_id, now, notified),
                    *(ReminderStatus.SENT.value, others.value),
                    *(item.digest_id, ReminderStatus.SENDING.value),
                    *(DigestStatus.SENT.value, now, len(item.lines), item.emailed, notified),
                    *(item.digest_id, token),
                ],
            )
        return
    with transaction.atomic():
        if notified:
            Notification.objects.create(
                user_id=item.user.pk,
                kind=DIGEST_KIND,
                title=title,
                url="",
                items=items,
                digest_id=item.digest_id,
            )
        Reminder.objects.filter(digest_id=item.digest_id, status=ReminderStatus.SENDING).update(
            status=Case(
                When(legal_deadline=True, then=Value(ReminderStatus.SENT)),
                default=Value(others),
            )
        )
        Digest.objects.filter(pk=item.digest_id, claim_token=token).update(
            status=DigestStatus.SENT,
            sent_at=now,
            item_count=len(item.lines),
            emailed=item.emailed,
            notified=notified,
            last_error="",
        )


def _unmuted(lines: list[Line], *, muted: bool) -> list[Line]:
    """A muted channel still carries legal deadlines: those cannot be muted."""
    return [line for line in lines if line.legal_deadline] if muted else lines


def _release(digest_ids: list[int], token: uuid.UUID, *, error: str) -> None:
    if not digest_ids:
        return
    with transaction.atomic():
        Reminder.objects.filter(digest_id__in=digest_ids, status=ReminderStatus.SENDING).update(
            status=ReminderStatus.PENDING, digest=None
        )
        Digest.objects.filter(pk__in=digest_ids, claim_token=token).update(
            status=DigestStatus.PENDING, claim_token=None, claimed_at=None, last_error=error
        )


def subject_of(day: datetime.date, lines: list[Line]) -> str:
    overdue = sum(1 for line in lines if line.overdue)
    text = f"Nhắc việc ngày {day:%d/%m/%Y}: {len(lines)} việc cần xử lý"
    return f"{text}, {overdue} việc quá hạn" if overdue else text


def _mail(item: _Claimed, day: datetime.date, mail_connection, mails: DigestMails) -> None:
    text, html = mails.bodies(item.user.get_full_name(), item.email_lines)
    message = EmailMultiAlternatives(
        subject=f"[Thi đua] {subject_of(day, item.email_lines)}",
        body=text,
        to=[item.user.email],
        connection=mail_connection,
        # One Message-ID per digest: should a crash make us send it twice, mail systems that
        # drop duplicate ids show it once.
        headers={"Message-ID": f"<digest-{item.digest_id}@{urlparse(settings.SITE_URL).hostname}>"},
    )
    message.attach_alternative(html, "text/html")
    message.send()
