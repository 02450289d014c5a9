import datetime

from awards.models import GeneralRule, PrerequisiteRule, RuleSet
from awards.rules.rulebook import Rulebook

DAY = datetime.date(2026, 1, 15)


def override(unit, name="Quy định riêng", **fields):
    return RuleSet.objects.create(
        name=name,
        legal_basis=name,
        valid_from=datetime.date(2025, 12, 15),
        scope_unit=unit,
        **fields,
    )


def test_the_national_rule_set_is_chosen_by_date(db):
    assert Rulebook.for_day(datetime.date(2025, 6, 30)).primary.legal_basis.startswith(
        "Luật 06/2022/QH15; NĐ 98/2023"
    )
    assert "NĐ 152/2025/NĐ-CP" in Rulebook.for_day(datetime.date(2025, 7, 1)).primary.legal_basis
    assert "91/2017" in Rulebook.for_day(datetime.date(2023, 12, 31)).primary.legal_basis
    assert Rulebook.for_day(datetime.date(2017, 9, 14)) is None


def test_the_deepest_override_wins_and_falls_back_to_national(world):
    province = override(world.province, "Tỉnh")
    district = override(world.district, "Thành phố")
    GeneralRule.objects.create(rule_set=province, code="registration", enabled=False, article="P")
    GeneralRule.objects.create(rule_set=district, code="registration", article="D")
    for_ward = Rulebook.for_day(DAY, world.ward)
    assert [rs.name for rs in for_ward.chain[:2]] == ["Thành phố", "Tỉnh"]
    assert for_ward.general("registration").article == "D"
    assert Rulebook.for_day(DAY, world.home_affairs).general("registration") is None
    # Not stated by any override: the national principle.
    assert for_ward.general("freeze").article == "Khoản 4 Điều 4 NĐ 152/2025/NĐ-CP"
    # Money settings come from the national set.
    assert for_ward.rounding_unit == 10_000


def test_an_override_for_collectives_keeps_the_national_rows_for_individuals(world, catalogue):
    bang_khen = catalogue.form("bang-khen-tinh")
    province = override(world.province)
    PrerequisiteRule.objects.create(
        rule_set=province,
        award_form=bang_khen,
        recipient_kind="collective",
        kind="rating",
        years=3,
        min_rating="htxsnv",
        article="QĐ tỉnh",
    )
    rules = Rulebook.for_day(DAY, world.ward)
    assert [r.article for r in rules.prerequisites(bang_khen, "collective")] == ["QĐ tỉnh"]
    assert {r.article for r in rules.prerequisites(bang_khen, "individual")} == {
        "Điều 74 Luật TĐKT 2022"
    }
