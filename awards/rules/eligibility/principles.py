"""Authority, registration, freezes, discipline, once, initiatives, duplicates."""

from __future__ import annotations

import datetime

from django.db.models import Q

from awards.models import (
    MERIT_BASES,
    AwardForm,
    BasisKind,
    Decider,
    Discipline,
    EmulationTitle,
    Freeze,
    GeneralRuleCode,
    Initiative,
    RecipientKind,
    item_filter,
)
from awards.rules.eligibility.base import CheckBase
from awards.rules.eligibility.candidate import HARD, decider_for, vn_date


class PrincipleChecks(CheckBase):
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
            f"ngày {vn_date(self.c.on)}; thẩm quyền thuộc: {holders}.",
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
                f"{unit.name} đã giải thể hoặc sáp nhập từ {vn_date(unit.valid_to)}; không khen "
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
                f" (từ {vn_date(freeze.started_on)}): chưa xét, chưa đề nghị khen thưởng.",
                unverified=rule.is_unverified,
            )

    def check_discipline(self) -> None:
        rule = self.general(GeneralRuleCode.DISCIPLINE)
        if rule is None:
            return
        start, end = datetime.date(self.c.year, 1, 1), datetime.date(self.c.year, 12, 31)
        # Overlapping the achievement year, or still running on the day of the check.
        disciplines = Discipline.objects.filter(
            self.person_or_unit_filter(), effective_from__lte=max(end, self.c.on)
        ).filter(Q(effective_to__gte=start))
        for discipline in disciplines:
            period = (
                f"thời hạn {vn_date(discipline.effective_from)}–{vn_date(discipline.effective_to)}"
            )
            if discipline.effective_from <= end:
                why = f"trùng thời gian tính thành tích năm {self.c.year}"
            else:
                why = f"còn thời hạn kỷ luật vào ngày {vn_date(self.c.on)}"
            self.add(
                "discipline",
                rule.severity,
                rule.article,
                f"{self.c.subject_name} bị kỷ luật {discipline.get_level_display().lower()} "
                f"({period}), {why}; thành tích chỉ được tính từ khi hết thời hạn kỷ luật.",
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
                    f"{same.decision_number} ngày {vn_date(same.decision_date)}; một thành tích "
                    "chỉ được khen thưởng một lần.",
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
