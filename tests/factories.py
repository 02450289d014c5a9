"""Small builders for test data, going through the services like real callers do."""

from __future__ import annotations

import datetime
import itertools

from portal import services
from portal.models import Membership, Person, Post, Unit, User

_counter = itertools.count(1)


def make_unit(parent: Unit | None, kind: str, name: str, **fields) -> Unit:
    return services.create_unit(parent, actor=None, kind=kind, name=name, **fields)


def make_user(
    username: str | None = None, *, full_name: str = "", password: str = "matkhau-123"
) -> User:
    username = username or f"user{next(_counter)}"
    return User.objects.create_user(username=username, password=password, full_name=full_name)


def make_member(unit: Unit, role: str, username: str | None = None, full_name: str = "") -> User:
    user = make_user(
        username, full_name=full_name or f"Cán bộ {role} {unit.short_name or unit.name}"
    )
    Membership.objects.create(user=user, unit=unit, role=role)
    return user


def make_person(unit: Unit, full_name: str, **fields) -> Person:
    fields.setdefault("gender", "female")
    return Person.objects.create(unit=unit, full_name=full_name, **fields)


def make_post(
    unit: Unit,
    person: Person,
    rank: str = "head",
    title: str = "Chủ tịch",
    starts_on: datetime.date = datetime.date(2020, 1, 1),
    ends_on: datetime.date | None = None,
) -> Post:
    return Post.objects.create(
        unit=unit, person=person, rank=rank, title=title, starts_on=starts_on, ends_on=ends_on
    )
