"""A paper signed outside the portal with the leader's own certificate (#17).

The portal hands the signer the paper as it will be issued (`produced`); the signer signs it
with their own tool and brings it back (`signed`, checked by
portal.documents.outside_signing); the văn thư confirms a certificate in another name if need
be, then issues: number and date filled in, the agency's certificate countersigning. A giao ước
comes back once per member, each upload the previous file plus one signature.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from .documents import OfficialDocument


class OutsideSigning(models.Model):
    document = models.OneToOneField(
        OfficialDocument,
        verbose_name="văn bản",
        on_delete=models.PROTECT,
        related_name="outside_signing",
    )
    content_sha256 = models.CharField(
        "mã băm nội dung dự thảo", max_length=64, help_text="Nội dung dự thảo khi xuất bản để ký."
    )
    produced = models.FileField("bản xuất để ký", upload_to="documents/signing/%Y/")
    produced_sha256 = models.CharField("mã băm bản xuất để ký", max_length=64)
    produced_year = models.PositiveSmallIntegerField("năm in trên bản để ký")
    signed = models.FileField("bản đã ký", upload_to="documents/signing/%Y/", blank=True)
    signed_sha256 = models.CharField("mã băm bản đã ký", max_length=64, blank=True)
    # One entry per accepted signature, in signing order: holder, expected, name_matches,
    # signed_at, certificate_sha256, uploaded_by.
    signatures = models.JSONField("các chữ ký đã nhận", default=list, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="văn thư xác nhận người ký",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    confirmation_reason = models.TextField("lý do xác nhận chứng thư khác tên", blank=True)
    countersigned = models.BooleanField("cơ quan đã ký số", default=False)
    # The per-signature verdict on the issued file, with the hash and trust anchors it was
    # reached on (portal.documents.outside_flow.verdict_of): a cache, not in the history.
    verdict = models.JSONField(default=dict, blank=True, editable=False)
    history = HistoricalRecords(excluded_fields=["verdict"])

    class Meta:
        verbose_name = "ký số ngoài cổng"
        verbose_name_plural = "ký số ngoài cổng"

    def __str__(self) -> str:
        return f"Ký số ngoài cổng: {self.document}"

    @property
    def mismatches(self) -> list[dict]:
        return [s for s in self.signatures if not s.get("name_matches")]

    @property
    def needs_confirmation(self) -> bool:
        return bool(self.mismatches) and self.confirmed_by_id is None
