import pytest

from portal import access
from portal.access import Cap
from portal.models import Bloc, BlocMember, Membership, Person, Role, Unit, User
from tests.factories import make_member


def test_officials_see_their_units_subtree_and_nothing_beside_it(world):
    visible = set(Unit.objects.visible_to(world.ward_officer))
    assert visible == {world.ward, world.ward_office, world.ward_secretariat}


def test_province_leader_sees_the_whole_province(world):
    assert Unit.objects.visible_to(world.leader).count() == Unit.objects.count()


def test_anonymous_and_roleless_users_see_nothing(world, django_user_model):
    from django.contrib.auth.models import AnonymousUser

    assert not Unit.objects.visible_to(AnonymousUser()).exists()
    loner = django_user_model.objects.create_user("loner", password="x")
    assert not Unit.objects.visible_to(loner).exists()


def test_unit_grant_does_not_reach_children(world):
    assert access.can(world.ward_officer, Cap.MANAGE_AGENCIES, world.ward)
    assert not access.can(world.ward_officer, Cap.MANAGE_AGENCIES, world.ward_office)


def test_subtree_grant_reaches_every_descendant(world):
    assert access.can(world.reviewer, Cap.MANAGE_PEOPLE, world.ward_office)
    assert not access.can(world.viewer, Cap.MANAGE_PEOPLE, world.ward)


def test_outsider_holds_no_capability_in_the_sibling_ward(world):
    for cap in Cap:
        assert not access.can(world.outsider, cap, world.ward)


def test_inactive_user_loses_everything(world):
    world.ward_officer.is_active = False
    world.ward_officer.save()
    world.ward_officer._portal_memberships = None
    assert not Unit.objects.visible_to(world.ward_officer).exists()


def test_people_and_memberships_are_scoped_by_unit(world):
    # The sibling ward's people: its chairman (who signs its papers) and its resident.
    assert set(Person.objects.visible_to(world.outsider)) == {
        world.sibling_chair,
        world.sibling_person,
    }
    assert set(
        Membership.objects.visible_to(world.ward_officer).values_list("user", flat=True)
    ) == {
        world.ward_leader.pk,
        world.ward_officer.pk,
    }


def test_bloc_members_see_the_bloc_organised_above_them(world):
    assert list(Bloc.objects.visible_to(world.outsider)) == [world.bloc]
    other = Bloc.objects.create(organiser=world.province, kind="bloc", name="Khối các sở")
    assert other not in Bloc.objects.visible_to(world.outsider)
    assert other in Bloc.objects.visible_to(world.leader)


def test_seen_by_answers_visible_to_for_one_bloc(
    world, django_user_model, django_assert_num_queries
):
    """`seen_by` decides one bloc as `visible_to` does: on the organiser's path without a
    query, else on the member units (#16)."""
    inside = Bloc.objects.create(organiser=world.district, kind="bloc", name="Khối phường")
    BlocMember.objects.create(bloc=inside, unit=world.ward, position=1)
    above = Bloc.objects.create(organiser=world.province, kind="bloc", name="Khối các sở")
    roleless = django_user_model.objects.create_user("khongvaitro", password="x")
    stranger = make_member(world.home_affairs, Role.OFFICER, "cb_snv", "Trương Thị Lạ")
    users = [world.admin, world.leader, world.viewer, world.ward_officer, world.outsider]
    for user in [*users, stranger, roleless]:
        visible = set(Bloc.objects.visible_to(user))
        for bloc in Bloc.objects.select_related("organiser"):
            assert Bloc.objects.seen_by(user, bloc) == (bloc in visible), (user, bloc)
    ward_officer = User.objects.get(pk=world.ward_officer.pk)  # no roles read yet
    access.memberships_of(ward_officer)
    with django_assert_num_queries(0):
        assert Bloc.objects.seen_by(world.leader, above)
    with django_assert_num_queries(1):
        assert Bloc.objects.seen_by(ward_officer, inside)


def test_require_raises_permission_denied(world):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        access.require(world.viewer, Cap.MANAGE_BLOCS, world.province)


def test_every_role_has_a_grant_table_entry():
    from portal.models import Role

    assert set(access.ROLE_GRANTS) == set(Role.values)
