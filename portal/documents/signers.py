"""Who signs a unit's paper on a given day, and in what capacity (Decree 30/2020, Art. 13).

The signer is a named person holding a leadership post (`Post`) in the issuing unit on the
paper's date, never the account that drafted it. The capacity follows from the post and from
whether the paper is the collective body's or its head's:

- a People's Committee is a collective body: its Tờ trình, Công văn, Báo cáo, Kế hoạch are
  signed "TM. ỦY BAN NHÂN DÂN" over "CHỦ TỊCH" (or "KT. CHỦ TỊCH / PHÓ CHỦ TỊCH" for a
  deputy);
- a decision of the Chairman (the award decisions: "CHỦ TỊCH ỦY BAN NHÂN DÂN …" decides) and
  every paper of a department run by its head are signed by the head in their own name:
  "CHỦ TỊCH", "GIÁM ĐỐC"; a deputy "KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC"; an acting head
  "Q. GIÁM ĐỐC";
- TL. (by order, e.g. a Chánh Văn phòng) and TUQ. (by written authorisation) sign for the head.

Nobody signs a decision that confers an award on themselves: `excluded` people are passed
over for the default and refused when chosen.
"""

from __future__ import annotations

import datetime
from collections.abc import Collection
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from portal.errors import RuleViolation
from portal.models import ADMINISTRATIVE_KINDS, Person, Post, PostRank, Unit, UnitKind
from portal.models.people import RANK_ORDER

COLLECTIVE_NAME = "ỦY BAN NHÂN DÂN"

# The head of a unit run by one person, by the kind of unit (Law Art. 80.1).
HEAD_TITLES = {
    UnitKind.DEPARTMENT: "GIÁM ĐỐC",
    UnitKind.PUBLIC_SERVICE: "GIÁM ĐỐC",
    UnitKind.ENTERPRISE: "GIÁM ĐỐC",
    UnitKind.OFFICE: "TRƯỞNG PHÒNG",
    UnitKind.MASS_ORGANISATION: "CHỦ TỊCH",
}

# Who signs by default: the head, then the acting head, then a deputy (KT.).
DEFAULT_RANKS = (PostRank.HEAD, PostRank.ACTING, PostRank.DEPUTY)


def head_title(unit: Unit, day: datetime.date | None = None) -> str:
    """The head's position printed for `unit` ("CHỦ TỊCH", "GIÁM ĐỐC", "CHÁNH VĂN PHÒNG")."""
    if unit.kind in ADMINISTRATIVE_KINDS:
        return "CHỦ TỊCH"
    if day is not None:
        head = Post.objects.held_on(day).filter(unit=unit, rank=PostRank.HEAD).first()
        if head is not None:
            return head.title.upper()
    return HEAD_TITLES.get(unit.kind, "THỦ TRƯỞNG")


def is_collective(unit: Unit) -> bool:
    return unit.kind in ADMINISTRATIVE_KINDS


@dataclass(frozen=True)
class Signature:
    """The signature block of one paper: the fields `create_draft` takes, and who it is."""

    person: Person
    post: Post
    capacity: str
    authority: str
    position: str

    @property
    def name(self) -> str:
        return self.person.full_name

    def draft_fields(self) -> dict:
        return {
            "signer": self.person,
            "signer_name": self.person.full_name,
            "signer_capacity": self.capacity,
            "signer_authority": self.authority,
            "signer_position": self.position,
        }

    @property
    def title_lines(self) -> list[str]:
        lines = [f"{self.capacity} {self.authority}".strip()] if self.capacity else []
        return lines + [line for line in self.position.split("\n") if line]


def leaders_on(unit: Unit, day: datetime.date) -> list[Post]:
    """The unit's leadership on `day`, head first."""
    posts = Post.objects.held_on(day).filter(unit=unit).select_related("person")
    return sorted(posts, key=lambda p: (RANK_ORDER.index(p.rank), p.starts_on, p.pk))


MARKS = {PostRank.DEPUTY: "KT.", PostRank.BY_ORDER: "TL.", PostRank.AUTHORISED: "TUQ."}


def _block(post: Post, unit: Unit, day: datetime.date, collective: bool) -> tuple[str, str, str]:
    """(capacity, authority, position) of `post` signing a paper of `unit`."""
    head = head_title(unit, day)
    own = head if unit.kind in ADMINISTRATIVE_KINDS else post.title.upper()
    if collective and is_collective(unit) and post.rank != PostRank.BY_ORDER:
        # "TM. ỦY BAN NHÂN DÂN" heads the block; the signer's own lines follow under it.
        lines = {PostRank.HEAD: own, PostRank.ACTING: f"Q. {head}"}.get(post.rank)
        return "TM.", COLLECTIVE_NAME, lines or f"{MARKS[post.rank]} {head}\n{post.title.upper()}"
    if post.rank == PostRank.HEAD:
        return "", "", own
    if post.rank == PostRank.ACTING:
        return "Q.", head, ""
    return MARKS[post.rank], head, post.title.upper()


def signature(
    unit: Unit,
    day: datetime.date,
    *,
    person: Person | None = None,
    collective: bool = True,
    excluded: Collection[int] = (),
    ranks: Collection[str] = DEFAULT_RANKS,
) -> Signature:
    """The signature of a paper `unit` issues on `day`.

    `person` chooses the signer among the unit's leaders on the day; without one the head signs
    (or the acting head, or a deputy). `collective` is False for papers the head issues in their
    own name (the Chairman's decisions). `excluded` are people who may not sign this paper
    (the awardees of a decision).
    """
    leaders = leaders_on(unit, day)
    if person is not None:
        post = next((p for p in leaders if p.person_id == person.pk), None)
        if post is None:
            raise RuleViolation(
                f"{person.full_name} không giữ chức vụ lãnh đạo tại {unit.name} ngày "
                f"{day:%d/%m/%Y}; chọn người ký trong lãnh đạo đơn vị.",
                code="signer_not_leader",
            )
        if person.pk in excluded:
            raise RuleViolation(
                f"{person.full_name} có tên trong danh sách được khen thưởng của quyết định này "
                "nên không ký quyết định khen cho chính mình; hãy chọn cấp phó ký thay (KT.).",
                code="signer_is_awardee",
            )
    else:
        candidates = [p for p in leaders if p.rank in ranks and p.person_id not in excluded]
        if not candidates:
            if any(p.person_id in excluded for p in leaders):
                raise RuleViolation(
                    f"Lãnh đạo của {unit.name} ngày {day:%d/%m/%Y} có tên trong danh sách được "
                    "khen thưởng và không có cấp phó ký thay; hãy nhập chức vụ cấp phó trước.",
                    code="no_signer_besides_awardees",
                )
            raise RuleViolation(
                f"Chưa có lãnh đạo của {unit.name} giữ chức vụ ngày {day:%d/%m/%Y} để ký văn "
                "bản; hãy nhập chức vụ lãnh đạo (Quản trị → Chức vụ lãnh đạo).",
                code="no_signer",
            )
        post = candidates[0]
    capacity, authority, position = _block(post, unit, day, collective)
    return Signature(post.person, post, capacity, authority, position)


def _joined(title: str, name: str) -> str:
    """ "Chánh Văn phòng" + "Văn phòng HĐND và UBND phường X" → "Chánh Văn phòng HĐND và UBND
    phường X"; "Trưởng phòng" + "Phòng Văn hóa - Xã hội" → "Trưởng phòng Văn hóa - Xã hội"."""
    words = title.split()
    for cut in range(1, len(words)):
        tail = " ".join(words[cut:])
        if name.lower().startswith(tail.lower()):
            return f"{title}{name[len(tail) :]}"
    return f"{title} {name}"


def head_phrase(unit: Unit, day: datetime.date | None = None) -> str:
    """ "Chủ tịch Ủy ban nhân dân phường Xuân Trung", "Giám đốc Sở Nội vụ": the head of
    `unit`, in running text and on the "Kính gửi:" line."""
    if unit.kind in ADMINISTRATIVE_KINDS:
        return f"Chủ tịch Ủy ban nhân dân {unit.name[:1].lower()}{unit.name[1:]}"
    head = None
    if day is not None:
        head = Post.objects.held_on(day).filter(unit=unit, rank=PostRank.HEAD).first()
    return _joined(head.title if head else head_title(unit).capitalize(), unit.name)


def possible_signers(units: Collection[Unit], day: datetime.date) -> QuerySet[Person]:
    """Who may be chosen to sign a paper one of `units` issues on `day`: their leaders, and
    those of the bodies `staff_office` may put a unit's own proposals through (Sở Nội vụ, its
    offices). One query over a handful of units, never every leader a province user sees
    (#16); `signature` still decides whether the one chosen signs this paper."""
    posts = Post.objects.held_on(day).filter(
        Q(unit__in=units)
        | Q(unit__parent__in=units, unit__kind=UnitKind.OFFICE)
        | Q(unit__parent__in=units, unit__kind=UnitKind.DEPARTMENT, unit__abbreviation="SNV")
    )
    return Person.objects.filter(posts__in=posts).distinct().order_by("full_name")


def staff_office(unit: Unit, day: datetime.date) -> Unit | None:
    """The body that puts `unit`'s own proposals to its head: the Sở Nội vụ of a province-level
    unit, else its Văn phòng, else its only office; it must have a head on the day."""

    def led(candidate: Unit) -> bool:
        return Post.objects.held_on(day).filter(unit=candidate, rank=PostRank.HEAD).exists()

    children = Unit.objects.filter(parent=unit).valid_on(day)
    home_affairs = [
        c for c in children.filter(kind=UnitKind.DEPARTMENT, abbreviation="SNV") if led(c)
    ]
    offices = [c for c in children.filter(kind=UnitKind.OFFICE) if led(c)]
    secretariat = [o for o in offices if o.name.lower().startswith("văn phòng")]
    for found in (home_affairs, secretariat):
        if found:
            return found[0]
    return offices[0] if len(offices) == 1 else None
