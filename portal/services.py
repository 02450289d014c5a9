"""Every write to the organisation tree, people and roles goes through one of these."""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from portal import access
from portal.access import Cap
from portal.audit import stamp
from portal.errors import RuleViolation
from portal.models import (
    ADMINISTRATIVE_KINDS,
    AGENCY_KINDS,
    SETTLEMENT_KINDS,
    Bloc,
    BlocMember,
    BlocTerm,
    Membership,
    Person,
    Post,
    PostRank,
    Unit,
    UnitKind,
)
from portal.models.units import PATH_STEP, path_step, step_index
from portal.text import normalize_multiline, normalize_text

UNIT_FIELDS = ("name", "short_name", "abbreviation", "address", "phone", "email", "code")
PERSON_FIELDS = (
    "full_name",
    "gender",
    "birth_year",
    "ethnicity",
    "position",
    "is_manager",
    "is_direct_worker",
)


def next_child_paths(parent: Unit | None, count: int = 1) -> list[str]:
    """The next `count` free paths under `parent` (roots when None).

    The caller holds the parent's row lock (or, for roots, works in a single loader) so that
    two writers cannot take the same path; the unique constraint on `path` backs this up.
    """
    siblings = Unit.objects.filter(parent=parent) if parent else Unit.objects.filter(depth=1)
    last = siblings.order_by("-path").values_list("path", flat=True).first()
    start = step_index(last[-PATH_STEP:]) + 1 if last else 1
    prefix = parent.path if parent else ""
    return [prefix + path_step(start + offset) for offset in range(count)]


def _clean(value):
    return normalize_text(value) if isinstance(value, str) else value


@transaction.atomic
def create_unit(parent: Unit | None, *, actor, kind: str, name: str, **fields) -> Unit:
    """Add a unit under `parent` (an agency, a village, or a root province for loaders)."""
    if parent is not None:
        parent = Unit.objects.select_for_update().get(pk=parent.pk)
        if not parent.is_current:
            raise RuleViolation(
                f"Đơn vị “{parent}” đã giải thể hoặc sáp nhập, không thể thêm.",
                code="parent_closed",
            )
        if actor is not None:
            access.require(actor, Cap.MANAGE_AGENCIES, parent)
    elif actor is not None and not access.sees_everything(actor):
        raise RuleViolation(
            "Chỉ quản trị hệ thống được tạo đơn vị cấp tỉnh.", code="province_created_by_admin"
        )
    _check_kind_under(parent, kind)
    name = _clean(name)
    if not name:
        raise RuleViolation("Tên đơn vị không được để trống.", code="unit_name_required")
    unit = Unit(
        parent=parent,
        kind=kind,
        name=name,
        path=next_child_paths(parent)[0],
        depth=(parent.depth + 1) if parent else 1,
        **{key: _clean(value) for key, value in fields.items()},
    )
    stamp(unit, actor=actor, reason="portal.unit.created")
    try:
        with transaction.atomic():
            unit.save()
    except IntegrityError as error:
        raise RuleViolation(
            "Mã đơn vị đã được dùng cho một đơn vị khác.", code="unit_code_taken"
        ) from error
    return unit


def _check_kind_under(parent: Unit | None, kind: str) -> None:
    if parent is None:
        return
    if kind in SETTLEMENT_KINDS and parent.kind not in {
        UnitKind.COMMUNE,
        UnitKind.WARD,
        UnitKind.TOWNSHIP,
        UnitKind.SPECIAL_ZONE,
    }:
        raise RuleViolation(
            "Thôn, tổ dân phố chỉ thuộc xã, phường, thị trấn hoặc đặc khu.",
            code="hamlet_parent_invalid",
        )
    if kind in ADMINISTRATIVE_KINDS and parent.kind not in ADMINISTRATIVE_KINDS:
        raise RuleViolation(
            "Đơn vị hành chính không thể trực thuộc một cơ quan.",
            code="administrative_under_agency",
        )
    if kind not in AGENCY_KINDS | SETTLEMENT_KINDS | ADMINISTRATIVE_KINDS:
        raise RuleViolation("Loại đơn vị không hợp lệ.", code="unit_kind_invalid")


@transaction.atomic
def update_unit(unit: Unit, *, actor, **changes) -> Unit:
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    if unit.parent is None:
        if not access.sees_everything(actor):
            raise RuleViolation(
                "Chỉ quản trị hệ thống được sửa đơn vị cấp tỉnh.", code="province_edited_by_admin"
            )
    else:
        access.require(actor, Cap.MANAGE_AGENCIES, unit.parent)
    unknown = set(changes) - set(UNIT_FIELDS)
    if unknown:
        raise RuleViolation(
            f"Không được sửa các trường: {', '.join(sorted(unknown))}.", code="field_not_editable"
        )
    if unit.is_administrative and "code" in changes and changes["code"] != unit.code:
        raise RuleViolation(
            "Mã đơn vị hành chính theo danh mục quốc gia, không được sửa.",
            code="national_code_fixed",
        )
    for key, value in changes.items():
        setattr(unit, key, _clean(value))
    if not unit.name:
        raise RuleViolation("Tên đơn vị không được để trống.", code="unit_name_required")
    stamp(unit, actor=actor, reason="portal.unit.updated")
    try:
        with transaction.atomic():
            unit.save()
    except IntegrityError as error:
        raise RuleViolation(
            "Mã đơn vị đã được dùng cho một đơn vị khác.", code="unit_code_taken"
        ) from error
    return unit


@transaction.atomic
def close_unit(unit: Unit, *, actor, closed_on: datetime.date, reason: str) -> Unit:
    """Close a dissolved or merged unit; it keeps its records and history, never deleted."""
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    if unit.parent is not None:
        access.require(actor, Cap.MANAGE_AGENCIES, unit.parent)
    elif not access.sees_everything(actor):
        raise RuleViolation(
            "Chỉ quản trị hệ thống được đóng đơn vị cấp tỉnh.", code="province_closed_by_admin"
        )
    reason = _clean(reason)
    if not reason:
        raise RuleViolation("Cần nêu lý do giải thể hoặc sáp nhập.", code="closing_reason_required")
    if unit.valid_to is not None:
        raise RuleViolation(
            f"Đơn vị đã đóng từ ngày {unit.valid_to:%d/%m/%Y}.", code="unit_already_closed"
        )
    if unit.valid_from and closed_on < unit.valid_from:
        raise RuleViolation(
            "Ngày đóng không được trước ngày đơn vị có hiệu lực.", code="closing_before_valid"
        )
    if Unit.objects.descendants(unit).filter(valid_to__isnull=True).exists():
        raise RuleViolation(
            "Còn đơn vị trực thuộc đang hoạt động; hãy đóng hoặc chuyển chúng trước.",
            code="unit_has_open_children",
        )
    unit.valid_to = closed_on
    stamp(unit, actor=actor, reason=f"portal.unit.closed: {reason}")
    unit.save(update_fields=["valid_to"])
    return unit


@transaction.atomic
def create_bloc(organiser: Unit, *, actor, kind: str, name: str, description: str = "") -> Bloc:
    access.require(actor, Cap.MANAGE_BLOCS, organiser)
    name = _clean(name)
    if not name:
        raise RuleViolation("Tên cụm, khối không được để trống.", code="bloc_name_required")
    if Bloc.objects.filter(organiser=organiser, name=name).exists():
        raise RuleViolation(f"Đơn vị đã có cụm, khối tên “{name}”.", code="bloc_name_taken")
    bloc = Bloc(
        organiser=organiser, kind=kind, name=name, description=normalize_multiline(description)
    )
    stamp(bloc, actor=actor, reason="portal.bloc.created")
    bloc.save()
    return bloc


@transaction.atomic
def update_bloc(bloc: Bloc, *, actor, **changes) -> Bloc:
    bloc = Bloc.objects.select_for_update().get(pk=bloc.pk)
    access.require(actor, Cap.MANAGE_BLOCS, bloc.organiser)
    for key in ("name", "kind", "rotation_rule", "is_active"):
        if key in changes:
            setattr(bloc, key, _clean(changes[key]))
    if "description" in changes:
        bloc.description = normalize_multiline(changes["description"])
    if not bloc.name:
        raise RuleViolation("Tên cụm, khối không được để trống.", code="bloc_name_required")
    if Bloc.objects.filter(organiser=bloc.organiser, name=bloc.name).exclude(pk=bloc.pk).exists():
        raise RuleViolation(f"Đơn vị đã có cụm, khối tên “{bloc.name}”.", code="bloc_name_taken")
    stamp(bloc, actor=actor, reason="portal.bloc.updated")
    bloc.save()
    return bloc


@transaction.atomic
def add_bloc_member(bloc: Bloc, *, actor, unit: Unit, joined_on=None) -> BlocMember:
    bloc = Bloc.objects.select_for_update().get(pk=bloc.pk)
    access.require(actor, Cap.MANAGE_BLOCS, bloc.organiser)
    if not bloc.organiser.contains(unit):
        raise RuleViolation(
            "Chỉ đơn vị thuộc phạm vi đơn vị tổ chức mới được vào cụm, khối.",
            code="bloc_member_out_of_scope",
        )
    # A former unit's bloc is kept as history: a unit closed in 2025 joins it as of a day it
    # still existed.
    if not unit.is_valid_on(joined_on or timezone.localdate()):
        raise RuleViolation(
            f"Đơn vị “{unit}” đã giải thể hoặc sáp nhập"
            + (f" trước ngày {joined_on:%d/%m/%Y}." if joined_on else "; hãy ghi ngày tham gia."),
            code="bloc_member_closed",
        )
    if bloc.members.filter(unit=unit).exists():
        raise RuleViolation(f"“{unit}” đã là thành viên của {bloc}.", code="bloc_member_exists")
    position = bloc.members.order_by("-position").values_list("position", flat=True).first() or 0
    member = BlocMember(bloc=bloc, unit=unit, position=position + 1, joined_on=joined_on)
    stamp(member, actor=actor, reason="portal.bloc.member_added")
    member.save()
    return member


@transaction.atomic
def remove_bloc_member(member: BlocMember, *, actor, left_on: datetime.date) -> BlocMember:
    member = (
        BlocMember.objects.select_for_update().select_related("bloc__organiser").get(pk=member.pk)
    )
    access.require(actor, Cap.MANAGE_BLOCS, member.bloc.organiser)
    if member.left_on is not None:
        raise RuleViolation("Đơn vị đã rời cụm, khối.", code="bloc_member_left")
    member.left_on = left_on
    stamp(member, actor=actor, reason="portal.bloc.member_left")
    member.save(update_fields=["left_on"])
    return member


@transaction.atomic
def set_bloc_term(bloc: Bloc, *, actor, year: int, head: Unit, deputy: Unit | None) -> BlocTerm:
    bloc = Bloc.objects.select_for_update().get(pk=bloc.pk)
    access.require(actor, Cap.MANAGE_BLOCS, bloc.organiser)
    member_ids = set(bloc.members.filter(left_on__isnull=True).values_list("unit_id", flat=True))
    if head.pk not in member_ids or (deputy is not None and deputy.pk not in member_ids):
        raise RuleViolation(
            "Trưởng và phó cụm, khối phải là thành viên đang hoạt động.",
            code="bloc_head_not_member",
        )
    if deputy is not None and deputy.pk == head.pk:
        raise RuleViolation(
            "Trưởng và phó cụm, khối phải là hai đơn vị khác nhau.", code="bloc_head_is_deputy"
        )
    term = BlocTerm.objects.filter(bloc=bloc, year=year).first() or BlocTerm(bloc=bloc, year=year)
    term.head, term.deputy = head, deputy
    stamp(term, actor=actor, reason="portal.bloc.term_set")
    term.save()
    return term


@transaction.atomic
def rotate_bloc_term(bloc: Bloc, *, actor, year: int) -> BlocTerm:
    """Next year's head and deputy by member order: the deputy moves up, the next member follows."""
    bloc = Bloc.objects.select_for_update().select_related("organiser").get(pk=bloc.pk)
    access.require(actor, Cap.MANAGE_BLOCS, bloc.organiser)
    members = list(
        bloc.members.filter(left_on__isnull=True)
        .order_by("position")
        .values_list("unit_id", flat=True)
    )
    if len(members) < 2:
        raise RuleViolation(
            "Cụm, khối cần ít nhất hai thành viên để luân phiên.", code="bloc_rotation_too_small"
        )
    previous = bloc.terms.filter(year=year - 1).first()
    if previous is None:
        head_index = 0
    else:
        head_index = (members.index(previous.head_id) + 1) if previous.head_id in members else 0
    head_id = members[head_index % len(members)]
    deputy_id = members[(head_index + 1) % len(members)]
    units = Unit.objects.in_bulk([head_id, deputy_id])
    return set_bloc_term(bloc, actor=actor, year=year, head=units[head_id], deputy=units[deputy_id])


@transaction.atomic
def create_person(unit: Unit, *, actor, **fields) -> Person:
    access.require(actor, Cap.MANAGE_PEOPLE, unit)
    person = Person(unit=unit, **{key: _clean(value) for key, value in fields.items()})
    _check_person(person)
    stamp(person, actor=actor, reason="portal.person.created")
    person.save()
    return person


@transaction.atomic
def update_person(person: Person, *, actor, **changes) -> Person:
    person = Person.objects.select_for_update().get(pk=person.pk)
    access.require(actor, Cap.MANAGE_PEOPLE, person.unit)
    for key, value in changes.items():
        if key not in PERSON_FIELDS:
            raise RuleViolation(f"Không được sửa các trường: {key}.", code="field_not_editable")
        setattr(person, key, _clean(value))
    _check_person(person)
    stamp(person, actor=actor, reason="portal.person.updated")
    person.save()
    return person


@transaction.atomic
def move_person(person: Person, *, actor, to_unit: Unit) -> Person:
    """Transfer to another unit; the person's records follow because they point at the person."""
    person = Person.objects.select_for_update().get(pk=person.pk)
    access.require(actor, Cap.MANAGE_PEOPLE, person.unit)
    # The caller's copy of the unit may predate its closing: decide on the row as it stands,
    # locked so that a closing waits for the move.
    to_unit = Unit.objects.select_for_update().get(pk=to_unit.pk)
    access.require(actor, Cap.MANAGE_PEOPLE, to_unit)
    if not to_unit.is_current:
        raise RuleViolation(f"Đơn vị “{to_unit}” đã giải thể hoặc sáp nhập.", code="unit_closed")
    person.unit = to_unit
    stamp(person, actor=actor, reason="portal.person.moved")
    person.save(update_fields=["unit"])
    return person


def _check_person(person: Person) -> None:
    if not person.full_name:
        raise RuleViolation("Họ và tên không được để trống.", code="person_name_required")
    if person.is_manager and person.is_direct_worker:
        raise RuleViolation(
            "Một người không thể vừa là lãnh đạo, quản lý vừa là lao động trực tiếp.",
            code="manager_and_direct_worker",
        )
    if person.birth_year is not None and not 1900 <= person.birth_year <= 2100:
        raise RuleViolation("Năm sinh không hợp lệ.", code="birth_year_invalid")


# One head and one acting head at a time: they are who signs "for the unit" on a given day.
SINGLE_RANKS = (PostRank.HEAD, PostRank.ACTING)


@transaction.atomic
def appoint_post(
    unit: Unit,
    *,
    actor,
    person: Person,
    rank: str,
    title: str,
    starts_on: datetime.date,
    ends_on: datetime.date | None = None,
) -> Post:
    """Record that `person` holds a leadership post in `unit` from `starts_on` (to `ends_on`)."""
    access.require(actor, Cap.MANAGE_PEOPLE, unit)
    Unit.objects.select_for_update().get(pk=unit.pk)
    post = Post(
        unit=unit,
        person=person,
        rank=rank,
        title=normalize_text(title),
        starts_on=starts_on,
        ends_on=ends_on,
    )
    check_post(post)
    stamp(post, actor=actor, reason="portal.post.appointed")
    post.save()
    return post


@transaction.atomic
def end_post(post: Post, *, actor, ends_on: datetime.date) -> Post:
    """Close a post on its last day; the papers signed before keep their signer."""
    # The unit's row is the lock `appoint_post` takes: moving a last day later and appointing a
    # successor must queue on it, or the two could each see no overlap and both save.
    post = (
        Post.objects.select_for_update(of=("self", "unit")).select_related("unit").get(pk=post.pk)
    )
    access.require(actor, Cap.MANAGE_PEOPLE, post.unit)
    post.ends_on = ends_on
    check_post(post)
    stamp(post, actor=actor, reason="portal.post.ended")
    post.save(update_fields=["ends_on"])
    return post


def check_post(post: Post) -> None:
    if post.rank not in PostRank.values:
        raise RuleViolation("Vị trí lãnh đạo không hợp lệ.", code="post_rank_invalid")
    if not post.title:
        raise RuleViolation("Chức danh không được để trống.", code="post_title_required")
    if post.ends_on is not None and post.ends_on < post.starts_on:
        raise RuleViolation(
            "Ngày thôi giữ chức vụ phải sau ngày bắt đầu.", code="post_ends_before_start"
        )
    if post.rank in SINGLE_RANKS:
        overlapping = Post.objects.filter(unit=post.unit, rank=post.rank).exclude(pk=post.pk)
        overlapping = overlapping.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=post.starts_on))
        if post.ends_on is not None:
            overlapping = overlapping.filter(starts_on__lte=post.ends_on)
        other = overlapping.select_related("person").first()
        if other is not None:
            raise RuleViolation(
                f"{post.unit.name} đã có {other.get_rank_display().lower()} là "
                f"{other.person.full_name} ({other.title}) trong thời gian này; hãy ghi ngày "
                "thôi giữ chức vụ của người đó trước.",
                code="single_post_taken",
            )


@transaction.atomic
def grant_membership(unit: Unit, *, actor, user, role: str) -> Membership:
    access.require(actor, Cap.MANAGE_MEMBERSHIPS, unit)
    if Membership.objects.filter(user=user, unit=unit, role=role).exists():
        raise RuleViolation("Tài khoản đã có vai trò này tại đơn vị.", code="role_exists")
    membership = Membership(user=user, unit=unit, role=role)
    stamp(membership, actor=actor, reason="portal.membership.granted")
    membership.save()
    return membership


@transaction.atomic
def revoke_membership(membership: Membership, *, actor) -> None:
    # A revoked membership is deleted: a second revocation (two officers at once, a page left
    # open) finds no row once it has waited for the first's lock.
    membership = (
        Membership.objects.select_for_update()
        .select_related("unit")
        .filter(pk=membership.pk)
        .first()
    )
    if membership is None:
        raise RuleViolation("Vai trò này đã được thu hồi.", code="membership_already_revoked")
    access.require(actor, Cap.MANAGE_MEMBERSHIPS, membership.unit)
    if membership.user_id == getattr(actor, "pk", None) and Cap.LEAD_UNIT in access.grants_of(
        membership
    ):
        raise RuleViolation(
            "Không thể tự thu hồi vai trò lãnh đạo của chính mình.", code="own_leader_role"
        )
    stamp(membership, actor=actor, reason="portal.membership.revoked")
    membership.delete()
