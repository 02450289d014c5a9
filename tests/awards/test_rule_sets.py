"""Rule sets of each regime, money for every catalogue item, and the dated legal bases (#13 §6)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from awards.models import (
    AuthorityRule,
    AwardForm,
    EmulationTitle,
    MoneyRule,
    Nomination,
    PartyOpinionRule,
    RecipientKind,
    RuleSet,
    VoteRule,
)
from awards.procedure import (
    appraisal,
    approval,
    central,
    decisions,
    drafting,
    public_comment,
    submission,
)
from awards.rules import money
from awards.rules.bases import basis_lines, decision_bases
from tests.awards.central_helpers import central_draft, voted
from tests.awards.nomination_helpers import TODAY, refresh
from tests.refusals import refused

IND, COL, HH = RecipientKind.INDIVIDUAL, RecipientKind.COLLECTIVE, RecipientKind.HOUSEHOLD
IN_2023 = datetime.date(2023, 6, 1)
IN_2026 = datetime.date(2026, 3, 2)


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(TODAY, tick=False)


def _items():
    return [*EmulationTitle.objects.all(), *AwardForm.objects.all()]


def test_a_2023_award_is_priced_and_cited_by_the_decree_91_rule_set(catalogue, world):
    lao_dong = catalogue.title("lao-dong-tien-tien")
    result = money.reward(lao_dong, IND, IN_2023)
    # 0,3 × 1.490.000 (base salary from 01/07/2019) = 447.000, rounded up to 450.000.
    assert (result.base_salary, result.amount) == (1_490_000, 450_000)
    assert "91/2017" in result.article and result.is_unverified
    rule_set = RuleSet.objects.national().valid_on(IN_2023).get()
    assert "91/2017" in rule_set.legal_basis
    cited = [row.citation for row in decision_bases(IN_2023, world.ward)]
    assert cited[0].startswith("Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015")
    assert cited[1].startswith("Luật Thi đua, khen thưởng ngày 26 tháng 11 năm 2003")
    assert cited[2].startswith("Nghị định số 91/2017/NĐ-CP")
    assert len(cited) == 3


def test_a_2026_award_is_priced_and_cited_by_the_decree_152_rule_set(catalogue, world):
    result = money.reward(catalogue.title("lao-dong-tien-tien"), IND, IN_2026)
    assert (result.base_salary, result.amount) == (2_340_000, 710_000)
    assert result.article == "Điều 50 NĐ 152/2025/NĐ-CP" and not result.is_unverified
    lines = basis_lines(IN_2026, world.ward, ["Xét đề nghị của Phòng Văn hóa - Xã hội"])
    assert lines == [
        "Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;",
        "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;",
        "Căn cứ Nghị định số 152/2025/NĐ-CP ngày 14 tháng 6 năm 2025 của Chính phủ quy định về "
        "phân cấp, phân quyền trong lĩnh vực thi đua, khen thưởng; quy định chi tiết và hướng "
        "dẫn thi hành một số điều của Luật Thi đua, khen thưởng;",
        "Căn cứ Nghị định số 129/2025/NĐ-CP ngày 11 tháng 6 năm 2025 của Chính phủ quy định "
        "phân định thẩm quyền của chính quyền địa phương 02 cấp trong lĩnh vực quản lý nhà nước "
        "của Bộ Nội vụ;",
        "Xét đề nghị của Phòng Văn hóa - Xã hội.",
    ]


def test_the_commune_decree_is_cited_only_by_communes_and_the_law_in_force_on_the_day(world):
    city = [row.citation for row in decision_bases(IN_2026, world.province)]
    assert not any("129/2025" in text for text in city)
    spring_2025 = [row.citation for row in decision_bases(datetime.date(2025, 4, 1), world.ward)]
    assert spring_2025[0] == "Luật Tổ chức chính quyền địa phương ngày 19 tháng 02 năm 2025"
    assert spring_2025[2].startswith("Nghị định số 98/2023/NĐ-CP")
    assert not any("129/2025" in text for text in spring_2025)


def test_every_catalogue_item_has_money_for_every_recipient_it_accepts_since_2024(db):
    for day in (datetime.date(2024, 3, 1), IN_2026):
        for item in _items():
            for kind in item.recipient_kinds():
                assert money.reward(item, kind, day).amount >= 0, (day, item, kind)


def test_the_2018_rule_set_refuses_a_title_it_did_not_know_naming_the_missing_rule(catalogue):
    priced = 0
    for item in _items():
        for kind in item.recipient_kinds():
            if item.code == "xa-phuong-tieu-bieu":
                with refused("money_rule_missing") as caught:
                    money.reward(item, kind, IN_2023)
                assert "Xã, phường, đặc khu tiêu biểu" in caught.value.message
                assert "Nghị định 91/2017" in caught.value.message
            else:
                priced += money.reward(item, kind, IN_2023).amount > 0
    assert priced == 25


@pytest.mark.parametrize(
    ("code", "day", "expected"),
    [
        ("huan-chuong-lao-dong-hang-nhat", IN_2026, 21_060_000),
        ("huan-chuong-lao-dong-hang-nhi", IN_2026, 17_550_000),
        ("huan-chuong-lao-dong-hang-ba", IN_2026, 10_530_000),
        ("huan-chuong-lao-dong-hang-ba", IN_2023, 6_710_000),
    ],
)
def test_huan_chuong_lao_dong_has_its_individual_amount(catalogue, code, day, expected):
    result = money.reward(catalogue.form(code), IND, day)
    assert result.amount == expected
    # NĐ 152/2025 Art. 51.1 was read as quoted (awards 0022); NĐ 91/2017's figure was not.
    assert result.is_unverified == (day < datetime.date(2025, 7, 1))
    assert money.reward(catalogue.form(code), COL, day).amount >= 2 * expected - 10_000


def test_gia_dinh_van_hoa_gets_no_money_after_2024_and_its_own_amount_before(catalogue):
    family = catalogue.title("gia-dinh-van-hoa")
    now = money.reward(family, HH, IN_2026)
    assert now.amount == 0 and "không quy định tiền thưởng" in now.article
    before = money.reward(family, HH, IN_2023)
    # The household row is the title's own amount, not 1.5 × an individual row.
    assert (before.multiplier, before.amount) == (Decimal("0.1"), 150_000)


def test_no_national_rule_cites_a_provincial_decision(db):
    national = RuleSet.objects.national()
    for model in (VoteRule, PartyOpinionRule, MoneyRule, AuthorityRule):
        for row in model.objects.filter(rule_set__in=national):
            assert "Bắc Ninh" not in row.article and "QĐ-UBND" not in row.article, row


def test_a_dossier_the_rules_cannot_price_is_refused_before_it_is_drafted(world, catalogue):
    in_force = RuleSet.objects.national().valid_on(IN_2026).get()
    MoneyRule.objects.filter(
        rule_set=in_force, title=catalogue.title("lao-dong-tien-tien")
    ).delete()
    before = Nomination.objects.count()
    with refused("money_rule_missing") as caught:
        drafting.create_nomination(
            world.ward,
            actor=world.ward_officer,
            item=catalogue.title("lao-dong-tien-tien"),
            year=2025,
            basis_kind="yearly",
            person=world.person,
            report_achievements="Hoàn thành tốt nhiệm vụ.",
        )
    assert "Lao động tiên tiến" in caught.value.message
    assert Nomination.objects.count() == before


def test_gia_dinh_van_hoa_goes_through_to_a_decision_without_money(world, catalogue):
    family = catalogue.title("gia-dinh-van-hoa")
    nomination = drafting.create_nomination(
        world.ward,
        actor=world.ward_officer,
        item=family,
        year=2025,
        basis_kind="yearly",
        unit=world.ward,
        household_name="Hộ ông Trần Văn Tư, khu phố 3",
        report_achievements="Gia đình gương mẫu, tích cực tham gia phong trào ở khu phố.",
    )
    checked_one = _through_approval(world, nomination)
    decision = decisions.draft_decision([checked_one], actor=world.reviewer)
    decisions.issue_decision(decision, actor=world.ward_leader)
    done = refresh(checked_one)
    assert done.award_record is not None
    assert done.decision.document.annexes[0]["rows"][0][-1] == "Không kèm tiền thưởng"


def test_huan_chuong_lao_dong_for_an_individual_goes_through_to_the_presidents_decision(
    world, time_machine
):
    nomination = central_draft(world, code="huan-chuong-lao-dong-hang-ba")
    assert nomination.recipient_kind == IND
    submission.submit_batch([nomination], actor=world.ward_officer, sender=world.ward)
    appraisal.receive_nomination(refresh(nomination), actor=world.reviewer)
    appraisal.check_nomination(refresh(nomination), actor=world.reviewer, opinion="Đủ hồ sơ.")
    submission.forward_batch([refresh(nomination)], actor=world.reviewer)
    appraisal.receive_nomination(refresh(nomination), actor=world.reviewer)
    public_comment.open_public_comment(refresh(nomination), actor=world.reviewer)
    time_machine.move_to(datetime.datetime(2026, 3, 20, 9, tzinfo=datetime.UTC), tick=False)
    appraisal.check_nomination(refresh(nomination), actor=world.reviewer, opinion="Đồng ý.")
    [nomination] = voted(world, refresh(nomination))
    central.send_to_central([nomination], actor=world.reviewer)
    results = central.record_central_decision(
        [refresh(nomination)],
        actor=world.reviewer,
        number="45/QĐ-CTN",
        signed_on=datetime.date(2026, 3, 20),
        authority="president",
        result="approved",
    )
    assert results[0].ok, results[0].message
    record = refresh(nomination).award_record
    assert record.decision_issuer_name == "Chủ tịch nước"
    # 4,5 × 2.340.000 on the President's date.
    assert money.reward(nomination.item, IND, record.decision_date).amount == 10_530_000


def _through_approval(world, nomination):
    submission.submit_batch([nomination], actor=world.ward_officer, sender=world.ward)
    appraisal.receive_nomination(refresh(nomination), actor=world.reviewer)
    appraisal.check_nomination(refresh(nomination), actor=world.reviewer, opinion="Đủ hồ sơ.")
    return refresh(approval.approve_nomination(refresh(nomination), actor=world.ward_leader))
