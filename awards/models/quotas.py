"""Quotas a campaign plan (Kế hoạch) sets on its awards: at most N of an item per proposing unit.

Plans set numbers per body (e.g. "each ward 2 cases", "Sở Nội vụ at most 2 collectives"), so a
quota names the item and either one proposing unit or, without a unit, every proposing unit.
The row lives in awards, keyed to the campaign, because campaigns must not know the catalogue.
"""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from portal.models import Unit

from .catalogue import TitleOrForm


class CampaignQuotaQuerySet(models.QuerySet):
    def for_proposer(self, unit: Unit) -> CampaignQuotaQuerySet:
        """The quota rows that bind `unit`: its own first, then the one for every unit."""
        return self.filter(Q(unit=unit) | Q(unit__isnull=True)).order_by(
            F("unit_id").asc(nulls_last=True)
        )


class CampaignQuota(TitleOrForm):
    campaign = models.ForeignKey(
        "campaigns.Campaign",
        verbose_name="phong trào thi đua",
        on_delete=models.CASCADE,
        related_name="award_quotas",
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name="đơn vị đề nghị",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Để trống: áp dụng cho mỗi đơn vị đề nghị.",
    )
    limit = models.PositiveSmallIntegerField("số lượng tối đa")
    basis = models.CharField(
        "căn cứ",
        max_length=255,
        blank=True,
        help_text="Ví dụ: Mục V Kế hoạch 157/KH-UBND. Để trống: văn bản phát động phong trào.",
    )

    history = HistoricalRecords()
    objects = CampaignQuotaQuerySet.as_manager()

    class Meta:
        verbose_name = "chỉ tiêu khen thưởng của phong trào"
        verbose_name_plural = "chỉ tiêu khen thưởng của phong trào"
        ordering = ["campaign", "unit__path", "pk"]
        constraints = [
            *TitleOrForm.Meta.constraints,
            models.UniqueConstraint(
                fields=["campaign", "title", "unit"],
                condition=Q(title__isnull=False, unit__isnull=False),
                name="awards_quota_once_title_unit",
            ),
            models.UniqueConstraint(
                fields=["campaign", "title"],
                condition=Q(title__isnull=False, unit__isnull=True),
                name="awards_quota_once_title_every_unit",
            ),
            models.UniqueConstraint(
                fields=["campaign", "award_form", "unit"],
                condition=Q(award_form__isnull=False, unit__isnull=False),
                name="awards_quota_once_form_unit",
            ),
            models.UniqueConstraint(
                fields=["campaign", "award_form"],
                condition=Q(award_form__isnull=False, unit__isnull=True),
                name="awards_quota_once_form_every_unit",
            ),
        ]

    def __str__(self) -> str:
        who = self.unit.name if self.unit_id else "mỗi đơn vị đề nghị"
        return f"{self.item}: tối đa {self.limit} ({who})"

    @property
    def article(self) -> str:
        """What a finding cites: the basis typed in, else the campaign's launch document."""
        if self.basis:
            return self.basis
        campaign = self.campaign
        if campaign.document_id and campaign.document.number_and_symbol:
            return f"{campaign.document}"
        return f"{campaign.get_launch_form_display()} phong trào “{campaign.title}”"
