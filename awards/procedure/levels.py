"""Which level confers an item, where a batch goes first, and which level votes and decides."""

from __future__ import annotations

import datetime

from awards.models import Decider, Item, Nomination
from awards.rules.eligibility import decider_for
from awards.rules.rulebook import Rulebook
from awards.transitions import today
from portal.errors import RuleViolation
from portal.models import Unit


def conferring_unit_for(item: Item, proposing_unit: Unit, on: datetime.date) -> Unit | None:
    """The nearest unit at or above the proposing unit whose leader may confer `item`."""
    rulebook = Rulebook.for_day(on, proposing_unit)
    if rulebook is None:
        return None
    deciders = {rule.decider for rule in rulebook.authority(item)}
    chain = [proposing_unit, *reversed(list(proposing_unit.ancestors()))]
    for unit in chain:
        if decider_for(unit) in deciders:
            return unit
    return None


CENTRAL_DECIDERS = (Decider.PRIME_MINISTER, Decider.PRESIDENT)


def central_decider_for(item: Item, proposing_unit: Unit, on: datetime.date) -> str:
    """The central authority (Thủ tướng, Chủ tịch nước) that confers `item`, or ""."""
    rulebook = Rulebook.for_day(on, proposing_unit)
    if rulebook is None:
        return ""
    deciders = {rule.decider for rule in rulebook.authority(item)}
    return next((d for d in CENTRAL_DECIDERS if d in deciders), "")


def sends_to_central(unit: Unit) -> bool:
    """The level whose Nội vụ submits to the central level: the province."""
    return decider_for(unit) == Decider.PROVINCE


def first_handler(proposing_unit: Unit, conferring: Unit | None) -> Unit:
    """Where a batch goes first: the proposing unit's own level when that level decides, else
    the next administrative level up (which forwards further if needed)."""
    home = proposing_unit.administrative_home()
    if conferring is not None and conferring.pk == home.pk:
        return home
    if home.pk != proposing_unit.pk or home.parent_id is None:
        return home
    return home.parent.administrative_home()


def needs_council(nomination: Nomination) -> bool:
    rulebook = Rulebook.for_day(today(), nomination.handling_unit)
    return rulebook is not None and rulebook.vote(nomination.item) is not None


def must_decide_here(nomination: Nomination) -> None:
    if nomination.conferring_unit_id != nomination.handling_unit_id:
        raise RuleViolation(
            f"“{nomination.item.name}” vượt thẩm quyền của {nomination.handling_unit.name}; "
            "hãy trình cấp trên.",
            code="beyond_authority",
        )


def must_vote_here(nomination: Nomination) -> None:
    """The council of the handling level votes on what it decides, and at the province on what
    it sends to the central level."""
    if nomination.is_central and sends_to_central(nomination.handling_unit):
        return
    must_decide_here(nomination)
