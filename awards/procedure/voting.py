"""Council pass thresholds, counted on the WHOLE membership (NĐ 98/2023 Art. 30.7).

A dossier passes when the yes votes reach the threshold of all council members, present or
not (absent members vote in writing). The caller passes the membership it counts; how a
recused member is counted belongs to the council workflow and its rules.
"""

from __future__ import annotations

from dataclasses import dataclass

from awards.models import Item, VoteRule
from awards.rules.rulebook import Rulebook


@dataclass(frozen=True)
class VoteOutcome:
    passed: bool
    yes: int
    members: int
    threshold_percent: int | None
    secret_ballot: bool
    article: str

    @property
    def summary(self) -> str:
        share = self.yes * 100 / self.members if self.members else 0
        share = f"{share:.1f}".replace(".", ",")  # the decimal comma: "66,7%"
        verdict = "đạt" if self.passed else "không đạt"
        basis = f" ({self.article})" if self.article else ""
        if self.threshold_percent is None:
            return (
                f"{self.yes}/{self.members} thành viên đồng ý ({share}%), {verdict} "
                f"quá bán tổng số thành viên{basis}."
            )
        return (
            f"{self.yes}/{self.members} thành viên đồng ý ({share}%), {verdict} ngưỡng "
            f"{self.threshold_percent}% tổng số thành viên{basis}."
        )


def meets(rule: VoteRule, *, yes: int, members: int) -> bool:
    """yes / members ≥ threshold, in integers so that 80 % of 10 is exactly 8; without a
    threshold, more than half of the members."""
    if rule.threshold_percent is None:
        return yes * 2 > members
    return members > 0 and yes * 100 >= rule.threshold_percent * members


def tally(item: Item, *, yes: int, members: int, rulebook: Rulebook) -> VoteOutcome:
    """The outcome for `item`; items without a vote rule pass by majority of the membership."""
    if yes < 0 or members <= 0 or yes > members:
        raise ValueError("vote counts out of range")
    rule = rulebook.vote(item)
    if rule is None:
        return VoteOutcome(yes * 2 > members, yes, members, None, False, "")
    return VoteOutcome(
        meets(rule, yes=yes, members=members),
        yes,
        members,
        rule.threshold_percent,
        rule.secret_ballot,
        rule.article,
    )
