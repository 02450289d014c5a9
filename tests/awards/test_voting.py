import datetime

import pytest

from awards.models import EmulationTitle, VoteRule
from awards.procedure.voting import VoteOutcome, meets, tally
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


def test_a_rule_without_a_threshold_needs_more_than_half_of_the_members():
    majority = VoteRule(threshold_percent=None)
    assert meets(majority, yes=6, members=10)
    assert not meets(majority, yes=5, members=10)
    assert meets(majority, yes=1, members=1)


def test_a_threshold_is_exact_in_integers_and_nobody_passes_an_empty_council():
    eighty = VoteRule(threshold_percent=80)
    assert not meets(eighty, yes=0, members=0)
    assert meets(eighty, yes=1, members=1)
    assert not meets(eighty, yes=79, members=99)  # 79,8 % of 99: one vote short
    assert meets(eighty, yes=80, members=100)


@pytest.mark.parametrize(("yes", "members"), [(-1, 10), (1, 0), (0, 0), (0, -1), (11, 10)])
def test_every_impossible_count_is_refused(catalogue, rules_2024, yes, members):
    with pytest.raises(ValueError, match=r"^vote counts out of range$"):
        tally(catalogue.title("cstd-tinh"), yes=yes, members=members, rulebook=rules_2024)


@pytest.mark.parametrize(("yes", "members"), [(0, 10), (1, 1), (10, 10)])
def test_the_boundary_counts_are_counted(catalogue, rules_2024, yes, members):
    outcome = tally(catalogue.title("cstd-tinh"), yes=yes, members=members, rulebook=rules_2024)
    assert (outcome.yes, outcome.members, outcome.passed) == (yes, members, yes == members)


def test_the_outcome_states_the_rule_it_was_counted_on(catalogue, rules_2024):
    item = catalogue.title("cstd-co-so")
    rule = rules_2024.vote(item)
    assert tally(item, yes=8, members=10, rulebook=rules_2024) == VoteOutcome(
        True, 8, 10, 80, rule.secret_ballot, rule.article
    )
    assert rule.article


def test_an_item_without_a_vote_rule_passes_by_open_majority(catalogue, rules_2024):
    item = next(t for t in EmulationTitle.objects.all() if rules_2024.vote(t) is None)
    assert tally(item, yes=6, members=11, rulebook=rules_2024) == VoteOutcome(
        True, 6, 11, None, False, ""
    )
    assert tally(item, yes=5, members=10, rulebook=rules_2024) == VoteOutcome(
        False, 5, 10, None, False, ""
    )
