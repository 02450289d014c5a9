"""The organisation tree (units) and the emulation clusters and blocs laid over it."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from portal import access
from portal.text import fold

# Materialized path: fixed-width base-36 steps, one per level (as django-treebeard's MP_Node).
PATH_STEP = 4
PATH_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def path_step(index: int) -> str:
    """The `index`-th sibling's path step (1-based), fixed width so paths sort in tree order."""
    if index < 1 or index >= len(PATH_ALPHABET) ** PATH_STEP:
        raise ValueError(f"sibling index out of range: {index}")
    digits = []
    for _ in range(PATH_STEP):
        index, rest = divmod(index, len(PATH_ALPHABET))
        digits.append(PATH_ALPHABET[rest])
    return "".join(reversed(digits))


def step_index(step: str) -> int:
    return int(step, 36)


class UnitKind(models.TextChoices):
    # Level 1 (province level)
    PROVINCE = "province", "Tỉnh"
    CENTRAL_CITY = "central_city", "Thành phố trực thuộc Trung ương"
    # Level 2 before 01/07/2025 (district level), kept for history
    DISTRICT = "district", "Huyện"
    URBAN_DISTRICT = "urban_district", "Quận"
    TOWN = "town", "Thị xã"
    PROVINCIAL_CITY = "provincial_city", "Thành phố thuộc tỉnh"
    # Commune level
    COMMUNE = "commune", "Xã"
    WARD = "ward", "Phường"
    TOWNSHIP = "township", "Thị trấn"
    SPECIAL_ZONE = "special_zone", "Đặc khu"
    # Below the commune: added by the commune itself (the national data does not carry them)
    VILLAGE = "village", "Thôn"
    RESIDENTIAL_GROUP = "residential_group", "Tổ dân phố"
    # Agencies and organisations under an administrative unit
    DEPARTMENT = "department", "Sở, ban, ngành"
    OFFICE = "office", "Phòng, ban chuyên môn"
    PUBLIC_SERVICE = "public_service", "Đơn vị sự nghiệp"
    MASS_ORGANISATION = "mass_organisation", "Tổ chức chính trị - xã hội"
    ENTERPRISE = "enterprise", "Doanh nghiệp"
    OTHER = "other", "Cơ quan, tổ chức khác"


PROVINCE_KINDS = frozenset({UnitKind.PROVINCE, UnitKind.CENTRAL_CITY})
DISTRICT_KINDS = frozenset(
    {UnitKind.DISTRICT, UnitKind.URBAN_DISTRICT, UnitKind.TOWN, UnitKind.PROVINCIAL_CITY}
)
COMMUNE_KINDS = frozenset(
    {UnitKind.COMMUNE, UnitKind.WARD, UnitKind.TOWNSHIP, UnitKind.SPECIAL_ZONE}
)
ADMINISTRATIVE_KINDS = PROVINCE_KINDS | DISTRICT_KINDS | COMMUNE_KINDS
SETTLEMENT_KINDS = frozenset({UnitKind.VILLAGE, UnitKind.RESIDENTIAL_GROUP})
AGENCY_KINDS = frozenset(
    {
        UnitKind.DEPARTMENT,
        UnitKind.OFFICE,
        UnitKind.PUBLIC_SERVICE,
        UnitKind.MASS_ORGANISATION,
        UnitKind.ENTERPRISE,
        UnitKind.OTHER,
    }
)


class CodeScheme(models.TextChoices):
    CURRENT = "current", "Mã hành chính hiện hành (từ 01/07/2025)"
    LEGACY = "legacy", "Mã hành chính trước 01/07/2025"
    LOCAL = "local", "Mã do địa phương đặt"


@dataclass(frozen=True)
class IssuingBody:
    """How a unit names itself at the head of an official document (Decree 30/2020, box 2)."""

    parent_name: str  # cơ quan chủ quản, regular capitals; empty when there is none
    issuer_name: str  # cơ quan ban hành, bold capitals (may hold a line break)
    issuer_abbreviation: str  # for the document symbol, e.g. UBND, SNV
    place_name: str  # địa danh, e.g. "Đồng Nai"


def valid_on_q(day: datetime.date, prefix: str = "") -> Q:
    """Units valid on `day`; `prefix` reaches them through a relation (e.g. "children__")."""
    return (Q(**{f"{prefix}valid_from__isnull": True}) | Q(**{f"{prefix}valid_from__lte": day})) & (
        Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gte": day})
    )


class UnitQuerySet(models.QuerySet):
    def subtree(self, unit: Unit) -> UnitQuerySet:
        return self.filter(path__startswith=unit.path)

    def descendants(self, unit: Unit) -> UnitQuerySet:
        return self.subtree(unit).exclude(pk=unit.pk)

    def valid_on(self, day: datetime.date) -> UnitQuerySet:
        return self.filter(valid_on_q(day))

    def current(self) -> UnitQuerySet:
        return self.valid_on(timezone.localdate())

    def administrative(self) -> UnitQuerySet:
        return self.filter(kind__in=ADMINISTRATIVE_KINDS)

    def agencies(self) -> UnitQuerySet:
        return self.filter(kind__in=AGENCY_KINDS)

    def search(self, query: str) -> UnitQuerySet:
        """Accent- and case-insensitive match on the name or the official code."""
        folded = fold(query)
        if not folded:
            return self
        return self.filter(Q(search_name__contains=folded) | Q(code=query.strip()))

    def visible_to(self, user) -> UnitQuerySet:
        return self.filter(access.unit_scope(user, "path"))

    def scope_roots(self, user) -> UnitQuerySet:
        """The visible units whose parent `user` cannot see: the tops of the user's branches,
        read by their paths (a `NOT IN` over every visible unit grew with the tree, #16)."""
        roots = access.view_roots(user)
        if roots is None:
            return self.filter(parent__isnull=True)
        return self.filter(path__in=roots)


class Unit(models.Model):
    """A node of the organisation tree: an administrative unit or an agency under one.

    Units are never deleted: a dissolved or merged unit is closed with `valid_to` and keeps
    its history and records; the units it was formed from are its `merged_from` lineage.
    """

    code = models.CharField("mã", max_length=20, blank=True)
    code_scheme = models.CharField(
        "hệ mã", max_length=10, choices=CodeScheme.choices, default=CodeScheme.LOCAL
    )
    name = models.CharField("tên", max_length=255)
    short_name = models.CharField(
        "tên riêng",
        max_length=255,
        blank=True,
        help_text="Tên không kèm loại đơn vị, dùng làm địa danh (ví dụ: Đồng Nai).",
    )
    abbreviation = models.CharField(
        "viết tắt trong ký hiệu văn bản",
        max_length=30,
        blank=True,
        help_text="Ví dụ: UBND, SNV, HĐTĐKT.",
    )
    kind = models.CharField("loại", max_length=30, choices=UnitKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name="đơn vị cấp trên",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(max_length=255, unique=True, editable=False)
    depth = models.PositiveSmallIntegerField(editable=False)
    valid_from = models.DateField("hiệu lực từ", null=True, blank=True)
    valid_to = models.DateField("hiệu lực đến", null=True, blank=True)
    merged_from = models.ManyToManyField(
        "self",
        verbose_name="hình thành từ",
        symmetrical=False,
        blank=True,
        related_name="merged_into",
    )
    address = models.CharField("địa chỉ", max_length=255, blank=True)
    phone = models.CharField("điện thoại", max_length=50, blank=True)
    email = models.EmailField("thư điện tử", blank=True)
    fax = models.CharField("số fax", max_length=50, blank=True)
    website = models.CharField("trang thông tin điện tử", max_length=200, blank=True)
    search_name = models.CharField(max_length=255, editable=False, db_index=True)

    history = HistoricalRecords()
    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = "đơn vị"
        verbose_name_plural = "đơn vị"
        ordering = ["path"]
        # The unit search's order: its page is read along the index, not sorted from every
        # match (#16).
        indexes = [models.Index(fields=["name", "path"], name="unit_name_path")]
        constraints = [
            models.UniqueConstraint(
                fields=["code_scheme", "code"],
                condition=~Q(code=""),
                name="unit_code_unique_per_scheme",
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="unit_validity_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.search_name = fold(f"{self.name} {self.short_name}")
        super().save(*args, **kwargs)

    @property
    def is_administrative(self) -> bool:
        return self.kind in ADMINISTRATIVE_KINDS

    @property
    def is_agency(self) -> bool:
        return self.kind in AGENCY_KINDS

    def is_valid_on(self, day: datetime.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or self.valid_to >= day
        )

    @property
    def is_current(self) -> bool:
        return self.is_valid_on(timezone.localdate())

    def ancestor_paths(self) -> list[str]:
        return [self.path[:end] for end in range(PATH_STEP, len(self.path), PATH_STEP)]

    def ancestors(self) -> UnitQuerySet:
        return Unit.objects.filter(path__in=self.ancestor_paths())

    def contains(self, other: Unit) -> bool:
        return other.path.startswith(self.path)

    def administrative_home(self) -> Unit:
        """The administrative unit this unit belongs to (itself if it is one)."""
        if self.is_administrative or self.parent_id is None:
            return self
        home = self.parent
        while not home.is_administrative and home.parent_id is not None:
            home = home.parent
        return home

    def as_of(self, day: datetime.date) -> Unit:
        """This unit as recorded at the end of `day` (names change; documents keep theirs)."""
        moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time.max))
        try:
            return self.history.as_of(moment)
        except Unit.DoesNotExist:
            return self

    def contact_lines(self, day: datetime.date | None = None) -> list[str]:
        """Box 13 of Decree 30 as recorded on `day`: the address on one line, then "ĐT: …;
        Fax: …" and "E-mail: …; Website: …" (the decree's sample, Phụ lục I); what is not
        recorded is left out, and a unit with nothing recorded prints nothing."""
        unit = self.as_of(day or timezone.localdate())
        lines = [unit.address] if unit.address else []
        for pair in (
            (("ĐT", unit.phone), ("Fax", unit.fax)),
            (("E-mail", unit.email), ("Website", unit.website)),
        ):
            parts = [f"{label}: {value}" for label, value in pair if value]
            if parts:
                lines.append("; ".join(parts))
        return lines

    def issuing_body(self, day: datetime.date | None = None) -> IssuingBody:
        """The header lines of an official document issued by this unit on `day`."""
        day = day or timezone.localdate()
        unit = self.as_of(day)
        if unit.is_administrative:
            return IssuingBody(
                parent_name="",
                issuer_name=f"ỦY BAN NHÂN DÂN\n{unit.name.upper()}",
                issuer_abbreviation=unit.abbreviation or "UBND",
                place_name=unit.short_name or unit.name,
            )
        home = self.administrative_home().as_of(day)
        parent = unit.parent.as_of(day) if unit.parent_id else None
        if parent is not None and parent.is_administrative:
            parent_name = f"UBND {parent.name.upper()}"
        else:
            parent_name = parent.name.upper() if parent else ""
        return IssuingBody(
            parent_name=parent_name,
            issuer_name=unit.name.upper(),
            issuer_abbreviation=unit.abbreviation,
            place_name=home.short_name or home.name,
        )


class BlocKind(models.TextChoices):
    CLUSTER = "cluster", "Cụm thi đua"
    BLOC = "bloc", "Khối thi đua"


class RotationRule(models.TextChoices):
    MEMBER_ORDER = "member_order", "Luân phiên theo thứ tự thành viên"
    ELECTED = "elected", "Bầu tại hội nghị tổng kết"


class BlocQuerySet(models.QuerySet):
    def visible_to(self, user) -> BlocQuerySet:
        """Visible to officials of the organising unit's subtree and of any member unit."""
        if access.sees_everything(user):
            return self
        member_units = Unit.objects.filter(access.unit_scope(user, "path"))
        return self.filter(
            Q(access.unit_scope(user, "organiser__path")) | Q(members__unit__in=member_units)
        ).distinct()

    def seen_by(self, user, bloc: Bloc) -> bool:
        """Whether `bloc` (read with its organiser) is among `visible_to(user)`: decided on the
        organiser's path when the user sees it, else on the member units (one small query).
        A page of one bloc's giao ước paid more to compile the joined subquery of
        `visible_to` than to read the giao ước itself (#16)."""
        roots = access.view_roots(user)
        if roots is None or any(bloc.organiser.path.startswith(root) for root in roots):
            return True
        members = BlocMember.objects.filter(bloc=bloc)
        return members.filter(access.unit_scope(user, "unit__path")).exists()


class Bloc(models.Model):
    """An emulation cluster (cụm, by territory) or bloc (khối, by sector) of units."""

    organiser = models.ForeignKey(
        Unit, verbose_name="đơn vị tổ chức", on_delete=models.PROTECT, related_name="blocs"
    )
    kind = models.CharField("loại", max_length=10, choices=BlocKind.choices)
    name = models.CharField("tên", max_length=255)
    description = models.TextField("mô tả", blank=True)
    rotation_rule = models.CharField(
        "cách luân phiên trưởng cụm/khối",
        max_length=20,
        choices=RotationRule.choices,
        default=RotationRule.MEMBER_ORDER,
    )
    is_active = models.BooleanField("đang hoạt động", default=True)
    search_name = models.CharField(max_length=255, editable=False, db_index=True)

    history = HistoricalRecords()
    objects = BlocQuerySet.as_manager()

    class Meta:
        verbose_name = "cụm, khối thi đua"
        verbose_name_plural = "cụm, khối thi đua"
        ordering = ["organiser__path", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organiser", "name"], name="bloc_name_unique"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.search_name = fold(self.name)
        super().save(*args, **kwargs)


class BlocMemberQuerySet(models.QuerySet):
    def visible_to(self, user) -> BlocMemberQuerySet:
        """A seat is visible wherever its bloc is."""
        return self.filter(bloc__in=Bloc.objects.visible_to(user).values("pk"))


class BlocMember(models.Model):
    bloc = models.ForeignKey(Bloc, on_delete=models.CASCADE, related_name="members")
    unit = models.ForeignKey(
        Unit, verbose_name="đơn vị thành viên", on_delete=models.PROTECT, related_name="bloc_seats"
    )
    position = models.PositiveSmallIntegerField("thứ tự", default=0)
    joined_on = models.DateField("tham gia từ", null=True, blank=True)
    left_on = models.DateField("rời khỏi", null=True, blank=True)

    history = HistoricalRecords()
    objects = BlocMemberQuerySet.as_manager()

    class Meta:
        verbose_name = "thành viên cụm, khối"
        verbose_name_plural = "thành viên cụm, khối"
        ordering = ["bloc", "position", "unit__name"]
        constraints = [
            models.UniqueConstraint(fields=["bloc", "unit"], name="bloc_member_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} – {self.bloc}"


class BlocTerm(models.Model):
    """The bloc's head (trưởng) and deputy (phó) for one year; they rotate yearly."""

    bloc = models.ForeignKey(Bloc, on_delete=models.CASCADE, related_name="terms")
    year = models.PositiveSmallIntegerField("năm")
    head = models.ForeignKey(
        Unit, verbose_name="trưởng cụm/khối", on_delete=models.PROTECT, related_name="+"
    )
    deputy = models.ForeignKey(
        Unit,
        verbose_name="phó cụm/khối",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "nhiệm kỳ trưởng, phó cụm/khối"
        verbose_name_plural = "nhiệm kỳ trưởng, phó cụm/khối"
        ordering = ["bloc", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["bloc", "year"], name="bloc_term_unique_year"),
            models.CheckConstraint(
                condition=~Q(head=models.F("deputy")), name="bloc_term_head_not_deputy"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.bloc} – {self.year}"
