"""The small rules the eligibility checks stand on, each stated on its own: who is the same
subject and what is the same catalogue entry, which members are a collective's and which of them
hold a title, what counts toward a cap in a unit, which open nominations belong to one plan's
batch or fill a chain's years, which initiatives may still support a proposal, which rules apply
to a candidate, and which findings need a written justification. A fault in one of them shows
here, not only as a changed finding somewhere further on."""

from __future__ import annotations

import datetime

from awards.models import (
    AwardForm,
    EmulationTitle,
    GeneralRule,
    Initiative,
    PrerequisiteRule,
    RuleSet,
)
from awards.rules.eligibility import (
    HARD,
    SOFT,
    Candidate,
    Finding,
    blocking,
    needing_justification,
    rulebook_for,
)
from awards.rules.eligibility.collectives import CollectiveChecks
from awards.rules.eligibility.prerequisites import PrerequisiteChecks
from portal.models import UnitKind
from tests.awards.eligibility_helpers import (
    ON_2026,
    award,
    collective,
    person_candidate,
    provincial_rule_set,
    staff,
)
from tests.factories import make_person, make_unit

REVOKED = datetime.date(2026, 1, 2)


def checks(kind, candidate: Candidate, others=()):
    """The checks of `kind` for `candidate`, under the rules `check` would apply."""
    return kind(candidate=candidate, rules=rulebook_for(candidate), others=list(others))


def proposed(person, item, *, year=2025, basis="yearly", **fields) -> Candidate:
    return Candidate(item=item, year=year, basis=basis, on=ON_2026, person=person, **fields)


# -- the same subject, the same item ---------------------------------------------------------


def test_the_same_subject_is_the_same_person_or_the_same_unit_and_household(lab):
    mine = person_candidate(lab, lab.ldtt)
    assert mine.same_subject(proposed(lab.person, lab.cstdcs, year=2024))
    assert not mine.same_subject(proposed(lab.sibling_person, lab.ldtt))
    office = collective(lab, lab.ttldtt)
    # A person is never the same subject as a unit, whichever side asks.
    assert not mine.same_subject(office)
    assert not office.same_subject(mine)
    assert office.same_subject(collective(lab, lab.ttldxs))
    secretariat = Candidate(
        item=lab.ttldtt, year=2025, basis="yearly", on=ON_2026, unit=lab.ward_secretariat
    )
    assert not office.same_subject(secretariat)

    def household(name: str) -> Candidate:
        return Candidate(
            item=lab.giay_khen, year=2025, basis="ad_hoc", on=ON_2026, unit=lab.ward,
            household_name=name,
        )  # fmt: skip

    assert household("Nguyễn Văn An").same_subject(household("Nguyễn Văn An"))
    assert not household("Nguyễn Văn An").same_subject(household("Trần Văn Bảo"))
    # A household is not the locality that registers it.
    ward = Candidate(item=lab.giay_khen, year=2025, basis="ad_hoc", on=ON_2026, unit=lab.ward)
    assert not household("Nguyễn Văn An").same_subject(ward)
    assert not ward.same_subject(household("Nguyễn Văn An"))


def test_a_nomination_is_for_an_item_when_it_is_the_same_catalogue_entry_of_the_same_kind(lab):
    mine = person_candidate(lab, lab.ldtt)
    assert mine.is_for(EmulationTitle.objects.get(pk=lab.ldtt.pk))  # another copy of the row
    assert not mine.is_for(lab.cstdcs)
    # A title and a form are numbered separately: the same number is not the same item.
    title = EmulationTitle.objects.filter(pk__in=AwardForm.objects.values("pk")).first()
    twin = AwardForm.objects.get(pk=title.pk)
    assert not proposed(lab.person, title).is_for(twin)
    assert proposed(lab.person, twin).is_for(twin)


# -- a collective's members and those holding a title -------------------------------------------


def test_a_collectives_members_are_its_own_active_staff_unless_the_dossier_lists_them(lab):
    present = staff(lab, 2)
    make_person(lab.ward_office, "Đã nghỉ hưu", is_active=False)
    make_person(lab.ward_secretariat, "Ở phòng khác")  # the ward's other office
    # lab.person works in the ward itself, above the office: not one of its members.
    members = checks(CollectiveChecks, collective(lab, lab.ttldtt)).member_ids()
    assert sorted(members) == sorted(p.pk for p in present)
    listed = (present[1].pk, lab.person.pk)
    named = checks(CollectiveChecks, collective(lab, lab.ttldtt, member_ids=listed))
    assert named.member_ids() == list(listed)
    # An empty list given by the dossier is a list: nobody, not the staff.
    assert checks(CollectiveChecks, collective(lab, lab.ttldtt, member_ids=())).member_ids() == []


def test_members_holding_a_title_are_those_awarded_it_that_year_or_proposed_in_the_batch(lab):
    holder, last_year, other_title, revoked, pending, not_pending = staff(lab, 6)
    award(holder, lab.ldtt, 2025)
    award(last_year, lab.ldtt, 2024)
    award(other_title, lab.cstdcs, 2025)
    award(revoked, lab.ldtt, 2025, revoked_on=REVOKED)
    award(lab.person, lab.ldtt, 2025)  # holds it, but is not a member
    others = [
        proposed(pending, lab.ldtt),
        proposed(not_pending, lab.ldtt, year=2024),
        proposed(not_pending, lab.cstdcs),
        proposed(lab.sibling_person, lab.ldtt),  # proposed, but not a member
        collective(lab, lab.ldtt),  # a unit's nomination names no member
    ]
    members = [holder, last_year, other_title, revoked, pending, not_pending]
    ids = [m.pk for m in members] + [lab.ward_chair.pk]
    holding = checks(CollectiveChecks, collective(lab, lab.ttldtt), others).members_holding(
        lab.ldtt, ids
    )
    assert holding == {holder.pk, pending.pk}


# -- caps: what counts in a unit -----------------------------------------------------------------


def test_a_cap_counts_the_standing_awards_of_the_year_in_the_units_subtree_and_its_proposals(lab):
    inside = make_person(lab.ward_office, "Trong phường")
    award(lab.person, lab.cstdcs, 2025)  # a person of the ward itself
    award(inside, lab.cstdcs, 2025)  # a person of an office under it
    award(lab.ward_office, lab.cstdcs, 2025)  # a unit under it
    award(lab.sibling_person, lab.cstdcs, 2025)  # the next ward's
    award(lab.person, lab.cstdcs, 2024)  # another year
    award(inside, lab.ldtt, 2025)  # another title
    award(lab.ward_deputy, lab.cstdcs, 2025, revoked_on=REVOKED)  # revoked: no longer counts
    colleague = make_person(lab.ward, "Đồng nghiệp")
    others = [
        proposed(colleague, lab.cstdcs, proposing_unit=lab.ward),
        proposed(colleague, lab.cstdcs, proposing_unit=lab.ward_office),
        proposed(colleague, lab.cstdcs, proposing_unit=lab.sibling_ward),
        proposed(colleague, lab.cstdcs),  # no proposing unit known
        proposed(colleague, lab.cstdcs, year=2024, proposing_unit=lab.ward),
        proposed(colleague, lab.ldtt, proposing_unit=lab.ward),
    ]
    counter = checks(CollectiveChecks, person_candidate(lab, lab.cstdcs), others)
    assert counter.count_in_unit(lab.cstdcs, lab.ward) == 3 + 1
    assert counter.count_in_unit(lab.cstdcs, lab.ward_office) == 2 + 1
    assert counter.count_in_unit(lab.ldtt, lab.ward) == 1 + 1
    assert counter.count_in_unit(lab.cstdcs, lab.sibling_ward) == 1 + 1
    quiet = checks(CollectiveChecks, person_candidate(lab, lab.cstdcs, year=2024))
    assert quiet.count_in_unit(lab.cstdcs, lab.ward) == 1


def test_a_plans_batch_is_its_campaign_or_without_one_the_same_year_and_named_round(lab):
    round_ = dict(basis="campaign", basis_reference="Chuyển đổi số")
    under = checks(CollectiveChecks, person_candidate(lab, lab.giay_khen, campaign_id=5, **round_))
    moved = dict(basis="campaign", basis_reference="Bình dân học vụ số", year=2024)
    assert under.same_plan(proposed(lab.person, lab.giay_khen, campaign_id=5, **moved))
    assert not under.same_plan(proposed(lab.person, lab.giay_khen, campaign_id=6, **round_))
    assert not under.same_plan(proposed(lab.person, lab.giay_khen, **round_))
    loose = checks(CollectiveChecks, person_candidate(lab, lab.giay_khen, **round_))
    assert loose.same_plan(proposed(lab.person, lab.giay_khen, **round_))
    assert loose.same_plan(proposed(lab.person, lab.giay_khen, campaign_id=7, **round_))
    assert not loose.same_plan(proposed(lab.person, lab.giay_khen, year=2024, **round_))
    other_round = dict(basis="campaign", basis_reference="Bình dân học vụ số")
    assert not loose.same_plan(proposed(lab.person, lab.giay_khen, **other_round))


# -- chains: the years proposed in the batch --------------------------------------------------


def test_pending_years_are_the_subjects_open_nominations_for_the_item_inside_the_window(lab):
    others = [proposed(lab.person, lab.cstdcs, year=y) for y in (2021, 2022, 2024, 2025)]
    others += [
        proposed(lab.person, lab.ldtt, year=2023),  # another item
        proposed(lab.sibling_person, lab.cstdcs, year=2023),  # another person
    ]
    chain = checks(PrerequisiteChecks, person_candidate(lab, lab.cstd_tinh), others)
    assert chain.pending_years(lab.cstdcs, 2022, 2024) == {2022, 2024}
    assert chain.pending_years(lab.cstdcs, 2023, 2023) == set()
    assert chain.pending_years(lab.cstdcs, 2021, 2025) == {2021, 2022, 2024, 2025}


# -- initiatives that may still support a proposal --------------------------------------------


def test_usable_initiatives_are_the_subjects_own_of_the_window_at_the_level_and_not_spent(lab):
    def initiative(name, *, level="unit", year=2025, person=lab.person, used_by=None):
        return Initiative.objects.create(
            person=person, name=name, level=level, year=year, used_by=used_by
        )

    at_unit = initiative("Cơ sở")
    initiative("Tỉnh", level="province")
    initiative("Toàn quốc", level="national", year=2024)
    earlier = initiative("Năm 2023", year=2023)
    initiative("Năm 2026", year=2026)
    initiative("Của người khác", person=lab.sibling_person)
    spent = initiative("Đã dùng", used_by=award(lab.person, lab.giay_khen, 2024, basis="merit"))
    initiative("Đã dùng cho danh hiệu", used_by=award(lab.person, lab.ldtt, 2024))

    def usable(candidate: Candidate, level: str) -> set[str]:
        row = PrerequisiteRule(initiative_level=level)
        found = checks(PrerequisiteChecks, candidate).available_initiatives(row, 2024, 2025)
        return {i.name for i in found}

    for_title = person_candidate(lab, lab.cstdcs)
    assert usable(for_title, "unit") == {"Cơ sở", "Tỉnh", "Toàn quốc", "Đã dùng cho danh hiệu"}
    assert usable(for_title, "province") == {"Tỉnh", "Toàn quốc"}
    assert usable(for_title, "national") == {"Toàn quốc"}
    # Used for a title, an initiative may support a later title, not a form (CV 5007/BNV-TĐKT).
    for_form = person_candidate(lab, lab.bk_tinh, basis="merit", conferring_unit=lab.province)
    assert usable(for_form, "unit") == {"Cơ sở", "Tỉnh", "Toàn quốc"}
    # The dossier names its initiatives: only those, and still only the usable ones.
    named = (at_unit.pk, spent.pk, earlier.pk)
    assert usable(person_candidate(lab, lab.cstdcs, initiative_ids=named), "unit") == {"Cơ sở"}
    # Where the rule set drops the once-only rule, a spent initiative counts again.
    GeneralRule.objects.create(
        rule_set=provincial_rule_set(lab),
        code="initiative_once",
        enabled=False,
        article="QĐ 86/2025/QĐ-UBND",
    )
    assert usable(for_form, "unit") == {
        "Cơ sở", "Tỉnh", "Toàn quốc", "Đã dùng", "Đã dùng cho danh hiệu",
    }  # fmt: skip


# -- the rules applied, the findings to justify ----------------------------------------------------


def test_the_rules_for_a_candidate_are_those_in_force_on_its_day_in_its_province(lab):
    national = RuleSet.objects.get(scope_unit=None, valid_from=datetime.date(2025, 7, 1))
    override = provincial_rule_set(lab)
    assert rulebook_for(person_candidate(lab, lab.ldtt)).chain == [override, national]
    before = person_candidate(lab, lab.ldtt, on=datetime.date(2025, 12, 1))
    assert rulebook_for(before).chain == [national]
    elsewhere = make_unit(None, UnitKind.PROVINCE, "Tỉnh Bình Phước")
    assert rulebook_for(person_candidate(lab, lab.ldtt, conferring_unit=elsewhere)).chain == [
        national
    ]
    too_early = person_candidate(lab, lab.ldtt, year=2017, on=datetime.date(2017, 9, 1))
    assert rulebook_for(too_early) is None


def test_the_findings_needing_a_justification_are_exactly_the_soft_ones():
    hard = Finding("authority", HARD, "Điều 78 Luật TĐKT 2022", "…")
    soft = Finding("one_form", SOFT, "Điều 5 Luật TĐKT 2022", "…")
    other_soft = Finding("prerequisite", SOFT, "Điều 74 Luật TĐKT 2022", "…")
    findings = [hard, soft, hard, other_soft]
    assert needing_justification(findings) == [soft, other_soft]
    assert blocking(findings) == [hard, hard]
    assert needing_justification([hard]) == []


def test_usable_initiatives_are_read_with_the_awards_they_were_used_for_in_one_query(
    lab, django_assert_num_queries
):
    """Whether an initiative is spent reads the award it was used for: fetched with it, not one
    query per initiative (a dossier can list dozens)."""
    for n in range(4):
        used = award(lab.person, lab.giay_khen, 2021 + n, basis="merit", number=f"{n}/QĐ-UBND")
        Initiative.objects.create(
            person=lab.person, name=f"Sáng kiến {n}", level="unit", year=2025, used_by=used
        )
    chain = checks(PrerequisiteChecks, person_candidate(lab, lab.bk_tinh, basis="merit"))
    chain.general("initiative_once")  # the rule set's principles, read once for every check
    row = PrerequisiteRule(initiative_level="unit")
    with django_assert_num_queries(1):
        assert chain.available_initiatives(row, 2024, 2025) == []
