"""What the eligibility findings say: the collective ratios and the merit chains, each
finding's wording, severity and unverified mark, and the year it looks at."""

from __future__ import annotations

import datetime

from awards.models import (
    AuthorityRule,
    AwardRecord,
    CapRule,
    CollectiveRule,
    Discipline,
    GeneralRule,
    Initiative,
    PrerequisiteRule,
    RuleSet,
)
from awards.rules.eligibility import Candidate, Finding, Quota, check
from portal.models import UnitKind
from tests.awards.eligibility_helpers import (
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

# -- collective ratios: what each finding says, and the year it looks at ----------------------


def test_a_collective_without_its_members_on_the_portal_is_not_judged_by_ratio(lab):
    """A title judged by the share of its members cannot pass on an empty list: it is stopped,
    and the finding says why (the rule behind it, the 70 % of Điều 28, is not yet checked
    against the text, and says so)."""
    finding = only(check(collective(lab, lab.ttldtt)), "collective_ratio")
    assert finding.blocks
    assert finding.unverified
    assert finding.message == (
        f"Điều 28 Luật TĐKT 2022: “{lab.ttldtt.name}” xét theo tỷ lệ thành viên, nhưng "
        "Phòng Văn hóa - Xã hội chưa có danh sách thành viên trên cổng."
    )


def test_a_title_judged_by_one_ratio_rule_alone_cites_it_when_the_members_are_missing(lab):
    """A rule set may state a collective title by a single ratio rule (here Đồng Nai's own):
    the finding for a collective without its members cites that rule, the only one."""
    override = provincial_rule_set(lab)
    CollectiveRule.objects.create(
        rule_set=override, title=lab.ttldtt, kind="member_share", percent=60, ref_title=lab.ldtt,
        article="Điều 9 QĐ 86/2025/QĐ-UBND",
    )  # fmt: skip
    finding = only(check(collective(lab, lab.ttldtt)), "collective_ratio")
    assert finding.article == "Điều 9 QĐ 86/2025/QĐ-UBND"
    assert not finding.unverified


def test_a_share_or_count_of_members_short_is_said_with_the_title_the_year_and_the_figures(lab):
    people = staff(lab, 3)
    rate(lab.ward_office, 2025, "htxsnv")
    for member in people[:2]:
        award(member, lab.ldtt, 2025)
    share = only(check(collective(lab, lab.ttldtt)), "collective_ratio")
    assert share.blocks and share.unverified
    assert share.message == (
        f"Điều 28 Luật TĐKT 2022: “{lab.ttldtt.name}” cần ít nhất 70% thành viên đạt "
        f"“{lab.ldtt.name}” năm 2025; hiện có 2/3 (67%)."
    )
    award(people[2], lab.ldtt, 2025)
    for member in people:
        rate(member, 2025, "htnv")
    count = only(
        check(collective(lab, lab.ttldxs, conferring_unit=lab.province)), "collective_ratio"
    )
    assert count.blocks and not count.unverified
    assert count.message == (
        f"Điều 27 Luật TĐKT 2022: “{lab.ttldxs.name}” cần ít nhất 1 thành viên đạt "
        f"“{lab.cstdcs.name}” năm 2025; hiện có 0/3 (0%)."
    )


def test_each_collective_finding_carries_its_rules_unverified_mark(lab):
    """A rule not yet checked against the primary text marks every finding it makes, so the
    officer knows to look it up (here each collective rule is so marked, as while a province
    verifies its rules)."""
    CollectiveRule.objects.update(is_unverified=True)
    people = staff(lab, 2)
    rate(lab.ward_office, 2025, "htxsnv")
    Discipline.objects.create(
        person=people[0],
        level="warning",
        decided_on=datetime.date(2025, 6, 1),
        effective_from=datetime.date(2025, 6, 1),
        effective_to=datetime.date(2026, 5, 31),
    )
    tien_tien = check(collective(lab, lab.ttldtt))
    xuat_sac = check(collective(lab, lab.ttldxs, conferring_unit=lab.province))
    ratios = [f for f in tien_tien + xuat_sac if f.code == "collective_ratio"]
    assert len(ratios) == 5  # a share and a warning; every rating, a share and a count
    assert all(f.unverified for f in ratios)


def test_seventy_of_a_hundred_and_one_members_is_short_of_seventy_percent(lab):
    """The share is compared exactly: 70 of 101 is 69.3 %, below the 70 % of Điều 28."""
    people = staff(lab, 101)
    rate(lab.ward_office, 2025, "httnv")
    for member in people[:70]:
        award(member, lab.ldtt, 2025)
    finding = only(check(collective(lab, lab.ttldtt)), "collective_ratio")
    assert finding.message.endswith("hiện có 70/101 (69%).")
    award(people[70], lab.ldtt, 2025)
    assert check(collective(lab, lab.ttldtt)) == []


def test_tap_the_lao_dong_xuat_sac_counts_each_members_rating_of_the_year_only(lab):
    """Every member rated "hoàn thành nhiệm vụ" or better in the year judged: an excellent
    rating of the year before does not stand in for it."""
    people = staff(lab, 2)
    rate(lab.ward_office, 2025, "htxsnv")
    for member in people:
        award(member, lab.ldtt, 2025)
    award(people[0], lab.cstdcs, 2025)
    rate(people[0], 2025, "htnv")
    rate(people[1], 2024, "htxsnv")
    candidate = collective(lab, lab.ttldxs, conferring_unit=lab.province)
    finding = only(check(candidate), "collective_ratio")
    assert finding.blocks and not finding.unverified
    assert finding.message == (
        f"Điều 27 Luật TĐKT 2022: “{lab.ttldxs.name}” cần 100% thành viên hoàn thành nhiệm vụ "
        "trở lên năm 2025; chưa đạt hoặc chưa có xếp loại: Cán bộ 1."
    )
    rate(people[1], 2025, "httnv")
    assert check(candidate) == []


def test_a_warning_in_force_on_any_day_of_the_year_bars_tap_the_lao_dong_tien_tien(lab):
    """Điều 28: no member disciplined from a warning up during the year. A warning that ended
    before the year, begins after it, or is someone else's, does not bar; one whose last day
    is the year's first, or whose first day is its last, does."""
    people = staff(lab, 2)
    rate(lab.ward_office, 2025, "httnv")
    for member in people:
        award(member, lab.ldtt, 2025)

    def warn(person, start, end):
        return Discipline.objects.create(
            person=person, level="warning", decided_on=start, effective_from=start,
            effective_to=end,
        )  # fmt: skip

    warn(people[0], datetime.date(2024, 1, 1), datetime.date(2024, 12, 31))
    warn(people[1], datetime.date(2026, 1, 1), datetime.date(2026, 12, 31))
    warn(lab.person, datetime.date(2025, 3, 1), datetime.date(2026, 2, 28))  # not of the office
    candidate = collective(lab, lab.ttldtt)
    assert check(candidate) == []

    first_day = warn(people[0], datetime.date(2024, 6, 1), datetime.date(2025, 1, 1))
    finding = only(check(candidate), "collective_ratio")
    assert finding.blocks and not finding.unverified
    assert finding.message == (
        f"Điều 28 Luật TĐKT 2022: “{lab.ttldtt.name}” yêu cầu không có thành viên bị kỷ luật từ "
        "cảnh cáo trở lên trong năm 2025; có: Cán bộ 0."
    )
    first_day.delete()
    warn(people[1], datetime.date(2025, 12, 31), datetime.date(2026, 12, 30))
    assert "Cán bộ 1" in only(check(candidate), "collective_ratio").message


# -- merit chains: what the finding says ------------------------------------------------------


def test_a_chain_short_of_a_year_says_the_years_held_and_those_being_proposed(lab):
    """Only the links inside the chain's years are named: a title of the year before the window
    is no link of it, and is not listed among the years held."""
    Initiative.objects.create(person=lab.person, name="Một cửa", level="province", year=2025)
    award(lab.person, lab.cstdcs, 2022)  # before 2023–2025
    candidate = person_candidate(lab, lab.cstd_tinh, conferring_unit=lab.province)
    none_yet = only(check(candidate), "prerequisite")
    assert f"“{lab.cstdcs.name}” chưa có năm nào" in none_yet.message
    award(lab.person, lab.cstdcs, 2023)
    award(lab.person, lab.ldtt, 2024)  # another title: no link of this chain
    pending = person_candidate(lab, lab.cstdcs, year=2025)
    finding = only(check(candidate, others=[pending]), "prerequisite")
    assert f"Hiện có: “{lab.cstdcs.name}” các năm 2023, 2025 (đang đề nghị);" in finding.message
    assert finding.message == (
        f"Điều 22 Luật TĐKT 2022: “{lab.cstd_tinh.name}” cần đạt “{lab.cstdcs.name}” 3 năm liên "
        "tục 2023–2025 và có ít nhất 1 sáng kiến được công nhận từ cấp tỉnh trở lên trong các "
        f"năm 2023–2025. Hiện có: “{lab.cstdcs.name}” các năm 2023, 2025 (đang đề nghị); 1 sáng "
        "kiến dùng được."
    )


def test_an_ad_hoc_year_left_out_of_a_merit_chain_is_named_with_the_rule(lab):
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
    award(lab.person, lab.bk_tinh, 2024, basis="campaign", basis_reference="Chuyển đổi số")
    award(lab.person, lab.bk_tinh, 2025, basis="ad_hoc", basis_reference="Cứu người đuối nước")
    candidate = person_candidate(
        lab, lab.bk_ttg, basis="merit", year=2026, conferring_level="prime_minister"
    )
    stacking = only(check(candidate), "no_stacking")
    assert stacking.blocks and not stacking.unverified
    # The finding carries the principle's own mark: unverified once the rule is marked so.
    GeneralRule.objects.filter(code="no_stacking").update(is_unverified=True)
    assert only(check(candidate), "no_stacking").unverified is True
    GeneralRule.objects.filter(code="no_stacking").update(is_unverified=False)
    assert stacking.message == (
        f"Khoản 3 Điều 4 NĐ 152/2025/NĐ-CP: “{lab.bk_tinh.name}” các năm 2024, 2025 là khen "
        "thưởng đột xuất hoặc theo chuyên đề, không được tính làm căn cứ đề nghị khen thưởng "
        "công trạng."
    )
    # Merit Bằng khen for both years proposed in the same batch complete the chain: the ad hoc
    # and thematic ones are then no longer wanted, and nothing is said of them.
    proposed = [
        person_candidate(lab, lab.bk_tinh, basis="merit", year=year, conferring_unit=lab.province)
        for year in (2024, 2025)
    ]
    assert {"no_stacking", "prerequisite"}.isdisjoint(codes(check(candidate, others=proposed)))
    # Where no rule set states the principle (here: switched off), the ad hoc and thematic
    # Bằng khen count as links like any other, and the chain is complete.
    GeneralRule.objects.filter(code="no_stacking").update(enabled=False)
    assert {"no_stacking", "prerequisite"}.isdisjoint(codes(check(candidate)))


# -- caps: what each finding says ---------------------------------------------------------------


def test_a_cap_by_number_or_by_share_refuses_only_past_it_and_says_the_figures(lab):
    """A ceiling per proposing unit and year: the proposal that reaches it passes, the next is
    stopped; the finding names the title, the year, the unit and the figures, and carries the
    rule's unverified mark."""
    override = provincial_rule_set(lab)
    people = staff(lab, 4)
    rate(lab.person, 2025, "htxsnv")
    candidate = person_candidate(lab, lab.cstdcs)  # proposed by the ward
    award(people[0], lab.cstdcs, 2025)
    by_number = CapRule.objects.create(
        rule_set=override, title=lab.cstdcs, max_count=2, is_unverified=True,
        article="Khoản 1 Điều 4 QĐ 86/2025/QĐ-UBND",
    )  # fmt: skip
    assert "cap" not in codes(check(candidate))  # the second of at most 2
    award(people[1], lab.cstdcs, 2025)
    finding = only(check(candidate), "cap")
    assert finding.blocks and finding.unverified is True
    assert finding.article == "Khoản 1 Điều 4 QĐ 86/2025/QĐ-UBND"
    assert finding.message == (
        f"Khoản 1 Điều 4 QĐ 86/2025/QĐ-UBND: “{lab.cstdcs.name}” năm 2025 tại {lab.ward.name} "
        "tối đa 2; đề nghị này là thứ 3."
    )

    by_number.delete()
    CapRule.objects.create(
        rule_set=override, title=lab.cstdcs, max_percent=50, base_title=lab.ldtt,
        is_unverified=True, article="Khoản 2 Điều 4 QĐ 86/2025/QĐ-UBND",
    )  # fmt: skip
    for member in people:
        award(member, lab.ldtt, 2025)
    finding = only(check(candidate), "cap")  # half of 4 LĐTT is 2; this would be the third
    assert finding.blocks and finding.unverified is True
    assert finding.article == "Khoản 2 Điều 4 QĐ 86/2025/QĐ-UBND"
    assert finding.message == (
        f"Khoản 2 Điều 4 QĐ 86/2025/QĐ-UBND: “{lab.cstdcs.name}” năm 2025 tại {lab.ward.name} "
        f"không quá 50% số “{lab.ldtt.name}” (2/4); đề nghị này là thứ 3."
    )
    AwardRecord.objects.filter(person=people[1], title=lab.cstdcs).delete()
    assert "cap" not in codes(check(candidate))  # the second of at most 2


def test_a_plans_quota_counts_the_batch_of_its_own_unit_item_and_round_and_says_the_figures(lab):
    """Kế hoạch's ceiling: awarded already under it, plus this unit's open nominations for the
    same item in the same plan, plus this one. Another unit's, item's or round's do not count,
    nor one whose proposing unit is not known."""
    plan = dict(basis="campaign", basis_reference="Chuyển đổi số")
    quota = Quota(limit=2, used=0, source="Kế hoạch 157/KH-UBND")
    mine = person_candidate(lab, lab.giay_khen, key=0, quota=quota, **plan)
    colleague = make_person(lab.ward, "Đồng Nghiệp")

    def nomination(key, item=lab.giay_khen, unit=lab.ward, **fields):
        fields = {**plan, **fields}
        return Candidate(
            item=item, year=2025, on=ON_2026, person=colleague, proposing_unit=unit, key=key,
            **fields,
        )  # fmt: skip

    others = [
        nomination(1),
        nomination(2, unit=lab.sibling_ward),
        nomination(3, item=lab.bk_tinh),
        nomination(4, basis_reference="Bình dân học vụ số"),
        nomination(5, unit=None),
    ]
    assert "cap" not in codes(check(mine, others=others))  # the second of at most 2
    finding = only(check(mine, others=[*others, nomination(6)]), "cap")
    assert finding.blocks and finding.unverified is False
    assert finding.article == "Kế hoạch 157/KH-UBND"
    assert finding.message == (
        f"Kế hoạch 157/KH-UBND: Kế hoạch cho phép tối đa 2 “{lab.giay_khen.name}”; đã khen 0, "
        "đang đề nghị 2, đề nghị này là thứ 3."
    )
    # Without a proposing unit, the batch is the nominations without one.
    loose = person_candidate(lab, lab.giay_khen, key=0, quota=quota, proposing_unit=None, **plan)
    assert "cap" not in codes(check(loose, others=[nomination(5, unit=None)]))
    crowded = [nomination(5, unit=None), nomination(7, unit=None)]
    assert only(check(loose, others=crowded), "cap").message.endswith("đề nghị này là thứ 3.")


# -- prerequisites: which rules apply, and what the finding cites ---------------------------------


def test_a_prerequisite_finding_cites_each_rule_applied_and_leaves_out_the_merit_only_ones(lab):
    """Off a merit basis, the rules that hold only for merit awards are left out; those left are
    all cited, each article once, in their order."""
    national = RuleSet.objects.get(valid_from=datetime.date(2025, 7, 1))
    common = dict(rule_set=national, award_form=lab.giay_khen, recipient_kind="individual")
    PrerequisiteRule.objects.create(
        **common, kind="rating", years=1, min_rating="httnv", article="Khoản 1 Điều 9 QĐ 1/2026"
    )
    PrerequisiteRule.objects.create(
        **common, kind="initiatives", years=1, count=1, initiative_level="unit",
        article="Khoản 2 Điều 9 QĐ 1/2026", is_unverified=True,
    )  # fmt: skip
    PrerequisiteRule.objects.create(
        **common, kind="chain", years=2, ref_form=lab.giay_khen, only_merit=True,
        article="Khoản 3 Điều 9 QĐ 1/2026",
    )  # fmt: skip
    candidate = person_candidate(lab, lab.giay_khen, basis="ad_hoc", basis_reference="Lũ 2025")
    finding = only(check(candidate), "prerequisite")
    cited = "Khoản 1 Điều 9 QĐ 1/2026; Khoản 2 Điều 9 QĐ 1/2026"
    assert finding.article == cited
    assert finding.blocks
    assert finding.unverified is True  # one of the rules applied is not yet checked
    assert finding.message == (
        f"{cited}: “{lab.giay_khen.name}” cần xếp loại từ hoàn thành tốt nhiệm vụ trở lên năm "
        "2025 và có ít nhất 1 sáng kiến được công nhận từ cấp cơ sở trở lên năm 2025. Hiện có: "
        "xếp loại 2025: chưa có; 0 sáng kiến dùng được."
    )


def test_a_prerequisite_finding_names_each_way_to_qualify_and_what_is_had_once(lab):
    """CSTĐCS: an excellent rating, or a good one and an initiative; the finding names both
    ways, and the rating had once though both ways read it."""
    rate(lab.person, 2025, "htnv")
    finding = only(check(person_candidate(lab, lab.cstdcs)), "prerequisite")
    assert finding.message == (
        f"Điều 23 Luật TĐKT 2022: “{lab.cstdcs.name}” cần được xếp loại hoàn thành xuất sắc "
        "nhiệm vụ năm 2025 hoặc xếp loại từ hoàn thành tốt nhiệm vụ trở lên năm 2025 và có ít "
        "nhất 1 sáng kiến được công nhận từ cấp cơ sở trở lên năm 2025. Hiện có: xếp loại 2025: "
        "hoàn thành nhiệm vụ; 0 sáng kiến dùng được."
    )


def test_a_year_without_a_rating_does_not_meet_a_rating_rule(lab):
    finding = only(check(person_candidate(lab, lab.ldtt)), "prerequisite")
    assert finding.message == (
        f"Điểm a Khoản 1 Điều 24 Luật TĐKT 2022: “{lab.ldtt.name}” cần xếp loại từ hoàn thành "
        "tốt nhiệm vụ trở lên năm 2025. Hiện có: xếp loại 2025: chưa có."
    )


# -- ratings over several years; authority ------------------------------------------------------


def test_a_rating_rule_over_two_years_names_each_year_had(lab):
    rate(lab.person, 2023, "htxsnv")  # before the window
    rate(lab.person, 2025, "htxsnv")
    candidate = person_candidate(lab, lab.bk_tinh, basis="merit", conferring_unit=lab.province)
    finding = only(check(candidate), "prerequisite")
    assert not finding.blocks
    assert finding.message == (
        f"Điều 74 Luật TĐKT 2022: “{lab.bk_tinh.name}” cần đạt “{lab.cstdcs.name}” 2 năm liên tục "
        "2024–2025 hoặc được xếp loại hoàn thành xuất sắc nhiệm vụ 2 năm liên tục 2024–2025 và "
        "có ít nhất 2 sáng kiến được công nhận từ cấp cơ sở trở lên trong các năm 2024–2025. "
        f"Hiện có: “{lab.cstdcs.name}” chưa có năm nào; xếp loại 2024: chưa có, 2025: hoàn "
        "thành xuất sắc nhiệm vụ; 0 sáng kiến dùng được."
    )


def test_a_unit_whose_kind_confers_nothing_has_no_authority(lab):
    """A village confers nothing: "this unit" is refused, and the holders of the power named."""
    village = make_unit(lab.ward, UnitKind.VILLAGE, "Khu phố 1")
    rate(lab.person, 2025, "httnv")
    finding = only(check(person_candidate(lab, lab.ldtt, conferring_unit=village)), "authority")
    cited = (
        "Khoản 1 Điều 80 Luật TĐKT 2022; Khoản 4 Điều 80 Luật TĐKT 2022; Điều 59 NĐ 129/2025/NĐ-CP"
    )
    assert finding.blocks and finding.article == cited
    assert finding.message == (
        f"{cited}: Đơn vị này không có thẩm quyền tặng “{lab.ldtt.name}” theo quy định có hiệu "
        "lực ngày 15/01/2026; thẩm quyền thuộc: Thủ trưởng cơ quan chuyên môn, đơn vị có tư "
        "cách pháp nhân, Giám đốc doanh nghiệp, hợp tác xã, Chủ tịch UBND cấp xã."
    )
    assert finding.unverified is False
    # One rule of the power not yet checked against its text: the finding says so.
    AuthorityRule.objects.filter(title=lab.ldtt, decider="commune").update(is_unverified=True)
    marked = only(check(person_candidate(lab, lab.ldtt, conferring_unit=village)), "authority")
    assert marked.unverified is True


def test_a_leader_conferring_outside_their_unit_is_refused_with_the_rule_of_the_power(lab):
    rate(lab.person, 2025, "httnv")
    candidate = person_candidate(lab, lab.ldtt, conferring_unit=lab.sibling_ward)
    assert only(check(candidate), "authority") == Finding(
        "authority", "hard", "Điều 59 NĐ 129/2025/NĐ-CP",
        "Điều 59 NĐ 129/2025/NĐ-CP: Phường Xuân An không quản lý Nguyễn Thị Hồng (Phường Xuân "
        f"Trung), nên không quyết định tặng “{lab.ldtt.name}” cho đối tượng này.",
    )  # fmt: skip
    AuthorityRule.objects.filter(title=lab.ldtt, decider="commune").update(is_unverified=True)
    assert only(check(candidate), "authority").unverified is True
