"""Copies of issued documents (bản sao, Decree 30/2020 Arts. 25–27; the thể thức bản sao of
Phụ lục I, Mẫu 3.1 of Phụ lục III).

A copy is the copying body's own paper: the original's pages, then its copy form (the kind of
copy, the body, "Số: 05/SY-UBND" from the body's copy register, place and date, the signer,
"Nơi nhận:") under a solid rule across the text width. SAO Y copies a whole issued document,
SAO LỤC copies a SAO Y copy, TRÍCH SAO a run of its pages. A copy is numbered, hashed and
frozen when it is made, like an issued document.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from portal import access
from portal.errors import RuleViolation

from .documents import OfficialDocument
from .units import Unit


class CopyKind(models.TextChoices):
    """Hình thức sao, stored as the abbreviation of the copy's symbol (Phụ lục III)."""

    TRUE_COPY = "SY", "Sao y"
    TRANSCRIPT = "SL", "Sao lục"
    EXTRACT = "TrS", "Trích sao"


class DocumentCopyQuerySet(models.QuerySet):
    def visible_to(self, user) -> DocumentCopyQuerySet:
        return self.filter(access.unit_scope(user, "issuer__path"))


class DocumentCopy(models.Model):
    original = models.ForeignKey(
        OfficialDocument,
        verbose_name="văn bản được sao",
        on_delete=models.PROTECT,
        related_name="copies",
    )
    # A SAO LỤC is made from a SAO Y copy, not from the original itself (Art. 25).
    copied_from = models.ForeignKey(
        "self",
        verbose_name="sao lục từ bản sao y",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="transcripts",
    )
    issuer = models.ForeignKey(
        Unit, verbose_name="cơ quan sao", on_delete=models.PROTECT, related_name="copies"
    )
    kind = models.CharField("hình thức sao", max_length=3, choices=CopyKind.choices)
    first_page = models.PositiveSmallIntegerField("từ trang", null=True, blank=True)
    last_page = models.PositiveSmallIntegerField("đến trang", null=True, blank=True)
    # The copy register: one series for every kind of copy of the body, from 01 each year.
    year = models.PositiveSmallIntegerField("năm")
    sequence = models.PositiveIntegerField("số thứ tự")
    number = models.CharField("số", max_length=10)
    symbol = models.CharField("ký hiệu", max_length=40)
    made_on = models.DateField("ngày sao")
    parent_body_name = models.CharField("cơ quan chủ quản", max_length=255, blank=True)
    issuer_name = models.CharField("tên cơ quan sao", max_length=255)
    place_name = models.CharField("địa danh", max_length=100)
    recipients = models.JSONField("nơi nhận", default=list)
    signer = models.ForeignKey(
        "portal.Person",
        verbose_name="người ký",
        on_delete=models.PROTECT,
        related_name="signed_copies",
    )
    signer_name = models.CharField("họ tên người ký", max_length=150)
    signer_capacity = models.CharField("thẩm quyền ký", max_length=5, blank=True)
    signer_authority = models.CharField("ký thay mặt / thay cho", max_length=150, blank=True)
    signer_position = models.CharField("chức vụ người ký", max_length=255, blank=True)
    pdf = models.FileField("tệp PDF bản sao", upload_to="documents/copies/%Y/")
    sha256 = models.CharField("mã băm SHA-256", max_length=64)
    verification_code = models.CharField("mã xác minh", max_length=16)
    made_by = models.ForeignKey(
        "portal.User",
        verbose_name="người sao",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    made_at = models.DateTimeField("sao lúc", auto_now_add=True)

    history = HistoricalRecords()
    objects = DocumentCopyQuerySet.as_manager()

    class Meta:
        verbose_name = "bản sao văn bản"
        verbose_name_plural = "bản sao văn bản"
        ordering = ["-made_on", "-sequence"]
        constraints = [
            models.UniqueConstraint(
                fields=["issuer", "year", "sequence"], name="copy_register_sequence_unique"
            ),
            models.UniqueConstraint(fields=["verification_code"], name="copy_code_unique"),
            models.CheckConstraint(
                condition=Q(first_page__isnull=True, last_page__isnull=True)
                | Q(first_page__gte=1, last_page__gte=models.F("first_page")),
                name="copy_pages_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"Bản {self.get_kind_display().lower()} số {self.number_and_symbol}"

    def save(self, *args, **kwargs) -> None:
        # A copy is a legal record like the document it copies: written once, never again.
        if not self._state.adding:
            raise RuleViolation(
                "Bản sao đã lập không được sửa; hãy lập bản sao mới.", code="copy_frozen"
            )
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RuleViolation("Bản sao đã lập không bao giờ bị xóa.", code="copy_kept")

    @property
    def number_and_symbol(self) -> str:
        return f"{self.number}/{self.symbol}"
