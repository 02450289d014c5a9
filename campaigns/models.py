"""Emulation campaigns: what is launched, by whom, for which units, with which deadlines."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Case, Exists, Expression, OuterRef, Q, When
from simple_history.models import HistoricalRecords

from campaigns.workflow import PUBLISHED, CampaignStatus
from portal import access
from portal.models import Bloc, OfficialDocument, Unit
from portal.text import fold


class CampaignKind(models.TextChoices):
    REGULAR = "regular", "Thường xuyên (hằng năm)"
    PERIODIC = "periodic", "Theo đợt"
    THEMATIC = "thematic", "Theo chuyên đề"


class LaunchForm(models.TextChoices):
    PLAN = "plan", "Kế hoạch"
    DIRECTIVE = "directive", "Chỉ thị"


class TargetMode(models.TextChoices):
    SUBTREE = "subtree", "Toàn bộ đơn vị trực thuộc"
    KINDS = "kinds", "Các loại đơn vị được chọn"
    BLOCS = "blocs", "Các cụm, khối thi đua được chọn"
    LIST = "list", "Danh sách đơn vị"


class ReviewKind(models.TextChoices):
    MIDTERM = "midterm", "Sơ kết"
    FINAL = "final", "Tổng kết"


class CampaignQuerySet(models.QuerySet):
    def visible_to(self, user) -> CampaignQuerySet:
        """The issuer's officials see every campaign of their subtree, drafts included; a
        target unit's officials see the campaigns launched for them."""
        if access.sees_everything(user):
            return self
        targeted = CampaignTarget.objects.filter(campaign=OuterRef("pk")).filter(
            access.unit_scope(user, "unit__path")
        )
        return self.filter(
            Q(access.unit_scope(user, "issuer__path")) | Q(Exists(targeted), status__in=PUBLISHED)
        )

    def seen_by(self, user, campaign: Campaign) -> bool:
        """Whether `campaign` (read with its issuer and status) is among `visible_to(user)`:
        decided on the issuer's path without a query, else on this campaign's targets alone.
        A campaign page's lookup through `visible_to` planned the `Exists` over every target
        of the scope to keep one row (#16)."""
        roots = access.view_roots(user)
        if roots is None or any(campaign.issuer.path.startswith(root) for root in roots):
            return True
        if not roots or campaign.status not in PUBLISHED:
            return False
        targets = CampaignTarget.objects.filter(campaign=campaign)
        return targets.filter(access.unit_scope(user, "unit__path")).exists()

    def with_totals(self, user, **totals: Expression) -> CampaignQuerySet:
        """Each campaign with `totals` (counts of its rows, by name) read for a user who sees
        its issuer, and so every row of it (`RegistrationQuerySet.of_campaign`); None for
        others, whose lists count the rows they see."""
        if access.view_roots(user) is None:
            return self.annotate(**totals)
        sees_issuer = access.unit_scope(user, "issuer__path")
        return self.annotate(
            **{
                name: Case(When(sees_issuer, then=total), output_field=models.IntegerField())
                for name, total in totals.items()
            }
        )

    def listed(self) -> CampaignQuerySet:
        """With its issuer, only the columns the campaign list draws: the page read all 31
        columns of the campaign (the plan's texts, JSON decoded on every row) and the issuer's
        20, 1.3 ms of the list's Python at 1× for one row (#16)."""
        return self.select_related("issuer").only(
            "title",
            "theme",
            "kind",
            "starts_on",
            "ends_on",
            "registration_due",
            "status",
            "issuer__name",
        )

    def published(self) -> CampaignQuerySet:
        return self.filter(status__in=PUBLISHED)

    def search(self, query: str) -> CampaignQuerySet:
        folded = fold(query)
        return self.filter(search_text__contains=folded) if folded else self


class Campaign(models.Model):
    """A phong trào thi đua launched by one unit for the units below it.

    The structured sections are the sections of the Kế hoạch (or the paragraphs of the Chỉ thị)
    that launches it; the issued document is a frozen snapshot, so editing them later never
    changes what was signed.
    """

    issuer = models.ForeignKey(
        Unit, verbose_name="đơn vị phát động", on_delete=models.PROTECT, related_name="campaigns"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name="phong trào cấp trên",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="follow_ups",
    )
    title = models.CharField("tên phong trào", max_length=500)
    theme = models.CharField("chủ đề, khẩu hiệu", max_length=500, blank=True)
    kind = models.CharField("loại phong trào", max_length=20, choices=CampaignKind.choices)
    launch_form = models.CharField(
        "hình thức phát động", max_length=20, choices=LaunchForm.choices, default=LaunchForm.PLAN
    )
    starts_on = models.DateField("bắt đầu")
    ends_on = models.DateField("kết thúc")
    summary = models.TextField(
        "trích yếu",
        blank=True,
        help_text="Để trống: “Về việc phát động …” (Chỉ thị) hoặc “Phát động …” (Kế hoạch).",
    )
    preamble = models.TextField("phần mở đầu", blank=True)
    purpose = models.TextField("mục đích, yêu cầu", blank=True)
    solutions = models.TextField("giải pháp", blank=True)
    organisation = models.TextField("tổ chức thực hiện", blank=True)
    rewards = models.TextField("khen thưởng", blank=True)
    closing = models.TextField("phần kết", blank=True)
    referenced_campaigns = models.JSONField(
        "phong trào được phát động, tiếp tục",
        default=list,
        blank=True,
        help_text="Tên các phong trào văn bản phát động hoặc tiếp tục, giữ nguyên như văn bản ghi.",
    )
    award_forms = models.TextField(
        "hình thức khen thưởng dự kiến", blank=True, help_text="Mỗi dòng một hình thức."
    )
    asks_for_titles = models.BooleanField("yêu cầu đăng ký danh hiệu thi đua", default=False)
    registration_due = models.DateField("hạn đăng ký")
    midterm_review_due = models.DateField("hạn sơ kết", null=True, blank=True)
    final_review_due = models.DateField("hạn tổng kết")
    target_mode = models.CharField(
        "đối tượng thi đua", max_length=10, choices=TargetMode.choices, default=TargetMode.SUBTREE
    )
    target_kinds = models.JSONField("loại đơn vị tham gia", default=list, blank=True)
    target_blocs = models.ManyToManyField(
        Bloc, verbose_name="cụm, khối tham gia", blank=True, related_name="+"
    )
    target_list = models.ManyToManyField(
        Unit, verbose_name="đơn vị tham gia", blank=True, related_name="+"
    )
    status = models.CharField(
        "trạng thái", max_length=30, choices=CampaignStatus.choices, default=CampaignStatus.DRAFT
    )
    launched_on = models.DateField("ngày phát động", null=True, blank=True)
    launched_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người phát động",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    status_reason = models.TextField("lý do", blank=True)
    document = models.ForeignKey(
        OfficialDocument,
        verbose_name="văn bản phát động",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    search_text = models.CharField(max_length=1100, editable=False, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()
    objects = CampaignQuerySet.as_manager()

    class Meta:
        verbose_name = "phong trào thi đua"
        verbose_name_plural = "phong trào thi đua"
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="campaign_dates_ordered"
            ),
            models.CheckConstraint(
                condition=Q(status__in=CampaignStatus.values), name="campaign_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(final_review_due__gte=models.F("registration_due")),
                name="campaign_final_review_after_registration",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        self.search_text = fold(f"{self.title} {self.theme}")[:1100]
        super().save(*args, **kwargs)

    @property
    def year(self) -> int:
        return self.starts_on.year

    def is_registration_overdue(self, today: datetime.date) -> bool:
        return today > self.registration_due

    def award_form_lines(self) -> list[str]:
        return [line.strip() for line in self.award_forms.splitlines() if line.strip()]


class ContentItem(models.Model):
    """One content of the campaign, in the author's order, with the author's own label
    ("1.", "a)", "Thứ nhất,", "-" or none); `number` is only its position."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="items")
    number = models.PositiveSmallIntegerField("số thứ tự")
    label = models.CharField("nhãn", max_length=30, blank=True)
    text = models.TextField("nội dung")

    history = HistoricalRecords()

    class Meta:
        verbose_name = "nội dung thi đua"
        verbose_name_plural = "nội dung thi đua"
        ordering = ["campaign", "number"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "number"], name="content_item_number"),
        ]

    def __str__(self) -> str:
        return self.as_written().split("\n")[0]

    def as_written(self) -> str:
        """The item as its author wrote it: the label, then the text (paragraphs by line)."""
        return f"{self.label} {self.text}" if self.label else self.text


class LegalBasis(models.Model):
    """A document the campaign rests on (căn cứ): a line of text as the author cites it, or its
    parts (type word, number and symbol, date, issuer, trích yếu), none of them required alone:
    a Law or a Party resolution is cited without a number or a date."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="bases")
    position = models.PositiveSmallIntegerField("thứ tự", default=0)
    text = models.TextField(
        "trích dẫn nguyên văn",
        blank=True,
        help_text="Để trống: ghép từ loại văn bản, số ký hiệu, ngày, cơ quan và trích yếu.",
    )
    type_word = models.CharField("loại văn bản", max_length=60, blank=True)
    document_number = models.CharField("số, ký hiệu", max_length=100, blank=True)
    issued_on = models.DateField("ngày ban hành", null=True, blank=True)
    issuer_name = models.CharField("cơ quan ban hành", max_length=255, blank=True)
    summary = models.TextField("trích yếu", blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "căn cứ"
        verbose_name_plural = "căn cứ"
        ordering = ["campaign", "position", "pk"]

    def __str__(self) -> str:
        return self.citation()

    def citation(self) -> str:
        """The reference as cited: the author's line, else its parts with the type word,
        e.g. "Quyết định số 1234/QĐ-UBND ngày 05/12/2023 của UBND tỉnh về …"."""
        if self.text:
            return self.text
        number = self.document_number
        if self.type_word and number:
            number = f"{self.type_word} số {number}"
        parts = [number or self.type_word]
        if self.issued_on:
            parts.append(f"ngày {self.issued_on:%d/%m/%Y}")
        if self.issuer_name:
            parts.append(f"của {self.issuer_name}")
        parts.append(self.summary)
        return " ".join(part for part in parts if part)


class CampaignTargetQuerySet(models.QuerySet):
    def under(self, unit: Unit) -> CampaignTargetQuerySet:
        return self.filter(unit__path__startswith=unit.path)


class CampaignTarget(models.Model):
    """A unit expected to act on the campaign, resolved once when it is launched."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="targets")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="campaign_targets")

    history = HistoricalRecords()
    objects = CampaignTargetQuerySet.as_manager()

    class Meta:
        verbose_name = "đơn vị tham gia"
        verbose_name_plural = "đơn vị tham gia"
        ordering = ["campaign", "unit__path"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "unit"], name="campaign_target_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} – {self.campaign}"


class ReportingPeriod(models.Model):
    """A period for progress reports (a quarter by default); "this period" in the cascade."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="periods")
    name = models.CharField("tên kỳ báo cáo", max_length=100)
    starts_on = models.DateField("từ ngày")
    ends_on = models.DateField("đến ngày")

    history = HistoricalRecords()

    class Meta:
        verbose_name = "kỳ báo cáo"
        verbose_name_plural = "kỳ báo cáo"
        ordering = ["campaign", "starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="period_dates_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.starts_on:%d/%m/%Y} – {self.ends_on:%d/%m/%Y})"

    def contains(self, day: datetime.date) -> bool:
        return self.starts_on <= day <= self.ends_on


class Review(models.Model):
    """The issuing level's own sơ kết or tổng kết of the campaign."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="reviews")
    kind = models.CharField("loại", max_length=10, choices=ReviewKind.choices)
    held_on = models.DateField("ngày tổ chức")
    summary = models.TextField("kết quả")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "sơ kết, tổng kết phong trào"
        verbose_name_plural = "sơ kết, tổng kết phong trào"
        ordering = ["campaign", "held_on"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "kind"], name="campaign_review_once"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} – {self.campaign}"


class LaunchNotice(models.Model):
    """Outbox row: one launch notice per campaign and recipient, locked while it is sent so
    that a task run twice, or twice at once, never mails twice."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "thông báo phát động"
        verbose_name_plural = "thông báo phát động"
        constraints = [
            models.UniqueConstraint(fields=["campaign", "user"], name="launch_notice_once"),
        ]

    def __str__(self) -> str:
        return f"{self.campaign} → {self.user}"
