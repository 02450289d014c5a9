"""The candidate, the findings, and small helpers shared by the checks."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from awards.models import Decider, Item, RecipientKind, Severity
from portal.models import (
    AGENCY_KINDS,
    COMMUNE_KINDS,
    DISTRICT_KINDS,
    PROVINCE_KINDS,
    Person,
    Unit,
    UnitKind,
)

HARD, SOFT = Severity.HARD, Severity.SOFT


@dataclass(frozen=True)
class Quota:
    """A ceiling set by a campaign plan (Kế hoạch), worked out by the caller from the plan."""

    limit: int
    used: int  # already awarded under this plan to the proposing unit's subjects
    source: str  # the plan, e.g. "Kế hoạch 157/KH-UBND"


@dataclass(frozen=True)
class Candidate:
    """Who is proposed for what, on which basis, judged on which date, by and to whom."""

    item: Item
    year: int
    basis: str
    on: datetime.date
    person: Person | None = None
    unit: Unit | None = None  # the collective, or the household's locality
    household_name: str = ""
    basis_reference: str = ""
    proposing_unit: Unit | None = None
    conferring_unit: Unit | None = None
    conferring_level: str = ""  # a Decider, when the conferring authority is outside the tree
    initiative_ids: tuple[int, ...] = ()
    member_ids: tuple[int, ...] | None = None  # collective members; default the unit's staff
    registered: bool | None = None  # registered for this title (None: not known, not checked)
    quota: Quota | None = None  # a campaign plan's ceiling for this item, if it sets one
    campaign_id: int | None = None  # the campaign the dossier is made under, if any
    key: Any = None  # the nomination's identity, so that it is not compared with itself

    def __post_init__(self) -> None:
        if (self.person is None) == (self.unit is None):
            raise ValueError("a candidate is either a person or a unit (collective, household)")
        if self.household_name and self.person is not None:
            raise ValueError("a household is given by its locality unit, not a person")

    @property
    def recipient_kind(self) -> str:
        if self.person is not None:
            return RecipientKind.INDIVIDUAL
        return RecipientKind.HOUSEHOLD if self.household_name else RecipientKind.COLLECTIVE

    @property
    def subject_name(self) -> str:
        if self.person is not None:
            return self.person.full_name
        if self.household_name:
            return f"Hộ {self.household_name}"
        return self.unit.name

    @property
    def scope_unit(self) -> Unit | None:
        """The unit whose province decides which provincial override applies."""
        if self.conferring_unit is not None:
            return self.conferring_unit
        if self.proposing_unit is not None:
            return self.proposing_unit
        return self.person.unit if self.person is not None else self.unit

    def same_subject(self, other: Candidate) -> bool:
        if self.person is not None or other.person is not None:
            return (
                self.person is not None
                and other.person is not None
                and (self.person.pk == other.person.pk)
            )
        return self.unit.pk == other.unit.pk and self.household_name == other.household_name

    def is_for(self, item: Item) -> bool:
        return type(self.item) is type(item) and self.item.pk == item.pk


@dataclass(frozen=True)
class Finding:
    code: str
    severity: str
    article: str
    message: str
    unverified: bool = False  # the rule is a default not yet checked against the primary text

    @property
    def blocks(self) -> bool:
        return self.severity == HARD


def blocking(findings: Iterable[Finding]) -> list[Finding]:
    return [f for f in findings if f.blocks]


def needing_justification(findings: Iterable[Finding]) -> list[Finding]:
    return [f for f in findings if not f.blocks]


def decider_for(unit: Unit) -> str:
    """Whose authority a unit's leader exercises (Law Arts. 78–80; NĐ 129/2025 Art. 59)."""
    if unit.kind in PROVINCE_KINDS:
        return Decider.PROVINCE
    if unit.kind in DISTRICT_KINDS:
        return Decider.DISTRICT
    if unit.kind in COMMUNE_KINDS:
        return Decider.COMMUNE
    if unit.kind == UnitKind.ENTERPRISE:
        return Decider.ENTERPRISE
    if unit.kind in AGENCY_KINDS:
        return Decider.AGENCY
    return ""


def vn_date(day: datetime.date) -> str:
    return f"{day:%d/%m/%Y}"


def year_span(start: int, end: int) -> str:
    return f"năm {end}" if start == end else f"{end - start + 1} năm liên tục {start}–{end}"
