"""Names sort in Vietnamese order (issue #15): in the database (the ICU collation `vi-x-icu`
on PostgreSQL's name columns) and in Python (`portal.text.vietnamese_key`), the same way."""

from __future__ import annotations

import random

import pytest
from django.db import connection

from portal.models import Bloc, BlocKind, Person, Unit, UnitKind, User
from portal.text import vietnamese_key
from tests.factories import make_person, make_unit, make_user

# Code point order puts "Bình" before "Bảo", "Hoàng Văn" before "Hoàng Đức" and "Đồng" last.
IN_ORDER = ["Bảo", "Bình", "Đồng", "Hoàng Đức", "Hoàng Văn"]
# ă, â, ê, ô, ơ, ư are letters after a, e, o, u; the tones weigh after the letters, in the
# order ngang, huyền, hỏi, ngã, sắc, nặng; lower case first; spaces, then punctuation, digits.
FINER = [
    "An", "Anh", "Ăn", "Ân", "Ba", "Bà", "Bả", "Bã", "Bá", "Bạ", "Du", "Dung", "Dư", "Đa", "O",
    "Ong", "Ô", "Ông", "Ơ", "Ơn", "Phường 1", "Phường 10", "Phường 2", "Tổ 03", "tổ 3", "Tổ 3",
    "Tràm", "Trâm", "Trầm", "Trấm", "Trần", "U", "Ư", "Xã A Bc", "Xã Á-Âu", "Xã Ab",
]  # fmt: skip


def shuffled(names: list[str]) -> list[str]:
    names = list(names)
    random.Random(15).shuffle(names)
    return names


def test_the_python_key_sorts_vietnamese_names():
    assert sorted(shuffled(IN_ORDER), key=vietnamese_key) == IN_ORDER
    assert sorted(shuffled(FINER), key=vietnamese_key) == FINER
    # Composed or decomposed, the same name sorts the same.
    assert vietnamese_key("Đồng") == vietnamese_key("Đo\u0302\u0300ng")


@pytest.mark.django_db
def test_units_blocs_and_people_sort_in_vietnamese_order_in_the_database():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no ICU collation: the lists sort with vietnamese_key")
    province = make_unit(None, UnitKind.PROVINCE, "Tỉnh Thử")
    for name in shuffled(IN_ORDER):
        make_unit(province, UnitKind.COMMUNE, f"Xã {name}")
        make_person(province, f"Nguyễn {name}")
        make_user(full_name=f"Trần {name}")
        Bloc.objects.create(organiser=province, kind=BlocKind.CLUSTER, name=f"Cụm {name}")
    units = Unit.objects.filter(parent=province).order_by("name")
    assert [u.name for u in units] == [f"Xã {n}" for n in IN_ORDER]
    people = Person.objects.order_by("full_name")
    assert [p.full_name for p in people] == [f"Nguyễn {n}" for n in IN_ORDER]
    users = User.objects.filter(full_name__startswith="Trần ").order_by("full_name")
    assert [u.full_name for u in users] == [f"Trần {n}" for n in IN_ORDER]
    blocs = Bloc.objects.filter(organiser=province).order_by("name")
    assert [b.name for b in blocs] == [f"Cụm {n}" for n in IN_ORDER]


@pytest.mark.django_db
def test_the_database_and_the_python_key_agree_on_finer_points():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no ICU collation")
    province = make_unit(None, UnitKind.PROVINCE, "Tỉnh Thử")
    for name in shuffled(FINER):
        make_unit(province, UnitKind.COMMUNE, name)
    in_db = list(
        Unit.objects.filter(parent=province).order_by("name").values_list("name", flat=True)
    )
    assert in_db == FINER == sorted(in_db, key=vietnamese_key)
