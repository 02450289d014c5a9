import datetime
from decimal import Decimal

import pytest

from awards.models import BaseSalary, MoneyRule, RecipientKind, RuleSet
from awards.rules.money import format_vnd, reward, reward_amount, round_up
from portal.errors import RuleViolation

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
    with pytest.raises(RuleViolation, match="chưa quy định mức tiền thưởng"):
        reward_amount(catalogue.title("gia-dinh-van-hoa"), HH, AFTER_REFORM)


def test_before_the_decree_91_regime_no_rule_set_applies(catalogue):
    with pytest.raises(RuleViolation, match="Không có bộ quy tắc"):
        reward_amount(catalogue.title("cstd-co-so"), IND, datetime.date(2017, 9, 14))


def test_amounts_print_with_vietnamese_separators():
    assert format_vnd(2_340_000) == "2.340.000 đ"
