import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from awards.models import MoneyRule, RuleSet
from awards.rules.money import reward_amount


def test_seeded_rules_start_with_a_baseline_history_row(catalogue):
    rule = MoneyRule.objects.filter(title=catalogue.title("cstd-co-so")).first()
    assert rule.history.get().history_change_reason == "awards.seed: domain.md"


def test_an_administrator_amends_a_multiplier_in_the_admin_with_history(client, world, catalogue):
    rule = MoneyRule.objects.get(
        rule_set__valid_from=datetime.date(2025, 7, 1), title=catalogue.title("cstd-co-so")
    )
    client.force_login(world.admin)
    url = reverse("admin:awards_moneyrule_change", args=[rule.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "rule_set": rule.rule_set_id,
            "title": rule.title_id,
            "award_form": "",
            "article": rule.article,
            "recipient_kind": "individual",
            "multiplier": "1.10",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    rule.refresh_from_db()
    assert rule.multiplier == Decimal("1.10")
    latest = rule.history.first()
    assert latest.history_user == world.admin and latest.history_type == "~"
    assert reward_amount(
        catalogue.title("cstd-co-so"), "individual", datetime.date(2025, 9, 1)
    ) == (2_580_000)


def test_the_rule_set_page_lists_its_rules_for_the_administrator(client, world):
    client.force_login(world.admin)
    rule_set = RuleSet.objects.get(valid_from=datetime.date(2025, 7, 1))
    response = client.get(reverse("admin:awards_ruleset_change", args=[rule_set.pk]))
    assert response.status_code == 200
    assert "Điều 59 NĐ 129/2025/NĐ-CP" in response.content.decode()


def test_staff_officials_cannot_open_the_admin(client, world):
    client.force_login(world.leader)
    response = client.get(reverse("admin:awards_ruleset_changelist"))
    assert response.status_code == 302


def test_two_national_rule_sets_cannot_overlap(db):

    clash = RuleSet(
        name="Luật sửa đổi 2026",
        legal_basis="Luật 06/2026/QH16",
        valid_from=datetime.date(2026, 10, 1),
        rounding_unit=10_000,
        household_multiplier=Decimal("1.5"),
    )
    with pytest.raises(ValidationError, match="trùng"):
        clash.full_clean()
    current = RuleSet.objects.get(valid_from=datetime.date(2025, 7, 1))
    current.valid_to = datetime.date(2026, 9, 30)
    current.save()
    clash.full_clean()
