"""Eligibility: check a candidate for a title or form against the rules and the award history.

Pure reads, no writes. `check(candidate, others=...)` returns findings; each names the rule and
its article in Vietnamese. A HARD finding blocks submission; a SOFT one needs a written
justification. The nomination workflow builds a `Candidate` from its draft and passes the other
open nominations (`others`) so that duplicates, caps and batch ratios are judged together.

The rules come from the rule set valid on the candidate's date (and the province's override,
see `rulebook`); the facts from AwardRecord, AnnualRating, Discipline, Freeze and Initiative.
"""

from __future__ import annotations

from collections.abc import Iterable

from awards.models import BasisKind, RecipientKind
from awards.rules.eligibility.candidate import (
    HARD,
    SOFT,
    Candidate,
    Finding,
    Quota,
    blocking,
    decider_for,
    needing_justification,
    vn_date,
)
from awards.rules.eligibility.collectives import CollectiveChecks
from awards.rules.eligibility.prerequisites import PrerequisiteChecks
from awards.rules.eligibility.principles import PrincipleChecks
from awards.rules.rulebook import Rulebook

__all__ = [
    "HARD",
    "SOFT",
    "Candidate",
    "Finding",
    "Quota",
    "blocking",
    "check",
    "decider_for",
    "needing_justification",
    "rulebook_for",
]


class _Check(PrincipleChecks, PrerequisiteChecks, CollectiveChecks):
    """All checks of one candidate, in the order an official would go through the dossier."""

    def run(self) -> list[Finding]:
        item = self.c.item
        if not item.accepts_recipient(self.c.recipient_kind):
            self.add(
                "recipient",
                HARD,
                item.legal_article,
                f"{item.kind_label} “{item.name}” không xét tặng cho "
                f"{RecipientKind(self.c.recipient_kind).label.lower()}.",
            )
        if not item.accepts_basis(self.c.basis):
            self.add(
                "basis",
                HARD,
                item.legal_article,
                f"“{item.name}” không xét tặng theo loại "
                f"“{BasisKind(self.c.basis).label.lower()}”.",
            )
        self.check_authority()
        self.check_dissolved()
        self.check_registration()
        # Freezes and discipline are kept for people and collectives; households have none.
        if self.c.recipient_kind != RecipientKind.HOUSEHOLD:
            self.check_freeze()
            self.check_discipline()
        self.check_once()
        self.check_prerequisites()
        if self.c.recipient_kind == RecipientKind.COLLECTIVE:
            self.check_collective_ratios()
        self.check_caps()
        self.check_initiatives()
        self.check_duplicates()
        return self.findings


def check(candidate: Candidate, *, others: Iterable[Candidate] = ()) -> list[Finding]:
    """Every finding for `candidate`; `others` are the other open nominations to compare with."""
    rules = Rulebook.for_day(candidate.on, candidate.scope_unit)
    if rules is None:
        return [
            Finding(
                "ruleset",
                HARD,
                "",
                f"Không có bộ quy tắc khen thưởng có hiệu lực ngày {vn_date(candidate.on)}.",
            )
        ]
    rest = [
        other
        for other in others
        if not (candidate.key is not None and other.key == candidate.key) and other is not candidate
    ]
    return _Check(candidate=candidate, rules=rules, others=rest).run()


def rulebook_for(candidate: Candidate) -> Rulebook | None:
    """The rules `check` applies to `candidate` (for council thresholds and money later)."""
    return Rulebook.for_day(candidate.on, candidate.scope_unit)
