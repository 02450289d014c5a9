"""Eligibility: check a candidate for a title or form against the rules and the award history.

Pure reads, no writes. `check(candidate, others=...)` returns findings; each names the rule and
its article in Vietnamese. A HARD finding blocks submission; a SOFT one needs a written
justification. The nomination workflow builds a `Candidate` from its draft and passes the other
open nominations (`others`) so that duplicates, caps and batch ratios are judged together.

The rules come from the rule set valid on the candidate's date (and the province's override,
see `rulebook`); the facts from AwardRecord, AnnualRating, Discipline, Freeze and Initiative.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q

from portal.models import (
    AGENCY_KINDS,
    COMMUNE_KINDS,
    DISTRICT_KINDS,
    PROVINCE_KINDS,
    Person,
    Unit,
    UnitKind,
)

from .models import (
    DISCIPLINE_RANK,
    INITIATIVE_RANK,
    MERIT_BASES,
    RATING_RANK,
    AnnualRating,
    AwardForm,
    AwardRecord,
    BasisKind,
    CollectiveRuleKind,
    Decider,
    Discipline,
    EmulationTitle,
    Freeze,
    GeneralRuleCode,
    Initiative,
    InitiativeLevel,
    Item,
    PrerequisiteKind,
    PrerequisiteRule,
    Rating,
    RecipientKind,
    Severity,
    item_filter,
)
from .rulebook import Rulebook

HARD, SOFT = Severity.HARD, Severity.SOFT


@dataclass(frozen=True)
class Quota:
    """A ceiling set by a campaign plan (Kế hoạch), worked out by the caller from the plan."""

    limit: int
    used: int  # already awarded under this plan to the proposing unit's subjects
    source: str  # the plan, e.g. "Kế hoạch 157/KH-UBND"


@dataclass(frozen=True)
class Candidate:
    """Who is proposed for what, on which basis, judged on which date, by and to whom."""

    item: Item
    year: int
    basis: str
    on: datetime.date
    person: Person | None = None
    unit: Unit | None = None  # the collective, or the household's locality
    household_name: str = ""
    basis_reference: str = ""
    proposing_unit: Unit | None = None
    conferring_unit: Unit | None = None
    conferring_level: str = ""  # a Decider, when the conferring authority is outside the tree
    initiative_ids: tuple[int, ...] = ()
    member_ids: tuple[int, ...] | None = None  # collective members; default the unit's staff
    registered: bool | None = None  # registered for this title (None: not known, not checked)
    quota: Quota | None = None  # a campaign plan's ceiling for this item, if it sets one
    key: Any = None  # the nomination's identity, so that it is not compared with itself

    def __post_init__(self) -> None:
        if (self.person is None) == (self.unit is None):
            raise ValueError("a candidate is either a person or a unit (collective, household)")
        if self.household_name and self.person is not None:
            raise ValueError("a household is given by its locality unit, not a person")

    @property
    def recipient_kind(self) -> str:
        if self.person is not None:
            return RecipientKind.INDIVIDUAL
        return RecipientKind.HOUSEHOLD if self.household_name else RecipientKind.COLLECTIVE

    @property
    def subject_name(self) -> str:
        if self.person is not None:
            return self.person.full_name
        if self.household_name:
            return f"Hộ {self.household_name}"
        return self.unit.name

    @property
    def scope_unit(self) -> Unit | None:
        """The unit whose province decides which provincial override applies."""
        if self.conferring_unit is not None:
            return self.conferring_unit
        if self.proposing_unit is not None:
            return self.proposing_unit
        return self.person.unit if self.person is not None else self.unit

    def same_subject(self, other: Candidate) -> bool:
        if self.person is not None or other.person is not None:
            return (
                self.person is not None
                and other.person is not None
                and (self.person.pk == other.person.pk)
            )
        return self.unit.pk == other.unit.pk and self.household_name == other.household_name

    def is_for(self, item: Item) -> bool:
        return type(self.item) is type(item) and self.item.pk == item.pk


@dataclass(frozen=True)
class Finding:
    code: str
    severity: str
    article: str
    message: str
    unverified: bool = False  # the rule is a default not yet checked against the primary text

    @property
    def blocks(self) -> bool:
        return self.severity == HARD


def blocking(findings: Iterable[Finding]) -> list[Finding]:
    return [f for f in findings if f.blocks]


def needing_justification(findings: Iterable[Finding]) -> list[Finding]:
    return [f for f in findings if not f.blocks]


def decider_for(unit: Unit) -> str:
    """Whose authority a unit's leader exercises (Law Arts. 78–80; NĐ 129/2025 Art. 59)."""
    if unit.kind in PROVINCE_KINDS:
        return Decider.PROVINCE
    if unit.kind in DISTRICT_KINDS:
        return Decider.DISTRICT
    if unit.kind in COMMUNE_KINDS:
        return Decider.COMMUNE
    if unit.kind == UnitKind.ENTERPRISE:
        return Decider.ENTERPRISE
    if unit.kind in AGENCY_KINDS:
        return Decider.AGENCY
    return ""


def _d(day: datetime.date) -> str:
    return f"{day:%d/%m/%Y}"


def _years(start: int, end: int) -> str:
    return f"năm {end}" if start == end else f"{end - start + 1} năm liên tục {start}–{end}"


@dataclass
class _Check:
    candidate: Candidate
    rules: Rulebook
    others: list[Candidate]
    findings: list[Finding] = field(default_factory=list)

    # -- facts ---------------------------------------------------------------------------

    @property
    def c(self) -> Candidate:
        return self.candidate

    def subject_filter(self) -> Q:
        if self.c.person is not None:
            return Q(person=self.c.person)
        if self.c.household_name:
            return Q(unit=self.c.unit, household_name=self.c.household_name)
        return Q(unit=self.c.unit)

    def person_or_unit_filter(self) -> Q:
        return Q(person=self.c.person) if self.c.person is not None else Q(unit=self.c.unit)

    def records(self):
        return AwardRecord.objects.standing().filter(self.subject_filter())

    def add(
        self, code: str, severity: str, article: str, text: str, *, unverified: bool = False
    ) -> None:
        self.findings.append(Finding(code, severity, article, f"{article}: {text}", unverified))

    def general(self, code: str):
        return self.rules.general(code)

    # -- the rules -------------------------------------------------------------------------

    def run(self) -> list[Finding]:
        item = self.c.item
        if not item.accepts_recipient(self.c.recipient_kind):
            self.add(
                "recipient",
                HARD,
                item.legal_article,
                f"{item.kind_label} “{item.name}” không xét tặng cho "
                f"{RecipientKind(self.c.recipient_kind).label.lower()}.",
            )
        if not item.accepts_basis(self.c.basis):
            self.add(
                "basis",
                HARD,
                item.legal_article,
                f"“{item.name}” không xét tặng theo loại "
                f"“{BasisKind(self.c.basis).label.lower()}”.",
            )
        self.check_authority()
        self.check_dissolved()
        self.check_registration()
        # Freezes and discipline are kept for people and collectives; households have none.
        if self.c.recipient_kind != RecipientKind.HOUSEHOLD:
            self.check_freeze()
            self.check_discipline()
        self.check_once()
        self.check_prerequisites()
        if self.c.recipient_kind == RecipientKind.COLLECTIVE:
            self.check_collective_ratios()
        self.check_caps()
        self.check_initiatives()
        self.check_duplicates()
        return self.findings

    def check_authority(self) -> None:
        level = self.c.conferring_level
        if not level and self.c.conferring_unit is not None:
            level = decider_for(self.c.conferring_unit)
            if not level:
                level = "none"
        if not level:
            return
        allowed = self.rules.authority(self.c.item)
        if not allowed:
            return
        if level in {rule.decider for rule in allowed}:
            self.check_conferring_scope([rule for rule in allowed if rule.decider == level])
            return
        article = "; ".join(dict.fromkeys(rule.article for rule in allowed))
        who = Decider(level).label if level in Decider.values else "Đơn vị này"
        holders = ", ".join(dict.fromkeys(Decider(rule.decider).label for rule in allowed))
        self.add(
            "authority",
            HARD,
            article,
            f"{who} không có thẩm quyền tặng “{self.c.item.name}” theo quy định có hiệu lực "
            f"ngày {_d(self.c.on)}; thẩm quyền thuộc: {holders}.",
            unverified=any(r.is_unverified for r in allowed),
        )

    def check_conferring_scope(self, allowed: list) -> None:
        """A leader confers only on those in the unit they lead (its subtree)."""
        conferring = self.c.conferring_unit
        home = self.c.person.unit if self.c.person is not None else self.c.unit
        if conferring is None or conferring.contains(home):
            return
        self.add(
            "authority",
            HARD,
            "; ".join(dict.fromkeys(rule.article for rule in allowed)),
            f"{conferring.name} không quản lý {self.c.subject_name} ({home.name}), nên không "
            f"quyết định tặng “{self.c.item.name}” cho đối tượng này.",
            unverified=any(rule.is_unverified for rule in allowed),
        )

    def check_dissolved(self) -> None:
        rule = self.general(GeneralRuleCode.DISSOLVED)
        unit = self.c.unit
        if rule is None or self.c.recipient_kind != RecipientKind.COLLECTIVE:
            return
        if unit.valid_to is not None and unit.valid_to < self.c.on:
            self.add(
                "dissolved",
                rule.severity,
                rule.article,
                f"{unit.name} đã giải thể hoặc sáp nhập từ {_d(unit.valid_to)}; không khen "
                "thưởng tập thể đã giải thể do sắp xếp tổ chức bộ máy.",
                unverified=rule.is_unverified,
            )

    def check_registration(self) -> None:
        rule = self.general(GeneralRuleCode.REGISTRATION)
        if rule is None or not isinstance(self.c.item, EmulationTitle):
            return
        if self.c.registered is False:
            self.add(
                "registration",
                rule.severity,
                rule.article,
                f"{self.c.subject_name} chưa đăng ký thi đua danh hiệu “{self.c.item.name}” "
                f"năm {self.c.year}; danh hiệu chỉ xét cho người, tập thể đã đăng ký.",
                unverified=rule.is_unverified,
            )

    def check_freeze(self) -> None:
        rule = self.general(GeneralRuleCode.FREEZE)
        if rule is None:
            return
        day = self.c.on
        freezes = Freeze.objects.filter(self.person_or_unit_filter(), started_on__lte=day).filter(
            Q(ended_on__isnull=True) | Q(ended_on__gte=day)
        )
        for freeze in freezes:
            self.add(
                "freeze",
                rule.severity,
                rule.article,
                f"{self.c.subject_name} đang trong trường hợp “{freeze.get_kind_display().lower()}”"
                f" (từ {_d(freeze.started_on)}): chưa xét, chưa đề nghị khen thưởng.",
                unverified=rule.is_unverified,
            )

    def check_discipline(self) -> None:
        rule = self.general(GeneralRuleCode.DISCIPLINE)
        if rule is None:
            return
        start, end = datetime.date(self.c.year, 1, 1), datetime.date(self.c.year, 12, 31)
        disciplines = Discipline.objects.filter(
            self.person_or_unit_filter(), effective_from__lte=max(end, self.c.on)
        ).filter(Q(effective_to__gte=start))
        for discipline in disciplines:
            self.add(
                "discipline",
                rule.severity,
                rule.article,
                f"{self.c.subject_name} bị kỷ luật {discipline.get_level_display().lower()} "
                f"(thời hạn {_d(discipline.effective_from)}–{_d(discipline.effective_to)}), "
                f"trùng thời gian tính thành tích năm {self.c.year}; thành tích chỉ được tính "
                "từ khi hết thời hạn kỷ luật.",
                unverified=rule.is_unverified,
            )

    def check_once(self) -> None:
        item, c = self.c.item, self.c
        once = self.general(GeneralRuleCode.ONCE)
        same_year = self.records().filter(year=c.year)
        if once is not None:
            same = same_year.filter(
                item_filter(item), basis_kind=c.basis, basis_reference=c.basis_reference
            ).first()
            if same is not None:
                self.add(
                    "once",
                    once.severity,
                    once.article,
                    f"{c.subject_name} đã được tặng “{item.name}” cho thành tích năm {c.year} "
                    f"({BasisKind(c.basis).label.lower()}) theo Quyết định số "
                    f"{same.decision_number} ngày {_d(same.decision_date)}; một thành tích chỉ "
                    "được khen thưởng một lần.",
                    unverified=once.is_unverified,
                )
                return
        one_form = self.general(GeneralRuleCode.ONE_FORM)
        if one_form is None or not isinstance(item, AwardForm) or c.basis not in MERIT_BASES:
            return
        other = (
            same_year.filter(award_form__isnull=False, basis_kind__in=MERIT_BASES)
            .exclude(award_form=item)
            .select_related("award_form")
            .first()
        )
        if other is not None:
            self.add(
                "one_form",
                one_form.severity,
                one_form.article,
                f"Thành tích năm {c.year} của {c.subject_name} đã được khen bằng "
                f"“{other.award_form.name}” (Quyết định số {other.decision_number}); cần giải "
                "trình đây là thành tích khác, vì một thành tích chỉ khen một hình thức.",
                unverified=one_form.is_unverified,
            )

    # -- history-based prerequisites -------------------------------------------------------

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
        return ok, f"{need} {_years(start, end)}", f"xếp loại {have}"

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
        return ok, f"đạt “{ref.name}” {_years(start, end)}", have

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

    def initiative_reusable(self, initiative: Initiative) -> bool:
        """Unused, or used for a title and now proposed for another title (CV 5007/BNV-TĐKT)."""
        used = initiative.used_by
        if used is None:
            return True
        return used.title_id is not None and isinstance(self.c.item, EmulationTitle)

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

    # -- collectives, caps ---------------------------------------------------------------------

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
        shown = ", ".join(sorted(set(names))[:5])
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

    def check_quota(self) -> None:
        quota, c = self.c.quota, self.c
        if quota is None:
            return
        pending = sum(
            1
            for o in self.others
            if o.is_for(c.item)
            and o.year == c.year
            and o.basis_reference == c.basis_reference
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

    # -- initiatives, duplicates -----------------------------------------------------------------

    def check_initiatives(self) -> None:
        if not self.c.initiative_ids:
            return
        rule = self.general(GeneralRuleCode.INITIATIVE_ONCE)
        initiatives = Initiative.objects.filter(pk__in=self.c.initiative_ids).select_related(
            "used_by__title", "used_by__award_form", "person", "unit"
        )
        for initiative in initiatives:
            owner_ok = (
                initiative.person_id == self.c.person.pk
                if self.c.person is not None
                else initiative.unit_id == (self.c.unit.pk if self.c.unit else None)
            )
            if not owner_ok:
                self.add(
                    "initiative_owner",
                    HARD,
                    self.c.item.legal_article,
                    f"Sáng kiến “{initiative.name}” không phải của {self.c.subject_name}.",
                )
            if rule is None:
                continue
            if not self.initiative_reusable(initiative):
                used = initiative.used_by
                self.add(
                    "initiative_once",
                    rule.severity,
                    rule.article,
                    f"Sáng kiến “{initiative.name}” đã làm căn cứ tặng “{used.item.name}” năm "
                    f"{used.year} (Quyết định số {used.decision_number}); mỗi sáng kiến chỉ "
                    "được dùng làm căn cứ khen thưởng một lần.",
                    unverified=rule.is_unverified,
                )
            elif any(initiative.pk in o.initiative_ids for o in self.others):
                self.add(
                    "initiative_once",
                    rule.severity,
                    rule.article,
                    f"Sáng kiến “{initiative.name}” đang được dùng trong một đề nghị khen thưởng "
                    "khác; mỗi sáng kiến chỉ được dùng làm căn cứ khen thưởng một lần.",
                    unverified=rule.is_unverified,
                )

    def check_duplicates(self) -> None:
        rule = self.general(GeneralRuleCode.DUPLICATE_NOMINATION)
        if rule is None:
            return
        for other in self.others:
            if not (other.same_subject(self.c) and other.is_for(self.c.item)):
                continue
            if other.year != self.c.year:
                continue
            by = other.proposing_unit.name if other.proposing_unit else "một đơn vị khác"
            self.add(
                "duplicate_nomination",
                rule.severity,
                rule.article,
                f"{self.c.subject_name} đã được {by} đề nghị tặng “{self.c.item.name}” năm "
                f"{self.c.year}; không đề nghị trùng một thành tích ở hai nơi.",
                unverified=rule.is_unverified,
            )


def check(candidate: Candidate, *, others: Iterable[Candidate] = ()) -> list[Finding]:
    """Every finding for `candidate`; `others` are the other open nominations to compare with."""
    rules = Rulebook.for_day(candidate.on, candidate.scope_unit)
    if rules is None:
        return [
            Finding(
                "ruleset",
                HARD,
                "",
                f"Không có bộ quy tắc khen thưởng có hiệu lực ngày {_d(candidate.on)}.",
            )
        ]
    rest = [
        other
        for other in others
        if not (candidate.key is not None and other.key == candidate.key) and other is not candidate
    ]
    return _Check(candidate=candidate, rules=rules, others=rest).run()


def rulebook_for(candidate: Candidate) -> Rulebook | None:
    """The rules `check` applies to `candidate` (for council thresholds and money later)."""
    return Rulebook.for_day(candidate.on, candidate.scope_unit)
