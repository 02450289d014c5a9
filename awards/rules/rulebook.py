"""Which rules apply to a unit on a day: the national rule set overlaid by provincial overrides.

`Rulebook.for_day(day, unit)` finds the national rule set valid on `day` and every override
(a province's own regulation) valid on `day` whose scope contains `unit`, deepest first. For each
item and each kind of rule, the first rule set in that chain that states anything about the item
wins, so an override only has to list what it changes. Rows are loaded once per kind.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q

from awards.models import (
    AuthorityRule,
    CapRule,
    CollectiveRule,
    EmulationTitle,
    GeneralRule,
    Item,
    MoneyRule,
    PartyOpinionRule,
    PrerequisiteRule,
    PublicCommentRule,
    RuleSet,
    StepLimit,
    VoteRule,
)
from portal.models import Unit


def _item_key(item: Item) -> tuple[str, int]:
    return ("title" if isinstance(item, EmulationTitle) else "form", item.pk)


def _row_key(row) -> tuple[str, int]:
    return ("title", row.title_id) if row.title_id else ("form", row.award_form_id)


@dataclass
class Rulebook:
    chain: list[RuleSet]  # most specific first; the national rule set last
    _rows: dict[type, list] = field(default_factory=dict, repr=False)

    @classmethod
    def for_day(cls, day: datetime.date, unit: Unit | None = None) -> Rulebook | None:
        # One query for the national rule set and the overrides of the unit's branch (pages such
        # as the statistics ask for it on every request).
        scopes = Q(scope_unit__isnull=True)
        if unit is not None:
            scopes |= Q(scope_unit__path__in=[*unit.ancestor_paths(), unit.path])
        in_force = list(
            RuleSet.objects.valid_on(day)
            .filter(scopes)
            .select_related("scope_unit")
            .order_by("-valid_from", "pk")
        )
        national = next((row for row in in_force if row.scope_unit_id is None), None)
        if national is None:
            return None
        # The deepest override first; among one unit's, the latest (a stable sort keeps that).
        overrides = sorted(
            (row for row in in_force if row.scope_unit_id is not None),
            key=lambda row: -row.scope_unit.depth,
        )
        return cls(chain=[*overrides, national])

    @classmethod
    def of(cls, rule_set: RuleSet) -> Rulebook:
        """The rulebook of one explicit rule set (an override still falls back to national)."""
        if rule_set.scope_unit_id is None:
            return cls(chain=[rule_set])
        national = (
            RuleSet.objects.national().valid_on(rule_set.valid_from).order_by("-valid_from").first()
        )
        return cls(chain=[rule_set, *([national] if national else [])])

    @property
    def primary(self) -> RuleSet:
        return self.chain[0]

    @property
    def national(self) -> RuleSet:
        return self.chain[-1]

    @property
    def legal_basis(self) -> str:
        return "; ".join(rule_set.legal_basis for rule_set in self.chain)

    def _load(self, model: type) -> list:
        if model not in self._rows:
            order = {rule_set.pk: index for index, rule_set in enumerate(self.chain)}
            rows = list(model.objects.filter(rule_set__in=self.chain))
            rows.sort(key=lambda row: (order[row.rule_set_id], row.pk))
            self._rows[model] = rows
        return self._rows[model]

    def _for_item(self, model: type, item: Item, **match) -> list:
        """Rows of the most specific rule set that has any row of `model` for `item` (and
        `match`, e.g. one recipient kind)."""
        key = _item_key(item)
        rows = [
            row
            for row in self._load(model)
            if _row_key(row) == key and all(getattr(row, k) == v for k, v in match.items())
        ]
        if not rows:
            return []
        winner = rows[0].rule_set_id
        return [row for row in rows if row.rule_set_id == winner]

    def authority(self, item: Item) -> list[AuthorityRule]:
        return self._for_item(AuthorityRule, item)

    def money(self, item: Item, recipient_kind: str) -> MoneyRule | None:
        rows = [r for r in self._load(MoneyRule) if _row_key(r) == _item_key(item)]
        for row in rows:
            if row.recipient_kind == recipient_kind:
                return row
        return None

    def vote(self, item: Item) -> VoteRule | None:
        rows = self._for_item(VoteRule, item)
        return rows[0] if rows else None

    def caps(self, item: Item) -> list[CapRule]:
        return self._for_item(CapRule, item)

    def all_caps(self) -> list[CapRule]:
        """Every cap in force: for each item, the rows of the most specific rule set with one."""
        rows = self._load(CapRule)
        winners: dict[tuple[str, int], int] = {}
        for row in rows:
            winners.setdefault(_row_key(row), row.rule_set_id)
        return [row for row in rows if winners[_row_key(row)] == row.rule_set_id]

    def prerequisites(self, item: Item, recipient_kind: str) -> list[PrerequisiteRule]:
        return self._for_item(PrerequisiteRule, item, recipient_kind=recipient_kind)

    def collective_rules(self, item: Item) -> list[CollectiveRule]:
        return self._for_item(CollectiveRule, item)

    def public_comment(self, item: Item) -> PublicCommentRule | None:
        rows = self._for_item(PublicCommentRule, item)
        return rows[0] if rows else None

    def party_opinion(self, item: Item) -> PartyOpinionRule | None:
        rows = self._for_item(PartyOpinionRule, item)
        return rows[0] if rows else None

    def step_limit(self, step: str, *, ad_hoc: bool = False) -> StepLimit | None:
        """The time limit of a workflow step; an ad hoc dossier falls back to the normal one."""
        rows = [row for row in self._load(StepLimit) if row.step == step]
        for wanted in [True, False] if ad_hoc else [False]:
            for row in rows:
                if row.ad_hoc == wanted:
                    return row
        return None

    def general(self, code: str) -> GeneralRule | None:
        """The most specific statement of a principle; None when no rule set states it."""
        for row in self._load(GeneralRule):
            if row.code == code:
                return row if row.enabled else None
        return None

    def clearance_limit(self) -> RuleSet | None:
        """The most specific rule set that says how long a body asked for its opinion has."""
        return next((rs for rs in self.chain if rs.clearance_working_days is not None), None)

    @property
    def rounding_unit(self) -> int:
        return next(rs.rounding_unit for rs in self.chain if rs.rounding_unit is not None)

    @property
    def household_multiplier(self) -> Decimal:
        return next(
            rs.household_multiplier for rs in self.chain if rs.household_multiplier is not None
        )
