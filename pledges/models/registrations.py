"""What units commit to under a campaign: registrations, tasks, progress, evidence, reviews."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from campaigns.models import Campaign, ContentItem, ReportingPeriod, ReviewKind
from pledges.choices import ProposedAward
from pledges.workflow import REGISTERED, RegistrationStatus, UnitReviewStatus
from portal import access
from portal.models import Person, Unit
from portal.text import fold


class Measure(models.TextChoices):
    NUMBER = "number", "Chỉ tiêu số lượng"
    MILESTONE = "milestone", "Mốc hoàn thành (có/không)"


class Title(models.TextChoices):
    """Emulation titles a unit or its people register to strive for (Luật TĐKT Art. 23–28)."""

    TTLDXS = "ttldxs", "Tập thể lao động xuất sắc"
    TTLDTT = "ttldtt", "Tập thể lao động tiên tiến"
    CO_TINH = "co_tinh", "Cờ thi đua của Ủy ban nhân dân tỉnh"
    LDTT = "ldtt", "Lao động tiên tiến"
    CSTDCS = "cstdcs", "Chiến sĩ thi đua cơ sở"
    CSTD_TINH = "cstd_tinh", "Chiến sĩ thi đua cấp tỉnh"


COLLECTIVE_TITLES = frozenset({Title.TTLDXS, Title.TTLDTT, Title.CO_TINH})


def _of_campaign(rows: models.QuerySet, user, campaign: Campaign) -> models.QuerySet:
    """`rows` (registrations or unit reviews) of `campaign` that `user` may see: the same rows
    as `visible_to(user).filter(campaign=campaign)`, whose filter is "the unit in the user's
    scope, or the campaign's issuer in it"."""
    rows = rows.filter(campaign=campaign)
    roots = access.view_roots(user)
    if roots is None or any(campaign.issuer.path.startswith(root) for root in roots):
        return rows
    return rows.filter(access.unit_scope(user, "unit__path"))


class RegistrationQuerySet(models.QuerySet):
    def visible_to(self, user) -> RegistrationQuerySet:
        """The unit's own officials and the issuing level's officials."""
        return self.filter(
            Q(access.unit_scope(user, "unit__path"))
            | Q(access.unit_scope(user, "campaign__issuer__path"))
        )

    def of_campaign(self, user, campaign: Campaign) -> RegistrationQuerySet:
        """`visible_to(user)` of one campaign's registrations, its issuer's half decided here
        on the campaign already read: a user who sees the issuer sees every registration, and
        the list then filters on the campaign alone, without joining the campaign and its
        issuer for every row in the COUNT and the page (#16)."""
        return _of_campaign(self, user, campaign)

    def search(self, query: str) -> RegistrationQuerySet:
        folded = fold(query)
        return self.filter(unit__search_name__contains=folded) if folded else self

    def registered(self) -> RegistrationQuerySet:
        """Sent at least once (the "did not register" gate of domain §9 reads this)."""
        return self.filter(status__in=REGISTERED)


class Registration(models.Model):
    """A unit's đăng ký thi đua under one campaign: its tasks and the titles it strives for."""

    campaign = models.ForeignKey(
        Campaign, verbose_name="phong trào", on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(
        Unit, verbose_name="đơn vị", on_delete=models.PROTECT, related_name="registrations"
    )
    status = models.CharField(
        "trạng thái",
        max_length=20,
        choices=RegistrationStatus.choices,
        default=RegistrationStatus.DRAFT,
    )
    is_late = models.BooleanField("đăng ký muộn", default=False)
    first_submitted_at = models.DateTimeField("gửi lần đầu", null=True, blank=True)
    accepted_at = models.DateTimeField("ngày chấp thuận", null=True, blank=True)
    status_reason = models.TextField("lý do", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # A summary of the tasks, refreshed in the same transaction as every write to them
    # (`pledges.services.refresh_task_summary`): the cascade reads one row per registration
    # instead of every task. Derived data, so out of the audit history.
    task_count = models.PositiveIntegerField("số nhiệm vụ", default=0)
    open_due_on = models.DateField("hạn sớm nhất chưa hoàn thành", null=True, blank=True)
    last_reported_on = models.DateField("ngày báo cáo gần nhất", null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["task_count", "open_due_on", "last_reported_on"])
    objects = RegistrationQuerySet.as_manager()

    class Meta:
        verbose_name = "đăng ký thi đua"
        verbose_name_plural = "đăng ký thi đua"
        ordering = ["campaign", "unit__path"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "unit"], name="registration_once"),
            models.CheckConstraint(
                condition=Q(status__in=RegistrationStatus.values), name="registration_status"
            ),
        ]

    def __str__(self) -> str:
        return f"Đăng ký thi đua của {self.unit} – {self.campaign}"


class TaskQuerySet(models.QuerySet):
    def overdue(self, today: datetime.date) -> TaskQuerySet:
        return self.filter(due_on__lt=today).exclude(latest_percent__gte=100)


class RegistrationTask(models.Model):
    """One concrete task with a measurable target (a number with its unit, or a milestone)."""

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="tasks")
    position = models.PositiveSmallIntegerField("số thứ tự", default=1)
    content_item = models.ForeignKey(
        ContentItem, verbose_name="nội dung thi đua", on_delete=models.PROTECT, related_name="+"
    )
    description = models.TextField("nhiệm vụ")
    measure = models.CharField("loại chỉ tiêu", max_length=10, choices=Measure.choices)
    target_value = models.DecimalField(
        "chỉ tiêu", max_digits=14, decimal_places=2, null=True, blank=True
    )
    unit_of_measure = models.CharField("đơn vị tính", max_length=50, blank=True)
    due_on = models.DateField("hạn hoàn thành")
    responsible = models.CharField("người phụ trách", max_length=150)
    # The latest report's figures, kept here so lists and the cascade read one row per task.
    latest_value = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    latest_done = models.BooleanField(null=True, blank=True)
    latest_percent = models.DecimalField(max_digits=5, decimal_places=1, default=Decimal(0))
    last_reported_on = models.DateField(null=True, blank=True)

    history = HistoricalRecords()
    objects = TaskQuerySet.as_manager()

    class Meta:
        verbose_name = "nhiệm vụ đăng ký"
        verbose_name_plural = "nhiệm vụ đăng ký"
        ordering = ["registration", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(measure="number", target_value__gt=0) & ~Q(unit_of_measure="")
                    | Q(measure="milestone", target_value__isnull=True)
                ),
                name="task_target_matches_measure",
            ),
            models.CheckConstraint(
                condition=Q(latest_percent__gte=0, latest_percent__lte=100),
                name="task_percent_range",
            ),
        ]

    def __str__(self) -> str:
        return self.description

    @property
    def target_display(self) -> str:
        if self.measure == Measure.MILESTONE:
            return "Hoàn thành"
        return f"{self.target_value.normalize():f} {self.unit_of_measure}"

    def is_overdue(self, today: datetime.date) -> bool:
        return self.due_on < today and self.latest_percent < 100


class RegisteredTitle(models.Model):
    """A title the unit (collective) or one of its people registers to strive for."""

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="titles")
    title = models.CharField("danh hiệu", max_length=20, choices=Title.choices)
    person = models.ForeignKey(
        Person,
        verbose_name="cá nhân",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="registered_titles",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "danh hiệu đăng ký"
        verbose_name_plural = "danh hiệu đăng ký"
        ordering = ["registration", "title", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "title", "person"],
                condition=Q(person__isnull=False),
                name="registered_title_once_per_person",
            ),
            models.UniqueConstraint(
                fields=["registration", "title"],
                condition=Q(person__isnull=True),
                name="registered_title_once_per_collective",
            ),
        ]

    def __str__(self) -> str:
        who = self.person or self.registration.unit
        return f"{self.get_title_display()} – {who}"


class ProgressReport(models.Model):
    """A periodic report on one task; the percentage is computed from the value, never typed."""

    task = models.ForeignKey(RegistrationTask, on_delete=models.CASCADE, related_name="reports")
    period = models.ForeignKey(
        ReportingPeriod,
        verbose_name="kỳ báo cáo",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reported_on = models.DateField("ngày báo cáo")
    value = models.DecimalField(
        "kết quả đạt được", max_digits=14, decimal_places=2, null=True, blank=True
    )
    done = models.BooleanField("đã hoàn thành", null=True, blank=True)
    percent = models.DecimalField("tỷ lệ hoàn thành (%)", max_digits=5, decimal_places=1)
    narrative = models.TextField("diễn giải")
    links = models.TextField("đường dẫn minh chứng", blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "báo cáo tiến độ"
        verbose_name_plural = "báo cáo tiến độ"
        ordering = ["task", "-reported_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(percent__gte=0, percent__lte=100), name="report_percent_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.task} – {self.reported_on:%d/%m/%Y}"

    def link_list(self) -> list[str]:
        return [line.strip() for line in self.links.splitlines() if line.strip()]


def evidence_path(instance: Evidence, filename: str) -> str:
    return f"minh-chung/{instance.report.task.registration_id}/{filename}"


class Evidence(models.Model):
    """A file attached to a progress report; its type was checked by its content."""

    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField("tệp", upload_to=evidence_path)
    original_name = models.CharField("tên tệp", max_length=255)
    content_type = models.CharField("loại tệp", max_length=100)
    size = models.PositiveIntegerField("dung lượng (byte)")

    history = HistoricalRecords()

    class Meta:
        verbose_name = "minh chứng"
        verbose_name_plural = "minh chứng"
        ordering = ["report", "pk"]

    def __str__(self) -> str:
        return self.original_name


class UnitReviewQuerySet(models.QuerySet):
    def visible_to(self, user) -> UnitReviewQuerySet:
        return self.filter(
            Q(access.unit_scope(user, "unit__path"))
            | Q(access.unit_scope(user, "campaign__issuer__path"))
        )

    def of_campaign(self, user, campaign: Campaign) -> UnitReviewQuerySet:
        """`visible_to(user)` of one campaign's reviews, as `RegistrationQuerySet.of_campaign`."""
        return _of_campaign(self, user, campaign)


class UnitReview(models.Model):
    """A unit's sơ kết or tổng kết of its part in a campaign."""

    campaign = models.ForeignKey(
        Campaign, verbose_name="phong trào", on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(
        Unit, verbose_name="đơn vị", on_delete=models.PROTECT, related_name="campaign_reviews"
    )
    registration = models.ForeignKey(
        Registration, null=True, blank=True, on_delete=models.PROTECT, related_name="reviews"
    )
    kind = models.CharField("loại", max_length=10, choices=ReviewKind.choices)
    status = models.CharField(
        "trạng thái",
        max_length=10,
        choices=UnitReviewStatus.choices,
        default=UnitReviewStatus.DRAFT,
    )
    self_assessment = models.TextField("tự đánh giá kết quả thực hiện", blank=True)
    strengths = models.TextField("ưu điểm", blank=True)
    shortcomings = models.TextField("hạn chế, nguyên nhân", blank=True)
    # The measured progress of each task when the review was opened: {task id: percent}.
    measured = models.JSONField("kết quả đo được", default=dict, blank=True)
    submitted_at = models.DateTimeField("ngày gửi", null=True, blank=True)

    history = HistoricalRecords()
    objects = UnitReviewQuerySet.as_manager()

    class Meta:
        verbose_name = "báo cáo sơ kết, tổng kết của đơn vị"
        verbose_name_plural = "báo cáo sơ kết, tổng kết của đơn vị"
        ordering = ["campaign", "unit__path", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "unit", "kind"], name="unit_review_once_per_kind"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} của {self.unit} – {self.campaign}"


class ExemplarKind(models.TextChoices):
    ADVANCED = "advanced", "Điển hình tiên tiến"
    NEW_MODEL = "new_model", "Mô hình mới"
    GOOD_PRACTICE = "good_practice", "Cách làm hay"


class Exemplar(models.Model):
    """An exemplary collective, person, model or practice found by a unit review."""

    review = models.ForeignKey(UnitReview, on_delete=models.CASCADE, related_name="exemplars")
    kind = models.CharField("loại", max_length=20, choices=ExemplarKind.choices)
    name = models.CharField("tên tập thể, cá nhân hoặc mô hình", max_length=255)
    description = models.TextField("mô tả")
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "điển hình"
        verbose_name_plural = "điển hình"
        ordering = ["review", "pk"]

    def __str__(self) -> str:
        return self.name


class ProposalStatus(models.TextChoices):
    PROPOSED = "proposed", "Đã đề xuất"
    NOMINATED = "nominated", "Đã chuyển thành hồ sơ đề nghị"


class AwardProposalQuerySet(models.QuerySet):
    def pending(self) -> AwardProposalQuerySet:
        """Proposals of submitted reviews not yet turned into nominations (for the awards app)."""
        return self.filter(
            status=ProposalStatus.PROPOSED, review__status=UnitReviewStatus.SUBMITTED
        )


class AwardProposal(models.Model):
    """A review's proposal to award one collective or person, kept structured so the awards app
    turns it into a draft nomination without retyping: it reads `award`, the nominee (`unit` or
    `person`), `achievement` and the review's campaign, then records `nomination_id`."""

    review = models.ForeignKey(UnitReview, on_delete=models.CASCADE, related_name="proposals")
    award = models.CharField("hình thức đề nghị", max_length=30, choices=ProposedAward.choices)
    unit = models.ForeignKey(
        Unit,
        verbose_name="tập thể",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    person = models.ForeignKey(
        Person,
        verbose_name="cá nhân",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    achievement = models.TextField("tóm tắt thành tích")
    status = models.CharField(
        max_length=20, choices=ProposalStatus.choices, default=ProposalStatus.PROPOSED
    )
    nomination_id = models.BigIntegerField("mã hồ sơ đề nghị", null=True, blank=True)

    history = HistoricalRecords()
    objects = AwardProposalQuerySet.as_manager()

    class Meta:
        verbose_name = "đề xuất khen thưởng"
        verbose_name_plural = "đề xuất khen thưởng"
        ordering = ["review", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(unit__isnull=True, person__isnull=False)
                | Q(unit__isnull=False, person__isnull=True),
                name="proposal_one_nominee",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_award_display()} – {self.nominee}"

    @property
    def nominee(self):
        return self.person or self.unit
