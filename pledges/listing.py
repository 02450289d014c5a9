"""Reads of the campaign lists' rows that their views share (#16)."""

from __future__ import annotations

from collections import namedtuple

from django.db import connection
from django.db.models import Exists, F, IntegerField, OuterRef, QuerySet
from django.db.models.expressions import RawSQL

from campaigns.models import Campaign
from campaigns.workflow import OPEN_FOR_REGISTRATION
from pledges.models import AwardProposal, Exemplar, Registration, UnitReview
from portal import access
from portal.access import Cap, Scope
from portal.models import Unit
from portal.text import fold


def count_of(model, key: str, outer, **filters) -> RawSQL:
    """The number of `model` rows (matching `filters`, each a column and its value) whose `key`
    is the row of `outer` (a model) that the outer query reads, written out: built through the
    ORM (a grouped subquery) the campaign's totals cost its lists 0.8 ms of Python a page, more
    than PostgreSQL takes to count 18,000 rows from the index, and the reviews' two counts a
    row about as much (#16)."""
    column = model._meta.get_field
    where = "".join(f' AND "{column(name).column}" = %s' for name in filters)
    sql = (
        f'SELECT COUNT(*) FROM "{model._meta.db_table}" '
        f'WHERE "{column(key).column}" = "{outer._meta.db_table}"."id"{where}'
    )
    return RawSQL(sql, list(filters.values()), output_field=IntegerField())


def campaign_count(model, **filters) -> RawSQL:
    """The number of `model` rows (matching `filters`) of the campaign the outer query reads."""
    return count_of(model, "campaign", Campaign, **filters)


# A review list row's fields, read as plain rows: 50 model instances with deferred fields cost
# more than their rows (#16).
REVIEW_ROW = (
    "pk",
    "kind",
    "status",
    "submitted_at",
    "unit_name",
    "unit_path",
    "exemplar_count",
    "proposal_count",
)


def _kind_parts(counts: dict[str, int], positions: range) -> list[tuple[str, int, int]]:
    """Each kind's part of the rows at `positions` sorted on (kind, unit path), `counts` the
    rows of each kind: (kind, first, past the last) of its own rows in unit path order."""
    parts, start = [], 0
    for kind in sorted(counts):
        lo, hi = max(positions.start - start, 0), min(positions.stop - start, counts[kind])
        if lo < hi:
            parts.append((kind, lo, hi))
        start += counts[kind]
    return parts


def review_rows(reviews: QuerySet[UnitReview], counts: dict[str, int], positions: range) -> list:
    """The rows at `positions` of `reviews` sorted on (kind, unit path), `counts` the rows of
    each kind: each kind's part of the page read in unit path order with its unit's name and
    its exemplars and proposals counted (written out, `count_of`), the parts in one query, as
    plain named rows."""
    parts = [
        reviews.filter(kind=kind)
        .annotate(
            unit_name=F("unit__name"),
            unit_path=F("unit__path"),
            exemplar_count=count_of(Exemplar, "review", UnitReview),
            proposal_count=count_of(AwardProposal, "review", UnitReview),
        )
        .order_by("unit__path")
        .values_list(*REVIEW_ROW, named=True)[lo:hi]
        for kind, lo, hi in _kind_parts(counts, positions)
    ]
    if not parts:
        return []
    if len(parts) > 1 and connection.features.supports_slicing_ordering_in_compound:
        rows = parts[0].union(*parts[1:], all=True)
    else:
        # SQLite (the first run's database) takes no cut part inside UNION: a query a part.
        rows = [row for part in parts for row in part]
    return sorted(rows, key=lambda row: (row.kind, row.unit_path))


# One kind's part of a campaign's reviews, every one of them, as `review_rows` reads them
# (REVIEW_ROW) but written out: building that query through the ORM cost 1.2 ms of Python a
# page, against 0.2-0.3 ms to send this one and read its rows (#16). Wrapped so that SQLite
# takes a sorted, cut part inside UNION ALL.
REVIEW_PART_SQL = f"""
SELECT * FROM (
    SELECT pledges_unitreview.id, pledges_unitreview.kind, pledges_unitreview.status,
        pledges_unitreview.submitted_at, u.name AS unit_name, u.path AS unit_path,
        ({count_of(Exemplar, "review", UnitReview).sql}) AS exemplar_count,
        ({count_of(AwardProposal, "review", UnitReview).sql}) AS proposal_count
    FROM pledges_unitreview JOIN portal_unit u ON u.id = pledges_unitreview.unit_id
    WHERE pledges_unitreview.campaign_id = %s AND pledges_unitreview.kind = %s
    ORDER BY u.path LIMIT %s OFFSET %s
) AS part"""
ReviewRow = namedtuple("ReviewRow", REVIEW_ROW)
_SUBMITTED = UnitReview._meta.get_field("submitted_at").get_col("pledges_unitreview")


def campaign_review_rows(campaign: Campaign, counts: dict[str, int], positions: range) -> list:
    """`review_rows` of every review of `campaign` (for a user who sees them all), written out.
    The sending time goes through the database's converters, as the ORM's read does (SQLite
    returns it as text)."""
    parts = _kind_parts(counts, positions)
    if not parts:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            " UNION ALL ".join([REVIEW_PART_SQL] * len(parts)),
            [value for kind, lo, hi in parts for value in (campaign.pk, kind, hi - lo, lo)],
        )
        rows = cursor.fetchall()
    converters = connection.ops.get_db_converters(_SUBMITTED)
    converters += _SUBMITTED.get_db_converters(connection)
    read = []
    for pk, kind, status, submitted_at, *rest in rows:
        for convert in converters:
            submitted_at = convert(submitted_at, _SUBMITTED, connection)
        read.append(ReviewRow(pk, kind, status, submitted_at, *rest))
    return sorted(read, key=lambda row: (row.kind, row.unit_path))


# Which of a few units are targets of the campaign with no registration yet, written out: the
# same query built through the ORM (a NOT EXISTS) cost 2 ms of Python a page at any scale.
# `{units}` is one placeholder per unit (SQLite has no arrays).
OPEN_TARGETS_SQL = """
SELECT t.unit_id FROM campaigns_campaigntarget t
WHERE t.campaign_id = %s AND t.unit_id IN ({units}) AND NOT EXISTS (
    SELECT 1 FROM pledges_registration r
    WHERE r.campaign_id = t.campaign_id AND r.unit_id = t.unit_id
)"""


def start_units(user, campaign: Campaign, query: str, limit: int) -> list[Unit]:
    """The first `limit` target units of `campaign` (in tree order, matching `query`) that have
    no registration yet and where `user` may start one: none while the campaign takes no
    registrations (`start_registration` would refuse them).

    Starting a registration is granted on the unit itself, so an official's choice is among
    the few units of their own roles, already read with them: one query on those units' rows
    asks which are open. Building the ORM query over every target of the campaign cost the list
    page 2 ms of Python at province scale (#16); it is kept for a reach over whole branches
    (an administrator)."""
    if campaign.status not in OPEN_FOR_REGISTRATION:
        return []
    cap = Cap.SUBMIT_REGISTRATION
    held = [(access.grants_of(m).get(cap), m.unit) for m in access.memberships_of(user)]
    if access.sees_everything(user) or any(scope is Scope.SUBTREE for scope, _ in held):
        return list(open_targets(user, campaign, cap, query)[:limit])
    folded, code = fold(query), query.strip()
    units = {
        unit.pk: unit
        for scope, unit in held
        if scope is Scope.UNIT and (folded in unit.search_name or unit.code == code)
    }
    if not units:
        return []
    with connection.cursor() as cursor:
        marks = ", ".join(["%s"] * len(units))
        cursor.execute(OPEN_TARGETS_SQL.format(units=marks), [campaign.pk, *units])
        open_ids = [pk for (pk,) in cursor.fetchall()]
    return sorted((units[pk] for pk in open_ids), key=lambda unit: unit.path)[:limit]


def open_targets(user, campaign: Campaign, cap: Cap, query: str) -> QuerySet[Unit]:
    """Target units of `campaign` not registered yet, where `user` holds `cap`, matching
    `query`: the units a registration can be started for, in tree order."""
    registered = Registration.objects.filter(campaign=campaign, unit=OuterRef("pk"))
    return (
        Unit.objects.filter(campaign_targets__campaign=campaign)
        .filter(access.cap_scope(user, cap))
        .filter(~Exists(registered))
        .search(query)
        .order_by("path")
        .only("name")
    )
