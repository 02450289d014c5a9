"""The daily digest: one e-mail and one notification per person per day, most urgent first.

Two workers may be handed the same person (a beat tick re-sending what a killed worker left,
a redelivered message). The digest row, unique per person and day, is claimed by a
conditional update (on PostgreSQL one UPDATE ... RETURNING for the batch, skipping digests
another worker is claiming at that instant); only the winner points the person's waiting
outbox rows at its digest (each row goes to exactly one digest) and sends. From then on a
row is what its digest is: the mail that went is recorded on the digest alone, not on each
of its rows. A failed send puts everything back and re-raises for Celery to retry with
backoff; nothing is marked sent before the mail has gone out. A worker killed between sending
and recording leaves the digest claimed; it is taken over after WORK_CLAIM_LEASE_SECONDS
(at-least-once: that narrow window is the only way a mail can go twice).

The query count of one digest does not depend on the number of items.
"""

from __future__ import annotations

import datetime
import json
import logging
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple
from urllib.parse import urlparse

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import connection, transaction
from django.db.models import Exists, F, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from portal.background.digest_mail import DigestMails
from portal.background.reminders import kind_has_deadline, kind_label
from portal.models import (
    Digest,
    DigestStatus,
    Notification,
    Reminder,
    User,
)
from portal.models.notifications import DEFAULT_DIGEST_HOUR

logger = logging.getLogger(__name__)

DIGEST_KIND = "portal.digest"


def recipients_due(
    now: datetime.datetime | None = None, *, day: datetime.date | None = None
) -> tuple[datetime.date, list[int]]:
    """Today's date and the people whose digest hour has come and who have rows waiting.

    With `day` (a run by hand, `manage.py remind --now` or `--day`), that day and everyone
    with rows waiting up to it, whatever their digest hour. Rows wait without a digest, or
    held by a digest whose worker died (its lease ran out): two queries, each on its own index,
    rather than one whose OR would read every row ever planned."""
    now = now or timezone.now()
    local = timezone.localtime(now)
    today = day or local.date()
    already = Digest.objects.filter(user=OuterRef("recipient_id"), day=today, status="sent")
    people: set[int] = set()
    for rows in (
        Reminder.objects.filter(digest__isnull=True),
        Reminder.objects.filter(digest__in=_dead_digests(now)),
    ):
        rows = rows.filter(remind_on__lte=today)
        if day is None:
            rows = rows.annotate(
                hour=Coalesce(
                    "recipient__notification_preference__digest_hour", Value(DEFAULT_DIGEST_HOUR)
                )
            ).filter(hour__lte=local.hour)
        people.update(
            rows.filter(recipient__is_active=True)
            .filter(~Exists(already))
            .values_list("recipient_id", flat=True)
            .distinct()
        )
    return today, sorted(people)


def _lease_start(now: datetime.datetime) -> datetime.datetime:
    return now - datetime.timedelta(seconds=settings.WORK_CLAIM_LEASE_SECONDS)


def _dead_digests(now: datetime.datetime):
    """Digests still being sent after their lease: their worker died."""
    return Digest.objects.filter(
        status=DigestStatus.SENDING, claimed_at__lt=_lease_start(now)
    ).values("pk")


class OutboxRow(NamedTuple):
    """What a digest line is made of: an outbox row, read as plain values."""

    kind: str
    target_type_id: int
    target_id: int
    remind_on: datetime.date
    title: str
    url: str
    due_on: datetime.date
    overdue: bool
    escalated: bool
    legal_deadline: bool
    unit_name: str


OUTBOX_FIELDS = [*OutboxRow._fields[:-1], "unit__name"]


def outbox_rows(rows: QuerySet[Reminder]) -> list[OutboxRow]:
    """`rows` as `OutboxRow`s, in one query and without building a model per row."""
    return [OutboxRow(*values) for values in rows.values_list(*OUTBOX_FIELDS)]


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


def lines_of(rows: Iterable[OutboxRow]) -> list[Line]:
    """One line per record (the latest day's row wins), overdue first, then nearest due date."""
    latest: dict[tuple, OutboxRow] = {}
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
            unit_name=row.unit_name,
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
    each digest then costs one write, whatever its number of items.

    A mail that fails puts its digest and every one not sent yet back to pending and re-raises
    (the task retries the batch; the digests that went are recorded and are not sent again)."""
    now = timezone.now()
    token = uuid.uuid4()
    user_ids = sorted(set(user_ids))
    outcomes = {user_id: DigestOutcome(sent=False) for user_id in user_ids}
    Digest.objects.bulk_create(
        [Digest(user_id=user_id, day=day) for user_id in user_ids], ignore_conflicts=True
    )
    won = _claim_digests(user_ids, day, token, now)
    if not won:
        return outcomes
    rows_of: dict[int, list[OutboxRow]] = {}
    for digest_id, row in _claim_rows(won, day, now):
        rows_of.setdefault(digest_id, []).append(row)
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
                _record_sent(item, token, day, flush=len(done) == len(claimed) - 1)
                done.append(item)
    except Exception as error:
        failed = [item.digest_id for item in claimed[len(done) :]]
        _release(failed, token, error=f"{type(error).__name__}: {error}"[:500])
        raise
    for item in done:
        outcomes[item.user.pk] = item.outcome()
    return outcomes


def _claim_digests(
    user_ids: list[int], day: datetime.date, token: uuid.UUID, now: datetime.datetime
) -> dict[int, int]:
    """Claim the batch's digests that are neither sent nor held by a live worker: {user: digest}.

    On PostgreSQL one UPDATE ... RETURNING, which skips the digests another worker is locking
    at that moment (that worker wins them, or leaves them for the next beat) instead of waiting
    for it; each digest still goes to one claimant only, as its status is checked again on
    the row it locked."""
    lease = _lease_start(now)
    if connection.vendor == "postgresql":
        table = Digest._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                f"""
                UPDATE {table} SET status = %s, claim_token = %s, claimed_at = %s,
                    attempts = attempts + 1
                WHERE id IN (
                    SELECT id FROM {table}
                    WHERE user_id = ANY(%s) AND day = %s
                        AND (status = %s OR (status = %s AND claimed_at < %s))
                    FOR UPDATE SKIP LOCKED
                )
                RETURNING user_id, id
                """,
                [
                    *(DigestStatus.SENDING.value, token, now),
                    *(user_ids, day, DigestStatus.PENDING.value, DigestStatus.SENDING.value, lease),
                ],
            )
            return dict(sorted(cursor.fetchall()))
    mine = Digest.objects.filter(user_id__in=user_ids, day=day)
    mine.filter(
        Q(status=DigestStatus.PENDING) | Q(status=DigestStatus.SENDING, claimed_at__lt=lease)
    ).update(
        status=DigestStatus.SENDING,
        claim_token=token,
        claimed_at=now,
        attempts=F("attempts") + 1,
    )
    return dict(mine.filter(claim_token=token).order_by("user_id").values_list("user_id", "pk"))


def _claim_rows(
    won: dict[int, int], day: datetime.date, now: datetime.datetime
) -> list[tuple[int, OutboxRow]]:
    """Point the waiting rows of the won digests' people (up to `day`) at those digests, and
    read them: (digest, row) pairs. Rows wait without a digest, or in a digest of the same
    person whose worker died (or this very digest, taken over from one).

    On PostgreSQL one UPDATE ... RETURNING claims and reads them; it finds them through the
    waiting rows' index and through the person's digests, never by reading the person's
    earlier days, and it checks each row again as it writes it, so a row another worker
    claimed in between is left to that worker."""
    lease = _lease_start(now)
    if connection.vendor == "postgresql":
        reminder, digest, unit = (
            Reminder._meta.db_table,
            Digest._meta.db_table,
            Reminder.unit.field.related_model._meta.db_table,
        )
        with connection.cursor() as cursor:
            cursor.execute(
                f"""
                WITH won AS (
                    SELECT * FROM unnest(%s::bigint[], %s::bigint[]) AS won(user_id, digest_id)
                ), found AS (
                    SELECT r.id, won.digest_id, NULL::bigint AS held_by
                    FROM won JOIN {reminder} r ON r.recipient_id = won.user_id
                    WHERE r.digest_id IS NULL AND r.remind_on <= %s
                    UNION ALL
                    SELECT r.id, won.digest_id, d.id
                    FROM won
                    JOIN {digest} d ON d.user_id = won.user_id
                    JOIN {reminder} r ON r.digest_id = d.id
                    WHERE r.remind_on <= %s AND (
                        d.id = won.digest_id OR (d.status = %s AND d.claimed_at < %s)
                    )
                )
                UPDATE {reminder} r SET digest_id = found.digest_id
                FROM found, {unit} u
                WHERE r.id = found.id AND u.id = r.unit_id
                    AND r.digest_id IS NOT DISTINCT FROM found.held_by
                RETURNING r.digest_id, {", ".join(f"r.{name}" for name in OUTBOX_FIELDS[:-1])},
                    u.name
                """,
                [
                    *(list(won), list(won.values()), day, day),
                    *(DigestStatus.SENDING.value, lease),
                ],
            )
            return [(values[0], OutboxRow(*values[1:])) for values in cursor.fetchall()]
    digest_ids = list(won.values())
    held = Q(digest_id__in=digest_ids) | Q(digest__in=_dead_digests(now))
    Reminder.objects.filter(
        Q(digest__isnull=True) | held, recipient_id__in=won, remind_on__lte=day
    ).update(
        digest_id=Subquery(
            Digest.objects.filter(user_id=OuterRef("recipient_id"), pk__in=digest_ids).values("pk")[
                :1
            ]
        ),
    )
    rows = Reminder.objects.filter(digest_id__in=digest_ids)
    return [
        (digest_id, OutboxRow(*values))
        for digest_id, *values in rows.values_list("digest_id", *OUTBOX_FIELDS)
    ]


def _claim(user: User, digest_id: int, rows: list[OutboxRow]) -> _Claimed:
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


def _record_sent(item: _Claimed, token: uuid.UUID, day: datetime.date, *, flush: bool) -> None:
    """Mark what went out on the digest, with its notification; its rows follow the digest.

    On PostgreSQL one statement does both (they commit together; the notification is written
    only if this worker still holds the digest). It commits without waiting for the disk flush
    (a few milliseconds a digest), except with `flush`, the batch's last: that commit flushes
    the write-ahead log up to itself, the earlier records of the batch with it, so a batch is
    durable before the worker reports it done. Before that only a crash of the database
    server itself could lose a mark, and the digest would then go again after its lease, with
    the same Message-ID, as after a worker killed between its mail and its record."""
    notified = bool(item.inbox_lines)
    title = subject_of(day, item.inbox_lines) if notified else ""
    items = [line.as_json() for line in item.inbox_lines]
    muted = not item.others_delivered
    now = timezone.now()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                ("" if flush else "SET LOCAL synchronous_commit TO OFF;\n")
                + f"""
                WITH marked AS (
                    UPDATE {Digest._meta.db_table}
                    SET status = %s, sent_at = %s, item_count = %s, emailed = %s, notified = %s,
                        muted = %s, last_error = ''
                    WHERE id = %s AND claim_token = %s
                    RETURNING id
                )
                INSERT INTO {Notification._meta.db_table}
                    (user_id, kind, title, url, items, digest_id, created_at)
                SELECT %s, %s, %s, '', %s::jsonb, id, %s FROM marked WHERE %s
                """,
                [
                    *(DigestStatus.SENT.value, now, len(item.lines), item.emailed, notified),
                    *(muted, item.digest_id, token),
                    *(item.user.pk, DIGEST_KIND, title, json.dumps(items), now, notified),
                ],
            )
        return
    with transaction.atomic():
        marked = Digest.objects.filter(pk=item.digest_id, claim_token=token).update(
            status=DigestStatus.SENT,
            sent_at=now,
            item_count=len(item.lines),
            emailed=item.emailed,
            notified=notified,
            muted=muted,
            last_error="",
        )
        if marked and notified:
            Notification.objects.create(
                user_id=item.user.pk,
                kind=DIGEST_KIND,
                title=title,
                url="",
                items=items,
                digest_id=item.digest_id,
            )


def _unmuted(lines: list[Line], *, muted: bool) -> list[Line]:
    """A muted channel still carries legal deadlines: those cannot be muted."""
    return [line for line in lines if line.legal_deadline] if muted else lines


def _release(digest_ids: list[int], token: uuid.UUID, *, error: str) -> None:
    if not digest_ids:
        return
    with transaction.atomic():
        Reminder.objects.filter(digest_id__in=digest_ids).update(digest=None)
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
