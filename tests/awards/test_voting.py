import datetime

import pytest

from awards.procedure.voting import tally
from awards.rules.rulebook import Rulebook


@pytest.fixture
def rules_2024(db):
    return Rulebook.for_day(datetime.date(2025, 1, 15))


def test_cstd_tinh_needs_ninety_percent_of_the_whole_membership(catalogue, rules_2024):
    item = catalogue.title("cstd-tinh")
    # 9 of 10 present voted yes: still only 9 of 11 members.
    outcome = tally(item, yes=9, members=11, rulebook=rules_2024)
    assert not outcome.passed
    assert outcome.secret_ballot
    assert "Khoản 7 Điều 30 NĐ 98/2023/NĐ-CP" in outcome.summary
    assert tally(item, yes=9, members=10, rulebook=rules_2024).passed


def test_cstdcs_passes_at_exactly_eighty_percent(catalogue, rules_2024):
    item = catalogue.title("cstd-co-so")
    assert tally(item, yes=8, members=10, rulebook=rules_2024).passed
    assert not tally(item, yes=7, members=10, rulebook=rules_2024).passed


def test_items_without_a_threshold_pass_by_majority_of_the_membership(catalogue, rules_2024):
    item = catalogue.title("lao-dong-tien-tien")
    assert tally(item, yes=6, members=11, rulebook=rules_2024).passed
    assert not tally(item, yes=5, members=10, rulebook=rules_2024).passed


def test_after_the_reform_the_thresholds_are_kept_but_flagged_unverified(catalogue):
    rules = Rulebook.for_day(datetime.date(2026, 1, 15))
    rule = rules.vote(catalogue.title("co-thi-dua-tinh"))
    assert rule.threshold_percent == 80 and rule.is_unverified


def test_impossible_counts_are_refused(catalogue, rules_2024):
    with pytest.raises(ValueError):
        tally(catalogue.title("cstd-tinh"), yes=12, members=11, rulebook=rules_2024)
