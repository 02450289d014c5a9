"""The legal bases a decision cites, as dated data.

A Quyết định khen thưởng opens with "Căn cứ …" lines (Mẫu 1.2 of NĐ 30/2020): the Law on the
organisation of local government in force, the Law on emulation and commendation, the decree in
force, for communes the decree dividing authority between the two local levels, and the
province's own regulation where there is one. Each of them changed on its own date (the local
government law on 01/03/2025 and again on 16/06/2025, the decree on 01/01/2024 and 01/07/2025),
so each citation is a row with its validity, never a constant in code.
"""

from __future__ import annotations

import datetime

from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from portal.models import Unit


class BasisRole(models.TextChoices):
    """What a basis is, in the order a decision cites them."""

    LOCAL_GOVERNMENT = "local_government", "Luật Tổ chức chính quyền địa phương"
    EMULATION_LAW = "emulation_law", "Luật Thi đua, khen thưởng"
    DECREE = "decree", "Nghị định quy định chi tiết"
    COMMUNE_DECREE = "commune_decree", "Nghị định phân định thẩm quyền (cấp xã)"
    PROVINCE_REGULATION = "province_regulation", "Quy định của tỉnh"


ROLE_ORDER = {role: index for index, role in enumerate(BasisRole.values)}


class LegalBasisQuerySet(models.QuerySet):
    def valid_on(self, day: datetime.date) -> LegalBasisQuerySet:
        return self.filter(valid_from__lte=day).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=day)
        )


class LegalBasis(models.Model):
    role = models.CharField("loại căn cứ", max_length=30, choices=BasisRole.choices)
    citation = models.TextField(
        "trích dẫn",
        help_text="In sau chữ “Căn cứ”, không có dấu câu ở cuối; ví dụ: Luật Thi đua, khen "
        "thưởng ngày 15 tháng 6 năm 2022.",
    )
    valid_from = models.DateField("hiệu lực từ")
    valid_to = models.DateField("hiệu lực đến", null=True, blank=True)
    scope_unit = models.ForeignKey(
        Unit,
        verbose_name="phạm vi (quy định của địa phương)",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Để trống với văn bản trung ương; chọn tỉnh với quy định của tỉnh.",
    )
    communes_only = models.BooleanField(
        "chỉ cấp xã",
        default=False,
        help_text="Chỉ trích dẫn trong quyết định của Chủ tịch UBND cấp xã.",
    )
    is_unverified = models.BooleanField("chưa xác minh với văn bản gốc", default=False)
    note = models.TextField("ghi chú", blank=True)

    history = HistoricalRecords()
    objects = LegalBasisQuerySet.as_manager()

    class Meta:
        verbose_name = "căn cứ pháp lý của quyết định"
        verbose_name_plural = "căn cứ pháp lý của quyết định"
        ordering = ["role", "-valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="awards_legalbasis_validity_ordered",
            ),
        ]

    def __str__(self) -> str:
        until = f"{self.valid_to:%d/%m/%Y}" if self.valid_to else "nay"
        return f"{self.citation} ({self.valid_from:%d/%m/%Y} – {until})"
