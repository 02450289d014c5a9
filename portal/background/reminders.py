"""Reminder sources and the planner that turns what is due into outbox rows.

An app declares what it wants reminded in its `AppConfig.ready()`:

    from portal.background.reminders import ReminderSource, register_source

    register_source(
        ReminderSource(
            kind="campaigns.registration_due",
            label="Đăng ký thi đua chưa nộp",
            due_items=campaigns.reminders.registrations_due,   # (today) -> iterable of DueItem
            legal_deadline=False,
            caps=(Cap.SUBMIT_REGISTRATION, Cap.APPROVE_REGISTRATION),
        )
    )

`due_items(today)` yields one `DueItem` per record that needs attention today (due soon or
overdue), naming the unit responsible for it. The planner (hourly) writes one `Reminder` per
(kind, record, recipient, day) for those who hold one of `caps` on that unit (the grant table
decides, `portal.access.holdings`; for a grant over a subtree, the nearest level that has
holders), plus, for items overdue longer than REMINDER_ESCALATION_GRACE_DAYS, the leadership of
the unit one level up (LEAD_UNIT).
The unique constraint makes a second run on the same day add nothing.
"""

from __future__ import annotations

import datetime
import itertools
import logging
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import NamedTuple

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, models
from django.urls import reverse
from django.utils import timezone

from portal import access
from portal.access import Cap
from portal.models import Bloc, BlocTerm, Reminder, Unit

logger = logging.getLogger(__name__)

PLAN_CHUNK = 2000


@dataclass(frozen=True)
class DueItem:
    """One record that needs attention today, as a reminder source reports it."""

    kind: str
    target_type_id: int  # ContentType id of the record
    target_id: int
    unit_id: int  # the unit responsible for acting on it
    title: str  # Vietnamese, names the record
    url: str  # path inside the portal, e.g. "/phong-trao/12/"
    due_on: datetime.date
    overdue: bool
    recipient_ids: tuple[int, ...] = ()  # named people beyond the unit's holders (a signatory)

    @classmethod
    def for_record(cls, kind: str, record: models.Model, **fields) -> DueItem:
        content_type = ContentType.objects.get_for_model(record)
        return cls(kind=kind, target_type_id=content_type.pk, target_id=record.pk, **fields)


@dataclass(frozen=True)
class ReminderSource:
    kind: str  # dotted code, "<app>.<what>"
    label: str  # Vietnamese heading in the digest
    due_items: Callable[[datetime.date], Iterable[DueItem]]
    # Whose duty it is: the holders of these capabilities on the item's unit (none: only the
    # item's named recipients).
    caps: tuple[Cap, ...]
    legal_deadline: bool = False  # a time limit set by law: its reminders cannot be muted
    # False for news rather than work to do by a date (a new report): no "hạn" is shown.
    has_deadline: bool = True


_SOURCES: dict[str, ReminderSource] = {}


def register_source(source: ReminderSource) -> None:
    existing = _SOURCES.get(source.kind)
    if existing is not None and existing != source:
        raise ImproperlyConfigured(f"Reminder kind {source.kind!r} is registered twice.")
    _SOURCES[source.kind] = source


def sources() -> list[ReminderSource]:
    return list(_SOURCES.values())


def kind_label(kind: str) -> str:
    source = _SOURCES.get(kind)
    return source.label if source else kind


def kind_has_deadline(kind: str) -> bool:
    source = _SOURCES.get(kind)
    return source.has_deadline if source else True


@dataclass(frozen=True)
class PlanResult:
    items: int
    created: int


def plan_reminders(today: datetime.date | None = None) -> PlanResult:
    """Write today's outbox rows for every registered source; safe to run again."""
    today = today or timezone.localdate()
    counted = connection.vendor != "postgresql"
    before = Reminder.objects.filter(remind_on=today).count() if counted else 0
    items = created = 0
    for source in sources():
        for chunk in _chunks(source.due_items(today), PLAN_CHUNK):
            items += len(chunk)
            created += _insert(source, today, _rows_for(source, chunk, today))
    if counted:
        created = Reminder.objects.filter(remind_on=today).count() - before
    logger.info("Lập nhắc việc ngày %s: %d mục, %d dòng mới.", f"{today:%d/%m/%Y}", items, created)
    return PlanResult(items=items, created=created)


def _chunks(iterable: Iterable[DueItem], size: int) -> Iterator[list[DueItem]]:
    iterator = iter(iterable)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk


def _escalates(item: DueItem, today: datetime.date) -> bool:
    return item.overdue and (today - item.due_on).days > settings.REMINDER_ESCALATION_GRACE_DAYS


class Row(NamedTuple):
    target_type_id: int
    target_id: int
    recipient_id: int
    unit_id: int
    title: str
    url: str
    due_on: datetime.date
    overdue: bool
    escalated: bool


def _insert(source: ReminderSource, today: datetime.date, rows: list[Row]) -> int:
    """Insert outbox rows, skipping those already there (the unique constraint decides).

    On PostgreSQL one INSERT ... SELECT FROM unnest(arrays) per chunk, which reports how many
    rows it added: at province scale the ORM's bulk_create spends most of its time building
    SQL, this does not. Elsewhere the count is 0 (the planner counts the day's rows instead).
    """
    if not rows:
        return 0
    if connection.vendor != "postgresql":
        Reminder.objects.bulk_create(
            [
                Reminder(
                    kind=source.kind,
                    remind_on=today,
                    legal_deadline=source.legal_deadline,
                    **row._asdict(),
                )
                for row in rows
            ],
            batch_size=500,
            ignore_conflicts=True,
        )
        return 0
    columns = list(zip(*rows, strict=True))
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {Reminder._meta.db_table} (
                kind, remind_on, legal_deadline, created_at,
                target_type_id, target_id, recipient_id, unit_id,
                title, url, due_on, overdue, escalated
            )
            SELECT %s, %s, %s, %s, u.*
            FROM unnest(
                %s::integer[], %s::bigint[], %s::bigint[], %s::bigint[],
                %s::varchar[], %s::varchar[], %s::date[], %s::boolean[], %s::boolean[]
            ) AS u
            ON CONFLICT DO NOTHING
            """,
            [
                source.kind,
                today,
                source.legal_deadline,
                timezone.now(),
                *(list(column) for column in columns),
            ],
        )
        return cursor.rowcount


def _rows_for(source: ReminderSource, chunk: list[DueItem], today: datetime.date) -> list[Row]:
    """Outbox rows for one chunk of items: a query for their units, one per capability for
    their holders, two for the leadership above the overdue ones."""
    units = list(
        Unit.objects.filter(pk__in={item.unit_id for item in chunk}).only("pk", "path", "parent_id")
    )
    holders: dict[int, set[int]] = defaultdict(set)
    for cap in source.caps:
        for unit_id, user_ids in access.holder_ids(cap, units, nearest=True).items():
            holders[unit_id].update(user_ids)
    parents = {unit.pk: unit.parent_id for unit in units}
    escalating = {parents.get(item.unit_id) for item in chunk if _escalates(item, today)} - {None}
    leaders = access.holder_ids(
        Cap.LEAD_UNIT, Unit.objects.filter(pk__in=escalating).only("pk", "path")
    )
    rows = []
    for item in chunk:
        direct = holders.get(item.unit_id, set()) | set(item.recipient_ids)
        superiors = set()
        if _escalates(item, today) and parents.get(item.unit_id):
            superiors = set(leaders.get(parents[item.unit_id], ())) - direct
        for user_id, escalated in [
            *((u, False) for u in sorted(direct)),
            *((u, True) for u in sorted(superiors)),
        ]:
            rows.append(
                Row(
                    item.target_type_id,
                    item.target_id,
                    user_id,
                    item.unit_id,
                    item.title[:300],
                    item.url[:300],
                    item.due_on,
                    item.overdue,
                    escalated,
                )
            )
    return rows


# The portal's own source: a bloc needs a head and a deputy for the year, chosen at the
# year-end conference or by rotation; the organiser's emulation officers are reminded until
# both are set. By the end of January it is overdue.
BLOC_TERM_KIND = "portal.bloc_term_missing"
BLOC_TERM_DUE = (1, 31)


def blocs_without_term(today: datetime.date) -> Iterator[DueItem]:
    year = today.year
    complete = BlocTerm.objects.filter(year=year, deputy__isnull=False).values("bloc_id")
    partial = set(
        BlocTerm.objects.filter(year=year, deputy__isnull=True).values_list("bloc_id", flat=True)
    )
    due_on = datetime.date(year, *BLOC_TERM_DUE)
    content_type = ContentType.objects.get_for_model(Bloc)
    blocs = Bloc.objects.filter(is_active=True).exclude(pk__in=complete).order_by("pk")
    for bloc in blocs.only("pk", "name", "organiser_id"):
        missing = "phó" if bloc.pk in partial else "trưởng, phó"
        yield DueItem(
            kind=BLOC_TERM_KIND,
            target_type_id=content_type.pk,
            target_id=bloc.pk,
            unit_id=bloc.organiser_id,
            title=f"{bloc.name}: chưa có {missing} cụm, khối năm {year}",
            url=reverse("bloc_detail", args=[bloc.pk]),
            due_on=due_on,
            overdue=today > due_on,
        )


def register_portal_sources() -> None:
    register_source(
        ReminderSource(
            kind=BLOC_TERM_KIND,
            label="Cụm, khối thi đua chưa có trưởng, phó",
            due_items=blocs_without_term,
            caps=(Cap.MANAGE_PLEDGE,),
        )
    )
