"""Award history: the facts the eligibility checks read.

Awards decided in the portal and awards imported from earlier records, annual ratings,
discipline and freezes (investigation, complaint under verification), recognised initiatives.
Records of a person point at the person, so they follow a transfer to another unit.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from portal.models import Job, Person, Unit

from .catalogue import BasisKind, RecipientKind, TitleOrForm
from .rules import DisciplineLevel, InitiativeLevel, Rating


def _scope(user, *, person_field: str = "person", unit_field: str = "unit") -> Q:
    from portal import access

    return access.unit_scope(user, f"{person_field}__unit__path") | access.unit_scope(
        user, f"{unit_field}__path"
    )


class PersonOrUnit(models.Model):
    """Exactly one of a person or a unit (a collective)."""

    person = models.ForeignKey(
        Person,
        verbose_name="cá nhân",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name="tập thể",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=(Q(person__isnull=False) & Q(unit__isnull=True))
                | (Q(person__isnull=True) & Q(unit__isnull=False)),
                name="%(app_label)s_%(class)s_person_xor_unit",
            ),
        ]

    @property
    def subject(self) -> Person | Unit:
        return self.person if self.person_id else self.unit


class ScopedQuerySet(models.QuerySet):
    def visible_to(self, user) -> ScopedQuerySet:
        return self.filter(_scope(user))

    def of(self, subject: Person | Unit) -> ScopedQuerySet:
        if isinstance(subject, Person):
            return self.filter(person=subject)
        return self.filter(unit=subject)


class Source(models.TextChoices):
    PORTAL = "portal", "Quyết định trên cổng"
    IMPORTED = "imported", "Nhập từ hồ sơ cũ"
    MANUAL = "manual", "Cán bộ ghi nhận"
    CENTRAL = "central", "Quyết định của Trung ương (Nội vụ tỉnh ghi nhận)"


class AwardRecordQuerySet(ScopedQuerySet):
    def standing(self) -> AwardRecordQuerySet:
        """Not revoked: the awards that still count."""
        return self.filter(revoked_on__isnull=True)


_STANDING = Q(revoked_on__isnull=True)
_ACHIEVEMENT = ["year", "basis_kind", "basis_reference"]


class AwardRecord(TitleOrForm):
    """A title or form conferred on a person, a collective, or a household, with its decision.

    For a household, `unit` is the locality (village or commune) and `household_name` names it.
    """

    recipient_kind = models.CharField("đối tượng", max_length=20, choices=RecipientKind.choices)
    person = models.ForeignKey(
        Person,
        verbose_name="cá nhân",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="award_records",
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name="tập thể / địa bàn của hộ",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="award_records",
    )
    household_name = models.CharField("tên hộ gia đình", max_length=255, blank=True)
    year = models.PositiveSmallIntegerField("năm thành tích")
    basis_kind = models.CharField("loại khen thưởng", max_length=20, choices=BasisKind.choices)
    basis_reference = models.CharField(
        "đợt, chuyên đề, sự kiện",
        max_length=255,
        blank=True,
        help_text="Tên phong trào, đợt thi đua hoặc sự việc đột xuất (để phân biệt thành tích).",
    )
    decision_number = models.CharField("số quyết định", max_length=50)
    decision_date = models.DateField("ngày quyết định")
    decision_issuer = models.ForeignKey(
        Unit,
        verbose_name="cơ quan ban hành",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="issued_award_records",
    )
    decision_issuer_name = models.CharField(
        "tên cơ quan ban hành",
        max_length=255,
        blank=True,
        help_text="Ghi khi cơ quan không có trong cây đơn vị (ví dụ: Thủ tướng Chính phủ).",
    )
    source = models.CharField("nguồn", max_length=20, choices=Source.choices)
    revoked_on = models.DateField("ngày hủy bỏ", null=True, blank=True)
    revocation_decision = models.CharField("quyết định hủy bỏ", max_length=100, blank=True)
    note = models.TextField("ghi chú", blank=True)
    certificate_code = models.CharField(
        "mã xác minh bằng, giấy khen",
        max_length=16,
        blank=True,
        help_text="In trên bằng, giấy khen do cổng cấp; tra tại trang xác minh công khai.",
    )

    history = HistoricalRecords()
    objects = AwardRecordQuerySet.as_manager()

    class Meta:
        verbose_name = "khen thưởng đã nhận"
        verbose_name_plural = "lịch sử khen thưởng"
        ordering = ["-year", "-decision_date", "pk"]
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
                name="awards_record_recipient_matches_kind",
            ),
            # One achievement is rewarded once (Law Art. 5): the same subject, item, year and
            # basis cannot stand twice. NULL columns never collide, so one constraint per shape.
            models.UniqueConstraint(
                fields=["person", "title", *_ACHIEVEMENT],
                condition=_STANDING,
                name="awards_record_once_person_title",
            ),
            models.UniqueConstraint(
                fields=["person", "award_form", *_ACHIEVEMENT],
                condition=_STANDING,
                name="awards_record_once_person_form",
            ),
            models.UniqueConstraint(
                fields=["unit", "household_name", "title", *_ACHIEVEMENT],
                condition=_STANDING,
                name="awards_record_once_unit_title",
            ),
            models.UniqueConstraint(
                fields=["unit", "household_name", "award_form", *_ACHIEVEMENT],
                condition=_STANDING,
                name="awards_record_once_unit_form",
            ),
            # Only awards decided in the portal carry a code; the index serves the public lookup.
            models.UniqueConstraint(
                fields=["certificate_code"],
                condition=~Q(certificate_code=""),
                name="awards_record_certificate_code_unique",
            ),
        ]
        indexes = [
            models.Index(fields=["year", "title"]),
            models.Index(fields=["year", "award_form"]),
        ]

    def __str__(self) -> str:
        return f"{self.item} {self.year} – {self.recipient_name}"

    @property
    def recipient_name(self) -> str:
        if self.recipient_kind == RecipientKind.INDIVIDUAL:
            return self.person.full_name
        if self.recipient_kind == RecipientKind.HOUSEHOLD:
            return f"Hộ {self.household_name}"
        return self.unit.name

    @property
    def issuer_name(self) -> str:
        return self.decision_issuer.name if self.decision_issuer_id else self.decision_issuer_name


class AnnualRating(PersonOrUnit):
    """Đánh giá, xếp loại chất lượng hằng năm: the main input for LĐTT and CSTĐCS."""

    year = models.PositiveSmallIntegerField("năm")
    rating = models.CharField("xếp loại", max_length=10, choices=Rating.choices)
    source = models.CharField("nguồn", max_length=20, choices=Source.choices)
    note = models.CharField("ghi chú", max_length=255, blank=True)

    history = HistoricalRecords()
    objects = ScopedQuerySet.as_manager()

    class Meta(PersonOrUnit.Meta):
        verbose_name = "xếp loại hằng năm"
        verbose_name_plural = "xếp loại hằng năm"
        ordering = ["-year"]
        constraints = [
            *PersonOrUnit.Meta.constraints,
            models.UniqueConstraint(fields=["person", "year"], name="awards_rating_person_year"),
            models.UniqueConstraint(fields=["unit", "year"], name="awards_rating_unit_year"),
        ]

    def __str__(self) -> str:
        return f"{self.subject} – {self.year}: {self.get_rating_display()}"


class Discipline(PersonOrUnit):
    """A disciplinary measure and the period it runs; achievements count again after it ends."""

    level = models.CharField("hình thức kỷ luật", max_length=20, choices=DisciplineLevel.choices)
    decided_on = models.DateField("ngày quyết định")
    effective_from = models.DateField("thời hạn từ")
    effective_to = models.DateField("thời hạn đến")
    decision_number = models.CharField("số quyết định", max_length=50, blank=True)
    reason = models.CharField("lý do", max_length=255, blank=True)

    history = HistoricalRecords()
    objects = ScopedQuerySet.as_manager()

    class Meta(PersonOrUnit.Meta):
        verbose_name = "kỷ luật"
        verbose_name_plural = "kỷ luật"
        ordering = ["-effective_from"]
        constraints = [
            *PersonOrUnit.Meta.constraints,
            models.CheckConstraint(
                condition=Q(effective_to__gte=models.F("effective_from")),
                name="awards_discipline_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject} – {self.get_level_display()} ({self.effective_from:%d/%m/%Y})"


class FreezeKind(models.TextChoices):
    DISCIPLINE_REVIEW = "discipline_review", "Đang xem xét kỷ luật"
    INVESTIGATION = "investigation", "Đang bị điều tra"
    INSPECTION = "inspection", "Đang thanh tra, kiểm tra có dấu hiệu vi phạm"
    COMPLAINT = "complaint", "Có khiếu nại, tố cáo, phản ánh đang được xác minh"


class Freeze(PersonOrUnit):
    """No award and no proposal while this is open (NĐ 152/2025 Art. 4.4)."""

    kind = models.CharField("lý do tạm dừng", max_length=30, choices=FreezeKind.choices)
    started_on = models.DateField("từ ngày")
    ended_on = models.DateField("đến ngày", null=True, blank=True)
    reference = models.CharField("văn bản, hồ sơ liên quan", max_length=255, blank=True)
    note = models.TextField("ghi chú", blank=True)

    history = HistoricalRecords()
    objects = ScopedQuerySet.as_manager()

    class Meta(PersonOrUnit.Meta):
        verbose_name = "tạm dừng xét khen thưởng"
        verbose_name_plural = "tạm dừng xét khen thưởng"
        ordering = ["-started_on"]
        constraints = [
            *PersonOrUnit.Meta.constraints,
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="awards_freeze_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject} – {self.get_kind_display()}"


class Initiative(PersonOrUnit):
    """A recognised initiative (sáng kiến); the award it was used for, if any (at most one)."""

    name = models.CharField("tên sáng kiến", max_length=500)
    level = models.CharField("cấp công nhận", max_length=10, choices=InitiativeLevel.choices)
    year = models.PositiveSmallIntegerField("năm công nhận")
    recognised_on = models.DateField("ngày công nhận", null=True, blank=True)
    recognised_by = models.CharField("cơ quan công nhận", max_length=255, blank=True)
    decision_number = models.CharField("số quyết định công nhận", max_length=50, blank=True)
    used_by = models.ForeignKey(
        AwardRecord,
        verbose_name="đã dùng làm căn cứ cho",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="initiatives",
    )

    history = HistoricalRecords()
    objects = ScopedQuerySet.as_manager()

    class Meta(PersonOrUnit.Meta):
        verbose_name = "sáng kiến"
        verbose_name_plural = "sáng kiến"
        ordering = ["-year", "name"]

    def __str__(self) -> str:
        return self.name


def history_import_path(upload: HistoryImport, filename: str) -> str:
    # Outside any served URL, and not guessable: the sheet names people and their records.
    return f"private/awards/imports/{uuid.uuid4().hex}.xlsx"


class HistoryImport(models.Model):
    """An uploaded history workbook and whether its rows were imported (once, all or none)."""

    file = models.FileField("tệp Excel", upload_to=history_import_path)
    original_name = models.CharField("tên tệp", max_length=255)
    unit = models.ForeignKey(
        Unit, verbose_name="đơn vị nhập", on_delete=models.PROTECT, related_name="+"
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người nhập",
        on_delete=models.PROTECT,
        related_name="+",
    )
    job = models.OneToOneField(
        Job, null=True, blank=True, on_delete=models.PROTECT, related_name="history_import"
    )
    imported_at = models.DateTimeField("đã nhập lúc", null=True, blank=True)
    awards = models.PositiveIntegerField("số khen thưởng đã nhập", default=0)
    ratings = models.PositiveIntegerField("số xếp loại đã nhập", default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "lần nhập lịch sử khen thưởng"
        verbose_name_plural = "các lần nhập lịch sử khen thưởng"

    def __str__(self) -> str:
        return f"{self.original_name} ({self.created_at:%d/%m/%Y %H:%M})"
