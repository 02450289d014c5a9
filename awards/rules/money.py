"""Reward money: a multiplier of the base salary in force on the decision date.

NĐ 152/2025 Art. 49 (as NĐ 98/2023 before it): the amount is computed on the base salary in
force on the date of the decision and rounded UP to the next 10.000 đ; a household receives
1.5 × what an individual receives for the same form, unless the rule set gives the item to
households by name (Gia đình văn hóa). Multipliers, the rounding step and the household factor
are rule-set data; a multiplier of 0 is the law giving the paper without money.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal

from awards.models import BaseSalary, Item, RecipientKind, RuleSet
from awards.rules.rulebook import Rulebook
from portal.errors import RuleViolation
from portal.models import Unit


@dataclass(frozen=True)
class RewardAmount:
    amount: int
    multiplier: Decimal
    base_salary: int
    article: str
    is_unverified: bool


def round_up(value: Decimal, step: int) -> int:
    return int((value / step).to_integral_value(rounding=ROUND_CEILING) * step)


def reward(
    item: Item,
    recipient_kind: str,
    decision_date: datetime.date,
    rule_set: RuleSet | None = None,
    *,
    unit: Unit | None = None,
) -> RewardAmount:
    """The reward for `item` given to a `recipient_kind` by a decision of `decision_date`.

    Without `rule_set`, the rule set valid on `decision_date` (with `unit`'s overrides) is used.
    Raises RuleViolation when the rules give no amount.
    """
    rulebook = Rulebook.of(rule_set) if rule_set else Rulebook.for_day(decision_date, unit)
    if rulebook is None:
        raise RuleViolation(
            f"Không có bộ quy tắc khen thưởng có hiệu lực ngày {decision_date:%d/%m/%Y}.",
            code="rule_set_missing",
        )
    base = BaseSalary.in_force_on(decision_date)
    if base is None:
        raise RuleViolation(
            f"Chưa có mức lương cơ sở áp dụng ngày {decision_date:%d/%m/%Y}.",
            code="base_salary_missing",
        )
    return compute(rulebook, base, item, recipient_kind)


def priced(
    rulebook: Rulebook, base: BaseSalary, item: Item, recipient_kind: str
) -> RewardAmount | None:
    """The reward under `rulebook` on `base`, or None where the rules give no amount (the
    catalogue page, which prices many items at once, shows a dash)."""
    rule = rulebook.money(item, recipient_kind)
    multiplier = rule.multiplier if rule is not None else None
    if rule is None and recipient_kind == RecipientKind.HOUSEHOLD:
        rule = rulebook.money(item, RecipientKind.INDIVIDUAL)
        if rule is not None:
            multiplier = rule.multiplier * rulebook.household_multiplier
    if rule is None:
        return None
    amount = round_up(multiplier * base.amount, rulebook.rounding_unit)
    return RewardAmount(
        amount=amount,
        multiplier=multiplier,
        base_salary=base.amount,
        article=rule.article,
        is_unverified=rule.is_unverified or base.is_unverified,
    )


def compute(rulebook: Rulebook, base: BaseSalary, item: Item, recipient_kind: str) -> RewardAmount:
    """The reward under `rulebook` on `base`; refused where the rules give no amount."""
    amount = priced(rulebook, base, item, recipient_kind)
    if amount is None:
        raise RuleViolation(
            f"Bộ quy tắc “{rulebook.primary.name}” chưa quy định mức tiền thưởng cho "
            f"“{item.name}” ({RecipientKind(recipient_kind).label.lower()}): cần bổ sung quy "
            "tắc này (hoặc ghi rõ “không kèm tiền thưởng”) trước khi lập hồ sơ.",
            code="money_rule_missing",
        )
    return amount


def reward_amount(
    item: Item,
    recipient_kind: str,
    decision_date: datetime.date,
    rule_set: RuleSet | None = None,
    *,
    unit: Unit | None = None,
) -> int:
    """The amount in đồng (see `reward`)."""
    return reward(item, recipient_kind, decision_date, rule_set, unit=unit).amount


def check_priced(item: Item, recipient_kind: str, day: datetime.date, unit: Unit | None) -> None:
    """Refuse a dossier the rules cannot price, before anyone drafts it (not at the decision)."""
    reward(item, recipient_kind, day, unit=unit)


def format_vnd(amount: int) -> str:
    """2340000 → "2.340.000 đ" (Vietnamese thousands separator)."""
    return f"{amount:,} đ".replace(",", ".")
