"""Which legal bases a decision of a unit cites on a day.

One citation per role, the latest in force on the day: the local-government law, the emulation
law, the decree; the commune decree only in a commune chairman's decision; the province's own
regulation where one is scoped to a unit above (or at) the deciding unit. The order is the order
a Quyết định lists them (NĐ 30/2020, Mẫu 1.2; domain.md §11.4).
"""

from __future__ import annotations

import datetime

from django.db.models import Q

from awards.models import ROLE_ORDER, BasisRole, LegalBasis
from portal.models import Unit
from portal.models.units import COMMUNE_KINDS


def decision_bases(day: datetime.date, unit: Unit) -> list[LegalBasis]:
    paths = [*unit.ancestor_paths(), unit.path]
    rows = LegalBasis.objects.valid_on(day).filter(
        Q(scope_unit__isnull=True) | Q(scope_unit__path__in=paths)
    )
    chosen: dict[str, LegalBasis] = {}
    for row in sorted(rows, key=lambda r: r.valid_from, reverse=True):
        if row.communes_only and unit.kind not in COMMUNE_KINDS:
            continue
        if row.role == BasisRole.PROVINCE_REGULATION and row.scope_unit_id is None:
            continue
        chosen.setdefault(row.role, row)
    return sorted(chosen.values(), key=lambda r: ROLE_ORDER[r.role])


def basis_lines(day: datetime.date, unit: Unit, proposals: list[str]) -> list[str]:
    """The "Căn cứ …;" lines and the "Xét đề nghị …" line; the last one ends with "."."""
    lines = [f"Căn cứ {row.citation};" for row in decision_bases(day, unit)]
    lines += [f"{text};" for text in proposals]
    if lines:
        lines[-1] = lines[-1][:-1] + "."
    return lines
