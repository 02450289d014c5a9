"""The Nội vụ reviewer's appraisal (thẩm định) beyond the one opinion: a verdict per criterion
of the nominated item, and the opinions asked of other bodies (xin ý kiến cơ quan liên quan).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from portal.models import OfficialDocument, Unit

from .nominations import Nomination, _scope


class Verdict(models.TextChoices):
    MET = "met", "Đạt"
    NOT_MET = "not_met", "Không đạt"
    INCOMPLETE = "incomplete", "Chưa đủ hồ sơ, cần bổ sung"


class CriterionOpinion(models.Model):
    """The reviewer's verdict on one criterion of a dossier, beside what the engine found."""

    nomination = models.ForeignKey(
        Nomination, on_delete=models.CASCADE, related_name="criterion_opinions"
    )
    code = models.CharField("mã tiêu chí", max_length=30)
    label = models.CharField("tiêu chí", max_length=255)
    article = models.CharField("căn cứ", max_length=255, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    suggested = models.CharField("kết quả kiểm tra tự động", max_length=20, choices=Verdict.choices)
    verdict = models.CharField(
        "kết luận của người thẩm định", max_length=20, choices=Verdict.choices
    )
    note = models.TextField("ghi chú", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = "ý kiến thẩm định theo tiêu chí"
        verbose_name_plural = "ý kiến thẩm định theo tiêu chí"
        constraints = [
            models.UniqueConstraint(
                fields=["nomination", "code"], name="awards_criterion_opinion_unique"
            ),
            models.CheckConstraint(
                condition=Q(verdict__in=Verdict.values) & Q(suggested__in=Verdict.values),
                name="awards_criterion_opinion_verdict_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label}: {self.get_verdict_display()}"

    @property
    def overridden(self) -> bool:
        return self.verdict != self.suggested


class ClearanceStatus(models.TextChoices):
    PENDING = "pending", "Chờ trả lời"
    AGREED = "agreed", "Đồng ý"
    OBJECTION = "objection", "Có ý kiến khác"
    WITHDRAWN = "withdrawn", "Đã rút"


ANSWERS = (ClearanceStatus.AGREED, ClearanceStatus.OBJECTION)


class ClearanceRequestQuerySet(models.QuerySet):
    def visible_to(self, user) -> ClearanceRequestQuerySet:
        """The asking level's tree, and the unit asked (its own officers and leaders)."""
        from portal import access

        condition = _scope(user, "asking_unit")
        if not access.sees_everything(user):
            condition |= access.cap_scope(user, access.Cap.ANSWER_CLEARANCE, "body_unit__path")
        return self.filter(condition)

    def pending(self) -> ClearanceRequestQuerySet:
        return self.filter(status=ClearanceStatus.PENDING)


class ClearanceRequest(models.Model):
    """A Công văn asking a body (Công an, Ủy ban Kiểm tra, Thuế, BHXH…) for its opinion on one
    or several nominees before the appraisal ends, and the body's answer."""

    asking_unit = models.ForeignKey(
        Unit, verbose_name="cấp xin ý kiến", on_delete=models.PROTECT, related_name="+"
    )
    nominations = models.ManyToManyField(
        Nomination, verbose_name="hồ sơ", related_name="clearances"
    )
    body_unit = models.ForeignKey(
        Unit,
        verbose_name="cơ quan được hỏi (trong cổng)",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="clearance_requests",
    )
    body_name = models.CharField("cơ quan được hỏi", max_length=255)
    subject = models.TextField("nội dung xin ý kiến")
    sent_on = models.DateField("ngày gửi")
    due_on = models.DateField("hạn trả lời")
    due_article = models.CharField("căn cứ thời hạn", max_length=255, blank=True)
    letter = models.ForeignKey(
        OfficialDocument,
        verbose_name="công văn xin ý kiến",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        "trạng thái",
        max_length=20,
        choices=ClearanceStatus.choices,
        default=ClearanceStatus.PENDING,
    )
    answer_text = models.TextField("nội dung trả lời", blank=True)
    answer_file = models.FileField("văn bản trả lời", upload_to="awards/clearances/%Y/", blank=True)
    answered_on = models.DateField("ngày trả lời", null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    withdraw_reason = models.TextField("lý do rút", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords(m2m_fields=[nominations])
    objects = ClearanceRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-sent_on", "-pk"]
        verbose_name = "văn bản xin ý kiến cơ quan liên quan"
        verbose_name_plural = "văn bản xin ý kiến cơ quan liên quan"
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ClearanceStatus.values),
                name="awards_clearance_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(due_on__gte=models.F("sent_on")),
                name="awards_clearance_due_after_sent",
            ),
        ]
        indexes = [models.Index(fields=["status", "body_unit"])]

    def __str__(self) -> str:
        return f"Xin ý kiến {self.body_name} ({self.sent_on:%d/%m/%Y})"

    @property
    def is_pending(self) -> bool:
        return self.status == ClearanceStatus.PENDING

    def is_overdue(self, today: datetime.date) -> bool:
        return self.is_pending and today > self.due_on
