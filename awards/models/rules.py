"""Rules as data: each rule set has a legal basis and validity dates; a province may override.

The law changed on 01/01/2024 (Law 06/2022, NĐ 98/2023) and on 01/07/2025 (NĐ 152/2025,
NĐ 129/2025, TT 15/2025). A candidate is judged by the national rule set in force on its date,
overlaid by any provincial rule set (the province's own regulation) scoped to a unit above it:
for each item and rule kind, the deepest rule set that says something about it wins.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from portal.models import Unit

from .catalogue import AwardForm, EmulationTitle, RecipientKind, TitleOrForm


class Severity(models.TextChoices):
    HARD = "hard", "Chặn (không được trình)"
    SOFT = "soft", "Cần giải trình bằng văn bản"


class Rating(models.TextChoices):
    """Annual task-completion rating (đánh giá, xếp loại chất lượng)."""

    EXCELLENT = "htxsnv", "Hoàn thành xuất sắc nhiệm vụ"
    GOOD = "httnv", "Hoàn thành tốt nhiệm vụ"
    COMPLETE = "htnv", "Hoàn thành nhiệm vụ"
    INCOMPLETE = "khtnv", "Không hoàn thành nhiệm vụ"


RATING_RANK = {Rating.INCOMPLETE: 1, Rating.COMPLETE: 2, Rating.GOOD: 3, Rating.EXCELLENT: 4}


class DisciplineLevel(models.TextChoices):
    REPRIMAND = "reprimand", "Khiển trách"
    WARNING = "warning", "Cảnh cáo"
    DEMOTION = "demotion", "Hạ bậc lương, giáng chức"
    REMOVAL = "removal", "Cách chức"
    DISMISSAL = "dismissal", "Buộc thôi việc"


DISCIPLINE_RANK = {
    DisciplineLevel.REPRIMAND: 1,
    DisciplineLevel.WARNING: 2,
    DisciplineLevel.DEMOTION: 3,
    DisciplineLevel.REMOVAL: 4,
    DisciplineLevel.DISMISSAL: 5,
}


class InitiativeLevel(models.TextChoices):
    UNIT = "unit", "Cấp cơ sở"
    PROVINCE = "province", "Cấp tỉnh"
    NATIONAL = "national", "Toàn quốc"


INITIATIVE_RANK = {
    InitiativeLevel.UNIT: 1,
    InitiativeLevel.PROVINCE: 2,
    InitiativeLevel.NATIONAL: 3,
}


class Decider(models.TextChoices):
    """Who confers (Law Arts. 76–80; NĐ 129/2025 Art. 59)."""

    PRESIDENT = "president", "Chủ tịch nước"
    PRIME_MINISTER = "prime_minister", "Thủ tướng Chính phủ"
    PROVINCE = "province", "Chủ tịch UBND cấp tỉnh"
    AGENCY = "agency", "Thủ trưởng cơ quan chuyên môn, đơn vị có tư cách pháp nhân"
    DISTRICT = "district", "Chủ tịch UBND cấp huyện"
    COMMUNE = "commune", "Chủ tịch UBND cấp xã"
    ENTERPRISE = "enterprise", "Giám đốc doanh nghiệp, hợp tác xã"


class RuleSetQuerySet(models.QuerySet):
    def valid_on(self, day: datetime.date) -> RuleSetQuerySet:
        return self.filter(valid_from__lte=day).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=day)
        )

    def national(self) -> RuleSetQuerySet:
        return self.filter(scope_unit__isnull=True)


class RuleSet(models.Model):
    """A legal basis with its validity; national when `scope_unit` is empty, else an override."""

    name = models.CharField("tên", max_length=255)
    legal_basis = models.CharField(
        "căn cứ pháp lý",
        max_length=500,
        help_text="Ví dụ: Luật 06/2022/QH15; NĐ 98/2023/NĐ-CP.",
    )
    valid_from = models.DateField("hiệu lực từ")
    valid_to = models.DateField("hiệu lực đến", null=True, blank=True)
    scope_unit = models.ForeignKey(
        Unit,
        verbose_name="phạm vi áp dụng (quy định riêng của địa phương)",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="award_rule_sets",
        help_text="Để trống với bộ quy tắc toàn quốc; chọn tỉnh với quy định riêng của tỉnh.",
    )
    rounding_unit = models.PositiveIntegerField(
        "làm tròn tiền thưởng lên đến (đồng)",
        null=True,
        blank=True,
        help_text="Để trống ở quy định địa phương để dùng mức của bộ quy tắc toàn quốc.",
    )
    household_multiplier = models.DecimalField(
        "hệ số hộ gia đình so với cá nhân",
        max_digits=4,
        decimal_places=2,
        null=True,
        blank=True,
    )
    money_article = models.CharField("căn cứ mức tiền thưởng", max_length=255, blank=True)
    clearance_working_days = models.PositiveSmallIntegerField(
        "thời hạn trả lời văn bản xin ý kiến (ngày làm việc)",
        null=True,
        blank=True,
        help_text="Để trống: người thẩm định nhập hạn trả lời trên từng văn bản.",
    )
    clearance_article = models.CharField("căn cứ thời hạn xin ý kiến", max_length=255, blank=True)
    is_unverified = models.BooleanField("chưa xác minh với văn bản gốc", default=False)
    note = models.TextField("ghi chú", blank=True)

    history = HistoricalRecords()
    objects = RuleSetQuerySet.as_manager()

    class Meta:
        verbose_name = "bộ quy tắc khen thưởng"
        verbose_name_plural = "bộ quy tắc khen thưởng"
        ordering = ["scope_unit__path", "-valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="awards_ruleset_validity_ordered",
            ),
            models.CheckConstraint(
                condition=Q(scope_unit__isnull=False)
                | (Q(rounding_unit__isnull=False) & Q(household_multiplier__isnull=False)),
                name="awards_ruleset_national_has_money_settings",
            ),
        ]

    def __str__(self) -> str:
        until = f"{self.valid_to:%d/%m/%Y}" if self.valid_to else "nay"
        return f"{self.name} ({self.valid_from:%d/%m/%Y} – {until})"

    def is_valid_on(self, day: datetime.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or self.valid_to >= day)

    def clean(self) -> None:
        """Two rule sets of the same scope may not be in force on the same day."""
        if self.valid_from is None:
            return
        same_scope = RuleSet.objects.filter(scope_unit=self.scope_unit_id).exclude(pk=self.pk)
        overlapping = same_scope.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=self.valid_from))
        if self.valid_to is not None:
            overlapping = overlapping.filter(valid_from__lte=self.valid_to)
        clash = overlapping.first()
        if clash is not None:
            raise ValidationError(
                f"Thời gian hiệu lực trùng với “{clash}”; "
                "hãy đặt ngày hết hiệu lực cho bộ cũ trước."
            )


class BaseSalary(models.Model):
    """Mức lương cơ sở: the base of all reward money, taken on the decision date."""

    amount = models.PositiveIntegerField("mức lương cơ sở (đồng/tháng)")
    valid_from = models.DateField("áp dụng từ", unique=True)
    legal_basis = models.CharField("căn cứ", max_length=255)
    is_unverified = models.BooleanField("chưa xác minh với văn bản gốc", default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "mức lương cơ sở"
        verbose_name_plural = "mức lương cơ sở"
        ordering = ["-valid_from"]

    def __str__(self) -> str:
        return f"{self.amount:,} đ từ {self.valid_from:%d/%m/%Y}".replace(",", ".")

    @classmethod
    def in_force_on(cls, day: datetime.date) -> BaseSalary | None:
        return cls.objects.filter(valid_from__lte=day).order_by("-valid_from").first()


class Rule(TitleOrForm):
    """What every rule row shares: its rule set, its article, and whether it is verified."""

    rule_set = models.ForeignKey(
        RuleSet, verbose_name="bộ quy tắc", on_delete=models.CASCADE, related_name="+"
    )
    article = models.CharField("căn cứ (điều, khoản)", max_length=255)
    is_unverified = models.BooleanField("chưa xác minh với văn bản gốc", default=False)

    class Meta(TitleOrForm.Meta):
        abstract = True


class AuthorityRule(Rule):
    decider = models.CharField("người quyết định", max_length=20, choices=Decider.choices)

    history = HistoricalRecords()

    class Meta(Rule.Meta):
        verbose_name = "thẩm quyền quyết định"
        verbose_name_plural = "thẩm quyền quyết định"
        constraints = [
            *TitleOrForm.Meta.constraints,
            models.UniqueConstraint(
                fields=["rule_set", "title", "decider"], name="awards_authority_unique_title"
            ),
            models.UniqueConstraint(
                fields=["rule_set", "award_form", "decider"], name="awards_authority_unique_form"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_decider_display()}: {self.item}"


class MoneyRule(Rule):
    """Multiplier of the base salary. A household takes its own row where the law gives the
    item to households by name (Gia đình văn hóa), else the individual row × the household
    factor (NĐ 152/2025 Art. 49). A zero multiplier is the law saying "no money": the paper
    alone."""

    recipient_kind = models.CharField("đối tượng", max_length=20, choices=RecipientKind.choices)
    multiplier = models.DecimalField(
        "hệ số × lương cơ sở",
        max_digits=6,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
    )

    history = HistoricalRecords()

    class Meta(Rule.Meta):
        verbose_name = "mức tiền thưởng"
        verbose_name_plural = "mức tiền thưởng"
        constraints = [
            *TitleOrForm.Meta.constraints,
            models.UniqueConstraint(
                fields=["rule_set", "title", "recipient_kind"], name="awards_money_unique_title"
            ),
            models.UniqueConstraint(
                fields=["rule_set", "award_form", "recipient_kind"],
                name="awards_money_unique_form",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item} ({self.get_recipient_kind_display()}): × {self.multiplier}"


class VoteRule(Rule):
    """Council pass threshold, counted on the WHOLE membership, and whether the ballot is secret.
    A row makes the council's vote mandatory for the item; a row without a percentage asks for
    a plain majority (quá bán) of the membership, where the rules require the council's review
    but state no threshold (domain.md §6.6 point 4)."""

    threshold_percent = models.PositiveSmallIntegerField(
        "tỷ lệ đồng ý tối thiểu (% tổng số thành viên)",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text="Để trống: quá bán tổng số thành viên.",
    )
    secret_ballot = models.BooleanField("bỏ phiếu kín", default=True)

    history = HistoricalRecords()

    class Meta(Rule.Meta):
        verbose_name = "ngưỡng biểu quyết của Hội đồng"
        verbose_name_plural = "ngưỡng biểu quyết của Hội đồng"
        constraints = [
            *TitleOrForm.Meta.constraints,
            models.UniqueConstraint(fields=["rule_set", "title"], name="awards_vote_unique_title"),
            models.UniqueConstraint(
                fields=["rule_set", "award_form"], name="awards_vote_unique_form"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item}: {self.requirement}"

    @property
    def requirement(self) -> str:
        if self.threshold_percent is None:
            return "quá bán tổng số thành viên"
        return f"≥ {self.threshold_percent}% tổng số thành viên"


class PartyOpinionRule(Rule):
    """Items the province sends to the central level only with the written agreement of the
    Party standing committee (Ban Thường vụ Tỉnh ủy / Thành ủy), asked as a clearance request
    (domain.md §6.6 point 5)."""

    history = HistoricalRecords()

    class Meta(Rule.Meta):
        verbose_name = "ý kiến Ban Thường vụ Tỉnh ủy trước khi trình Trung ương"
        verbose_name_plural = "ý kiến Ban Thường vụ Tỉnh ủy trước khi trình Trung ương"
        constraints = [
            *TitleOrForm.Meta.constraints,
            models.UniqueConstraint(
                fields=["rule_set", "title"], name="awards_party_opinion_unique_title"
            ),
            models.UniqueConstraint(
                fields=["rule_set", "award_form"], name="awards_party_opinion_unique_form"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item}: cần ý kiến Ban Thường vụ Tỉnh ủy"


class CapRule(Rule):
    """A ceiling per proposing unit and year: a share of another title's holders or a number."""

    max_percent = models.PositiveSmallIntegerField(
        "tối đa (% số đạt danh hiệu gốc)",
        null=True,
        blank=True,
        validators=[MaxValueValidator(100)],
    )
    base_title = models.ForeignKey(
        EmulationTitle,
        verbose_name="danh hiệu gốc để tính tỷ lệ",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    max_count = models.PositiveIntegerField("tối đa (số lượng)", null=True, blank=True)

    history = HistoricalRecords()

    class Meta(Rule.Meta):
        verbose_name = "giới hạn tỷ lệ, số lượng"
        verbose_name_plural = "giới hạn tỷ lệ, số lượng"
        constraints = [
            *TitleOrForm.Meta.constraints,
            models.CheckConstraint(
                condition=(Q(max_percent__isnull=False) & Q(base_title__isnull=False))
                | Q(max_count__isnull=False),
                name="awards_cap_has_limit",
            ),
        ]

    def __str__(self) -> str:
        if self.max_percent is not None:
            return f"{self.item} ≤ {self.max_percent}% {self.base_title}"
        return f"{self.item} ≤ {self.max_count}"


class PrerequisiteKind(models.TextChoices):
    RATING = "rating", "Xếp loại hằng năm liên tục"
    CHAIN = "chain", "Đạt danh hiệu, hình thức liên tục"
    INITIATIVES = "initiatives", "Sáng kiến được công nhận"


class PrerequisiteRule(Rule):
    """One condition on the nominee's history. Rows of one option must all hold; options are
    alternatives (any one option suffices)."""

    recipient_kind = models.CharField("đối tượng", max_length=20, choices=RecipientKind.choices)
    option = models.PositiveSmallIntegerField("phương án", default=1)
    kind = models.CharField("loại điều kiện", max_length=20, choices=PrerequisiteKind.choices)
    years = models.PositiveSmallIntegerField("số năm liên tục / khoảng năm", default=1)
    through_candidate_year = models.BooleanField(
        "tính đến cả năm xét",
        default=True,
        help_text="Bỏ chọn nếu chuỗi năm phải kết thúc ở năm trước năm xét.",
    )
    min_rating = models.CharField(
        "xếp loại tối thiểu", max_length=10, choices=Rating.choices, blank=True
    )
    ref_title = models.ForeignKey(
        EmulationTitle,
        verbose_name="danh hiệu phải đạt",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    ref_form = models.ForeignKey(
        AwardForm,
        verbose_name="hình thức phải đạt",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    count = models.PositiveSmallIntegerField("số sáng kiến tối thiểu", default=1)
    initiative_level = models.CharField(
        "cấp công nhận sáng kiến", max_length=10, choices=InitiativeLevel.choices, blank=True
    )
    only_merit = models.BooleanField(
        "chỉ khi khen hằng năm, công trạng",
        default=False,
        help_text="Không áp dụng cho khen theo đợt, chuyên đề hoặc đột xuất.",
    )
    severity = models.CharField(
        "mức độ", max_length=10, choices=Severity.choices, default=Severity.HARD
    )

    history = HistoricalRecords()

    class Meta(Rule.Meta):
        verbose_name = "điều kiện về thành tích trước"
        verbose_name_plural = "điều kiện về thành tích trước"
        ordering = ["rule_set", "option", "pk"]
        constraints = [
            *TitleOrForm.Meta.constraints,
            models.CheckConstraint(
                condition=(Q(kind=PrerequisiteKind.RATING) & ~Q(min_rating=""))
                | (
                    Q(kind=PrerequisiteKind.CHAIN)
                    & (Q(ref_title__isnull=False) | Q(ref_form__isnull=False))
                )
                | (Q(kind=PrerequisiteKind.INITIATIVES) & ~Q(initiative_level="")),
                name="awards_prerequisite_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item} – phương án {self.option}: {self.get_kind_display()}"


class CollectiveRuleKind(models.TextChoices):
    MEMBER_SHARE = "member_share", "Tỷ lệ thành viên đạt danh hiệu"
    MEMBER_COUNT = "member_count", "Số thành viên đạt danh hiệu"
    ALL_MEMBERS_RATED = "all_members_rated", "Mọi thành viên đạt xếp loại"
    NO_MEMBER_DISCIPLINED = "no_member_disciplined", "Không thành viên nào bị kỷ luật từ mức"


class CollectiveRule(Rule):
    """A ratio inside a collective title's criteria (each row checked on its own)."""

    kind = models.CharField("loại điều kiện", max_length=30, choices=CollectiveRuleKind.choices)
    percent = models.PositiveSmallIntegerField(
        "tỷ lệ tối thiểu (%)", null=True, blank=True, validators=[MaxValueValidator(100)]
    )
    count = models.PositiveSmallIntegerField("số lượng tối thiểu", null=True, blank=True)
    ref_title = models.ForeignKey(
        EmulationTitle,
        verbose_name="danh hiệu của thành viên",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    min_rating = models.CharField(
        "xếp loại tối thiểu", max_length=10, choices=Rating.choices, blank=True
    )
    discipline_level = models.CharField(
        "mức kỷ luật bị loại trừ (từ mức này trở lên)",
        max_length=20,
        choices=DisciplineLevel.choices,
        blank=True,
    )
    severity = models.CharField(
        "mức độ", max_length=10, choices=Severity.choices, default=Severity.HARD
    )

    history = HistoricalRecords()

    class Meta(Rule.Meta):
        verbose_name = "tỷ lệ trong tập thể"
        verbose_name_plural = "tỷ lệ trong tập thể"
        constraints = [
            *TitleOrForm.Meta.constraints,
            models.CheckConstraint(
                condition=(
                    Q(kind=CollectiveRuleKind.MEMBER_SHARE)
                    & Q(percent__isnull=False)
                    & Q(ref_title__isnull=False)
                )
                | (
                    Q(kind=CollectiveRuleKind.MEMBER_COUNT)
                    & Q(count__isnull=False)
                    & Q(ref_title__isnull=False)
                )
                | (Q(kind=CollectiveRuleKind.ALL_MEMBERS_RATED) & ~Q(min_rating=""))
                | (Q(kind=CollectiveRuleKind.NO_MEMBER_DISCIPLINED) & ~Q(discipline_level="")),
                name="awards_collective_rule_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item}: {self.get_kind_display()}"


class GeneralRuleCode(models.TextChoices):
    """Principles for every title and form, switched on per rule set with their article."""

    FREEZE = "freeze", "Tạm dừng xét khi đang bị xem xét kỷ luật, điều tra, khiếu nại"
    DISCIPLINE = "discipline", "Không xét trong thời gian chịu kỷ luật"
    ONCE = "once", "Một thành tích chỉ khen một lần"
    ONE_FORM = "one_form", "Một thành tích chỉ khen một hình thức"
    INITIATIVE_ONCE = "initiative_once", "Một sáng kiến chỉ làm căn cứ khen thưởng một lần"
    NO_STACKING = "no_stacking", "Khen đột xuất, chuyên đề không tính để khen công trạng"
    DUPLICATE_NOMINATION = "duplicate_nomination", "Không đề nghị trùng ở hai đơn vị"
    REGISTRATION = "registration", "Chỉ xét danh hiệu cho người, tập thể đã đăng ký thi đua"
    DISSOLVED = "dissolved", "Không khen thưởng tập thể đã giải thể do sắp xếp"


class GeneralRule(models.Model):
    rule_set = models.ForeignKey(
        RuleSet, verbose_name="bộ quy tắc", on_delete=models.CASCADE, related_name="+"
    )
    code = models.CharField("nguyên tắc", max_length=30, choices=GeneralRuleCode.choices)
    enabled = models.BooleanField("áp dụng", default=True)
    severity = models.CharField(
        "mức độ", max_length=10, choices=Severity.choices, default=Severity.HARD
    )
    article = models.CharField("căn cứ (điều, khoản)", max_length=255)
    is_unverified = models.BooleanField("chưa xác minh với văn bản gốc", default=False)
    note = models.TextField("ghi chú", blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "nguyên tắc chung"
        verbose_name_plural = "nguyên tắc chung"
        ordering = ["rule_set", "code"]
        constraints = [
            models.UniqueConstraint(fields=["rule_set", "code"], name="awards_general_rule_unique"),
        ]

    def __str__(self) -> str:
        return self.get_code_display()
