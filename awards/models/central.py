"""Papers from the central level (Thủ tướng Chính phủ, Chủ tịch nước, Bộ Nội vụ) as the
province's Nội vụ records them: the portal has no central level, so these are what came back
on paper, with their number, date, authority and a scanned copy."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from portal.models import Unit


class CentralAuthority(models.TextChoices):
    """Who signed the central paper (Law Arts. 76–77; QĐ 311/QĐ-BNV/2025)."""

    PRESIDENT = "president", "Chủ tịch nước"
    PRIME_MINISTER = "prime_minister", "Thủ tướng Chính phủ"
    HOME_AFFAIRS = "home_affairs", "Bộ Nội vụ (Ban Thi đua – Khen thưởng Trung ương)"


class CentralResult(models.TextChoices):
    APPROVED = "approved", "Khen thưởng"
    NOT_APPROVED = "not_approved", "Không chấp thuận"


class CentralDecisionQuerySet(models.QuerySet):
    def visible_to(self, user) -> CentralDecisionQuerySet:
        from portal import access

        if access.sees_everything(user):
            return self
        return self.filter(access.unit_scope(user, "unit__path"))


class CentralDecision(models.Model):
    """A decision (or a letter) from the central level about dossiers the province sent."""

    unit = models.ForeignKey(
        Unit, verbose_name="tỉnh ghi nhận", on_delete=models.PROTECT, related_name="+"
    )
    number = models.CharField("số, ký hiệu", max_length=50)
    signed_on = models.DateField("ngày ký")
    authority = models.CharField(
        "cơ quan, người ký", max_length=20, choices=CentralAuthority.choices
    )
    file = models.FileField("bản chụp văn bản", upload_to="awards/central/%Y/", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField("thời điểm ghi nhận", auto_now_add=True)

    history = HistoricalRecords()
    objects = CentralDecisionQuerySet.as_manager()

    class Meta:
        verbose_name = "văn bản của Trung ương"
        verbose_name_plural = "văn bản của Trung ương"
        ordering = ["-signed_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "number"], name="awards_central_number_unique")
        ]

    def __str__(self) -> str:
        return f"Số {self.number} ngày {self.signed_on:%d/%m/%Y} ({self.get_authority_display()})"
