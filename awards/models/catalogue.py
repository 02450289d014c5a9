"""The legal catalogue: emulation titles and award forms, two types that are never mixed up.

A danh hiệu thi đua (title) and a hình thức khen thưởng (award form) live in two tables that
share an abstract base. Every record that refers to "a title or a form" carries two nullable
foreign keys with a check constraint that exactly one is set (`TitleOrForm`), so national data
exchange can always tell which of the two it is.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords


class RecipientKind(models.TextChoices):
    INDIVIDUAL = "individual", "Cá nhân"
    COLLECTIVE = "collective", "Tập thể"
    HOUSEHOLD = "household", "Hộ gia đình"


class BasisKind(models.TextChoices):
    """When and for what an award is given (Law Art. 8; domain §3.3)."""

    YEARLY = "yearly", "Hằng năm (tổng kết năm)"
    CAMPAIGN = "campaign", "Theo đợt, chuyên đề"
    AD_HOC = "ad_hoc", "Đột xuất"
    MERIT = "merit", "Công trạng"
    CAREER = "career", "Quá trình cống hiến"


# Only these count toward a merit (công trạng) chain where the rule set forbids stacking
# ad hoc and thematic results (NĐ 152/2025 Art. 4.3).
MERIT_BASES = frozenset({BasisKind.YEARLY, BasisKind.MERIT})


class Level(models.TextChoices):
    """The level whose authority confers an item (used for display and the authority matrix)."""

    STATE = "state", "Nhà nước (Chủ tịch nước, Thủ tướng)"
    PROVINCE = "province", "Cấp tỉnh"
    GRASSROOTS = "grassroots", "Cấp cơ sở"


class Paper(models.TextChoices):
    """What the law hands the recipient with the item (the hiện vật), as the certificate prints
    it. Items given by the State are handed over by the central level; the portal prints none
    for them, nor for a flag, nor where the law gives money only."""

    GIAY_KHEN = "giay_khen", "Giấy khen"
    BANG_KHEN = "bang_khen", "Bằng khen"
    BANG_CHUNG_NHAN = "bang_chung_nhan", "Bằng chứng nhận"
    GIAY_CHUNG_NHAN = "giay_chung_nhan", "Giấy chứng nhận"
    CO_THI_DUA = "co_thi_dua", "Cờ thi đua"
    STATE = "state", "Hiện vật do Trung ương cấp"
    NONE = "none", "Không có (chỉ tiền thưởng)"


# The papers the portal prints, with the word the certificate prints before the item.
PRINTED_PAPERS = {
    Paper.GIAY_KHEN: "GIẤY KHEN",
    Paper.BANG_KHEN: "BẰNG KHEN",
    Paper.BANG_CHUNG_NHAN: "BẰNG CHỨNG NHẬN",
    Paper.GIAY_CHUNG_NHAN: "GIẤY CHỨNG NHẬN",
}


class CatalogueItem(models.Model):
    code = models.SlugField("mã", max_length=60, unique=True)
    name = models.CharField("tên", max_length=255)
    abbreviation = models.CharField("viết tắt", max_length=30, blank=True)
    level = models.CharField("cấp", max_length=20, choices=Level.choices)
    for_individual = models.BooleanField("tặng cá nhân", default=False)
    for_collective = models.BooleanField("tặng tập thể", default=False)
    for_household = models.BooleanField("tặng hộ gia đình", default=False)
    yearly = models.BooleanField("xét hằng năm", default=False)
    by_campaign = models.BooleanField("theo đợt, chuyên đề", default=False)
    ad_hoc = models.BooleanField("đột xuất", default=False)
    merit = models.BooleanField("công trạng", default=False)
    career = models.BooleanField("quá trình cống hiến", default=False)
    criteria = models.TextField("tiêu chuẩn (diễn giải)")
    legal_article = models.CharField("căn cứ (điều, khoản)", max_length=255)
    prerequisites = models.TextField("điều kiện tiên quyết", blank=True)
    is_unverified = models.BooleanField(
        "chưa xác minh với văn bản gốc",
        default=False,
        help_text="Mặc định theo tài liệu nghiệp vụ; cần đối chiếu văn bản gốc trước khi áp dụng.",
    )
    note = models.TextField("ghi chú", blank=True)
    paper = models.CharField(
        "hiện vật (bằng, giấy, cờ)", max_length=20, choices=Paper.choices, default=Paper.NONE
    )
    paper_article = models.CharField("căn cứ hiện vật", max_length=255, blank=True)
    paper_unverified = models.BooleanField("hiện vật chưa xác minh", default=False)
    position = models.PositiveSmallIntegerField("thứ tự", default=0)
    is_active = models.BooleanField("đang áp dụng", default=True)

    class Meta:
        abstract = True
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name

    def recipient_kinds(self) -> list[str]:
        pairs = (
            (self.for_individual, RecipientKind.INDIVIDUAL),
            (self.for_collective, RecipientKind.COLLECTIVE),
            (self.for_household, RecipientKind.HOUSEHOLD),
        )
        return [kind for flag, kind in pairs if flag]

    def accepts_recipient(self, kind: str) -> bool:
        return kind in self.recipient_kinds()

    def basis_kinds(self) -> list[str]:
        pairs = (
            (self.yearly, BasisKind.YEARLY),
            (self.by_campaign, BasisKind.CAMPAIGN),
            (self.ad_hoc, BasisKind.AD_HOC),
            (self.merit, BasisKind.MERIT),
            (self.career, BasisKind.CAREER),
        )
        return [kind for flag, kind in pairs if flag]

    def basis_labels(self) -> str:
        return "; ".join(BasisKind(kind).label.lower() for kind in self.basis_kinds())

    def accepts_basis(self, kind: str) -> bool:
        return kind in self.basis_kinds()

    @property
    def is_title(self) -> bool:
        return isinstance(self, EmulationTitle)

    @property
    def kind_label(self) -> str:
        return "Danh hiệu thi đua" if self.is_title else "Hình thức khen thưởng"


class EmulationTitle(CatalogueItem):
    """Danh hiệu thi đua (Law Arts. 19–32)."""

    history = HistoricalRecords()

    class Meta(CatalogueItem.Meta):
        verbose_name = "danh hiệu thi đua"
        verbose_name_plural = "danh hiệu thi đua"


class AwardForm(CatalogueItem):
    """Hình thức khen thưởng (Law Art. 9 and Chapter III)."""

    history = HistoricalRecords()

    class Meta(CatalogueItem.Meta):
        verbose_name = "hình thức khen thưởng"
        verbose_name_plural = "hình thức khen thưởng"


Item = EmulationTitle | AwardForm


class TitleOrForm(models.Model):
    """Points at exactly one title or one award form, never both, never neither."""

    title = models.ForeignKey(
        EmulationTitle,
        verbose_name="danh hiệu thi đua",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    award_form = models.ForeignKey(
        AwardForm,
        verbose_name="hình thức khen thưởng",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=(Q(title__isnull=False) & Q(award_form__isnull=True))
                | (Q(title__isnull=True) & Q(award_form__isnull=False)),
                name="%(app_label)s_%(class)s_title_xor_form",
            ),
        ]

    @property
    def item(self) -> Item:
        return self.title if self.title_id else self.award_form

    @item.setter
    def item(self, value: Item) -> None:
        if isinstance(value, EmulationTitle):
            self.title, self.award_form = value, None
        else:
            self.title, self.award_form = None, value


def item_filter(item: Item, prefix: str = "") -> Q:
    """A filter on a TitleOrForm model (through `prefix`) selecting exactly `item`."""
    if isinstance(item, EmulationTitle):
        return Q(**{f"{prefix}title": item})
    return Q(**{f"{prefix}award_form": item})
