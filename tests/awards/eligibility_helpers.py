"""What the eligibility tests share: the days judged, awards and ratings written as records,
and a candidate person."""

from __future__ import annotations

import datetime

from awards.models import (
    AwardRecord,
    RuleSet,
)
from awards.rules.eligibility import Candidate, Finding
from tests.factories import make_person

ON_2026 = datetime.date(2026, 1, 15)  # judged under NĐ 152/2025 and NĐ 129/2025
ON_2025 = datetime.date(2025, 1, 15)  # judged under NĐ 98/2023
DONG_NAI_FROM = datetime.date(2025, 12, 15)  # QĐ 86/2025/QĐ-UBND takes effect


def award(subject, item, year, *, basis="yearly", number="01/QĐ-UBND", **fields):
    is_person = hasattr(subject, "full_name")
    kind = "individual" if is_person else "collective"
    return AwardRecord.objects.create(
        recipient_kind=fields.pop("recipient_kind", kind),
        person=subject if is_person else None,
        unit=None if is_person else subject,
        year=year,
        basis_kind=basis,
        decision_number=number,
        decision_date=datetime.date(year + 1, 1, 10),
        source="imported",
        **{"title" if item.is_title else "award_form": item},
        **fields,
    )


def rate(subject, year, rating):
    from awards.models import AnnualRating

    is_person = hasattr(subject, "full_name")
    return AnnualRating.objects.create(
        person=subject if is_person else None,
        unit=None if is_person else subject,
        year=year,
        rating=rating,
        source="imported",
    )


def codes(findings: list[Finding]) -> set[str]:
    return {f.code for f in findings}


def only(findings: list[Finding], code: str) -> Finding:
    matching = [f for f in findings if f.code == code]
    assert len(matching) == 1, findings
    return matching[0]


def person_candidate(w, item, *, year=2025, on=ON_2026, basis="yearly", **fields):
    fields.setdefault("conferring_unit", w.ward)
    fields.setdefault("proposing_unit", w.ward)
    return Candidate(item=item, year=year, basis=basis, on=on, person=w.person, **fields)


def provincial_rule_set(w, *, valid_from: datetime.date = DONG_NAI_FROM) -> RuleSet:
    """Đồng Nai's own regulation for the province's subtree, with no rules yet: each test adds
    the ones it overrides. In force from 15/12/2025 unless a test needs it earlier."""
    return RuleSet.objects.create(
        name="Quy định TĐKT tỉnh Đồng Nai",
        legal_basis="QĐ 86/2025/QĐ-UBND",
        valid_from=valid_from,
        scope_unit=w.province,
    )


# -- rule set, recipient, basis -------------------------------------------------------------


def staff(w, count):
    return [make_person(w.ward_office, f"Cán bộ {i}") for i in range(count)]


def collective(w, item, **fields):
    fields.setdefault("conferring_unit", w.ward)
    return Candidate(item=item, year=2025, basis="yearly", on=ON_2026, unit=w.ward_office, **fields)
