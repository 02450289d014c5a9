"""The refusals of the registry's services (units, blocs, people, posts, roles): each rule
refuses with its own code, and the refused change leaves the rows as they were (#19)."""

from __future__ import annotations

import datetime

import pytest

from portal import services
from portal.models import Bloc, BlocMember, Membership, Person, Post, Role, Unit, UnitKind
from tests.refusals import refused

DAY = datetime.date(2026, 3, 2)


def test_a_unit_is_added_under_an_open_parent_of_the_right_kind_with_a_name(world):
    with refused("administrative_under_agency"):
        services.create_unit(world.ward_office, actor=world.admin, kind=UnitKind.WARD, name="X")
    with refused("unit_kind_invalid"):
        services.create_unit(world.ward, actor=world.admin, kind="khong-co", name="X")
    with refused("unit_name_required"):
        services.create_unit(world.ward, actor=world.admin, kind=UnitKind.OFFICE, name="  ")
    services.close_unit(
        world.ward_office, actor=world.admin, closed_on=DAY, reason="Sáp nhập vào Văn phòng"
    )
    with refused("parent_closed"):
        services.create_unit(
            world.ward_office, actor=world.admin, kind=UnitKind.OFFICE, name="Tổ một cửa"
        )
    with refused("province_created_by_admin"):
        services.create_unit(None, actor=world.leader, kind=UnitKind.PROVINCE, name="Tỉnh Mới")
    assert not Unit.objects.filter(name__in=["X", "Tổ một cửa", "Tỉnh Mới"]).exists()


def test_a_unit_keeps_its_national_code_its_name_and_its_fields(world):
    with refused("national_code_fixed"):
        services.update_unit(world.ward, actor=world.admin, code="99999")
    with refused("unit_name_required"):
        services.update_unit(world.ward, actor=world.admin, name=" ")
    with refused("field_not_editable"):
        services.update_unit(world.ward, actor=world.admin, path="0001")
    with refused("province_edited_by_admin"):
        services.update_unit(world.province, actor=world.leader, short_name="ĐN")
    world.ward.refresh_from_db()
    assert (world.ward.code, world.ward.name) == ("26000", "Phường Xuân Trung")


def test_a_unit_is_closed_once_not_before_it_began_and_a_province_only_by_the_admin(world):
    with refused("province_closed_by_admin"):
        services.close_unit(world.province, actor=world.leader, closed_on=DAY, reason="Sáp nhập")
    Unit.objects.filter(pk=world.ward_office.pk).update(valid_from=DAY)
    with refused("closing_before_valid"):
        services.close_unit(
            world.ward_office,
            actor=world.admin,
            closed_on=DAY - datetime.timedelta(days=1),
            reason="Sáp nhập",
        )
    services.close_unit(world.ward_office, actor=world.admin, closed_on=DAY, reason="Sáp nhập")
    with refused("unit_already_closed"):
        services.close_unit(world.ward_office, actor=world.admin, closed_on=DAY, reason="Lần hai")
    assert Unit.objects.get(pk=world.ward_office.pk).valid_to == DAY


def test_a_bloc_has_a_name_of_its_own_within_its_organiser(world):
    with refused("bloc_name_required"):
        services.create_bloc(world.province, actor=world.leader, kind="cluster", name=" ")
    with refused("bloc_name_taken"):
        services.create_bloc(
            world.province, actor=world.leader, kind="cluster", name="Cụm thi đua số 1"
        )
    other = services.create_bloc(
        world.province, actor=world.leader, kind="cluster", name="Cụm thi đua số 2"
    )
    with refused("bloc_name_taken"):
        services.update_bloc(other, actor=world.leader, name="Cụm thi đua số 1")
    with refused("bloc_name_required"):
        services.update_bloc(other, actor=world.leader, name="")
    assert Bloc.objects.get(pk=other.pk).name == "Cụm thi đua số 2"


def test_a_bloc_takes_each_unit_of_its_organisers_reach_once(world):
    ward_bloc = services.create_bloc(world.ward, actor=world.admin, kind="bloc", name="Khối")
    with refused("bloc_member_out_of_scope"):
        services.add_bloc_member(ward_bloc, actor=world.admin, unit=world.sibling_ward)
    with refused("bloc_member_exists"):
        services.add_bloc_member(world.bloc, actor=world.leader, unit=world.ward)
    member = BlocMember.objects.get(bloc=world.bloc, unit=world.sibling_ward)
    services.remove_bloc_member(member, actor=world.leader, left_on=DAY)
    with refused("bloc_member_left"):
        services.remove_bloc_member(member, actor=world.leader, left_on=DAY)
    assert BlocMember.objects.get(pk=member.pk).left_on == DAY


def test_a_blocs_head_and_deputy_are_two_active_members_and_rotation_needs_two(world):
    with refused("bloc_head_not_member"):
        services.set_bloc_term(
            world.bloc, actor=world.leader, year=2027, head=world.district, deputy=None
        )
    with refused("bloc_head_is_deputy"):
        services.set_bloc_term(
            world.bloc, actor=world.leader, year=2027, head=world.ward, deputy=world.ward
        )
    member = BlocMember.objects.get(bloc=world.bloc, unit=world.sibling_ward)
    services.remove_bloc_member(member, actor=world.leader, left_on=DAY)
    with refused("bloc_rotation_too_small"):
        services.rotate_bloc_term(world.bloc, actor=world.leader, year=2027)
    assert not world.bloc.terms.filter(year=2027).exists()


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"full_name": "  "}, "person_name_required"),
        (
            {"full_name": "Lê Văn Hai", "is_manager": True, "is_direct_worker": True},
            "manager_and_direct_worker",
        ),
        ({"full_name": "Lê Văn Hai", "birth_year": 1850}, "birth_year_invalid"),
    ],
)
def test_a_person_has_a_name_one_kind_of_work_and_a_real_birth_year(world, fields, code):
    with refused(code):
        services.create_person(world.ward, actor=world.admin, **fields)
    assert not Person.objects.filter(full_name="Lê Văn Hai").exists()


def test_a_person_moves_only_to_an_open_unit(world):
    closed = services.close_unit(
        world.ward_office, actor=world.admin, closed_on=DAY, reason="Sáp nhập"
    )
    with refused("unit_closed"):
        services.move_person(world.person, actor=world.admin, to_unit=closed)
    assert Person.objects.get(pk=world.person.pk).unit == world.ward


def test_a_person_is_not_moved_into_a_unit_closed_since_the_form_read_it(world):
    """The page read the target while it was open; it was closed before the move was sent."""
    read_by_the_form = Unit.objects.get(pk=world.ward_office.pk)
    services.close_unit(world.ward_office, actor=world.admin, closed_on=DAY, reason="Sáp nhập")
    with refused("unit_closed"):
        services.move_person(world.person, actor=world.admin, to_unit=read_by_the_form)
    assert Person.objects.get(pk=world.person.pk).unit == world.ward


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"rank": "khong-co", "title": "Phó"}, "post_rank_invalid"),
        ({"rank": "deputy", "title": " "}, "post_title_required"),
        (
            {"rank": "deputy", "title": "Phó Chủ tịch", "ends_on": DAY - datetime.timedelta(1)},
            "post_ends_before_start",
        ),
    ],
)
def test_a_post_has_a_rank_a_title_and_ends_after_it_starts(world, fields, code):
    with refused(code):
        services.appoint_post(
            world.ward, actor=world.admin, person=world.person, starts_on=DAY, **fields
        )
    assert not Post.objects.filter(person=world.person).exists()


def test_a_role_is_granted_once(world):
    with refused("role_exists"):
        services.grant_membership(
            world.ward, actor=world.ward_leader, user=world.ward_officer, role=Role.OFFICER
        )
    assert Membership.objects.filter(user=world.ward_officer, unit=world.ward).count() == 1
