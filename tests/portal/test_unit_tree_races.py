"""Races on the unit tree's other services (portal/services.py): a person moved, a post, a
bloc and its members and terms, a membership revoked, each by two callers at the same instant;
and the unit loader (portal/loaders.py) adding wards under a province while an officer adds a
unit there.

PostgreSQL only (tests/races.py); how a lock-free variant was shown to fail: docs/testing.md.
Where the harmful order is only one of the two, the later caller starts a moment after the
first (`_later`) or the service's record-keeping is slowed (`_slow_stamp`) so that both callers
are surely between their read and their write at once: the window the lock closes.
"""

from __future__ import annotations

import datetime
import threading
import time

import pytest
from django.db.models import Q

from portal import loaders, services
from portal.models import Bloc, BlocMember, BlocTerm, Membership, Person, Post, Unit, UnitKind
from tests.factories import make_person
from tests.races import at_once, kinds, needs_row_locks, race
from tests.refusals import refused

pytestmark = race

ROUNDS = 3
DAY = datetime.date(2026, 3, 2)


def _later(call, seconds: float = 0.15):
    return lambda: (time.sleep(seconds), call())[1]


@pytest.fixture
def _slow_stamp(monkeypatch):
    """Each service stamps its row just before saving it: a pause there holds a caller between
    its read and its write."""
    stamp = services.stamp

    def slow(row, **kwargs):
        time.sleep(0.3)
        return stamp(row, **kwargs)

    monkeypatch.setattr(services, "stamp", slow)


def test_a_membership_revoked_twice_at_once_is_revoked_once(world):
    """The second revocation waits for the first and finds the role gone: refused in
    Vietnamese, not a server error."""
    needs_row_locks()
    membership = Membership.objects.get(user=world.ward_officer, unit=world.ward)
    outcomes = at_once(
        lambda: services.revoke_membership(membership, actor=world.ward_leader),
        lambda: services.revoke_membership(membership, actor=world.admin),
    )
    assert kinds(outcomes) == ["RuleViolation", "won"]
    refusal = next(o for o in outcomes if isinstance(o, Exception))
    with refused("membership_already_revoked"):
        raise refusal
    assert refusal.message == "Vai trò này đã được thu hồi."
    assert not Membership.objects.filter(pk=membership.pk).exists()


def test_a_person_moved_while_edited_keeps_both_and_a_true_history(world, monkeypatch):
    """The move saves only the unit but records the person as it read them: without the
    person's lock an edit committed in between is missing from the latest history row, which
    then no longer says what the record is."""
    needs_row_locks()
    stamp = services.stamp
    monkeypatch.setattr(
        services,
        "stamp",
        lambda row, **kw: (
            time.sleep(0.3) if kw.get("reason") == "portal.person.moved" else None,
            stamp(row, **kw),
        )[1],
    )
    for round_ in range(ROUNDS):
        person = services.create_person(
            world.ward, actor=world.admin, full_name=f"Nguyễn Văn Chuyển {round_ + 1}"
        )
        outcomes = at_once(
            lambda person=person: services.move_person(
                person, actor=world.admin, to_unit=world.ward_office
            ),
            _later(
                lambda person=person: services.update_person(
                    person, actor=world.admin, position="Chuyên viên"
                )
            ),
        )
        assert kinds(outcomes) == ["won", "won"]
        person = Person.objects.get(pk=person.pk)
        assert (person.unit, person.position) == (world.ward_office, "Chuyên viên")
        latest = person.history.order_by("-history_id").first()
        assert (latest.unit_id, latest.position) == (world.ward_office.pk, "Chuyên viên"), (
            f"round {round_}"
        )


def test_two_heads_appointed_at_once_leave_one_head(world, _slow_stamp):
    """One head at a time: two appointments at once for the same unit and dates, one wins and
    the other is refused (without the unit's lock both find no head and both are saved)."""
    needs_row_locks()
    office = services.create_unit(
        world.ward, actor=world.admin, kind=UnitKind.OFFICE, name="Phòng Kinh tế"
    )
    first = make_person(office, "Tạ Văn Một", gender="male", is_manager=True)
    second = make_person(office, "Lâm Thị Hai", is_manager=True)

    def appoint(person):
        return lambda: services.appoint_post(
            office, actor=world.admin, person=person, rank="head", title="Trưởng phòng",
            starts_on=DAY,
        )  # fmt: skip

    outcomes = at_once(appoint(first), appoint(second))
    assert kinds(outcomes) == ["RuleViolation", "won"]
    assert Post.objects.filter(unit=office, rank="head").count() == 1


def test_units_joining_a_bloc_at_once_each_get_their_own_place(world, _slow_stamp):
    """Members are numbered in the order they joined (the rotation follows it): three joining at
    once take three different places after the bloc's two."""
    needs_row_locks()
    newcomers = [
        services.create_unit(
            world.district, actor=world.admin, kind=UnitKind.WARD, name=f"Phường Mới {n}"
        )
        for n in (1, 2, 3)
    ]
    outcomes = at_once(
        *(
            lambda unit=unit: services.add_bloc_member(world.bloc, actor=world.admin, unit=unit)
            for unit in newcomers
        )
    )
    assert kinds(outcomes) == ["won"] * 3
    places = BlocMember.objects.filter(bloc=world.bloc).values_list("position", flat=True)
    assert sorted(places) == [1, 2, 3, 4, 5]


def test_one_unit_joining_a_bloc_twice_at_once_joins_once(world, _slow_stamp):
    needs_row_locks()
    newcomer = services.create_unit(
        world.district, actor=world.admin, kind=UnitKind.WARD, name="Phường Mới"
    )
    outcomes = at_once(
        lambda: services.add_bloc_member(world.bloc, actor=world.admin, unit=newcomer),
        lambda: services.add_bloc_member(world.bloc, actor=world.admin, unit=newcomer),
    )
    assert kinds(outcomes) == ["RuleViolation", "won"]
    assert BlocMember.objects.filter(bloc=world.bloc, unit=newcomer).count() == 1


def test_a_member_leaving_twice_at_once_leaves_once_on_the_first_date(world, _slow_stamp):
    needs_row_locks()
    member = BlocMember.objects.get(bloc=world.bloc, unit=world.sibling_ward)
    outcomes = at_once(
        lambda: services.remove_bloc_member(member, actor=world.admin, left_on=DAY),
        _later(
            lambda: services.remove_bloc_member(
                member, actor=world.admin, left_on=DAY + datetime.timedelta(days=1)
            )
        ),
    )
    assert kinds(outcomes) == ["RuleViolation", "won"]
    member.refresh_from_db()
    assert member.left_on == DAY


def test_a_years_first_term_set_twice_at_once_is_one_term(world, _slow_stamp):
    """A year's head and deputy are one term: two settings at once leave one, the later's."""
    needs_row_locks()
    outcomes = at_once(
        lambda: services.set_bloc_term(
            world.bloc, actor=world.admin, year=2027, head=world.ward, deputy=world.sibling_ward
        ),
        _later(
            lambda: services.set_bloc_term(
                world.bloc,
                actor=world.admin,
                year=2027,
                head=world.sibling_ward,
                deputy=world.ward,
            )
        ),
    )
    assert kinds(outcomes) == ["won", "won"]
    term = BlocTerm.objects.get(bloc=world.bloc, year=2027)
    assert (term.head, term.deputy) == (world.sibling_ward, world.ward)


def test_a_bloc_edited_twice_at_once_keeps_both_edits(world, _slow_stamp):
    needs_row_locks()
    outcomes = at_once(
        lambda: services.update_bloc(world.bloc, actor=world.admin, name="Cụm thi đua số 2"),
        lambda: services.update_bloc(
            world.bloc, actor=world.admin, description="Các phường phía đông"
        ),
    )
    assert kinds(outcomes) == ["won", "won"]
    bloc = Bloc.objects.get(pk=world.bloc.pk)
    assert (bloc.name, bloc.description) == ("Cụm thi đua số 2", "Các phường phía đông")


def test_the_loader_and_an_officer_adding_under_one_province_at_once_share_no_path(
    world, monkeypatch
):
    """The loader hands the province's new wards the next paths under it; an officer adding a
    department there at the same time must wait for them (the province's lock), not take the
    first of them: without the loader's lock one of the two fails on the path taken."""
    needs_row_locks()
    # The province as the catalogue has it, with its wards, one of which has gone missing: the
    # loader then writes nothing to the province's own row (a write would lock it anyway) and
    # adds the one ward.
    province = loaders.find_province("75")
    loaders.load_units([province])
    wards = Unit.objects.filter(parent=world.province, code_scheme="current")
    wards.order_by("-path").first().delete()
    handed_out = threading.Event()
    paths = loaders.next_child_paths

    def next_paths(parent, count=1):
        result = paths(parent, count)
        handed_out.set()
        time.sleep(0.3)
        return result

    monkeypatch.setattr(loaders, "next_child_paths", next_paths)
    before = world.province.children.count()
    outcomes = at_once(
        lambda: loaders.load_units([province]),
        lambda: (
            handed_out.wait(60),
            services.create_unit(
                world.province, actor=world.admin, kind=UnitKind.DEPARTMENT, name="Sở Tư pháp"
            ),
        )[1],
    )
    assert kinds(outcomes) == ["won", "won"]
    children = world.province.children.all()
    assert children.count() == before + 1 + 1
    assert children.filter(name="Sở Tư pháp").exists()


def test_a_post_ended_later_while_a_successor_is_appointed_leaves_one_head(world, _slow_stamp):
    """The chairman's last day moved from 31/01 to 28/02 while his successor is appointed from
    01/02: one of the two wins and the other is refused, never two heads in February. Both
    check the unit's heads before saving, so they must wait for each other on the unit's row:
    the appointment locks it, and `end_post`'s lock names it with the post (`of=("self",
    "unit")`). Without that lock both find no other head."""
    needs_row_locks()
    post = Post.objects.get(unit=world.ward, rank="head")
    services.end_post(post, actor=world.admin, ends_on=datetime.date(2026, 1, 31))
    successor = make_person(world.ward, "Tạ Văn Mới", gender="male", is_manager=True)
    outcomes = at_once(
        lambda: services.end_post(post, actor=world.admin, ends_on=datetime.date(2026, 2, 28)),
        lambda: services.appoint_post(
            world.ward, actor=world.admin, person=successor, rank="head", title="Chủ tịch",
            starts_on=datetime.date(2026, 2, 1),
        ),
    )  # fmt: skip
    assert kinds(outcomes) == ["RuleViolation", "won"]
    with refused("single_post_taken"):
        raise next(o for o in outcomes if isinstance(o, Exception))
    mid_february = datetime.date(2026, 2, 15)
    heads = Post.objects.filter(unit=world.ward, rank="head", starts_on__lte=mid_february)
    heads = heads.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=mid_february))
    assert heads.count() == 1
