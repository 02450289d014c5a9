"""Official documents (văn bản đi) and the registers that number them (Decree 30/2020/NĐ-CP).

An `OfficialDocument` starts as a draft that may be edited and previewed. Issuing it takes the
next number from its `Register`, snapshots the issuing body's names as they were on the day,
renders the PDF and stores its SHA-256: from then on the row is frozen. It is never deleted
nor renumbered; a correction or a revocation is a new document pointing at it.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from portal import access
from portal.errors import RuleViolation

from .units import IssuingBody, Unit


class DocumentKind(models.TextChoices):
    DIRECTIVE = "directive", "Chỉ thị"
    PLAN = "plan", "Kế hoạch"
    DECISION = "decision", "Quyết định"
    SUBMISSION = "submission", "Tờ trình"
    REPORT = "report", "Báo cáo"
    MINUTES = "minutes", "Biên bản"
    NOTICE = "notice", "Thông báo"
    OFFICIAL_LETTER = "official_letter", "Công văn"
    PLEDGE = "pledge", "Giao ước thi đua"
    MERIT_CERTIFICATE = "merit_certificate", "Giấy khen"
    HONOUR_CERTIFICATE = "honour_certificate", "Bằng khen"


@dataclass(frozen=True)
class KindSpec:
    """What Decree 30 (Phụ lục III) fixes for a kind of document."""

    abbreviation: str  # in the symbol, e.g. "KH" in "05/KH-UBND"; "" when the decree has none
    heading: str  # tên loại, printed in bold capitals
    template: str
    numbered: bool = True  # numbered unless the issuer configures a register for it
    uses_addressees: bool = False  # "Kính gửi:" block
    needs_addressees: bool = False
    landscape: bool = False
    has_summary: bool = True  # trích yếu under the heading
    # Box 13 (address, phone, fax, e-mail, website of the issuer) at the foot of page 1.
    contact_block: bool = False


KIND_SPECS: dict[str, KindSpec] = {
    DocumentKind.DIRECTIVE: KindSpec("CT", "CHỈ THỊ", "documents/directive.html"),
    DocumentKind.PLAN: KindSpec("KH", "KẾ HOẠCH", "documents/plan.html"),
    DocumentKind.DECISION: KindSpec("QĐ", "QUYẾT ĐỊNH", "documents/decision.html"),
    DocumentKind.SUBMISSION: KindSpec(
        "TTr",
        "TỜ TRÌNH",
        "documents/submission.html",
        uses_addressees=True,
        needs_addressees=True,
    ),
    DocumentKind.REPORT: KindSpec("BC", "BÁO CÁO", "documents/report.html", uses_addressees=True),
    DocumentKind.MINUTES: KindSpec("BB", "BIÊN BẢN", "documents/minutes.html"),
    DocumentKind.NOTICE: KindSpec("TB", "THÔNG BÁO", "documents/notice.html"),
    # A công văn has no tên loại and no type abbreviation (Decree 30, Phụ lục III): its symbol
    # is the issuer's alone, and its trích yếu "V/v …" sits under the number (left column).
    DocumentKind.OFFICIAL_LETTER: KindSpec(
        "",
        "",
        "documents/official_letter.html",
        uses_addressees=True,
        needs_addressees=True,
        contact_block=True,
    ),
    DocumentKind.PLEDGE: KindSpec("", "GIAO ƯỚC THI ĐUA", "documents/pledge.html", numbered=False),
    DocumentKind.MERIT_CERTIFICATE: KindSpec(
        "",
        "GIẤY KHEN",
        "documents/certificate.html",
        numbered=False,
        landscape=True,
        has_summary=False,
    ),
    DocumentKind.HONOUR_CERTIFICATE: KindSpec(
        "",
        "BẰNG KHEN",
        "documents/certificate.html",
        numbered=False,
        landscape=True,
        has_summary=False,
    ),
}

CERTIFICATE_KINDS = frozenset({DocumentKind.MERIT_CERTIFICATE, DocumentKind.HONOUR_CERTIFICATE})


class SignerCapacity(models.TextChoices):
    """Signing conventions of Decree 30, Art. 13 (printed before the authority's name)."""

    OWN = "", "Ký trực tiếp"
    ON_BEHALF = "TM.", "TM. (thay mặt tập thể)"
    DEPUTY = "KT.", "KT. (ký thay người đứng đầu)"
    ACTING = "Q.", "Q. (quyền)"
    BY_ORDER = "TL.", "TL. (thừa lệnh)"
    AUTHORISED = "TUQ.", "TUQ. (thừa ủy quyền)"


class IssuedAs(models.TextChoices):
    """Whose paper it is: the unit's, or a body of the unit that signs its own papers."""

    UNIT = "", "Đơn vị ban hành"
    COUNCIL = "council", "Hội đồng Thi đua – Khen thưởng của đơn vị"


COUNCIL_NAME = "HỘI ĐỒNG THI ĐUA - KHEN THƯỞNG"
COUNCIL_ABBREVIATION = "HĐTĐKT"


class Secrecy(models.TextChoices):
    """Dấu chỉ độ mật (Decree 30, box 10a; the marks of the state-secrets law)."""

    NONE = "", "Không"
    SECRET = "MẬT", "Mật"
    TOP_SECRET = "TỐI MẬT", "Tối mật"
    HIGHEST = "TUYỆT MẬT", "Tuyệt mật"


class Urgency(models.TextChoices):
    """Dấu chỉ mức độ khẩn (Decree 30, box 10b)."""

    NONE = "", "Không"
    URGENT = "KHẨN", "Khẩn"
    VERY_URGENT = "THƯỢNG KHẨN", "Thượng khẩn"
    IMMEDIATE = "HỎA TỐC", "Hỏa tốc"


class Circulation(models.TextChoices):
    """Chỉ dẫn về phạm vi lưu hành (Decree 30, box 11): for papers of restricted use."""

    NONE = "", "Không"
    RETURN = "XEM XONG TRẢ LẠI", "Xem xong trả lại"
    INTERNAL = "LƯU HÀNH NỘI BỘ", "Lưu hành nội bộ"


class DocumentStatus(models.TextChoices):
    DRAFT = "draft", "Dự thảo"
    ISSUED = "issued", "Đã ban hành"


class RegisterQuerySet(models.QuerySet):
    def visible_to(self, user) -> RegisterQuerySet:
        return self.filter(access.unit_scope(user, "issuer__path"))


class Register(models.Model):
    """A register of outgoing documents (sổ đăng ký văn bản đi) of one issuing unit.

    The sequence restarts at 01 every calendar year. By default each kind of document has its
    own register (as provinces keep them); a register with an empty `kind` is the unit's shared
    series for every kind that has no register of its own. A register for a kind that the
    decree leaves unnumbered (giao ước, certificates) switches numbering on for that kind.
    """

    issuer = models.ForeignKey(
        Unit, verbose_name="đơn vị ban hành", on_delete=models.PROTECT, related_name="registers"
    )
    kind = models.CharField(
        "loại văn bản",
        max_length=30,
        choices=DocumentKind.choices,
        blank=True,
        help_text="Để trống: sổ dùng chung cho mọi loại chưa có sổ riêng.",
    )
    name = models.CharField("tên sổ", max_length=150)
    padding = models.PositiveSmallIntegerField(
        "số chữ số tối thiểu",
        default=2,
        help_text="2: 05/KH-UBND; 4: 0125/KH-UBND. Nghị định 30 yêu cầu tối thiểu 2 chữ số.",
    )
    type_abbreviation = models.CharField(
        "chữ viết tắt tên loại",
        max_length=10,
        blank=True,
        help_text="Để trống: dùng chữ viết tắt theo Nghị định 30 (Phụ lục III).",
    )

    history = HistoricalRecords()
    objects = RegisterQuerySet.as_manager()

    class Meta:
        verbose_name = "sổ đăng ký văn bản đi"
        verbose_name_plural = "sổ đăng ký văn bản đi"
        ordering = ["issuer__path", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["issuer", "kind"], name="register_unique_kind"),
            models.CheckConstraint(
                condition=Q(padding__gte=2) & Q(padding__lte=6), name="register_padding_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} – {self.issuer}"

    def format_number(self, sequence: int) -> str:
        return str(sequence).zfill(self.padding)


class DocumentQuerySet(models.QuerySet):
    def visible_to(self, user) -> DocumentQuerySet:
        return self.filter(access.unit_scope(user, "issuer__path"))

    def issued(self) -> DocumentQuerySet:
        return self.filter(status=DocumentStatus.ISSUED)

    def drafts(self) -> DocumentQuerySet:
        return self.filter(status=DocumentStatus.DRAFT)

    def delete(self):
        if self.filter(status=DocumentStatus.ISSUED).exists():
            raise RuleViolation(
                "Văn bản đã ban hành không bao giờ bị xóa.", code="issued_document_kept"
            )
        return super().delete()


class OfficialDocument(models.Model):
    """One official document: an editable draft, then a frozen issued snapshot.

    `body` is a list of blocks, each a dict with a "type" among: "paragraph", "basis"
    (a "Căn cứ …" line, italic), "heading" (I., II. … bold), "subheading" (bold),
    "article" ("Điều n." + text), "center" (a bold centred line such as "QUYẾT ĐỊNH:"),
    "authority" (the deciding authority of a Quyết định), "table" ({"columns", "rows"}),
    "parties" (giao ước: [{"unit", "head", "position"}]). `annexes` is a list of
    {"title", "note", "columns", "rows"} printed on separate pages after the document.
    """

    kind = models.CharField("loại văn bản", max_length=30, choices=DocumentKind.choices)
    status = models.CharField(
        "trạng thái", max_length=10, choices=DocumentStatus.choices, default=DocumentStatus.DRAFT
    )
    issuer = models.ForeignKey(
        Unit, verbose_name="đơn vị ban hành", on_delete=models.PROTECT, related_name="documents"
    )
    register = models.ForeignKey(
        Register,
        verbose_name="sổ đăng ký",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="documents",
    )
    secrecy = models.CharField(
        "độ mật", max_length=12, choices=Secrecy.choices, blank=True, default=""
    )
    urgency = models.CharField(
        "độ khẩn", max_length=12, choices=Urgency.choices, blank=True, default=""
    )
    circulation = models.CharField(
        "phạm vi lưu hành", max_length=20, choices=Circulation.choices, blank=True, default=""
    )
    # The last line of "Nơi nhận" (Decree 30, Phụ lục I, II.9.d): "Lưu: VT, <drafting unit>
    # (<copies kept>)." and box 12: the drafter's mark and the number of copies sent out.
    drafting_unit = models.CharField(
        "đơn vị soạn thảo (viết tắt)",
        max_length=20,
        blank=True,
        help_text="In ở dòng “Lưu: VT, …”, ví dụ VP, VHXH.",
    )
    archive_copies = models.PositiveSmallIntegerField("số bản lưu", null=True, blank=True)
    drafter_mark = models.CharField(
        "ký hiệu người soạn thảo",
        max_length=20,
        blank=True,
        help_text="Chữ in hoa, ví dụ NTH (ô số 12 của Nghị định 30).",
    )
    issued_copies = models.PositiveIntegerField("số bản phát hành", null=True, blank=True)
    # Box 13 as it was on the day of issue: the issuer's address, phone, fax, e-mail, website.
    issuer_contact = models.JSONField("địa chỉ, liên lạc của cơ quan", default=list, blank=True)
    issued_as = models.CharField(
        "văn bản của",
        max_length=10,
        choices=IssuedAs.choices,
        blank=True,
        help_text="Biên bản họp Hội đồng TĐKT là văn bản của Hội đồng, đơn vị là cơ quan chủ quản.",
    )
    year = models.PositiveSmallIntegerField("năm", null=True, blank=True)
    sequence = models.PositiveIntegerField("số thứ tự trong sổ", null=True, blank=True)
    number = models.CharField("số", max_length=12, blank=True)
    symbol = models.CharField("ký hiệu", max_length=60, blank=True)

    # The issuing body as it was named on the day of issue (Decree 30, boxes 2 and 4).
    parent_body_name = models.CharField("cơ quan chủ quản", max_length=255, blank=True)
    issuer_name = models.CharField("cơ quan ban hành", max_length=255, blank=True)
    issuer_abbreviation = models.CharField("viết tắt cơ quan", max_length=30, blank=True)
    place_name = models.CharField("địa danh", max_length=100, blank=True)
    issued_on = models.DateField("ngày ban hành", null=True, blank=True)

    title = models.CharField(
        "tên loại in trên văn bản",
        max_length=255,
        blank=True,
        help_text="Để trống: tên loại theo Nghị định 30 (ví dụ KẾ HOẠCH).",
    )
    summary = models.TextField("trích yếu", blank=True)
    body = models.JSONField("nội dung", default=list, blank=True)
    addressees = models.JSONField("kính gửi", default=list, blank=True)
    recipients = models.JSONField("nơi nhận", default=list, blank=True)
    annexes = models.JSONField("phụ lục", default=list, blank=True)
    annexes_separate = models.BooleanField(
        "phụ lục thành tệp riêng",
        default=False,
        help_text="Phụ lục ở tệp riêng được ký số riêng, ghi số văn bản và thời gian ký ở góc trên"
        " bên phải trang đầu (Nghị định 30, Phụ lục I).",
    )

    # The person who signs, holding a leadership post in the issuer on the day
    # (portal/documents/signers.py); the printed fields below are the snapshot of the block.
    signer = models.ForeignKey(
        "portal.Person",
        verbose_name="người ký",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="signed_documents",
    )
    signer_name = models.CharField("họ tên người ký", max_length=150, blank=True)
    signer_capacity = models.CharField(
        "thẩm quyền ký", max_length=5, choices=SignerCapacity.choices, blank=True
    )
    signer_authority = models.CharField(
        "ký thay mặt / thay cho",
        max_length=150,
        blank=True,
        help_text="Sau TM./KT./Q./TL./TUQ., ví dụ ỦY BAN NHÂN DÂN hoặc CHỦ TỊCH.",
    )
    signer_position = models.CharField(
        "chức vụ người ký",
        max_length=255,
        blank=True,
        help_text="Mỗi dòng một chức danh, ví dụ: KT. CHỦ TỊCH / PHÓ CHỦ TỊCH.",
    )

    co_signers = models.JSONField(
        "người cùng ký",
        default=list,
        blank=True,
        help_text="Biên bản: thư ký; giao ước: đại diện từng đơn vị thành viên.",
    )

    template_version = models.CharField("phiên bản mẫu", max_length=30, blank=True)
    pdf = models.FileField("tệp PDF", upload_to="documents/%Y/", blank=True)
    sha256 = models.CharField("mã băm SHA-256", max_length=64, blank=True)
    annex_pdf = models.FileField("tệp phụ lục PDF", upload_to="documents/%Y/", blank=True)
    annex_sha256 = models.CharField("mã băm SHA-256 của phụ lục", max_length=64, blank=True)
    is_signed = models.BooleanField("đã ký số", default=False)
    # Signed on paper outside the portal and entered with its own number, date and scan
    # ("Nhập văn bản đã ban hành"): `pdf` is the scan, not a rendering of the snapshot.
    is_recorded = models.BooleanField("nhập từ văn bản giấy đã ban hành", default=False)
    # The last validation of `pdf`'s signature with the hash of the bytes and the trust root it
    # was reached with (portal.documents.verify.signature_of): a cache, so not in the history.
    signature_check = models.JSONField(
        "kết quả kiểm tra chữ ký số", default=dict, blank=True, editable=False
    )
    verification_code = models.CharField("mã xác minh", max_length=16, null=True, blank=True)

    corrects = models.ForeignKey(
        "self",
        verbose_name="đính chính / thay thế văn bản",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="corrections",
    )
    revokes = models.ForeignKey(
        "self",
        verbose_name="thu hồi, bãi bỏ văn bản",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="revocations",
    )

    created_by = models.ForeignKey(
        "portal.User",
        verbose_name="người soạn",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)
    issued_by = models.ForeignKey(
        "portal.User",
        verbose_name="người ban hành",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    issued_at = models.DateTimeField("ban hành lúc", null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["signature_check"])
    objects = DocumentQuerySet.as_manager()

    class Meta:
        verbose_name = "văn bản"
        verbose_name_plural = "văn bản"
        ordering = ["-issued_on", "-sequence", "-created_at"]
        indexes = [models.Index(fields=["issuer", "status"], name="document_issuer_status")]
        constraints = [
            models.UniqueConstraint(
                fields=["issuer", "year", "number", "symbol"],
                condition=~Q(number=""),
                name="document_number_unique_per_year",
            ),
            models.UniqueConstraint(
                fields=["register", "year", "sequence"],
                condition=Q(sequence__isnull=False),
                name="document_register_sequence_unique",
            ),
            models.UniqueConstraint(
                fields=["verification_code"],
                condition=Q(verification_code__isnull=False),
                name="document_verification_code_unique",
            ),
            models.CheckConstraint(
                condition=Q(status="draft")
                | (Q(issued_on__isnull=False) & ~Q(sha256="") & Q(verification_code__isnull=False)),
                name="document_issued_is_complete",
            ),
            models.CheckConstraint(
                condition=Q(status="issued") | Q(number=""),
                name="document_draft_has_no_number",
            ),
        ]

    def __str__(self) -> str:
        label = self.get_kind_display()
        if self.number_and_symbol:
            return f"{label} số {self.number_and_symbol}"
        return f"{label} – {self.summary[:60]}" if self.summary else label

    def save(self, *args, **kwargs) -> None:
        # An issued document is a legal record: the row is written once and never again.
        if getattr(self, "_issued_in_db", False):
            raise RuleViolation(
                "Văn bản đã ban hành không được sửa; hãy ban hành văn bản đính chính.",
                code="issued_document_frozen",
            )
        super().save(*args, **kwargs)
        self._issued_in_db = self.status == DocumentStatus.ISSUED

    def delete(self, *args, **kwargs):
        if self.status == DocumentStatus.ISSUED or getattr(self, "_issued_in_db", False):
            raise RuleViolation(
                "Văn bản đã ban hành không bao giờ bị xóa.", code="issued_document_kept"
            )
        return super().delete(*args, **kwargs)

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._issued_in_db = instance.status == DocumentStatus.ISSUED
        return instance

    @property
    def spec(self) -> KindSpec:
        return KIND_SPECS[self.kind]

    @property
    def is_issued(self) -> bool:
        return self.status == DocumentStatus.ISSUED

    @property
    def is_certificate(self) -> bool:
        return self.kind in CERTIFICATE_KINDS

    @property
    def number_and_symbol(self) -> str:
        """ "05/KH-UBND"; for an unnumbered kind just the symbol, or nothing. A Party paper
        recorded from outside keeps its own joint, "12-CT/TW": its symbol is stored with the
        leading dash (portal.documents.recording.parse_number_and_symbol)."""
        if self.number:
            joint = "" if self.symbol.startswith("-") else "/"
            return f"{self.number}{joint}{self.symbol}"
        return ""

    def issuing_body(self, day: datetime.date) -> IssuingBody:
        """The header of the paper on `day`: the issuer's, or its council's under the issuer
        as cơ quan chủ quản ("UBND PHƯỜNG …" / "HỘI ĐỒNG THI ĐUA - KHEN THƯỞNG")."""
        body = self.issuer.issuing_body(day)
        if self.issued_as != IssuedAs.COUNCIL:
            return body
        parent = body.issuer_name.replace("\n", " ")
        if parent.startswith("ỦY BAN NHÂN DÂN "):
            parent = "UBND " + parent.removeprefix("ỦY BAN NHÂN DÂN ")
        return IssuingBody(
            parent_name=parent,
            issuer_name=COUNCIL_NAME,
            issuer_abbreviation=COUNCIL_ABBREVIATION,
            place_name=body.place_name,
        )

    @property
    def heading(self) -> str:
        return self.title or self.spec.heading
