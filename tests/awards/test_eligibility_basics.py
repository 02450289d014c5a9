"""What every eligibility check stands on, each stated exactly: a candidate's two refusals, a
finding as added, whose records and ratings a check reads (a person, a collective, a household
of a locality), whose authority a unit's leader exercises, and how a span of years is written.
A fault here changes findings everywhere; each test names the one rule it pins."""

from __future__ import annotations

import datetime

import pytest

from awards.models import AnnualRating, Decider, RecipientKind
from awards.rules.eligibility import HARD, SOFT, Candidate, Finding, check
from awards.rules.eligibility.base import CheckBase
from awards.rules.eligibility.candidate import decider_for, year_span
from portal.models import Unit, UnitKind
from tests.awards.eligibility_helpers import (
    ON_2026,
    award,
    codes,
    collective,
    only,
    person_candidate,
    rate,
)


def test_a_candidate_neither_person_nor_unit_or_a_persons_household_is_refused_saying_why(lab):
    neither = r"^a candidate is either a person or a unit \(collective, household\)$"
    with pytest.raises(ValueError, match=neither):
        Candidate(item=lab.ldtt, year=2025, basis="yearly", on=ON_2026)
    with pytest.raises(
        ValueError, match=r"^a household is given by its locality unit, not a person$"
    ):
        Candidate(
            item=lab.giay_khen, year=2025, basis="ad_hoc", on=ON_2026, person=lab.person,
            household_name="Nguyễn Văn An",
        )  # fmt: skip


def test_a_finding_added_starts_with_its_article_and_is_verified_unless_said(lab):
    base = CheckBase(candidate=person_candidate(lab, lab.ldtt), rules=None, others=[])
    base.add("once", HARD, "Điều 5 Luật TĐKT 2022", "đã khen năm 2025.")
    base.add("one_form", SOFT, "Điều 6", "chưa rõ.", unverified=True)
    assert base.findings == [
        Finding("once", HARD, "Điều 5 Luật TĐKT 2022", "Điều 5 Luật TĐKT 2022: đã khen năm 2025."),
        Finding("one_form", SOFT, "Điều 6", "Điều 6: chưa rõ.", True),
    ]
    assert base.findings[0].unverified is False


def _reads(candidate: Candidate) -> CheckBase:
    return CheckBase(candidate=candidate, rules=None, others=[])


def test_a_check_reads_the_records_and_ratings_of_its_own_subject_only(lab):
    mine = award(lab.person, lab.ldtt, 2025)
    award(lab.sibling_person, lab.ldtt, 2025)
    office = award(lab.ward_office, lab.ttldtt, 2025)
    award(lab.ward_secretariat, lab.ttldtt, 2025)

    def household(name: str, unit: Unit) -> None:
        return award(
            unit, lab.giay_khen, 2025, basis="ad_hoc", recipient_kind="household",
            household_name=name,
        )  # fmt: skip

    an = household("Nguyễn Văn An", lab.ward)
    household("Trần Văn Bảo", lab.ward)  # another household of the same ward
    household("Nguyễn Văn An", lab.sibling_ward)  # the same name in the next ward
    assert list(_reads(person_candidate(lab, lab.ldtt)).records()) == [mine]
    assert list(_reads(collective(lab, lab.ttldtt)).records()) == [office]
    an_candidate = Candidate(
        item=lab.giay_khen, year=2025, basis="ad_hoc", on=ON_2026, unit=lab.ward,
        household_name="Nguyễn Văn An",
    )  # fmt: skip
    assert list(_reads(an_candidate).records()) == [an]
    # The ward as a collective: the households it registers are not the ward's own records.
    ward = Candidate(item=lab.giay_khen, year=2025, basis="ad_hoc", on=ON_2026, unit=lab.ward)
    ward_award = award(lab.ward, lab.giay_khen, 2024, basis="ad_hoc")
    assert list(_reads(ward).records()) == [ward_award]

    rated = rate(lab.ward_office, 2025, "htxsnv")
    rate(lab.ward_secretariat, 2025, "htxsnv")  # another unit: its rating is not the office's
    own = AnnualRating.objects.filter(_reads(collective(lab, lab.ttldtt)).person_or_unit_filter())
    assert list(own) == [rated]


def test_a_units_leader_decides_as_the_kind_of_unit_says():
    expected = {
        UnitKind.PROVINCE: Decider.PROVINCE,
        UnitKind.CENTRAL_CITY: Decider.PROVINCE,
        UnitKind.DISTRICT: Decider.DISTRICT,
        UnitKind.URBAN_DISTRICT: Decider.DISTRICT,
        UnitKind.TOWN: Decider.DISTRICT,
        UnitKind.PROVINCIAL_CITY: Decider.DISTRICT,
        UnitKind.COMMUNE: Decider.COMMUNE,
        UnitKind.WARD: Decider.COMMUNE,
        UnitKind.TOWNSHIP: Decider.COMMUNE,
        UnitKind.SPECIAL_ZONE: Decider.COMMUNE,
        UnitKind.VILLAGE: "",  # a village or residential group confers nothing itself
        UnitKind.RESIDENTIAL_GROUP: "",
        UnitKind.DEPARTMENT: Decider.AGENCY,
        UnitKind.OFFICE: Decider.AGENCY,
        UnitKind.PUBLIC_SERVICE: Decider.AGENCY,
        UnitKind.MASS_ORGANISATION: Decider.AGENCY,
        UnitKind.ENTERPRISE: Decider.ENTERPRISE,
        UnitKind.OTHER: Decider.AGENCY,
    }
    assert set(expected) == set(UnitKind)
    assert {kind: decider_for(Unit(kind=kind)) for kind in UnitKind} == expected


def test_a_span_of_years_is_one_year_or_the_count_of_consecutive_years():
    assert year_span(2025, 2025) == "năm 2025"
    assert year_span(2023, 2025) == "3 năm liên tục 2023–2025"


def test_the_findings_said_before_any_rule_recipient_and_basis_in_full(lab):
    too_early = person_candidate(lab, lab.ldtt, year=2017, on=datetime.date(2017, 9, 1))
    assert check(too_early) == [
        Finding("ruleset", HARD, "", "Không có bộ quy tắc khen thưởng có hiệu lực ngày 01/09/2017.")
    ]
    office = Candidate(item=lab.ldtt, year=2025, basis="yearly", on=ON_2026, unit=lab.ward_office)
    article = lab.ldtt.legal_article
    assert only(check(office), "recipient") == Finding(
        "recipient", HARD, article,
        f"{article}: {lab.ldtt.kind_label} “{lab.ldtt.name}” không xét tặng cho "
        f"{RecipientKind.COLLECTIVE.label.lower()}.",
    )  # fmt: skip
    ad_hoc = person_candidate(lab, lab.cstdcs, basis="ad_hoc")
    article = lab.cstdcs.legal_article
    assert only(check(ad_hoc), "basis") == Finding(
        "basis", HARD, article,
        f"{article}: “{lab.cstdcs.name}” không xét tặng theo loại “đột xuất”.",
    )  # fmt: skip


def test_a_candidate_is_not_compared_with_its_own_nomination_listed_among_the_others(lab):
    """The batch may hold the candidate's own nomination, as the same object or a copy with the
    same key: either way it is not a second nomination of the same person."""
    mine = person_candidate(lab, lab.ldtt, key="a")
    copy = person_candidate(lab, lab.ldtt, key="a")
    assert "duplicate_nomination" not in codes(check(mine, others=[copy, mine]))
