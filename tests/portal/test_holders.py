"""Who holds a capability on a unit comes from the grant table, in one place (portal.access).

Reminders, escalations, launch notices and report addressees ask `access.holders` (or its
batch form) instead of naming roles in their queries; the day a grant changes, all of them
follow it."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from portal import access
from portal.access import Cap
from portal.models import Membership, Role, Unit
from tests.refusals import refused

ROOT = Path(__file__).resolve().parents[2]
APPS = ("portal", "campaigns", "pledges", "awards", "reports", "api")
PERSONAS = (
    "leader",
    "officer",
    "reviewer",
    "council",
    "viewer",
    "ward_leader",
    "ward_officer",
    "outsider",
)


def test_holders_agree_with_can_for_every_persona_capability_and_unit(world):
    units = list(Unit.objects.all())
    people = [getattr(world, name) for name in PERSONAS]
    for cap in Cap:
        held = access.holder_ids(cap, units)
        for unit in units:
            for person in people:
                assert (person.pk in held[unit.pk]) == access.can(person, cap, unit), (
                    f"{person.username} {cap} {unit.name}"
                )
        assert list(access.holders(cap, world.ward).values_list("pk", flat=True)) == list(
            held[world.ward.pk]
        )


def test_the_administrator_and_inactive_people_hold_nothing(world):
    assert access.can(world.admin, Cap.DECIDE_AWARDS, world.ward)
    assert world.admin not in access.holders(Cap.DECIDE_AWARDS, world.ward)
    world.ward_leader.is_active = False
    world.ward_leader.save()
    assert not access.holders(Cap.DECIDE_AWARDS, world.ward).exists()


def test_nearest_keeps_the_closest_level_that_has_holders(world, django_user_model):
    province_only = access.holdings(Cap.REVIEW_NOMINATIONS, [world.ward], nearest=True)
    assert [h.user_id for h in province_only[world.ward.pk]] == [world.reviewer.pk]
    city = django_user_model.objects.create_user("noivu_tp", password="x", full_name="Nội vụ TP")
    Membership.objects.create(user=city, unit=world.district, role=Role.REVIEWER)
    everyone = access.holder_ids(Cap.REVIEW_NOMINATIONS, [world.ward])[world.ward.pk]
    assert set(everyone) == {world.reviewer.pk, city.pk}
    nearest = access.holdings(Cap.REVIEW_NOMINATIONS, [world.ward, world.province], nearest=True)
    assert [(h.user_id, h.via_unit_id) for h in nearest[world.ward.pk]] == [
        (city.pk, world.district.pk)
    ]
    assert [h.user_id for h in nearest[world.province.pk]] == [world.reviewer.pk]


def test_one_query_for_many_units(world, django_assert_num_queries):
    units = list(Unit.objects.all())
    with django_assert_num_queries(1):
        access.holdings(Cap.VIEW, units, nearest=True)


QUERY_CALLS = {"filter", "exclude", "get", "get_or_create", "update_or_create", "Q"}


def _is_role(node: ast.AST) -> bool:
    """`Role.X`, or a string that is a role's value."""
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
        return node.value.id == "Role"
    return isinstance(node, ast.Constant) and node.value in Role.values


def _role_queries(path: Path) -> list[str]:
    """Queries that filter on a role (`role=…`, `…__role__in=…`) and tests of a role."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        where = f"{path.relative_to(ROOT)}:{getattr(node, 'lineno', 0)}: {ast.unparse(node)}"
        if isinstance(node, ast.Call):
            called = node.func.attr if isinstance(node.func, ast.Attribute) else ""
            called = called or (node.func.id if isinstance(node.func, ast.Name) else "")
            parts = [(keyword.arg or "").split("__") for keyword in node.keywords]
            if called in QUERY_CALLS and any(
                p[-1] == "role" or p[-2:] == ["role", "in"] for p in parts
            ):
                found.append(where)
        if isinstance(node, ast.Compare) and any(
            _is_role(side) for side in [node.left, *node.comparators]
        ):
            found.append(where)
    return found


# The records of roles themselves: granting and listing a membership, and the demo's and the
# scale generator's people, who are given their roles there.
OWN_RECORDS = {
    "portal/access.py",
    "portal/services.py",
    "portal/demo.py",
    "portal/scale.py",
    "portal/views/people.py",
    "portal/models/people.py",
}


def test_no_query_outside_access_names_a_role():
    offenders = []
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            relative = str(path.relative_to(ROOT))
            if "/migrations/" in relative or relative in OWN_RECORDS:
                continue
            offenders += _role_queries(path)
    assert offenders == []


@pytest.mark.parametrize(
    "source",
    [
        "Membership.objects.filter(role=Role.REVIEWER)",
        "User.objects.filter(memberships__role__in=[Role.LEADER])",
        "unit.memberships.filter(role=role)",
        "[m for m in rows if m.role == 'leader']",
    ],
)
def test_the_role_check_catches_each_shape(tmp_path, source):
    path = ROOT / "tests" / "portal" / "_role_probe.py"
    try:
        path.write_text(source + "\n", encoding="utf-8")
        assert _role_queries(path)
    finally:
        path.unlink()


def test_a_leader_cannot_revoke_their_own_leadership_but_may_revoke_others(world):
    """What makes a role the leadership is its LEAD_UNIT grant, not the role's name."""
    from portal import services

    own = Membership.objects.get(user=world.ward_leader, unit=world.ward)
    with refused("own_leader_role"):
        services.revoke_membership(own, actor=world.ward_leader)
    officer = Membership.objects.get(user=world.ward_officer, unit=world.ward)
    services.revoke_membership(officer, actor=world.ward_leader)
    assert not Membership.objects.filter(pk=officer.pk).exists()
