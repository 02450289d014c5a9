"""Nominations (đề nghị khen thưởng), their batches, council sessions and award decisions.

The state of a nomination moves only through `awards.workflow.TRANSITIONS` (services in
`awards.procedure`). Time limits and public comment are rule data attached to a rule set.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from portal.calendar import working_days_between
from portal.models import PROVINCE_KINDS, Job, OfficialDocument, Person, Unit

from ..workflow import EDITABLE, OPEN, Status
from .catalogue import BasisKind, RecipientKind, TitleOrForm
from .history import AwardRecord, Initiative
from .rules import Decider, Rule, RuleSet


def _scope(user, *fields: str) -> Q:
    from portal import access

    if access.sees_everything(user):
        return Q()
    condition = Q(pk__in=[])
    for field in fields:
        condition |= access.unit_scope(user, f"{field}__path")
    return condition


class StepLimit(models.Model):
    """How many working days a step may take (QĐ 311/QĐ-BNV, NĐ 98 Art. 32, provincial TTHC)."""

    rule_set = models.ForeignKey(
        RuleSet, verbose_name="bộ quy tắc", on_delete=models.CASCADE, related_name="+"
    )
    step = models.CharField("bước", max_length=20, choices=Status.choices)
    ad_hoc = models.BooleanField("khen thưởng đột xuất (thủ tục đơn giản)", default=False)
    working_days = models.PositiveSmallIntegerField("số ngày làm việc")
    article = models.CharField("căn cứ", max_length=255)
    is_unverified = models.BooleanField("chưa xác minh với văn bản gốc", default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "thời hạn giải quyết"
        verbose_name_plural = "thời hạn giải quyết"
        constraints = [
            models.UniqueConstraint(
                fields=["rule_set", "step", "ad_hoc"], name="awards_step_limit_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_step_display()}: {self.working_days} ngày làm việc"


class PublicCommentRule(Rule):
    """Items that must be put to public comment before the check ends, and for how long."""

    working_days = models.PositiveSmallIntegerField("số ngày làm việc lấy ý kiến", default=10)

    history = HistoricalRecords()

    class Meta(Rule.Meta):
        verbose_name = "lấy ý kiến công khai"
        verbose_name_plural = "lấy ý kiến công khai"


class Batch(models.Model):
    """One submission (đợt trình) of a unit to the Nội vụ of a level, with its Tờ trình."""

    sender = models.ForeignKey(
        Unit, verbose_name="đơn vị trình", on_delete=models.PROTECT, related_name="+"
    )
    # Empty when the Tờ trình goes to the central level, which is not in the tree.
    addressed_to = models.ForeignKey(
        Unit,
        verbose_name="trình tới",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    submission = models.ForeignKey(
        OfficialDocument,
        verbose_name="tờ trình",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    is_forward = models.BooleanField("trình cấp trên", default=False)
    is_central = models.BooleanField("trình Trung ương", default=False)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField("thời điểm trình", auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "đợt trình"
        verbose_name_plural = "đợt trình"
        ordering = ["-submitted_at"]

    def __str__(self) -> str:
        target = self.addressed_to or "Trung ương"
        return f"{self.sender} → {target} ({self.submitted_at:%d/%m/%Y})"


class DecisionKind(models.TextChoices):
    AWARD = "award", "Khen thưởng"
    REVOCATION = "revocation", "Hủy bỏ khen thưởng"


class DecisionStatus(models.TextChoices):
    DRAFT = "draft", "Dự thảo"
    ISSUED = "issued", "Đã ký ban hành"
    PUBLISHED = "published", "Đã công bố"


class AwardDecisionQuerySet(models.QuerySet):
    def visible_to(self, user) -> AwardDecisionQuerySet:
        return self.filter(_scope(user, "unit"))

    def published(self) -> AwardDecisionQuerySet:
        return self.filter(status=DecisionStatus.PUBLISHED)


class AwardDecision(models.Model):
    """A Quyết định of the conferring level: awards (with the annexed list) or a revocation."""

    unit = models.ForeignKey(
        Unit, verbose_name="cấp quyết định", on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(
        "loại", max_length=20, choices=DecisionKind.choices, default=DecisionKind.AWARD
    )
    status = models.CharField(
        "trạng thái", max_length=20, choices=DecisionStatus.choices, default=DecisionStatus.DRAFT
    )
    document = models.ForeignKey(
        OfficialDocument, verbose_name="văn bản", on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField("lý do", blank=True)
    published_at = models.DateTimeField("thời điểm công bố", null=True, blank=True)
    # The latest bulk print of its certificates: the job holds the progress and the PDF.
    certificates_job = models.ForeignKey(
        Job,
        verbose_name="lần in bằng, giấy khen gần nhất",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()
    objects = AwardDecisionQuerySet.as_manager()

    class Meta:
        verbose_name = "quyết định khen thưởng"
        verbose_name_plural = "quyết định khen thưởng"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return str(self.document)


# The sender's list order: what the sender must act on (0), what is under way (1), what is
# finished (2). The statuses are sorted so that the SQL is the same text in every process and
# the index `nomination_stage` matches the query's ORDER BY.
STAGE = models.Case(
    models.When(status__in=sorted(EDITABLE), then=models.Value(0)),
    models.When(status__in=sorted(OPEN), then=models.Value(1)),
    default=models.Value(2),
)


class NominationQuerySet(models.QuerySet):
    def visible_to(self, user) -> NominationQuerySet:
        """The sender's unit tree and the Nội vụ of the level holding or deciding the dossier."""
        return self.filter(_scope(user, "proposing_unit", "handling_unit"))

    def open(self) -> NominationQuerySet:
        return self.filter(status__in=OPEN)

    def overdue(self, today: datetime.date) -> NominationQuerySet:
        return self.filter(due_on__lt=today, status__in=OPEN)

    def under_public_comment(self, day: datetime.date) -> NominationQuerySet:
        """Windows open on `day`, held by the level that publishes (`Nomination.comments_here`)."""
        return self.filter(
            Q(handling_unit=models.F("conferring_unit"))
            | Q(
                conferring_unit__isnull=True,
                handling_unit__kind__in=PROVINCE_KINDS,
            )
            & ~Q(conferring_level=""),
            status=Status.PUBLIC_COMMENT,
            comment_opens_on__lte=day,
            comment_closes_on__gte=day,
        )


class Nomination(TitleOrForm):
    """A dossier proposing a person, a collective or a household for one title or form."""

    recipient_kind = models.CharField("đối tượng", max_length=20, choices=RecipientKind.choices)
    person = models.ForeignKey(
        Person,
        verbose_name="cá nhân",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="nominations",
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name="tập thể / địa bàn của hộ",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="nominations",
    )
    household_name = models.CharField("tên hộ gia đình", max_length=255, blank=True)
    year = models.PositiveSmallIntegerField("năm thành tích")
    basis_kind = models.CharField("loại khen thưởng", max_length=20, choices=BasisKind.choices)
    basis_reference = models.CharField("đợt, chuyên đề, sự kiện", max_length=255, blank=True)
    # The campaigns app is merged separately; this holds its campaign's id (or a plan number)
    # until a foreign key replaces it.
    campaign = models.ForeignKey(
        "campaigns.Campaign",
        verbose_name="phong trào thi đua",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="nominations",
    )
    proposing_unit = models.ForeignKey(
        Unit, verbose_name="đơn vị đề nghị", on_delete=models.PROTECT, related_name="+"
    )
    handling_unit = models.ForeignKey(
        Unit,
        verbose_name="cấp đang xử lý",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    conferring_unit = models.ForeignKey(
        Unit,
        verbose_name="cấp quyết định",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The central decider (Thủ tướng, Chủ tịch nước) when the item is conferred outside the tree.
    conferring_level = models.CharField(
        "thẩm quyền ngoài cổng", max_length=20, choices=Decider.choices, blank=True
    )
    status = models.CharField(
        "trạng thái", max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    batch = models.ForeignKey(
        Batch,
        verbose_name="đợt trình",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="nominations",
    )
    # The achievement report (báo cáo thành tích) in the decree's structure.
    report_position = models.CharField("chức vụ, đơn vị công tác", max_length=255, blank=True)
    report_duties = models.TextField("chức năng, nhiệm vụ được giao", blank=True)
    report_achievements = models.TextField("thành tích đạt được")
    report_initiatives = models.TextField("sáng kiến, giải pháp, đề tài", blank=True)
    report_past_awards = models.TextField("danh hiệu, hình thức đã được khen", blank=True)
    signed_report = models.FileField(
        "báo cáo thành tích đã ký (PDF)", upload_to="awards/reports/%Y/", blank=True
    )
    # The proposing unit's own council (Hội đồng TĐKT cơ sở) and its vote.
    unit_council_on = models.DateField("ngày họp Hội đồng TĐKT đơn vị", null=True, blank=True)
    unit_council_members = models.PositiveSmallIntegerField(
        "số thành viên Hội đồng", null=True, blank=True
    )
    unit_council_yes = models.PositiveSmallIntegerField("số phiếu đồng ý", null=True, blank=True)
    initiatives = models.ManyToManyField(
        Initiative, verbose_name="sáng kiến làm căn cứ", blank=True, related_name="+"
    )
    justifications = models.JSONField("giải trình", default=dict, blank=True)
    findings = models.JSONField("kết quả kiểm tra điều kiện", default=list, blank=True)
    reviewer_opinion = models.TextField("ý kiến thẩm định", blank=True)
    comment_opens_on = models.DateField("lấy ý kiến từ ngày", null=True, blank=True)
    comment_closes_on = models.DateField("lấy ý kiến đến ngày", null=True, blank=True)
    step_started_on = models.DateField("bắt đầu bước hiện tại", null=True, blank=True)
    due_on = models.DateField("hạn giải quyết bước hiện tại", null=True, blank=True)
    limit_article = models.CharField("căn cứ thời hạn", max_length=255, blank=True)
    last_reason = models.TextField("lý do gần nhất", blank=True)
    submitted_on = models.DateField("ngày trình lần đầu", null=True, blank=True)
    decided_on = models.DateField("ngày quyết định", null=True, blank=True)
    council_summary = models.TextField("kết quả biểu quyết", blank=True)
    decision = models.ForeignKey(
        AwardDecision,
        verbose_name="quyết định",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="nominations",
    )
    revocation = models.ForeignKey(
        AwardDecision,
        verbose_name="quyết định hủy bỏ",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="revoked_nominations",
    )
    central_decision = models.ForeignKey(
        "awards.CentralDecision",
        verbose_name="văn bản của Trung ương",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="nominations",
    )
    award_record = models.OneToOneField(
        AwardRecord, null=True, blank=True, on_delete=models.PROTECT, related_name="nomination"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()
    objects = NominationQuerySet.as_manager()

    class Meta:
        verbose_name = "đề nghị khen thưởng"
        verbose_name_plural = "đề nghị khen thưởng"
        ordering = ["-created_at", "-pk"]
        constraints = [
            *TitleOrForm.Meta.constraints,
            models.CheckConstraint(
                condition=(
                    Q(recipient_kind=RecipientKind.INDIVIDUAL)
                    & Q(person__isnull=False)
                    & Q(unit__isnull=True)
                    & Q(household_name="")
                )
                | (
                    Q(recipient_kind=RecipientKind.COLLECTIVE)
                    & Q(person__isnull=True)
                    & Q(unit__isnull=False)
                    & Q(household_name="")
                )
                | (
                    Q(recipient_kind=RecipientKind.HOUSEHOLD)
                    & Q(person__isnull=True)
                    & Q(unit__isnull=False)
                    & ~Q(household_name="")
                ),
                name="awards_nomination_recipient_matches_kind",
            ),
            models.CheckConstraint(
                condition=Q(status__in=Status.values), name="awards_nomination_status_valid"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "handling_unit"]),
            # The Nội vụ queue reads open dossiers by due date in index order and stops at a
            # page, whatever the number of dossiers behind it.
            models.Index(
                fields=["due_on", "id"],
                condition=Q(status__in=sorted(OPEN)),
                name="nomination_open_by_due",
            ),
            # The sender's list, by the same expression as its ORDER BY.
            models.Index(
                STAGE, models.F("created_at").desc(), models.F("id").desc(), name="nomination_stage"
            ),
            # The statistics' time to decision reads the decided dossiers only (#16).
            models.Index(
                fields=["decided_on"],
                condition=Q(decided_on__isnull=False, submitted_on__isnull=False),
                name="nomination_decided",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.recipient_name} – {self.item}"

    @property
    def recipient_name(self) -> str:
        if self.person_id:
            return self.person.full_name
        if self.household_name:
            return f"Hộ {self.household_name}"
        return self.unit.name

    @property
    def subject(self) -> Person | Unit:
        return self.person if self.person_id else self.unit

    @property
    def is_central(self) -> bool:
        """Conferred outside the tree: the province sends it to the central level."""
        return self.conferring_unit_id is None and bool(self.conferring_level)

    @property
    def comments_here(self) -> bool:
        """Public comment is held where the dossier is decided, or for a central item by the
        province before it sends it out (domain.md §6.5); the levels in between check and
        forward without a window, and the proposing unit's publicity inside the unit is its
        own internal matter."""
        if self.handling_unit_id is None:
            return False
        if self.is_central:
            return self.handling_unit.kind in PROVINCE_KINDS
        return self.conferring_unit_id == self.handling_unit_id

    def days_waited(self, today: datetime.date) -> int | None:
        """Calendar days in the current step (shown where no legal limit runs)."""
        if self.step_started_on is None:
            return None
        return (today - self.step_started_on).days

    @property
    def is_ad_hoc(self) -> bool:
        return self.basis_kind == BasisKind.AD_HOC

    def days_left(self, today: datetime.date) -> int | None:
        if self.due_on is None or self.status not in OPEN:
            return None
        return working_days_between(today, self.due_on)

    def is_overdue(self, today: datetime.date) -> bool:
        left = self.days_left(today)
        return left is not None and left < 0

    def comment_window_open(self, today: datetime.date) -> bool:
        return (
            self.comment_opens_on is not None
            and self.comment_opens_on <= today <= self.comment_closes_on
        )


class Evidence(models.Model):
    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="evidence")
    description = models.CharField("mô tả", max_length=255)
    file = models.FileField("tệp", upload_to="awards/evidence/%Y/", blank=True)
    link = models.URLField("đường dẫn (tiến độ phong trào, bảng điểm giao ước)", blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "minh chứng"
        verbose_name_plural = "minh chứng"

    def __str__(self) -> str:
        return self.description


class NominationEvent(models.Model):
    """One step of the dossier's timeline: who did what, when, and why."""

    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="events")
    action = models.CharField("thao tác", max_length=30)
    from_status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=Status.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(Unit, null=True, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField("lý do, ý kiến", blank=True)
    document = models.ForeignKey(
        OfficialDocument, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = "diễn biến hồ sơ"
        verbose_name_plural = "diễn biến hồ sơ"

    def __str__(self) -> str:
        return f"{self.get_to_status_display()} ({self.at:%d/%m/%Y})"


class PublicComment(models.Model):
    nomination = models.ForeignKey(
        Nomination, on_delete=models.CASCADE, related_name="public_comments"
    )
    author_name = models.CharField("họ tên người góp ý", max_length=150)
    contact = models.CharField("địa chỉ liên hệ", max_length=255, blank=True)
    text = models.TextField("nội dung góp ý")
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["created_at"]
        verbose_name = "ý kiến công khai"
        verbose_name_plural = "ý kiến công khai"

    def __str__(self) -> str:
        return f"{self.author_name}: {self.text[:40]}"


class SessionStatus(models.TextChoices):
    OPEN = "open", "Đang họp"
    CLOSED = "closed", "Đã kết thúc"


class CouncilSessionQuerySet(models.QuerySet):
    def visible_to(self, user) -> CouncilSessionQuerySet:
        return self.filter(_scope(user, "unit"))


class CouncilSession(models.Model):
    """A meeting of the conferring level's Hội đồng Thi đua – Khen thưởng."""

    unit = models.ForeignKey(Unit, verbose_name="cấp", on_delete=models.PROTECT, related_name="+")
    title = models.CharField("tên phiên họp", max_length=255)
    held_on = models.DateField("ngày họp")
    # Time and place of the meeting as the Biên bản records them (NĐ 30, Mẫu 1.9).
    place = models.CharField("địa điểm", max_length=255, blank=True)
    starts_at = models.TimeField("bắt đầu lúc", null=True, blank=True)
    ends_at = models.TimeField("kết thúc lúc", null=True, blank=True)
    quorum_percent = models.PositiveSmallIntegerField(
        "tỉ lệ thành viên có mặt tối thiểu (%)",
        default=67,
        help_text="Theo quy chế của Hội đồng (ví dụ 2/3 hoặc 80 % số thành viên).",
    )
    status = models.CharField(
        max_length=20, choices=SessionStatus.choices, default=SessionStatus.OPEN
    )
    minutes = models.ForeignKey(
        OfficialDocument,
        verbose_name="biên bản",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords()
    objects = CouncilSessionQuerySet.as_manager()

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = "phiên họp Hội đồng TĐKT"
        verbose_name_plural = "phiên họp Hội đồng TĐKT"

    def __str__(self) -> str:
        return f"{self.title} ({self.held_on:%d/%m/%Y})"


class CouncilSeat(models.Model):
    session = models.ForeignKey(CouncilSession, on_delete=models.CASCADE, related_name="seats")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    role = models.CharField("chức danh trong Hội đồng", max_length=100, default="Ủy viên")
    present = models.BooleanField("có mặt", default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "thành viên dự họp Hội đồng"
        verbose_name_plural = "thành viên dự họp Hội đồng"
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["session", "user"], name="awards_seat_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.role})"


class AgendaItem(models.Model):
    session = models.ForeignKey(CouncilSession, on_delete=models.CASCADE, related_name="items")
    nomination = models.ForeignKey(
        Nomination, on_delete=models.PROTECT, related_name="agenda_items"
    )
    position = models.PositiveSmallIntegerField(default=0)
    yes = models.PositiveSmallIntegerField(default=0)
    no = models.PositiveSmallIntegerField(default=0)
    members = models.PositiveSmallIntegerField(default=0)
    passed = models.BooleanField(null=True)
    summary = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "hồ sơ trong chương trình họp"
        verbose_name_plural = "hồ sơ trong chương trình họp"
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "nomination"], name="awards_agenda_item_unique"
            ),
        ]

    def __str__(self) -> str:
        return str(self.nomination)


class Choice(models.TextChoices):
    YES = "yes", "Đồng ý"
    NO = "no", "Không đồng ý"
    RECUSED = "recused", "Không tham gia (xung đột lợi ích)"


class Ballot(models.Model):
    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="ballots")
    seat = models.ForeignKey(CouncilSeat, on_delete=models.CASCADE, related_name="ballots")
    choice = models.CharField(max_length=10, choices=Choice.choices)
    in_writing = models.BooleanField("bằng văn bản (vắng mặt)", default=False)
    note = models.TextField("ghi chú / lý do không tham gia", blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "phiếu biểu quyết"
        verbose_name_plural = "phiếu biểu quyết"
        constraints = [
            models.UniqueConstraint(fields=["item", "seat"], name="awards_ballot_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.seat}: {self.get_choice_display()}"
