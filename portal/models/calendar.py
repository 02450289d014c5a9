"""The official calendar: public holidays (ngày nghỉ lễ, Tết) and compensatory working days.

Deadlines counted in working days (thẩm định, lấy ý kiến …) skip Saturdays, Sundays and the days
off listed here, and count a Saturday listed as a compensatory working day (làm bù). The
Government announces each year's days off (Labour Code 2019 Arts. 111–112 and the Prime
Minister's annual notice); system administrators keep this table in step in the admin.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords


class HolidayKind(models.TextChoices):
    DAY_OFF = "day_off", "Ngày nghỉ (lễ, Tết, nghỉ bù)"
    WORKING_DAY = "working_day", "Ngày làm việc bù (thứ Bảy, Chủ nhật đi làm)"


class Holiday(models.Model):
    date = models.DateField("ngày", unique=True)
    name = models.CharField("tên", max_length=255)
    kind = models.CharField(
        "loại", max_length=20, choices=HolidayKind.choices, default=HolidayKind.DAY_OFF
    )
    basis = models.CharField(
        "căn cứ",
        max_length=255,
        blank=True,
        help_text="Điều 112 Bộ luật Lao động 2019 và thông báo nghỉ lễ hằng năm của Chính phủ.",
    )
    is_unverified = models.BooleanField(
        "chưa đối chiếu thông báo của Chính phủ",
        default=False,
        help_text="Ngày tính sẵn theo quy tắc; cần đối chiếu thông báo nghỉ lễ hằng năm.",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "ngày nghỉ lễ, làm bù"
        verbose_name_plural = "lịch nghỉ lễ, làm bù"
        ordering = ["date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=HolidayKind.values), name="portal_holiday_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} – {self.name}"

    def clean(self) -> None:
        # A weekday is worked anyway: listing it as làm bù would be a typo for another date.
        if self.kind == HolidayKind.WORKING_DAY and self.date and self.date.weekday() < 5:
            raise ValidationError({"kind": "Ngày làm việc bù phải là thứ Bảy hoặc Chủ nhật."})
