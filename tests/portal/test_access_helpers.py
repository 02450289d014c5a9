"""Each helper of portal/access.py on its own: who may do what, stated for the world's personas.

The app tests and the denial sweep use these helpers through the pages; these tests state each
helper's rule directly, so a fault planted in one (`make mutate access`) fails here. A service
token acts through a membership whose `grants` were chosen when it was made (`api.tokens`); a
user's memberships are read once per user object (`_portal_memberships`), so such a membership
is given here by setting that list.
"""

from __future__ import annotations

import unicodedata
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from portal import access
from portal.access import Cap, Role, Scope
from portal.models import Membership, Person, Unit
from tests.factories import make_member, make_user

# The grant table as the roles' duties give them (docs/architecture.md "Access", domain.md):
# changing who may do what needs a deliberate change here too.
PINNED: dict[str, dict[Cap, Scope]] = {
    Role.LEADER: {
        Cap.VIEW: Scope.SUBTREE,
        Cap.VIEW_HISTORY: Scope.SUBTREE,
        Cap.MANAGE_AGENCIES: Scope.UNIT,
        Cap.MANAGE_BLOCS: Scope.UNIT,
        Cap.MANAGE_PEOPLE: Scope.UNIT,
        Cap.MANAGE_MEMBERSHIPS: Scope.UNIT,
        Cap.DRAFT_DOCUMENTS: Scope.UNIT,
        Cap.ISSUE_DOCUMENTS: Scope.UNIT,
        Cap.LAUNCH_CAMPAIGN: Scope.UNIT,
        Cap.MANAGE_CAMPAIGN: Scope.UNIT,
        Cap.APPROVE_REGISTRATION: Scope.UNIT,
        Cap.MANAGE_AWARD_HISTORY: Scope.UNIT,
        Cap.PROPOSE_AWARDS: Scope.UNIT,
        Cap.DECIDE_AWARDS: Scope.UNIT,
        Cap.VOTE_IN_COUNCIL: Scope.UNIT,
        Cap.ANSWER_CLEARANCE: Scope.UNIT,
        Cap.SIGN_PLEDGE: Scope.UNIT,
        Cap.CONFIGURE_REPORTS: Scope.UNIT,
        Cap.GENERATE_REPORTS: Scope.UNIT,
        Cap.LEAD_UNIT: Scope.UNIT,
    },
    Role.OFFICER: {
        Cap.VIEW: Scope.SUBTREE,
        Cap.VIEW_HISTORY: Scope.SUBTREE,
        Cap.MANAGE_AGENCIES: Scope.UNIT,
        Cap.MANAGE_BLOCS: Scope.UNIT,
        Cap.MANAGE_PEOPLE: Scope.UNIT,
        Cap.DRAFT_DOCUMENTS: Scope.UNIT,
        Cap.ISSUE_DOCUMENTS: Scope.UNIT,
        Cap.MANAGE_CAMPAIGN: Scope.UNIT,
        Cap.SUBMIT_REGISTRATION: Scope.UNIT,
        Cap.ACCEPT_REGISTRATION: Scope.UNIT,
        Cap.REPORT_PROGRESS: Scope.UNIT,
        Cap.MANAGE_AWARD_HISTORY: Scope.UNIT,
        Cap.PROPOSE_AWARDS: Scope.SUBTREE,
        Cap.ANSWER_CLEARANCE: Scope.UNIT,
        Cap.MANAGE_PLEDGE: Scope.UNIT,
        Cap.GENERATE_REPORTS: Scope.UNIT,
    },
    Role.REVIEWER: {
        Cap.VIEW: Scope.SUBTREE,
        Cap.VIEW_HISTORY: Scope.SUBTREE,
        Cap.MANAGE_BLOCS: Scope.SUBTREE,
        Cap.MANAGE_PEOPLE: Scope.SUBTREE,
        Cap.ACCEPT_REGISTRATION: Scope.SUBTREE,
        Cap.MANAGE_AWARD_HISTORY: Scope.SUBTREE,
        Cap.REVIEW_NOMINATIONS: Scope.SUBTREE,
        Cap.REVIEW_BLOC_SCORES: Scope.SUBTREE,
        Cap.GENERATE_REPORTS: Scope.SUBTREE,
    },
    Role.COUNCIL_MEMBER: {Cap.VIEW: Scope.SUBTREE, Cap.VOTE_IN_COUNCIL: Scope.UNIT},
    Role.VIEWER: {Cap.VIEW: Scope.SUBTREE},
}


def test_the_grant_table_is_exactly_the_roles_duties():
    assert access.ROLE_GRANTS == PINNED


def _acting(unit, grants: dict[Cap, Scope], *, role: str = Role.LEADER, also=()):
    """A user acting through a membership with chosen grants (a service token's kind)."""
    user = make_user(None, full_name="Khóa dịch vụ")
    user._portal_memberships = [
        SimpleNamespace(role=role, unit=unit, unit_id=unit.pk, grants=grants),
        *also,
    ]
    return user


def _units(condition) -> set:
    return set(Unit.objects.filter(condition))


# ---------------------------------------------------------------------------------------------
# Memberships and grants


def test_a_membership_grants_its_roles_table_unless_its_grants_were_chosen():
    viewer = SimpleNamespace(role=Role.VIEWER)
    assert access.grants_of(viewer) == {Cap.VIEW: Scope.SUBTREE}
    assert access.grants_of(SimpleNamespace(role=Role.VIEWER, grants=None)) == PINNED[Role.VIEWER]
    # Chosen grants, even none at all, replace the role's.
    assert access.grants_of(SimpleNamespace(role=Role.LEADER, grants={})) == {}
    chosen = {Cap.GENERATE_REPORTS: Scope.UNIT}
    assert access.grants_of(SimpleNamespace(role=Role.LEADER, grants=chosen)) is chosen


def test_memberships_are_read_once_per_user_with_their_units(world, django_assert_num_queries):
    user = type(world.ward_officer).objects.get(pk=world.ward_officer.pk)
    with django_assert_num_queries(1):
        first = access.memberships_of(user)
        assert [(m.role, m.unit.path) for m in first] == [(Role.OFFICER, world.ward.path)]
    with django_assert_num_queries(0):
        assert access.memberships_of(user) is first


def test_anonymous_and_inactive_users_have_no_memberships(world):
    assert access.memberships_of(AnonymousUser()) == []
    world.ward_leader.is_active = False
    assert access.memberships_of(world.ward_leader) == []


def test_only_an_active_superuser_sees_everything(world):
    assert access.sees_everything(world.admin)
    assert not access.sees_everything(world.leader)
    assert not access.sees_everything(AnonymousUser())
    world.admin.is_active = False
    assert not access.sees_everything(world.admin)


def test_reads_only_is_a_user_whose_every_role_only_reads(world):
    assert access.reads_only(world.viewer)
    assert not access.reads_only(world.council)  # votes too
    assert not access.reads_only(world.ward_officer)
    assert not access.reads_only(world.admin)
    assert not access.reads_only(AnonymousUser())
    assert not access.reads_only(make_user(None, full_name="Không vai trò"))
    # An administrator who also holds a viewer's role still may do everything.
    Membership.objects.create(user=world.admin, unit=world.ward, role=Role.VIEWER)
    assert not access.reads_only(type(world.admin).objects.get(pk=world.admin.pk))
    both = make_member(world.ward, Role.VIEWER)
    assert access.reads_only(both)
    both = type(both).objects.get(pk=both.pk)
    Membership.objects.create(user=both, unit=world.sibling_ward, role=Role.COUNCIL_MEMBER)
    assert not access.reads_only(both)


# ---------------------------------------------------------------------------------------------
# Scopes as filters


def test_unit_scope_is_the_subtrees_where_the_user_may_read(world):
    assert _units(access.unit_scope(world.admin, "path")) == set(Unit.objects.all())
    assert _units(access.unit_scope(world.ward_officer, "path")) == {
        world.ward,
        world.ward_office,
        world.ward_secretariat,
    }
    # A token that may act but not read sees nothing.
    token = _acting(world.ward, {Cap.REPORT_PROGRESS: Scope.UNIT})
    assert _units(access.unit_scope(token, "path")) == set()


def test_unit_scope_keeps_only_the_outermost_roots_in_order(world):
    nested = _acting(
        world.ward,
        {Cap.VIEW: Scope.SUBTREE},
        also=[SimpleNamespace(role=Role.VIEWER, unit=world.province, unit_id=world.province.pk)],
    )
    assert access.unit_scope(nested, "path").children == [("path__startswith", world.province.path)]
    beside = _acting(
        world.sibling_ward,
        {Cap.VIEW: Scope.SUBTREE},
        also=[SimpleNamespace(role=Role.VIEWER, unit=world.ward, unit_id=world.ward.pk)],
    )
    paths = sorted([world.ward.path, world.sibling_ward.path])
    assert access.unit_scope(beside, "issuer__path").children == [
        ("issuer__path__startswith", path) for path in paths
    ]
    sibling_tree = set(Unit.objects.filter(path__startswith=world.sibling_ward.path))
    ward_tree = set(Unit.objects.filter(path__startswith=world.ward.path))
    assert _units(access.unit_scope(beside, "path")) == ward_tree | sibling_tree


def test_cap_scope_is_the_units_where_the_user_may_exercise_the_capability(world):
    assert _units(access.cap_scope(world.admin, Cap.DECIDE_AWARDS)) == set(Unit.objects.all())
    officer = world.ward_officer
    ward_tree = {world.ward, world.ward_office, world.ward_secretariat}
    assert _units(access.cap_scope(officer, Cap.PROPOSE_AWARDS)) == ward_tree  # subtree
    assert _units(access.cap_scope(officer, Cap.MANAGE_AGENCIES)) == {world.ward}  # unit only
    assert _units(access.cap_scope(officer, Cap.REVIEW_NOMINATIONS)) == set()
    people = Person.objects.filter(access.cap_scope(officer, Cap.MANAGE_PEOPLE, "unit__path"))
    assert set(people) == set(Person.objects.filter(unit=world.ward))
    # Roles in two wards: the union of both, for either scope.
    twice = make_member(world.ward, Role.OFFICER)
    Membership.objects.create(user=twice, unit=world.sibling_ward, role=Role.OFFICER)
    sibling_tree = set(Unit.objects.filter(path__startswith=world.sibling_ward.path))
    assert _units(access.cap_scope(twice, Cap.PROPOSE_AWARDS)) == ward_tree | sibling_tree
    assert _units(access.cap_scope(twice, Cap.MANAGE_AGENCIES)) == {world.ward, world.sibling_ward}


def test_cap_branches_are_the_minimal_paths_of_cap_scope(world):
    assert access.cap_branches(world.admin, Cap.PROPOSE_AWARDS) is None
    assert access.cap_branches(world.ward_officer, Cap.PROPOSE_AWARDS) == ([world.ward.path], [])
    assert access.cap_branches(world.ward_leader, Cap.PROPOSE_AWARDS) == ([], [world.ward.path])
    assert access.cap_branches(world.ward_officer, Cap.REVIEW_NOMINATIONS) == ([], [])
    # A branch inside another, or a unit inside a branch, adds nothing and is dropped.
    nested = _acting(
        world.district,
        {Cap.PROPOSE_AWARDS: Scope.SUBTREE},
        also=[
            SimpleNamespace(role=Role.OFFICER, unit=world.ward, unit_id=world.ward.pk),
            SimpleNamespace(role=Role.LEADER, unit=world.ward, unit_id=world.ward.pk),
            SimpleNamespace(role=Role.LEADER, unit=world.province, unit_id=world.province.pk),
        ],
    )
    assert access.cap_branches(nested, Cap.PROPOSE_AWARDS) == (
        [world.district.path],
        [world.province.path],
    )


def test_sees_where_it_may_when_every_unit_of_the_capability_is_readable(world):
    assert access.sees_where_it_may(world.admin, Cap.GENERATE_REPORTS)
    assert access.sees_where_it_may(world.ward_officer, Cap.GENERATE_REPORTS)
    assert access.sees_where_it_may(world.ward_officer, Cap.REVIEW_NOMINATIONS)  # holds none
    blind = _acting(world.ward, {Cap.GENERATE_REPORTS: Scope.UNIT})
    assert not access.sees_where_it_may(blind, Cap.GENERATE_REPORTS)
    blind_tree = _acting(world.ward, {Cap.GENERATE_REPORTS: Scope.SUBTREE})
    assert not access.sees_where_it_may(blind_tree, Cap.GENERATE_REPORTS)
    below = _acting(
        world.ward,
        {Cap.GENERATE_REPORTS: Scope.UNIT},
        also=[SimpleNamespace(role=Role.VIEWER, unit=world.district, unit_id=world.district.pk)],
    )
    assert access.sees_where_it_may(below, Cap.GENERATE_REPORTS)
    beside = _acting(
        world.sibling_ward,
        {Cap.GENERATE_REPORTS: Scope.UNIT},
        also=[SimpleNamespace(role=Role.VIEWER, unit=world.ward, unit_id=world.ward.pk)],
    )
    assert not access.sees_where_it_may(beside, Cap.GENERATE_REPORTS)


# ---------------------------------------------------------------------------------------------
# One unit


def test_can_follows_the_scope_of_each_grant(world):
    assert access.can(world.admin, Cap.DECIDE_AWARDS, world.ward_office)
    assert access.can(world.reviewer, Cap.REVIEW_NOMINATIONS, world.ward_office)
    assert access.can(world.reviewer, Cap.REVIEW_NOMINATIONS, world.province)
    assert access.can(world.ward_officer, Cap.PROPOSE_AWARDS, world.ward_office)
    assert not access.can(world.ward_officer, Cap.PROPOSE_AWARDS, world.district)
    assert not access.can(world.ward_officer, Cap.PROPOSE_AWARDS, world.sibling_ward)
    assert access.can(world.ward_officer, Cap.MANAGE_AGENCIES, world.ward)
    assert not access.can(world.ward_officer, Cap.MANAGE_AGENCIES, world.ward_office)
    assert not access.can(world.ward_officer, Cap.REVIEW_NOMINATIONS, world.ward)


def test_holds_in_unit_counts_the_users_own_roles_only(world):
    assert access.holds_in_unit(world.ward_leader, Cap.SIGN_PLEDGE, world.ward)
    assert not access.holds_in_unit(world.ward_leader, Cap.SIGN_PLEDGE, world.ward_office)
    assert not access.holds_in_unit(world.ward_leader, Cap.SIGN_PLEDGE, world.sibling_ward)
    assert access.holds_in_unit(world.reviewer, Cap.REVIEW_NOMINATIONS, world.ward)
    assert access.holds_in_unit(world.ward_officer, Cap.PROPOSE_AWARDS, world.ward_office)
    assert not access.holds_in_unit(world.ward_officer, Cap.PROPOSE_AWARDS, world.district)
    assert not access.holds_in_unit(world.ward_officer, Cap.SIGN_PLEDGE, world.ward)
    # The administrator may act anywhere, but holds no role of the ward's own.
    assert access.can(world.admin, Cap.SIGN_PLEDGE, world.ward)
    assert not access.holds_in_unit(world.admin, Cap.SIGN_PLEDGE, world.ward)


def test_leads_unit_is_the_units_own_leader(world):
    assert access.leads_unit(world.ward_leader, world.ward)
    assert not access.leads_unit(world.ward_leader, world.ward_office)
    assert not access.leads_unit(world.ward_officer, world.ward)
    assert not access.leads_unit(world.leader, world.ward)
    assert not access.leads_unit(world.admin, world.ward)


def test_require_refuses_in_vietnamese_and_lets_the_allowed_through(world):
    access.require(world.ward_officer, Cap.MANAGE_AGENCIES, world.ward)
    with pytest.raises(PermissionDenied) as refused:
        access.require(world.ward_officer, Cap.MANAGE_AGENCIES, world.ward_office)
    assert str(refused.value) == "Bạn không có quyền thực hiện thao tác này tại đơn vị này."
    assert str(access.denied()) == "Bạn không có quyền thực hiện thao tác này tại đơn vị này."


def test_a_clearance_is_answered_by_the_asking_nội_vụ_or_the_body_of_the_portal(world):
    asked = SimpleNamespace(
        asking_unit=world.ward, body_unit_id=world.sibling_ward.pk, body_unit=world.sibling_ward
    )
    assert access.may_answer_clearance(world.reviewer, asked)  # the asking level's Nội vụ
    assert access.may_answer_clearance(world.outsider, asked)  # the body's officer
    assert not access.may_answer_clearance(world.ward_officer, asked)
    assert not access.may_answer_clearance(world.viewer, asked)
    on_paper = SimpleNamespace(asking_unit=world.ward, body_unit_id=None, body_unit=None)
    assert access.may_answer_clearance(world.reviewer, on_paper)
    assert not access.may_answer_clearance(world.outsider, on_paper)


def test_can_manage_unit_record_is_the_unit_above_or_for_a_root_the_administrator(world):
    assert access.can_manage_unit_record(world.admin, world.province)
    assert not access.can_manage_unit_record(world.leader, world.province)
    assert access.can_manage_unit_record(world.leader, world.district)
    assert access.can_manage_unit_record(world.ward_officer, world.ward_office)
    assert not access.can_manage_unit_record(world.ward_officer, world.ward)


# ---------------------------------------------------------------------------------------------
# A duty held anywhere


def test_holds_anywhere_is_any_of_the_capabilities_in_any_unit(world):
    assert access.holds_anywhere(world.admin, Cap.DECIDE_AWARDS)
    assert access.holds_anywhere(world.viewer, Cap.VIEW)
    assert not access.holds_anywhere(world.viewer, Cap.REVIEW_NOMINATIONS)
    assert access.holds_anywhere(world.viewer, Cap.REVIEW_NOMINATIONS, Cap.VIEW)
    assert access.holds_anywhere(world.ward_officer, Cap.REVIEW_NOMINATIONS, Cap.REPORT_PROGRESS)
    assert not access.holds_anywhere(world.ward_officer)
    token = _acting(world.ward, {Cap.GENERATE_REPORTS: Scope.UNIT})
    assert not access.holds_anywhere(token, Cap.VIEW)


def test_require_anywhere_refuses_in_vietnamese(world):
    access.require_anywhere(world.reviewer, Cap.REVIEW_NOMINATIONS)
    with pytest.raises(PermissionDenied) as refused:
        access.require_anywhere(world.viewer, Cap.REVIEW_NOMINATIONS, Cap.DECIDE_AWARDS)
    assert str(refused.value) == "Mục này dành cho cán bộ được phân quyền tương ứng."


def test_units_where_are_the_roots_of_the_users_grants(world):
    assert access.units_where(world.ward_officer, Cap.PROPOSE_AWARDS) == [world.ward]
    assert access.units_where(world.ward_officer, Cap.REVIEW_NOMINATIONS) == []
    token = _acting(world.ward, {Cap.GENERATE_REPORTS: Scope.UNIT})
    assert access.units_where(token, Cap.VIEW) == []
    assert access.units_where(token, Cap.GENERATE_REPORTS) == [world.ward]


# ---------------------------------------------------------------------------------------------
# Who carries a paper signed outside


def test_names_match_as_written_whatever_the_case_spacing_and_unicode_form():
    assert access._same_name("Võ  Văn Phường ", "võ văn PHƯỜNG")
    assert access._same_name(unicodedata.normalize("NFD", "Võ Văn Phường"), "Võ Văn Phường")
    assert not access._same_name("Võ Văn Phường", "Võ Văn Phương")
    assert not access._same_name("", "")


def test_a_signed_paper_is_carried_by_the_issuers_văn_thư_or_its_signer(world):
    def may(user, issuer, name="", user_id=None, unit=None):
        return access.may_carry_signed_paper(user, issuer, name, user_id, unit)

    assert not may(AnonymousUser(), world.ward, "Võ Văn Phường", None, world.ward)
    assert may(world.ward_officer, world.ward)  # the issuer's văn thư
    assert not may(world.ward_officer, world.sibling_ward)
    # A signer recorded by account: that account only, whatever its name.
    assert may(world.ward_leader, world.sibling_ward, "", world.ward_leader.pk)
    assert not may(world.ward_leader, world.sibling_ward, "Võ Văn Phường", world.outsider.pk)
    # A member's representative recorded by name: that member's own leader (who signs its
    # giao ước) so named.
    assert may(world.ward_leader, world.sibling_ward, "võ văn phường", None, world.ward)
    assert not may(world.ward_leader, world.sibling_ward, "Hà Văn An", None, world.ward)
    assert not may(world.ward_officer, world.sibling_ward, "Huỳnh Thị Thu", None, world.ward)
    # A leader of the same name in another unit is not that member's representative, nor is
    # anyone when the paper does not say whose turn it is.
    assert not may(world.ward_leader, world.sibling_ward, "Võ Văn Phường", None, world.district)
    assert not may(world.ward_leader, world.sibling_ward, "Võ Văn Phường", None, None)
    # An account without a name (one acting for a unit's service) matches no printed name.
    nameless = SimpleNamespace(
        is_authenticated=True,
        is_active=True,
        is_superuser=False,
        pk=None,
        _portal_memberships=list(world.ward_leader.memberships.select_related("unit")),
    )
    assert access.holds_in_unit(nameless, Cap.SIGN_PLEDGE, world.ward)
    assert not may(nameless, world.sibling_ward, "XXXX", None, world.ward)
    assert not may(nameless, world.sibling_ward, "", None, world.ward)


# ---------------------------------------------------------------------------------------------
# Who holds a duty (the batch forms; tests/portal/test_holders.py holds them to `can`)


def test_holders_are_every_level_unless_the_nearest_is_asked(world):
    city = make_member(world.district, Role.REVIEWER)
    ward = [world.ward]
    everyone = access.holdings(Cap.REVIEW_NOMINATIONS, ward)[world.ward.pk]
    assert {(h.user_id, h.via_unit_id, h.via_name) for h in everyone} == {
        (world.reviewer.pk, world.province.pk, world.province.name),
        (city.pk, world.district.pk, world.district.name),
    }
    assert access.holder_ids(Cap.REVIEW_NOMINATIONS, ward, nearest=True) == {
        world.ward.pk: (city.pk,)
    }
    assert list(access.holders(Cap.REVIEW_NOMINATIONS, world.ward, nearest=True)) == [city]
    assert set(access.holders(Cap.REVIEW_NOMINATIONS, world.ward)) == {city, world.reviewer}
