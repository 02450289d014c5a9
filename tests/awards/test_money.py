import datetime
from decimal import Decimal

import pytest

from awards.models import BaseSalary, MoneyRule, RecipientKind, RuleSet
from awards.rules import money
from awards.rules.money import RewardAmount, format_vnd, reward, reward_amount, round_up
from tests.awards.eligibility_helpers import provincial_rule_set
from tests.refusals import refused

AFTER_REFORM = datetime.date(2025, 9, 15)
IND, COL, HH = RecipientKind.INDIVIDUAL, RecipientKind.COLLECTIVE, RecipientKind.HOUSEHOLD


@pytest.mark.parametrize(
    ("code", "kind", "expected"),
    [
        ("cstd-toan-quoc", IND, 10_530_000),
        ("cstd-tinh", IND, 7_020_000),
        ("cstd-co-so", IND, 2_340_000),
        ("co-thi-dua-chinh-phu", COL, 28_080_000),
        ("co-thi-dua-tinh", COL, 18_720_000),
        ("xa-phuong-tieu-bieu", COL, 4_680_000),
        ("tap-the-lao-dong-xuat-sac", COL, 3_510_000),
        ("thon-to-dan-pho-van-hoa", COL, 3_510_000),
    ],
)
def test_title_amounts_match_the_decree_table(catalogue, code, kind, expected):
    assert reward_amount(catalogue.title(code), kind, AFTER_REFORM) == expected


def test_amounts_not_on_a_ten_thousand_step_are_rounded_up(catalogue):
    # 0.3 × 2.340.000 = 702.000 and 0.8 × 2.340.000 = 1.872.000 in the decree's table;
    # Art. 49 rounds up to the next 10.000 đ.
    assert reward_amount(catalogue.title("lao-dong-tien-tien"), IND, AFTER_REFORM) == 710_000
    assert (
        reward_amount(catalogue.title("tap-the-lao-dong-tien-tien"), COL, AFTER_REFORM) == 1_880_000
    )


def test_rounding_is_always_upwards():
    assert round_up(Decimal("702000"), 10_000) == 710_000
    assert round_up(Decimal("700000"), 10_000) == 700_000
    assert round_up(Decimal("700000.01"), 10_000) == 710_000


def test_award_forms_pay_collectives_more_than_individuals(catalogue):
    bang_khen = catalogue.form("bang-khen-tinh")
    assert reward_amount(bang_khen, COL, AFTER_REFORM) == 7_020_000
    assert reward_amount(bang_khen, IND, AFTER_REFORM) == 3_510_000
    assert reward_amount(catalogue.form("giay-khen"), COL, AFTER_REFORM) == 1_410_000


def test_households_receive_one_and_a_half_times_the_individual_amount(catalogue):
    # 1.5 × 1.5 × 2.340.000 = 5.265.000 → 5.270.000
    result = reward(catalogue.form("bang-khen-tinh"), HH, AFTER_REFORM)
    assert result.multiplier == Decimal("2.25")
    assert result.amount == 5_270_000


def test_base_salary_is_the_one_in_force_on_the_decision_date(catalogue):
    cstdcs = catalogue.title("cstd-co-so")
    assert reward_amount(cstdcs, IND, datetime.date(2024, 6, 30)) == 1_800_000
    assert reward_amount(cstdcs, IND, datetime.date(2024, 7, 1)) == 2_340_000
    BaseSalary.objects.create(
        amount=2_530_000, valid_from=datetime.date(2026, 7, 1), legal_basis="x"
    )
    assert reward_amount(cstdcs, IND, datetime.date(2026, 7, 1)) == 2_530_000


def test_the_rule_set_of_the_decision_date_gives_the_multiplier(catalogue):
    old = RuleSet.objects.get(valid_from=datetime.date(2024, 1, 1))
    rule = MoneyRule.objects.get(rule_set=old, title=catalogue.title("cstd-co-so"))
    rule.multiplier = Decimal("1.2")
    rule.save()
    cstdcs = catalogue.title("cstd-co-so")
    assert reward_amount(cstdcs, IND, datetime.date(2025, 6, 30)) == 2_810_000
    assert reward_amount(cstdcs, IND, datetime.date(2025, 7, 1)) == 2_340_000
    assert reward_amount(cstdcs, IND, datetime.date(2025, 7, 1), old) == 2_810_000


def test_a_missing_multiplier_is_refused_in_vietnamese(catalogue):
    MoneyRule.objects.filter(title=catalogue.title("gia-dinh-van-hoa")).delete()
    with refused("money_rule_missing"):
        reward_amount(catalogue.title("gia-dinh-van-hoa"), HH, AFTER_REFORM)


def test_before_the_decree_91_regime_no_rule_set_applies(catalogue):
    with refused("rule_set_missing") as refusal:
        reward_amount(catalogue.title("cstd-co-so"), IND, datetime.date(2017, 9, 14))
    # The officer is told which day has no rules, in Vietnamese, not a bare code.
    assert refusal.value.message == ("Không có bộ quy tắc khen thưởng có hiệu lực ngày 14/09/2017.")


def test_amounts_print_with_vietnamese_separators():
    assert format_vnd(2_340_000) == "2.340.000 đ"


def test_the_amount_names_its_base_salary_and_article(catalogue):
    cstdcs = catalogue.title("cstd-co-so")
    rule = MoneyRule.objects.get(
        rule_set=RuleSet.objects.get(scope_unit=None, valid_from=datetime.date(2025, 7, 1)),
        title=cstdcs,
        recipient_kind=IND,
    )
    assert reward(cstdcs, IND, AFTER_REFORM) == RewardAmount(
        amount=2_340_000,
        multiplier=Decimal("1.00"),
        base_salary=2_340_000,
        article=rule.article,
        is_unverified=rule.is_unverified,
    )
    assert rule.article and not rule.is_unverified


def test_an_unverified_base_salary_or_rule_marks_the_amount_unverified(catalogue):
    cstdcs = catalogue.title("cstd-co-so")
    BaseSalary.objects.filter(valid_from__lte=AFTER_REFORM).update(is_unverified=True)
    assert reward(cstdcs, IND, AFTER_REFORM).is_unverified is True
    BaseSalary.objects.update(is_unverified=False)
    MoneyRule.objects.filter(title=cstdcs, recipient_kind=IND).update(is_unverified=True)
    assert reward(cstdcs, IND, AFTER_REFORM).is_unverified is True


def test_without_a_base_salary_the_amount_is_refused_with_the_date(catalogue):
    BaseSalary.objects.all().delete()
    with refused("base_salary_missing") as refusal:
        reward_amount(catalogue.title("cstd-co-so"), IND, AFTER_REFORM)
    assert refusal.value.message == "Chưa có mức lương cơ sở áp dụng ngày 15/09/2025."


def test_a_collective_without_its_own_rule_is_refused_not_priced_as_an_individual(catalogue):
    bang_khen = catalogue.form("bang-khen-tinh")
    MoneyRule.objects.filter(award_form=bang_khen, recipient_kind=COL).delete()
    assert reward_amount(bang_khen, IND, AFTER_REFORM) == 3_510_000
    with refused("money_rule_missing") as refusal:
        reward_amount(bang_khen, COL, AFTER_REFORM)
    assert refusal.value.message == (
        f"Bộ quy tắc “{RuleSet.objects.get(scope_unit=None, valid_to=None).name}” chưa quy định "
        f"mức tiền thưởng cho “{bang_khen.name}” (tập thể): cần bổ sung quy tắc này (hoặc ghi rõ "
        "“không kèm tiền thưởng”) trước khi lập hồ sơ."
    )


def test_a_provincial_override_prices_its_units_only(world, catalogue):
    cstdcs = catalogue.title("cstd-co-so")
    province = provincial_rule_set(world, valid_from=datetime.date(2025, 8, 1))
    MoneyRule.objects.create(
        rule_set=province, title=cstdcs, recipient_kind=IND, multiplier=Decimal("2"), article="P"
    )
    assert reward_amount(cstdcs, IND, AFTER_REFORM, unit=world.ward) == 4_680_000
    assert reward(cstdcs, IND, AFTER_REFORM, unit=world.ward).article == "P"
    assert reward_amount(cstdcs, IND, AFTER_REFORM) == 2_340_000


def test_an_item_the_rules_cannot_price_is_refused_before_drafting(world, catalogue):
    gdvh = catalogue.title("gia-dinh-van-hoa")
    money.check_priced(gdvh, HH, AFTER_REFORM, world.ward)  # priced: nothing to say
    MoneyRule.objects.filter(title=gdvh).delete()
    with refused("money_rule_missing"):
        money.check_priced(gdvh, HH, AFTER_REFORM, world.ward)


def test_an_item_priced_only_by_the_units_province_may_be_drafted_there(world, catalogue):
    gdvh = catalogue.title("gia-dinh-van-hoa")
    MoneyRule.objects.filter(title=gdvh).delete()
    province = provincial_rule_set(world, valid_from=datetime.date(2025, 8, 1))
    MoneyRule.objects.create(
        rule_set=province, title=gdvh, recipient_kind=HH, multiplier=Decimal("0.1"), article="P"
    )
    money.check_priced(gdvh, HH, AFTER_REFORM, world.ward)
    with refused("money_rule_missing"):
        money.check_priced(gdvh, HH, AFTER_REFORM, None)


def test_the_huan_chuong_lao_dong_individual_amounts_of_2025_cite_article_51(db):
    """NĐ 152/2025 Art. 51.1.e–h (9,0 / 7,5 / 4,5 times the base salary) was read on a page
    quoting the article: the 2025 rows are verified; the NĐ 98/2023 rows stay unverified."""
    rows = MoneyRule.objects.filter(
        award_form__code__startswith="huan-chuong-lao-dong",
        recipient_kind=RecipientKind.INDIVIDUAL,
    ).select_related("rule_set", "award_form")
    by_set = {
        (row.rule_set.valid_from, row.award_form.code): row
        for row in rows
        if row.rule_set.scope_unit_id is None
    }
    expected = {"hang-nhat": ("9.0", "e"), "hang-nhi": ("7.5", "g"), "hang-ba": ("4.5", "h")}
    for suffix, (multiplier, point) in expected.items():
        code = f"huan-chuong-lao-dong-{suffix}"
        after = by_set[(datetime.date(2025, 7, 1), code)]
        assert after.multiplier == Decimal(multiplier) and not after.is_unverified
        assert after.article.startswith(f"Điểm {point} khoản 1 Điều 51 NĐ 152/2025/NĐ-CP")
        before = by_set[(datetime.date(2024, 1, 1), code)]
        assert before.is_unverified
