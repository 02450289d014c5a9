"""Reads of the campaign lists' rows that their views share (#16)."""

from __future__ import annotations

from django.db.models import Count, F, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from pledges.models import AwardProposal, Exemplar, UnitReview


def count_of(model, key: str = "review", **filters) -> Coalesce:
    """The number of `model` rows (matching `filters`) whose `key` is the outer query's row."""
    rows = (
        model.objects.filter(**{key: OuterRef("pk")}, **filters)
        .order_by()
        .values(key)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows), 0)


def review_rows(reviews: QuerySet[UnitReview], counts: dict[str, int], positions: range) -> list:
    """The rows at `positions` of `reviews` sorted on (kind, unit path), `counts` the rows of
    each kind: each kind's part of the page read in unit path order with its unit's name and
    its exemplars and proposals counted, the parts in one query."""
    parts, start = [], 0
    for kind in sorted(counts):
        lo, hi = max(positions.start - start, 0), min(positions.stop - start, counts[kind])
        if lo < hi:
            parts.append(
                reviews.filter(kind=kind)
                .annotate(
                    unit_name=F("unit__name"),
                    unit_path=F("unit__path"),
                    exemplar_count=count_of(Exemplar),
                    proposal_count=count_of(AwardProposal),
                )
                .only("kind", "status", "submitted_at")
                .order_by("unit__path")[lo:hi]
            )
        start += counts[kind]
    if not parts:
        return []
    rows = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    return sorted(rows, key=lambda row: (row.kind, row.unit_path))
