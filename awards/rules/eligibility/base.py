"""Facts about the candidate that every check reads."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q

from awards.models import AwardRecord, EmulationTitle, Initiative
from awards.rules.eligibility.candidate import Candidate, Finding
from awards.rules.rulebook import Rulebook


@dataclass
class CheckBase:
    candidate: Candidate
    rules: Rulebook
    others: list[Candidate]
    findings: list[Finding] = field(default_factory=list)

    @property
    def c(self) -> Candidate:
        return self.candidate

    def subject_filter(self) -> Q:
        if self.c.person is not None:
            return Q(person=self.c.person)
        if self.c.household_name:
            return Q(unit=self.c.unit, household_name=self.c.household_name)
        # A household's records carry its locality as `unit`: not the locality's own.
        return Q(unit=self.c.unit, household_name="")

    def person_or_unit_filter(self) -> Q:
        return Q(person=self.c.person) if self.c.person is not None else Q(unit=self.c.unit)

    def records(self):
        return AwardRecord.objects.standing().filter(self.subject_filter())

    def add(
        self, code: str, severity: str, article: str, text: str, *, unverified: bool = False
    ) -> None:
        self.findings.append(Finding(code, severity, article, f"{article}: {text}", unverified))

    def general(self, code: str):
        return self.rules.general(code)

    def initiative_reusable(self, initiative: Initiative) -> bool:
        """Unused, or used for a title and now proposed for another title (CV 5007/BNV-TĐKT)."""
        used = initiative.used_by
        if used is None:
            return True
        return used.title_id is not None and isinstance(self.c.item, EmulationTitle)
