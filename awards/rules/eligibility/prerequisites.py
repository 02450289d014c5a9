"""Annual ratings, consecutive-year chains and initiatives required before a title or form."""

from __future__ import annotations

from awards.models import (
    INITIATIVE_RANK,
    MERIT_BASES,
    RATING_RANK,
    AnnualRating,
    GeneralRuleCode,
    Initiative,
    InitiativeLevel,
    Item,
    PrerequisiteKind,
    PrerequisiteRule,
    Rating,
    item_filter,
)
from awards.rules.eligibility.base import CheckBase
from awards.rules.eligibility.candidate import HARD, SOFT, year_span


class PrerequisiteChecks(CheckBase):
    def window(self, row: PrerequisiteRule) -> tuple[int, int]:
        end = self.c.year if row.through_candidate_year else self.c.year - 1
        return end - row.years + 1, end

    def pending_years(self, ref: Item, start: int, end: int) -> set[int]:
        return {
            o.year
            for o in self.others
            if o.same_subject(self.c) and o.is_for(ref) and start <= o.year <= end
        }

    def eval_rating(self, row: PrerequisiteRule) -> tuple[bool, str, str]:
        start, end = self.window(row)
        ratings = dict(
            AnnualRating.objects.filter(
                self.person_or_unit_filter(), year__range=(start, end)
            ).values_list("year", "rating")
        )
        minimum = Rating(row.min_rating)
        ok = all(
            RATING_RANK[Rating(ratings[y])] >= RATING_RANK[minimum] if y in ratings else False
            for y in range(start, end + 1)
        )
        level = minimum.label.lower()
        need = (
            f"được xếp loại {level}"
            if minimum == Rating.EXCELLENT
            else f"xếp loại từ {level} trở lên"
        )
        have = ", ".join(
            f"{y}: {Rating(ratings[y]).label.lower()}" if y in ratings else f"{y}: chưa có"
            for y in range(start, end + 1)
        )
        return ok, f"{need} {year_span(start, end)}", f"xếp loại {have}"

    def eval_chain(self, row: PrerequisiteRule) -> tuple[bool, str, str]:
        start, end = self.window(row)
        ref = row.ref_title or row.ref_form
        held = self.records().filter(item_filter(ref), year__range=(start, end))
        stacking = self.general(GeneralRuleCode.NO_STACKING)
        counted = held.filter(basis_kind__in=MERIT_BASES) if stacking else held
        years = set(counted.values_list("year", flat=True))
        pending = self.pending_years(ref, start, end) - years
        ok = all(y in years | pending for y in range(start, end + 1))
        if not ok and stacking is not None:
            excluded = sorted(
                set(held.exclude(basis_kind__in=MERIT_BASES).values_list("year", flat=True)) - years
            )
            if excluded:
                self.add(
                    "no_stacking",
                    stacking.severity,
                    stacking.article,
                    f"“{ref.name}” các năm {', '.join(map(str, excluded))} là khen thưởng đột "
                    "xuất hoặc theo chuyên đề, không được tính làm căn cứ đề nghị khen thưởng "
                    "công trạng.",
                    unverified=stacking.is_unverified,
                )
        have_years = [str(y) for y in sorted(years)] + [
            f"{y} (đang đề nghị)" for y in sorted(pending)
        ]
        have = f"“{ref.name}” " + (
            f"các năm {', '.join(have_years)}" if have_years else "chưa có năm nào"
        )
        return ok, f"đạt “{ref.name}” {year_span(start, end)}", have

    def available_initiatives(
        self, row: PrerequisiteRule, start: int, end: int
    ) -> list[Initiative]:
        queryset = Initiative.objects.filter(
            self.person_or_unit_filter(), year__range=(start, end)
        ).select_related("used_by")
        if self.c.initiative_ids:
            queryset = queryset.filter(pk__in=self.c.initiative_ids)
        minimum = INITIATIVE_RANK[InitiativeLevel(row.initiative_level)]
        once = self.general(GeneralRuleCode.INITIATIVE_ONCE)
        usable = []
        for initiative in queryset:
            if INITIATIVE_RANK[InitiativeLevel(initiative.level)] < minimum:
                continue
            if once is not None and not self.initiative_reusable(initiative):
                continue
            usable.append(initiative)
        return usable

    def eval_initiatives(self, row: PrerequisiteRule) -> tuple[bool, str, str]:
        start, end = self.window(row)
        usable = self.available_initiatives(row, start, end)
        level = InitiativeLevel(row.initiative_level).label.lower()
        span = f"năm {end}" if start == end else f"trong các năm {start}–{end}"
        need = f"có ít nhất {row.count} sáng kiến được công nhận từ {level} trở lên {span}"
        return len(usable) >= row.count, need, f"{len(usable)} sáng kiến dùng được"

    def check_prerequisites(self) -> None:
        rows = self.rules.prerequisites(self.c.item, self.c.recipient_kind)
        if self.c.basis not in MERIT_BASES:
            rows = [row for row in rows if not row.only_merit]
        if not rows:
            return
        evaluators = {
            PrerequisiteKind.RATING: self.eval_rating,
            PrerequisiteKind.CHAIN: self.eval_chain,
            PrerequisiteKind.INITIATIVES: self.eval_initiatives,
        }
        options: dict[int, list[tuple[bool, str, str]]] = {}
        for row in rows:
            options.setdefault(row.option, []).append(evaluators[PrerequisiteKind(row.kind)](row))
        if any(all(ok for ok, _, _ in results) for results in options.values()):
            return
        article = "; ".join(dict.fromkeys(row.article for row in rows))
        severity = HARD if any(row.severity == HARD for row in rows) else SOFT
        needs = " hoặc ".join(
            " và ".join(need for _, need, _ in results) for results in options.values()
        )
        haves = "; ".join(dict.fromkeys(have for r in options.values() for _, _, have in r))
        self.add(
            "prerequisite",
            severity,
            article,
            f"“{self.c.item.name}” cần {needs}. Hiện có: {haves}.",
            unverified=any(row.is_unverified for row in rows),
        )
