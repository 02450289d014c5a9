"""Member ratios of collective titles, caps and campaign-plan quotas."""

from __future__ import annotations

import datetime

from django.db.models import Q

from awards.models import (
    DISCIPLINE_RANK,
    RATING_RANK,
    AnnualRating,
    AwardRecord,
    CollectiveRuleKind,
    Discipline,
    EmulationTitle,
    Item,
    Rating,
    item_filter,
)
from awards.rules.eligibility.base import CheckBase
from awards.rules.eligibility.candidate import HARD
from portal.models import Person, Unit
from portal.text import vietnamese_key


class CollectiveChecks(CheckBase):
    def member_ids(self) -> list[int]:
        if self.c.member_ids is not None:
            return list(self.c.member_ids)
        return list(
            Person.objects.filter(unit=self.c.unit, is_active=True).values_list("pk", flat=True)
        )

    def members_holding(self, ref: EmulationTitle, members: list[int]) -> set[int]:
        held = set(
            AwardRecord.objects.standing()
            .filter(title=ref, year=self.c.year, person_id__in=members)
            .values_list("person_id", flat=True)
        )
        pending = {
            o.person.pk
            for o in self.others
            if o.person is not None
            and o.person.pk in members
            and o.is_for(ref)
            and o.year == self.c.year
        }
        return held | pending

    def check_collective_ratios(self) -> None:
        rules = self.rules.collective_rules(self.c.item)
        if not rules:
            return
        members = self.member_ids()
        year, name = self.c.year, self.c.item.name
        if not members:
            self.add(
                "collective_ratio",
                HARD,
                rules[0].article,
                f"“{name}” xét theo tỷ lệ thành viên, nhưng {self.c.subject_name} chưa có danh "
                "sách thành viên trên cổng.",
                unverified=rules[0].is_unverified,
            )
            return
        total = len(members)
        people = dict(Person.objects.filter(pk__in=members).values_list("pk", "full_name"))
        for rule in rules:
            kind = CollectiveRuleKind(rule.kind)
            if kind in (CollectiveRuleKind.MEMBER_SHARE, CollectiveRuleKind.MEMBER_COUNT):
                holders = len(self.members_holding(rule.ref_title, members))
                if kind == CollectiveRuleKind.MEMBER_SHARE:
                    ok = holders * 100 >= rule.percent * total
                    need = f"ít nhất {rule.percent}% thành viên"
                else:
                    ok = holders >= rule.count
                    need = f"ít nhất {rule.count} thành viên"
                if not ok:
                    self.add(
                        "collective_ratio",
                        rule.severity,
                        rule.article,
                        f"“{name}” cần {need} đạt “{rule.ref_title.name}” năm {year}; hiện có "
                        f"{holders}/{total} ({holders * 100 / total:.0f}%).",
                        unverified=rule.is_unverified,
                    )
            elif kind == CollectiveRuleKind.ALL_MEMBERS_RATED:
                minimum = Rating(rule.min_rating)
                ratings = dict(
                    AnnualRating.objects.filter(person_id__in=members, year=year).values_list(
                        "person_id", "rating"
                    )
                )
                short = [
                    people[pk]
                    for pk in members
                    if pk not in ratings or RATING_RANK[Rating(ratings[pk])] < RATING_RANK[minimum]
                ]
                if short:
                    self.add(
                        "collective_ratio",
                        rule.severity,
                        rule.article,
                        f"“{name}” cần 100% thành viên {minimum.label.lower()} trở lên năm {year}; "
                        f"chưa đạt hoặc chưa có xếp loại: {self.names(short)}.",
                        unverified=rule.is_unverified,
                    )
            else:
                floor = DISCIPLINE_RANK[rule.discipline_level]
                start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
                disciplined = [
                    people[d.person_id]
                    for d in Discipline.objects.filter(
                        person_id__in=members, effective_from__lte=end, effective_to__gte=start
                    )
                    if DISCIPLINE_RANK[d.level] >= floor
                ]
                if disciplined:
                    label = rule.get_discipline_level_display().lower()
                    self.add(
                        "collective_ratio",
                        rule.severity,
                        rule.article,
                        f"“{name}” yêu cầu không có thành viên bị kỷ luật từ {label} trở lên "
                        f"trong năm {year}; có: {self.names(disciplined)}.",
                        unverified=rule.is_unverified,
                    )

    @staticmethod
    def names(names: list[str]) -> str:
        shown = ", ".join(sorted(set(names), key=vietnamese_key)[:5])
        return shown + (f" và {len(set(names)) - 5} người khác" if len(set(names)) > 5 else "")

    def count_in_unit(self, item: Item, unit: Unit) -> int:
        in_unit = Q(person__unit__path__startswith=unit.path) | Q(unit__path__startswith=unit.path)
        recorded = (
            AwardRecord.objects.standing()
            .filter(item_filter(item), in_unit, year=self.c.year)
            .count()
        )
        pending = sum(
            1
            for o in self.others
            if o.is_for(item)
            and o.year == self.c.year
            and o.proposing_unit is not None
            and o.proposing_unit.pk == unit.pk
        )
        return recorded + pending

    def same_plan(self, other) -> bool:
        """Made under the same campaign; without one, the same year and named round."""
        if self.c.campaign_id is not None:
            return other.campaign_id == self.c.campaign_id
        return other.year == self.c.year and other.basis_reference == self.c.basis_reference

    def check_quota(self) -> None:
        quota, c = self.c.quota, self.c
        if quota is None:
            return
        pending = sum(
            1
            for o in self.others
            if o.is_for(c.item)
            and self.same_plan(o)
            and (o.proposing_unit.pk if o.proposing_unit else None)
            == (c.proposing_unit.pk if c.proposing_unit else None)
        )
        proposed = quota.used + pending + 1
        if proposed > quota.limit:
            self.add(
                "cap",
                HARD,
                quota.source,
                f"Kế hoạch cho phép tối đa {quota.limit} “{c.item.name}”; đã khen {quota.used}, "
                f"đang đề nghị {pending}, đề nghị này là thứ {proposed}.",
            )

    def check_caps(self) -> None:
        self.check_quota()
        unit = self.c.proposing_unit
        if unit is None:
            return
        for cap in self.rules.caps(self.c.item):
            proposed = self.count_in_unit(self.c.item, unit) + 1
            if cap.max_count is not None and proposed > cap.max_count:
                self.add(
                    "cap",
                    HARD,
                    cap.article,
                    f"“{self.c.item.name}” năm {self.c.year} tại {unit.name} tối đa "
                    f"{cap.max_count}; đề nghị này là thứ {proposed}.",
                    unverified=cap.is_unverified,
                )
            if cap.max_percent is not None:
                base = self.count_in_unit(cap.base_title, unit)
                limit = base * cap.max_percent // 100
                if proposed > limit:
                    self.add(
                        "cap",
                        HARD,
                        cap.article,
                        f"“{self.c.item.name}” năm {self.c.year} tại {unit.name} không quá "
                        f"{cap.max_percent}% số “{cap.base_title.name}” ({limit}/{base}); "
                        f"đề nghị này là thứ {proposed}.",
                        unverified=cap.is_unverified,
                    )
