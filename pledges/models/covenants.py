"""Giao ước thi đua of a bloc: the pledge, its signatures and versions, the scoring table,
the members' score sheets with every change to a score, the ranking and the proposals."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from campaigns.models import Campaign, ContentItem
from pledges.choices import ProposedAward
from pledges.workflow import (
    PledgeStatus,
    ScoreSheetStatus,
    ScoreStage,
    ScoreTableStatus,
)
from portal.models import Bloc, OfficialDocument, Unit

ZERO = Decimal(0)
# A tie-breaker without a criterion: the honour vote decides.
VOTE = "Kết quả bỏ phiếu suy tôn"


class PledgeQuerySet(models.QuerySet):
    def visible_to(self, user) -> PledgeQuerySet:
        """Wherever the bloc is visible: its organiser's officials and every member unit's."""
        return self.filter(bloc__in=Bloc.objects.visible_to(user).values("pk"))


class Pledge(models.Model):
    """A bloc's giao ước thi đua for one year. Amended content is a new version (PledgeVersion
    keeps each earlier one), never a silent edit."""

    bloc = models.ForeignKey(
        Bloc, verbose_name="cụm, khối thi đua", on_delete=models.PROTECT, related_name="pledges"
    )
    year = models.PositiveSmallIntegerField("năm")
    campaign = models.ForeignKey(
        Campaign,
        verbose_name="phong trào",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    head = models.ForeignKey(
        Unit, verbose_name="trưởng cụm/khối", on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        "trạng thái", max_length=10, choices=PledgeStatus.choices, default=PledgeStatus.DRAFT
    )
    version = models.PositiveSmallIntegerField("phiên bản", default=1)
    preamble = models.TextField("lời mở đầu, căn cứ")
    ceremony_on = models.DateField("ngày ký kết", null=True, blank=True)
    ceremony_place = models.CharField("địa điểm ký kết", max_length=255, blank=True)
    witnesses = models.TextField("đại biểu chứng kiến", blank=True)
    scan = models.FileField("bản giấy đã ký (bản quét)", upload_to="giao-uoc/", blank=True)
    scan_uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    document = models.ForeignKey(
        OfficialDocument,
        verbose_name="văn bản giao ước",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    drafted_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()
    objects = PledgeQuerySet.as_manager()

    class Meta:
        verbose_name = "giao ước thi đua"
        verbose_name_plural = "giao ước thi đua"
        ordering = ["bloc", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["bloc", "year"], name="pledge_once_a_year"),
            models.CheckConstraint(
                condition=Q(status__in=PledgeStatus.values), name="pledge_status"
            ),
        ]

    def __str__(self) -> str:
        return f"Giao ước thi đua năm {self.year} – {self.bloc}"


class PledgeMember(models.Model):
    """The bloc's members when the pledge was drafted: the parties who must sign."""

    pledge = models.ForeignKey(Pledge, on_delete=models.CASCADE, related_name="members")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "đơn vị tham gia giao ước"
        verbose_name_plural = "đơn vị tham gia giao ước"
        ordering = ["pledge", "position", "unit__name"]
        constraints = [
            models.UniqueConstraint(fields=["pledge", "unit"], name="pledge_member_once"),
        ]

    def __str__(self) -> str:
        return str(self.unit)


class Commitment(models.Model):
    """One shared target (a number with its unit) or a clear undertaking of the pledge."""

    pledge = models.ForeignKey(Pledge, on_delete=models.CASCADE, related_name="commitments")
    position = models.PositiveSmallIntegerField("số thứ tự", default=1)
    group = models.CharField("nhóm", max_length=255, blank=True)
    text = models.TextField("nội dung cam kết")
    target_value = models.DecimalField(
        "chỉ tiêu", max_digits=14, decimal_places=2, null=True, blank=True
    )
    unit_of_measure = models.CharField("đơn vị tính", max_length=50, blank=True)
    content_item = models.ForeignKey(
        ContentItem,
        verbose_name="nội dung thi đua của phong trào",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Withdrawn by an amendment: kept, because tasks and earlier versions point at it.
    withdrawn = models.BooleanField("đã rút khỏi giao ước", default=False)
    tasks = models.ManyToManyField(
        "pledges.RegistrationTask", through="CommitmentTask", related_name="commitments"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "cam kết"
        verbose_name_plural = "cam kết"
        ordering = ["pledge", "position", "pk"]

    def __str__(self) -> str:
        return self.text

    @property
    def target_display(self) -> str:
        if self.target_value is None:
            return ""
        return f"{self.target_value.normalize():f} {self.unit_of_measure}".strip()


class CommitmentTask(models.Model):
    """A member's registered task counted towards a commitment: reported once, counted twice."""

    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="links")
    task = models.ForeignKey(
        "pledges.RegistrationTask", on_delete=models.CASCADE, related_name="commitment_links"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "nhiệm vụ gắn với cam kết"
        verbose_name_plural = "nhiệm vụ gắn với cam kết"
        constraints = [
            models.UniqueConstraint(fields=["commitment", "task"], name="commitment_task_once"),
        ]

    def __str__(self) -> str:
        return f"{self.task} → {self.commitment}"


class PledgeVersion(models.Model):
    """The content of the pledge before an amendment, with who changed it and why."""

    pledge = models.ForeignKey(Pledge, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField("phiên bản")
    content = models.JSONField("nội dung")
    reason = models.TextField("lý do điều chỉnh")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "phiên bản giao ước"
        verbose_name_plural = "phiên bản giao ước"
        ordering = ["pledge", "number"]
        constraints = [
            models.UniqueConstraint(fields=["pledge", "number"], name="pledge_version_once"),
        ]

    def __str__(self) -> str:
        return f"{self.pledge} – phiên bản {self.number}"


class PledgeSignature(models.Model):
    """A member unit's leader signed the pledge in the portal — or, when the leader signed the
    paper, a system administrator recorded that signature with its scan (`paper_scan`)."""

    pledge = models.ForeignKey(Pledge, on_delete=models.CASCADE, related_name="signatures")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    signed_at = models.DateTimeField("thời điểm ký")
    paper_scan = models.FileField(
        "bản quét chữ ký trên giấy", upload_to="pledges/signatures/%Y/", blank=True
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "chữ ký giao ước"
        verbose_name_plural = "chữ ký giao ước"
        ordering = ["pledge", "signed_at"]
        constraints = [
            models.UniqueConstraint(fields=["pledge", "unit"], name="pledge_signed_once"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} – {self.signed_at:%d/%m/%Y %H:%M}"

    @property
    def from_paper(self) -> bool:
        return bool(self.paper_scan)


class Formula(models.TextChoices):
    RATIO = "ratio", "Tỷ lệ hoàn thành × điểm chuẩn"
    PER_ITEM = "per_item", "Điểm mỗi đơn vị, tối đa điểm chuẩn"
    MANUAL = "manual", "Chấm theo đánh giá"


class CriterionKind(models.TextChoices):
    CRITERION = "criterion", "Tiêu chí"
    BONUS = "bonus", "Điểm cộng"
    PENALTY = "penalty", "Điểm trừ"


class ScoreTableQuerySet(models.QuerySet):
    def visible_to(self, user) -> ScoreTableQuerySet:
        return self.filter(pledge__in=Pledge.objects.visible_to(user).values("pk"))


class ScoreTable(models.Model):
    """The bảng chấm điểm of the bloc's year (domain §8.4), published before scoring starts
    and locked when the results are published."""

    pledge = models.OneToOneField(Pledge, on_delete=models.PROTECT, related_name="score_table")
    status = models.CharField(
        "trạng thái",
        max_length=10,
        choices=ScoreTableStatus.choices,
        default=ScoreTableStatus.DRAFT,
    )
    # The round whose sheets are being scored; a correction after publishing opens the next.
    current_round = models.PositiveSmallIntegerField("lần chấm", default=1)
    published_at = models.DateTimeField("ngày công bố bảng điểm", null=True, blank=True)
    report = models.ForeignKey(
        OfficialDocument,
        verbose_name="báo cáo kết quả chấm điểm",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    history = HistoricalRecords()
    objects = ScoreTableQuerySet.as_manager()

    class Meta:
        verbose_name = "bảng chấm điểm"
        verbose_name_plural = "bảng chấm điểm"

    def __str__(self) -> str:
        return f"Bảng chấm điểm – {self.pledge}"


class CriterionQuerySet(models.QuerySet):
    def visible_to(self, user) -> CriterionQuerySet:
        return self.filter(table__in=ScoreTable.objects.visible_to(user).values("pk"))


class Criterion(models.Model):
    table = models.ForeignKey(ScoreTable, on_delete=models.CASCADE, related_name="criteria")
    position = models.PositiveSmallIntegerField("số thứ tự", default=1)
    group = models.CharField("nhóm tiêu chí", max_length=255)
    text = models.TextField("tiêu chí")
    kind = models.CharField(
        "loại", max_length=10, choices=CriterionKind.choices, default=CriterionKind.CRITERION
    )
    max_points = models.DecimalField("điểm chuẩn", max_digits=7, decimal_places=2)
    formula = models.CharField("cách tính", max_length=10, choices=Formula.choices)
    points_per_item = models.DecimalField(
        "điểm mỗi đơn vị", max_digits=7, decimal_places=2, null=True, blank=True
    )
    evidence_required = models.TextField("minh chứng bắt buộc", blank=True)
    commitment = models.ForeignKey(
        Commitment,
        verbose_name="cam kết tương ứng",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="criteria",
    )

    history = HistoricalRecords()
    objects = CriterionQuerySet.as_manager()

    class Meta:
        verbose_name = "tiêu chí chấm điểm"
        verbose_name_plural = "tiêu chí chấm điểm"
        ordering = ["table", "position", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(max_points__gt=0), name="criterion_max_positive"),
            models.CheckConstraint(
                condition=~Q(formula="per_item") | Q(points_per_item__gt=0),
                name="criterion_per_item_has_points",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.text}"


class TieBreaker(models.Model):
    """One step of the ordered tie-break: a criterion's score (higher wins), or the vote."""

    table = models.ForeignKey(ScoreTable, on_delete=models.CASCADE, related_name="tie_breakers")
    position = models.PositiveSmallIntegerField("thứ tự")
    criterion = models.ForeignKey(
        Criterion, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "tiêu chí phụ khi bằng điểm"
        verbose_name_plural = "tiêu chí phụ khi bằng điểm"
        ordering = ["table", "position"]
        constraints = [
            models.UniqueConstraint(fields=["table", "position"], name="tie_breaker_order"),
        ]

    def __str__(self) -> str:
        return str(self.criterion) if self.criterion else VOTE


class ScoreSheetQuerySet(models.QuerySet):
    def visible_to(self, user) -> ScoreSheetQuerySet:
        """Every member of the bloc sees every member's sheet: the scoring is transparent."""
        return self.filter(table__in=ScoreTable.objects.visible_to(user).values("pk"))


class ScoreSheet(models.Model):
    """A member's scores in one round; round 2+ are recorded corrections of a published one."""

    table = models.ForeignKey(ScoreTable, on_delete=models.PROTECT, related_name="sheets")
    unit = models.ForeignKey(
        Unit, verbose_name="đơn vị", on_delete=models.PROTECT, related_name="+"
    )
    round = models.PositiveSmallIntegerField("lần chấm", default=1)
    status = models.CharField(
        "trạng thái",
        max_length=20,
        choices=ScoreSheetStatus.choices,
        default=ScoreSheetStatus.DRAFT,
    )
    total = models.DecimalField("tổng điểm", max_digits=8, decimal_places=2, default=ZERO)
    correction_reason = models.TextField("lý do chấm lại", blank=True)

    history = HistoricalRecords()
    objects = ScoreSheetQuerySet.as_manager()

    class Meta:
        verbose_name = "phiếu chấm điểm"
        verbose_name_plural = "phiếu chấm điểm"
        ordering = ["table", "round", "unit__name"]
        constraints = [
            models.UniqueConstraint(fields=["table", "unit", "round"], name="score_sheet_once"),
        ]

    def __str__(self) -> str:
        return f"Phiếu chấm điểm {self.unit} – lần {self.round}"


class Score(models.Model):
    """One criterion of one sheet: the member's figure and points, then the head's and the
    reviewer's. The points that count are the last stage's. `version` guards concurrent edits."""

    sheet = models.ForeignKey(ScoreSheet, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="scores")
    value = models.DecimalField(
        "kết quả (tỷ lệ %, số lượng hoặc điểm)",
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
    )
    evidence = models.TextField("minh chứng", blank=True)
    self_points = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    head_points = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    reviewer_points = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    version = models.PositiveIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "điểm tiêu chí"
        verbose_name_plural = "điểm tiêu chí"
        ordering = ["sheet", "criterion__position", "criterion_id"]
        constraints = [
            models.UniqueConstraint(fields=["sheet", "criterion"], name="score_once_per_sheet"),
        ]

    def __str__(self) -> str:
        return f"{self.sheet.unit} – {self.criterion}"

    @property
    def points(self) -> Decimal:
        for candidate in (self.reviewer_points, self.head_points, self.self_points):
            if candidate is not None:
                return candidate
        return ZERO


class ScoreChange(models.Model):
    """Every change of a score, with its reason: what the member reads to know why."""

    score = models.ForeignKey(Score, on_delete=models.CASCADE, related_name="changes")
    stage = models.CharField("bước", max_length=10, choices=ScoreStage.choices)
    old_points = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    new_points = models.DecimalField(max_digits=7, decimal_places=2)
    reason = models.TextField("lý do", blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "thay đổi điểm"
        verbose_name_plural = "thay đổi điểm"
        ordering = ["score", "changed_at", "pk"]

    def __str__(self) -> str:
        return f"{self.score}: {self.old_points} → {self.new_points}"


class RankingEntry(models.Model):
    """A member's place in a published round: frozen when published, never edited."""

    table = models.ForeignKey(ScoreTable, on_delete=models.PROTECT, related_name="ranking")
    round = models.PositiveSmallIntegerField("lần chấm")
    sheet = models.OneToOneField(ScoreSheet, on_delete=models.PROTECT, related_name="entry")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    total = models.DecimalField("tổng điểm", max_digits=8, decimal_places=2)
    rank = models.PositiveSmallIntegerField("xếp hạng")
    votes = models.PositiveSmallIntegerField("số phiếu suy tôn", default=0)
    tie_note = models.CharField("phân định khi bằng điểm", max_length=255, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "xếp hạng"
        verbose_name_plural = "xếp hạng"
        ordering = ["table", "round", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["table", "round", "unit"], name="ranking_once"),
        ]

    def __str__(self) -> str:
        return f"{self.rank}. {self.unit} – {self.total}"


class HonourVote(models.Model):
    """The members' secret ballot to honour (suy tôn) the leading unit: counts only."""

    table = models.ForeignKey(ScoreTable, on_delete=models.PROTECT, related_name="votes")
    round = models.PositiveSmallIntegerField("lần chấm")
    ballots_issued = models.PositiveSmallIntegerField("số phiếu phát ra")
    ballots_valid = models.PositiveSmallIntegerField("số phiếu hợp lệ")
    counts = models.JSONField("số phiếu của từng đơn vị")  # {unit id: votes}
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "kết quả bỏ phiếu suy tôn"
        verbose_name_plural = "kết quả bỏ phiếu suy tôn"
        constraints = [
            models.UniqueConstraint(fields=["table", "round"], name="honour_vote_once"),
            models.CheckConstraint(
                condition=Q(ballots_valid__lte=models.F("ballots_issued")),
                name="honour_vote_valid_le_issued",
            ),
        ]

    def __str__(self) -> str:
        return f"Bỏ phiếu suy tôn – {self.table}"


class BlocProposalStatus(models.TextChoices):
    PROPOSED = "proposed", "Đã đề xuất"
    NOMINATED = "nominated", "Đã chuyển thành hồ sơ đề nghị"


class BlocAwardProposal(models.Model):
    """A bloc's proposal to award a leading member, for the awards workflow to turn into a
    draft nomination: it reads `award` (a ProposedAward code), `unit`, `achievement`, the
    pledge's campaign and year, and the score sheet (`entry.sheet`) as evidence; then it sets
    `nomination_id` and `status`."""

    entry = models.ForeignKey(RankingEntry, on_delete=models.PROTECT, related_name="proposals")
    unit = models.ForeignKey(
        Unit, verbose_name="tập thể", on_delete=models.PROTECT, related_name="+"
    )
    award = models.CharField("hình thức đề nghị", max_length=30)
    achievement = models.TextField("tóm tắt thành tích")
    status = models.CharField(
        max_length=20, choices=BlocProposalStatus.choices, default=BlocProposalStatus.PROPOSED
    )
    nomination_id = models.BigIntegerField("mã hồ sơ đề nghị", null=True, blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "đề xuất khen thưởng của cụm, khối"
        verbose_name_plural = "đề xuất khen thưởng của cụm, khối"
        constraints = [
            models.UniqueConstraint(fields=["entry", "award"], name="bloc_proposal_once"),
        ]

    def __str__(self) -> str:
        return f"{self.award_label} – {self.unit}"

    @property
    def award_label(self) -> str:
        return ProposedAward(self.award).label if self.award in ProposedAward.values else self.award
