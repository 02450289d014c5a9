"""Users of the portal, the people it records, and who holds which role in which unit."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from simple_history.models import HistoricalRecords

from portal import access
from portal.access import Role
from portal.text import fold

from .units import Unit


class User(AbstractUser):
    """A portal account. Officials sign in with a user name; their full name is one field."""

    full_name = models.CharField("họ và tên", max_length=150, blank=True)

    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta:
        verbose_name = "tài khoản"
        verbose_name_plural = "tài khoản"

    def get_full_name(self) -> str:
        return self.full_name or self.username

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[-1] if self.full_name else self.username

    def __str__(self) -> str:
        return self.get_full_name()


class MembershipQuerySet(models.QuerySet):
    def visible_to(self, user) -> MembershipQuerySet:
        return self.filter(access.unit_scope(user, "unit__path"))


class Membership(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    unit = models.ForeignKey(
        Unit, verbose_name="đơn vị", on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField("vai trò", max_length=20, choices=Role.choices)

    history = HistoricalRecords()
    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = "phân quyền"
        verbose_name_plural = "phân quyền"
        ordering = ["unit__path", "role"]
        constraints = [
            models.UniqueConstraint(fields=["user", "unit", "role"], name="membership_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} – {self.unit}"


class Gender(models.TextChoices):
    MALE = "male", "Nam"
    FEMALE = "female", "Nữ"


class PersonQuerySet(models.QuerySet):
    def visible_to(self, user) -> PersonQuerySet:
        return self.filter(access.unit_scope(user, "unit__path"))

    def search(self, query: str) -> PersonQuerySet:
        folded = fold(query)
        return self.filter(search_name__contains=folded) if folded else self


class Person(models.Model):
    """Someone who can register for a title or be nominated. Only what the process needs.

    Their records point at the person, not at the unit, so they follow a move to another unit.
    """

    full_name = models.CharField("họ và tên", max_length=150)
    gender = models.CharField("giới tính", max_length=10, choices=Gender.choices)
    birth_year = models.PositiveSmallIntegerField("năm sinh", null=True, blank=True)
    ethnicity = models.CharField("dân tộc", max_length=50, default="Kinh")
    position = models.CharField("chức vụ", max_length=150, blank=True)
    unit = models.ForeignKey(
        Unit, verbose_name="đơn vị công tác", on_delete=models.PROTECT, related_name="people"
    )
    is_manager = models.BooleanField("là lãnh đạo, quản lý", default=False)
    is_direct_worker = models.BooleanField("là người lao động trực tiếp", default=False)
    user = models.OneToOneField(
        User,
        verbose_name="tài khoản",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )
    is_active = models.BooleanField("đang công tác", default=True)
    search_name = models.CharField(max_length=150, editable=False, db_index=True)

    history = HistoricalRecords()
    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = "cá nhân"
        verbose_name_plural = "cá nhân"
        ordering = ["unit__path", "full_name"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(is_manager=True, is_direct_worker=True),
                name="person_manager_not_direct_worker",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args, **kwargs) -> None:
        self.search_name = fold(self.full_name)
        super().save(*args, **kwargs)


class PostRank(models.TextChoices):
    """Where a post sits in a unit's leadership: it decides the capacity printed above the
    signature (Decree 30/2020, Art. 13)."""

    HEAD = "head", "Người đứng đầu"
    ACTING = "acting", "Quyền người đứng đầu (Q.)"
    DEPUTY = "deputy", "Cấp phó (ký thay – KT.)"
    BY_ORDER = "by_order", "Chánh Văn phòng, trưởng phòng (thừa lệnh – TL.)"
    AUTHORISED = "authorised", "Được ủy quyền bằng văn bản (TUQ.)"


RANK_ORDER = (
    PostRank.HEAD,
    PostRank.ACTING,
    PostRank.DEPUTY,
    PostRank.BY_ORDER,
    PostRank.AUTHORISED,
)


class PostQuerySet(models.QuerySet):
    def visible_to(self, user) -> PostQuerySet:
        return self.filter(access.unit_scope(user, "unit__path"))

    def held_on(self, day) -> PostQuerySet:
        return self.filter(starts_on__lte=day).filter(
            models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=day)
        )


class Post(models.Model):
    """A leadership post a named person holds in a unit over a period (chức vụ lãnh đạo).

    Papers are signed by the person holding the post on the paper's date, never by the account
    that drafted them; a post that ends is closed with `ends_on`, so an old paper still names
    who led the unit on its day.
    """

    person = models.ForeignKey(
        Person, verbose_name="cá nhân", on_delete=models.PROTECT, related_name="posts"
    )
    unit = models.ForeignKey(
        Unit, verbose_name="đơn vị", on_delete=models.PROTECT, related_name="posts"
    )
    rank = models.CharField("vị trí", max_length=12, choices=PostRank.choices)
    title = models.CharField(
        "chức danh", max_length=150, help_text="Ví dụ: Chủ tịch, Phó Chủ tịch, Giám đốc."
    )
    starts_on = models.DateField("từ ngày")
    ends_on = models.DateField("đến ngày", null=True, blank=True)

    history = HistoricalRecords()
    objects = PostQuerySet.as_manager()

    class Meta:
        verbose_name = "chức vụ lãnh đạo"
        verbose_name_plural = "chức vụ lãnh đạo"
        ordering = ["unit__path", "rank", "-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="post_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} – {self.title} {self.unit}"

    def is_held_on(self, day) -> bool:
        return self.starts_on <= day and (self.ends_on is None or self.ends_on >= day)
