"""Each eligibility rule with a passing and a failing case; failures cite their article."""

from __future__ import annotations

import datetime

import pytest

from awards.models import (
    CapRule,
    Discipline,
    Freeze,
    GeneralRule,
    Initiative,
    PrerequisiteRule,
    RuleSet,
)
from awards.rules.eligibility import Candidate, Quota, blocking, check
from awards.rules.eligibility.collectives import CollectiveChecks
from portal.models import UnitKind
from tests.awards.eligibility_helpers import (
    ON_2025,
    ON_2026,
    award,
    codes,
    collective,
    only,
    person_candidate,
    provincial_rule_set,
    rate,
    staff,
)
from tests.factories import make_person, make_unit


def test_a_date_before_the_decree_91_regime_has_no_rule_set(lab):
    findings = check(person_candidate(lab, lab.ldtt, year=2017, on=datetime.date(2017, 9, 1)))
    assert codes(findings) == {"ruleset"}
    assert "01/09/2017" in findings[0].message


def test_a_well_rated_person_passes_for_lao_dong_tien_tien(lab):
    rate(lab.person, 2025, "httnv")
    assert check(person_candidate(lab, lab.ldtt)) == []


def test_an_individual_title_is_refused_for_a_collective(lab):
    candidate = Candidate(
        item=lab.ldtt, year=2025, basis="yearly", on=ON_2026, unit=lab.ward_office
    )
    finding = only(check(candidate), "recipient")
    assert finding.blocks
    assert finding.message.startswith("Điều 24 Luật TĐKT 2022:")


def test_a_yearly_title_cannot_be_given_ad_hoc(lab):
    rate(lab.person, 2025, "htxsnv")
    finding = only(check(person_candidate(lab, lab.cstdcs, basis="ad_hoc")), "basis")
    assert "Điều 23 Luật TĐKT 2022" in finding.message
    assert "đột xuất" in finding.message


# -- authority before and after 01/07/2025 ---------------------------------------------------


def test_the_commune_chairman_confers_cstdcs_after_the_reform(lab):
    rate(lab.person, 2025, "htxsnv")
    assert "authority" not in codes(check(person_candidate(lab, lab.cstdcs)))


def test_the_commune_chairman_could_not_confer_cstdcs_before_the_reform(lab):
    rate(lab.person, 2024, "htxsnv")
    finding = only(check(person_candidate(lab, lab.cstdcs, year=2024, on=ON_2025)), "authority")
    assert finding.blocks
    assert "Khoản 2 Điều 80 Luật TĐKT 2022" in finding.message
    assert "Chủ tịch UBND cấp xã không có thẩm quyền" in finding.message


def test_the_district_chairman_conferred_cstdcs_before_the_reform(lab):
    rate(lab.person, 2024, "htxsnv")
    candidate = person_candidate(
        lab, lab.cstdcs, year=2024, on=ON_2025, conferring_unit=lab.district
    )
    assert "authority" not in codes(check(candidate))


def test_the_district_lost_its_powers_on_1_july_2025(lab):
    rate(lab.person, 2025, "htxsnv")
    finding = only(
        check(person_candidate(lab, lab.cstdcs, conferring_unit=lab.district)), "authority"
    )
    assert "Điều 59 NĐ 129/2025/NĐ-CP" in finding.message
    assert "Chủ tịch UBND cấp huyện" in finding.message


def test_a_bang_khen_of_the_province_is_beyond_a_ward(lab):
    finding = only(
        check(person_candidate(lab, lab.bk_tinh, basis="ad_hoc", basis_reference="Cứu người")),
        "authority",
    )
    assert "Điều 78 Luật TĐKT 2022" in finding.message
    assert "Chủ tịch UBND cấp tỉnh" in finding.message
    assert "authority" not in codes(
        check(
            person_candidate(
                lab,
                lab.bk_tinh,
                basis="ad_hoc",
                basis_reference="Cứu người",
                conferring_unit=lab.province,
            )
        )
    )


# -- registration gate ---------------------------------------------------------------------------


def test_an_unregistered_person_is_refused_a_title_while_the_gate_is_on(lab):
    rate(lab.person, 2025, "httnv")
    finding = only(check(person_candidate(lab, lab.ldtt, registered=False)), "registration")
    assert "NĐ 91/2017/NĐ-CP" in finding.message
    assert "registration" not in codes(check(person_candidate(lab, lab.ldtt, registered=True)))


def test_a_province_can_switch_the_registration_gate_off_for_its_subtree(lab):
    rate(lab.person, 2025, "httnv")
    override = provincial_rule_set(lab)
    GeneralRule.objects.create(
        rule_set=override, code="registration", enabled=False, article="QĐ 86/2025/QĐ-UBND"
    )
    assert check(person_candidate(lab, lab.ldtt, registered=False)) == []
    # Before the provincial regulation took effect, the national gate applied.
    earlier = person_candidate(lab, lab.ldtt, registered=False, on=datetime.date(2025, 12, 1))
    assert "registration" in codes(check(earlier))


# -- freeze and discipline -----------------------------------------------------------------------


def test_a_complaint_under_verification_freezes_the_nomination(lab):
    rate(lab.person, 2025, "httnv")
    Freeze.objects.create(
        person=lab.person, kind="complaint", started_on=datetime.date(2025, 12, 1)
    )
    finding = only(check(person_candidate(lab, lab.ldtt)), "freeze")
    assert finding.blocks
    assert finding.message.startswith("Khoản 4 Điều 4 NĐ 152/2025/NĐ-CP:")


def test_a_closed_freeze_no_longer_blocks(lab):
    rate(lab.person, 2025, "httnv")
    Freeze.objects.create(
        person=lab.person,
        kind="investigation",
        started_on=datetime.date(2025, 3, 1),
        ended_on=datetime.date(2025, 6, 1),
    )
    assert "freeze" not in codes(check(person_candidate(lab, lab.ldtt)))


def test_discipline_during_the_year_blocks_and_an_earlier_one_does_not(lab):
    rate(lab.person, 2025, "httnv")
    Discipline.objects.create(
        person=lab.person,
        level="reprimand",
        decided_on=datetime.date(2023, 3, 1),
        effective_from=datetime.date(2023, 3, 1),
        effective_to=datetime.date(2024, 2, 28),
    )
    assert "discipline" not in codes(check(person_candidate(lab, lab.ldtt)))
    Discipline.objects.create(
        person=lab.person,
        level="reprimand",
        decided_on=datetime.date(2025, 5, 1),
        effective_from=datetime.date(2025, 5, 1),
        effective_to=datetime.date(2026, 4, 30),
    )
    finding = only(check(person_candidate(lab, lab.ldtt)), "discipline")
    assert "Khoản 4 Điều 4 NĐ 152/2025/NĐ-CP" in finding.message
    assert "khiển trách" in finding.message
    assert "trùng thời gian tính thành tích năm 2025" in finding.message


def test_a_discipline_running_on_the_day_of_the_check_blocks_too(lab):
    rate(lab.person, 2025, "httnv")
    Discipline.objects.create(
        person=lab.person,
        level="warning",
        decided_on=datetime.date(2026, 1, 5),
        effective_from=datetime.date(2026, 1, 5),
        effective_to=datetime.date(2027, 1, 4),
    )
    finding = only(check(person_candidate(lab, lab.ldtt)), "discipline")
    assert "còn thời hạn kỷ luật vào ngày 15/01/2026" in finding.message
    before_it = person_candidate(lab, lab.ldtt, on=datetime.date(2026, 1, 4))
    assert "discipline" not in codes(check(before_it))


# -- one achievement once, by one form -----------------------------------------------------------


def test_the_same_title_for_the_same_year_is_refused(lab):
    rate(lab.person, 2025, "httnv")
    award(lab.person, lab.ldtt, 2025, number="15/QĐ-UBND")
    finding = only(check(person_candidate(lab, lab.ldtt)), "once")
    assert finding.message.startswith("Điều 5 Luật TĐKT 2022:")
    assert "15/QĐ-UBND" in finding.message
    assert "once" not in codes(check(person_candidate(lab, lab.ldtt, year=2024)))


def test_a_campaign_award_does_not_count_as_the_same_achievement_as_another_campaign(lab):
    award(lab.person, lab.giay_khen, 2025, basis="campaign", basis_reference="Chuyển đổi số")
    candidate = person_candidate(
        lab, lab.giay_khen, basis="campaign", basis_reference="Bình dân học vụ số"
    )
    assert "once" not in codes(check(candidate))
    same = person_candidate(lab, lab.giay_khen, basis="campaign", basis_reference="Chuyển đổi số")
    assert "once" in codes(check(same))


def test_a_second_form_for_the_same_yearly_achievement_needs_a_justification(lab):
    award(lab.person, lab.giay_khen, 2025, basis="merit")
    candidate = person_candidate(lab, lab.bk_tinh, basis="merit", conferring_unit=lab.province)
    finding = only(check(candidate), "one_form")
    assert not finding.blocks
    assert finding.message.startswith("Điều 5 Luật TĐKT 2022:")
    other_year = person_candidate(
        lab, lab.bk_tinh, basis="merit", year=2024, conferring_unit=lab.province
    )
    assert "one_form" not in codes(check(other_year))


# -- annual rating and consecutive-year chains ---------------------------------------------------


def test_lao_dong_tien_tien_requires_a_good_rating(lab):
    rate(lab.person, 2025, "htnv")
    finding = only(check(person_candidate(lab, lab.ldtt)), "prerequisite")
    assert finding.blocks
    assert finding.message.startswith("Điểm a Khoản 1 Điều 24 Luật TĐKT 2022:")
    assert "hoàn thành tốt nhiệm vụ trở lên" in finding.message


def test_cstdcs_passes_with_an_excellent_rating_alone(lab):
    rate(lab.person, 2025, "htxsnv")
    assert "prerequisite" not in codes(check(person_candidate(lab, lab.cstdcs)))


def test_cstdcs_passes_with_a_good_rating_and_a_recognised_initiative(lab):
    rate(lab.person, 2025, "httnv")
    Initiative.objects.create(person=lab.person, name="Số hóa hồ sơ", level="unit", year=2025)
    assert "prerequisite" not in codes(check(person_candidate(lab, lab.cstdcs)))


def test_cstdcs_fails_with_a_good_rating_and_no_initiative(lab):
    rate(lab.person, 2025, "httnv")
    finding = only(check(person_candidate(lab, lab.cstdcs)), "prerequisite")
    assert finding.message.startswith("Điều 23 Luật TĐKT 2022:")
    assert " hoặc " in finding.message


def test_cstd_tinh_needs_three_consecutive_cstdcs(lab):
    Initiative.objects.create(
        person=lab.person, name="Một cửa liên thông", level="province", year=2025
    )
    award(lab.person, lab.cstdcs, 2023)
    award(lab.person, lab.cstdcs, 2025)
    candidate = person_candidate(lab, lab.cstd_tinh, conferring_unit=lab.province)
    finding = only(check(candidate), "prerequisite")
    assert finding.blocks
    assert finding.message.startswith("Điều 22 Luật TĐKT 2022:")
    assert "3 năm liên tục 2023–2025" in finding.message
    assert "các năm 2023, 2025" in finding.message
    award(lab.person, lab.cstdcs, 2024)
    assert "prerequisite" not in codes(check(candidate))


def test_a_cstdcs_proposed_in_the_same_batch_completes_the_chain(lab):
    Initiative.objects.create(person=lab.person, name="Một cửa", level="province", year=2024)
    award(lab.person, lab.cstdcs, 2023)
    award(lab.person, lab.cstdcs, 2024)
    candidate = person_candidate(lab, lab.cstd_tinh, conferring_unit=lab.province)
    pending = person_candidate(lab, lab.cstdcs)
    assert "prerequisite" in codes(check(candidate))
    assert "prerequisite" not in codes(check(candidate, others=[pending]))


def test_bang_khen_on_two_excellent_years_and_two_initiatives_passes(lab):
    rate(lab.person, 2024, "htxsnv")
    rate(lab.person, 2025, "htxsnv")
    Initiative.objects.create(person=lab.person, name="A", level="unit", year=2024)
    Initiative.objects.create(person=lab.person, name="B", level="unit", year=2025)
    candidate = person_candidate(lab, lab.bk_tinh, basis="merit", conferring_unit=lab.province)
    assert check(candidate) == []


def test_bang_khen_without_the_chain_needs_a_justification_only(lab):
    rate(lab.person, 2025, "htxsnv")
    candidate = person_candidate(lab, lab.bk_tinh, basis="merit", conferring_unit=lab.province)
    finding = only(check(candidate), "prerequisite")
    assert not finding.blocks
    assert finding.message.startswith("Điều 74 Luật TĐKT 2022:")
    adhoc = person_candidate(
        lab, lab.bk_tinh, basis="ad_hoc", basis_reference="Cứu hộ lũ", conferring_unit=lab.province
    )
    assert check(adhoc) == []


def test_ad_hoc_and_thematic_awards_do_not_count_toward_a_merit_chain(lab):
    national = RuleSet.objects.get(valid_from=datetime.date(2025, 7, 1))
    PrerequisiteRule.objects.create(
        rule_set=national,
        award_form=lab.bk_ttg,
        recipient_kind="individual",
        kind="chain",
        years=2,
        through_candidate_year=False,
        ref_form=lab.bk_tinh,
        only_merit=True,
        article="Điều 71 Luật TĐKT 2022",
    )
    award(lab.person, lab.bk_tinh, 2024, basis="merit")
    award(lab.person, lab.bk_tinh, 2025, basis="ad_hoc", basis_reference="Cứu người đuối nước")
    candidate = person_candidate(
        lab, lab.bk_ttg, basis="merit", year=2026, conferring_level="prime_minister"
    )
    findings = check(candidate)
    stacking = only(findings, "no_stacking")
    assert stacking.blocks
    assert stacking.message.startswith("Khoản 3 Điều 4 NĐ 152/2025/NĐ-CP:")
    assert "2025" in stacking.message
    assert "prerequisite" in codes(findings)
    award(lab.person, lab.bk_tinh, 2025, basis="merit", number="99/QĐ-UBND")
    assert check(candidate) == []


# -- collective ratios -----------------------------------------------------------------------


def test_tap_the_lao_dong_tien_tien_needs_seventy_percent_ldtt(lab):
    people = staff(lab, 10)
    rate(lab.ward_office, 2025, "httnv")
    for member in people[:6]:
        award(member, lab.ldtt, 2025)
    finding = only(check(collective(lab, lab.ttldtt)), "collective_ratio")
    assert finding.message.startswith("Điều 28 Luật TĐKT 2022:")
    assert "6/10 (60%)" in finding.message
    award(people[6], lab.ldtt, 2025)
    assert check(collective(lab, lab.ttldtt)) == []


def test_a_member_warned_during_the_year_bars_tap_the_lao_dong_tien_tien(lab):
    people = staff(lab, 3)
    rate(lab.ward_office, 2025, "httnv")
    for member in people:
        award(member, lab.ldtt, 2025)
    Discipline.objects.create(
        person=people[0],
        level="reprimand",
        decided_on=datetime.date(2025, 4, 1),
        effective_from=datetime.date(2025, 4, 1),
        effective_to=datetime.date(2026, 3, 31),
    )
    assert check(collective(lab, lab.ttldtt)) == []
    Discipline.objects.create(
        person=people[1],
        level="warning",
        decided_on=datetime.date(2025, 6, 1),
        effective_from=datetime.date(2025, 6, 1),
        effective_to=datetime.date(2026, 5, 31),
    )
    finding = only(check(collective(lab, lab.ttldtt)), "collective_ratio")
    assert "cảnh cáo" in finding.message and "Cán bộ 1" in finding.message


def test_tap_the_lao_dong_xuat_sac_needs_all_complete_and_one_cstdcs(lab):
    people = staff(lab, 4)
    rate(lab.ward_office, 2025, "htxsnv")
    for member in people:
        award(member, lab.ldtt, 2025)
    for member in people[:3]:
        rate(member, 2025, "httnv")
    findings = check(collective(lab, lab.ttldxs, conferring_unit=lab.province))
    assert {f.message.split(":")[0] for f in findings} == {"Điều 27 Luật TĐKT 2022"}
    messages = " ".join(f.message for f in findings)
    assert "Cán bộ 3" in messages
    assert "Chiến sĩ thi đua cơ sở" in messages
    rate(people[3], 2025, "htnv")
    award(people[0], lab.cstdcs, 2025)
    assert check(collective(lab, lab.ttldxs, conferring_unit=lab.province)) == []


def test_members_proposed_in_the_same_batch_count_toward_the_ratio(lab):
    people = staff(lab, 2)
    rate(lab.ward_office, 2025, "httnv")
    pending = [
        Candidate(item=lab.ldtt, year=2025, basis="yearly", on=ON_2026, person=member)
        for member in people
    ]
    assert "collective_ratio" in codes(check(collective(lab, lab.ttldtt)))
    assert check(collective(lab, lab.ttldtt), others=pending) == []


# -- caps --------------------------------------------------------------------------------------


def test_a_provincial_cap_on_cstdcs_applies_inside_the_province_only(lab):
    override = provincial_rule_set(lab)
    CapRule.objects.create(
        rule_set=override,
        title=lab.cstdcs,
        max_percent=15,
        base_title=lab.ldtt,
        article="Khoản 2 Điều 4 QĐ 86/2025/QĐ-UBND",
    )
    people = staff(lab, 7)
    for member in people:
        award(member, lab.ldtt, 2025)
    rate(lab.person, 2025, "htxsnv")
    candidate = person_candidate(lab, lab.cstdcs)
    assert "cap" not in codes(check(candidate))  # 15 % of 7 LĐTT leaves room for one
    award(people[0], lab.cstdcs, 2025)
    finding = only(check(candidate), "cap")
    assert finding.message.startswith("Khoản 2 Điều 4 QĐ 86/2025/QĐ-UBND:")
    assert "(1/7)" in finding.message

    elsewhere = make_unit(None, UnitKind.PROVINCE, "Tỉnh Bình Phước")
    commune = make_unit(elsewhere, UnitKind.COMMUNE, "Xã Tân Lập")
    outsider = make_person(commune, "Lê Văn Xa")
    rate(outsider, 2025, "htxsnv")
    for member in staff(lab, 0) + [make_person(commune, f"Dân quân {i}") for i in range(2)]:
        award(member, lab.ldtt, 2025)
    award(make_person(commune, "Đã đạt"), lab.cstdcs, 2025)
    far = Candidate(
        item=lab.cstdcs,
        year=2025,
        basis="yearly",
        on=ON_2026,
        person=outsider,
        proposing_unit=commune,
        conferring_unit=commune,
    )
    assert check(far) == []


# -- initiatives used once ---------------------------------------------------------------------


def test_an_initiative_already_used_for_an_award_form_cannot_be_used_again(lab):
    rate(lab.person, 2025, "httnv")
    used = award(lab.person, lab.giay_khen, 2024, basis="merit")
    initiative = Initiative.objects.create(
        person=lab.person, name="Phần mềm một cửa", level="unit", year=2025, used_by=used
    )
    finding = only(
        check(person_candidate(lab, lab.cstdcs, initiative_ids=(initiative.pk,))),
        "initiative_once",
    )
    assert finding.message.startswith("Công văn 5007/BNV-TĐKT năm 2023:")
    assert "prerequisite" in codes(
        check(person_candidate(lab, lab.cstdcs, initiative_ids=(initiative.pk,)))
    )


def test_an_initiative_used_for_a_title_may_support_a_later_title(lab):
    rate(lab.person, 2025, "httnv")
    used = award(lab.person, lab.cstdcs, 2024)
    initiative = Initiative.objects.create(
        person=lab.person, name="Sổ tay số", level="unit", year=2025, used_by=used
    )
    assert check(person_candidate(lab, lab.cstdcs, initiative_ids=(initiative.pk,))) == []


def test_one_initiative_in_two_open_nominations_is_refused(lab):
    rate(lab.person, 2025, "httnv")
    initiative = Initiative.objects.create(person=lab.person, name="A", level="unit", year=2025)
    mine = person_candidate(lab, lab.cstdcs, initiative_ids=(initiative.pk,), key=1)
    theirs = person_candidate(
        lab, lab.giay_khen, basis="merit", initiative_ids=(initiative.pk,), key=2
    )
    assert "initiative_once" in codes(check(mine, others=[theirs]))
    assert "initiative_once" not in codes(check(mine, others=[mine]))


def test_someone_elses_initiative_is_refused(lab):
    rate(lab.person, 2025, "httnv")
    theirs = Initiative.objects.create(person=lab.sibling_person, name="B", level="unit", year=2025)
    finding = only(
        check(person_candidate(lab, lab.cstdcs, initiative_ids=(theirs.pk,))), "initiative_owner"
    )
    assert finding.message.startswith("Điều 23 Luật TĐKT 2022:")


# -- the same person nominated twice -----------------------------------------------------------


def test_the_same_person_nominated_for_the_same_title_by_two_units_is_refused(lab):
    rate(lab.person, 2025, "httnv")
    mine = person_candidate(lab, lab.ldtt, key="a")
    theirs = person_candidate(lab, lab.ldtt, key="b", proposing_unit=lab.ward_office)
    finding = only(check(mine, others=[theirs]), "duplicate_nomination")
    assert finding.message.startswith("Điều 5 Luật TĐKT 2022:")
    assert "Phòng Văn hóa - Xã hội" in finding.message
    other_year = person_candidate(lab, lab.ldtt, key="c", year=2024)
    assert check(mine, others=[other_year, mine]) == []


def test_findings_split_into_blocking_and_justifiable(lab):
    rate(lab.person, 2025, "htnv")
    findings = check(person_candidate(lab, lab.ldtt, registered=False))
    assert {f.code for f in blocking(findings)} == {"prerequisite", "registration"}


def test_a_campaign_plan_quota_counts_used_and_pending_nominations(lab):
    quota = Quota(limit=2, used=1, source="Kế hoạch 157/KH-UBND")
    fields = dict(basis="campaign", basis_reference="Thanh toán không dùng tiền mặt", quota=quota)
    mine = person_candidate(lab, lab.giay_khen, key=1, **fields)
    assert "cap" not in codes(check(mine))
    colleague = make_person(lab.ward, "Đồng Nghiệp")
    theirs = Candidate(
        item=lab.giay_khen,
        year=2025,
        on=ON_2026,
        person=colleague,
        proposing_unit=lab.ward,
        key=2,
        **fields,
    )
    finding = only(check(mine, others=[theirs]), "cap")
    assert finding.message.startswith("Kế hoạch 157/KH-UBND:")
    assert "thứ 3" in finding.message


def test_a_leader_confers_only_inside_the_unit_they_lead(lab):
    rate(lab.person, 2025, "httnv")
    candidate = person_candidate(lab, lab.ldtt, conferring_unit=lab.sibling_ward)
    finding = only(check(candidate), "authority")
    assert finding.message.startswith("Điều 59 NĐ 129/2025/NĐ-CP")
    assert "Phường Xuân An không quản lý Nguyễn Thị Hồng" in finding.message


def test_a_collective_dissolved_by_the_reorganisation_is_not_awarded(lab):
    from portal import services as portal_services

    rate(lab.ward_office, 2025, "httnv")
    for member in staff(lab, 2):
        award(member, lab.ldtt, 2025)
    assert check(collective(lab, lab.ttldtt)) == []
    portal_services.close_unit(
        lab.ward_office, actor=lab.admin, closed_on=datetime.date(2025, 12, 31), reason="Sáp nhập"
    )
    lab.ward_office.refresh_from_db()
    finding = only(check(collective(lab, lab.ttldtt)), "dissolved")
    assert finding.message.startswith("TT 15/2025/TT-BNV:")
    assert finding.unverified


def test_a_candidate_is_a_person_or_a_unit_never_both(lab):
    with pytest.raises(ValueError):
        Candidate(item=lab.ldtt, year=2025, basis="yearly", on=ON_2026)
    with pytest.raises(ValueError):
        Candidate(
            item=lab.ldtt, year=2025, basis="yearly", on=ON_2026, person=lab.person, unit=lab.ward
        )


def test_a_check_reads_a_bounded_number_of_queries(lab, django_assert_max_num_queries):
    people = staff(lab, 20)
    for member in people:
        award(member, lab.ldtt, 2025)
        rate(member, 2025, "httnv")
    others = [
        Candidate(item=lab.ldtt, year=2025, basis="yearly", on=ON_2026, person=member, key=i)
        for i, member in enumerate(people)
    ]
    with django_assert_max_num_queries(30):
        check(collective(lab, lab.ttldxs, conferring_unit=lab.province), others=others)


def test_a_collectives_finding_names_five_members_in_vietnamese_order_then_counts_the_rest():
    names = CollectiveChecks.names
    assert names(["Bình", "Ánh", "Bình"]) == "Ánh, Bình"
    seven = ["Giang", "Đức", "Em", "Bình", "Ánh", "Châu", "Dũng", "Ánh"]
    assert names(seven) == "Ánh, Bình, Châu, Dũng, Đức và 2 người khác"
    assert names(seven[:6]) == "Ánh, Bình, Châu, Đức, Em và 1 người khác"
    assert names(["Ánh", "Bình", "Châu", "Dũng", "Đức"]) == "Ánh, Bình, Châu, Dũng, Đức"
