"""Synthetic province-scale data for benchmarks, written with bulk_create (minutes, not hours)."""

from __future__ import annotations

from django.db import transaction

from portal.models import Membership, Person, Role, Unit, UnitKind, User
from portal.models.units import path_step
from portal.text import fold

BENCH_PROVINCE_CODE = "QUYMO"
COMMUNES_PER_PROVINCE = 120
DEPARTMENTS = 40


@transaction.atomic
def seed_scale_province(*, units: int = 2000, users: int = 5000) -> str:
    """A province with departments, communes and offices totalling `units`, and `users` officials.

    History rows are skipped on purpose: this is load data, not a record of anyone's work.
    """
    province = Unit.objects.filter(code=BENCH_PROVINCE_CODE, code_scheme="local").first()
    if province is not None:
        return f"Đã có tỉnh quy mô ({Unit.objects.subtree(province).count()} đơn vị)."
    root_paths = Unit.objects.filter(depth=1).order_by("-path").values_list("path", flat=True)
    last = root_paths.first()
    province = Unit(
        code=BENCH_PROVINCE_CODE,
        code_scheme="local",
        name="Tỉnh Quy Mô",
        short_name="Quy Mô",
        abbreviation="UBND",
        kind=UnitKind.PROVINCE,
        path=path_step(int(last, 36) + 1 if last else 1),
        depth=1,
        search_name=fold("Tỉnh Quy Mô"),
    )
    province.save_without_historical_record()

    children = []
    for i in range(1, DEPARTMENTS + 1):
        children.append(_child(province, i, UnitKind.DEPARTMENT, f"Sở số {i}"))
    for i in range(1, COMMUNES_PER_PROVINCE + 1):
        kind = UnitKind.WARD if i % 3 == 0 else UnitKind.COMMUNE
        label = "Phường" if kind == UnitKind.WARD else "Xã"
        children.append(_child(province, DEPARTMENTS + i, kind, f"{label} Thử Nghiệm {i}"))
    Unit.objects.bulk_create(children)
    communes = [u for u in children if u.kind in {UnitKind.WARD, UnitKind.COMMUNE}]
    remaining = max(units - 1 - len(children), 0)
    offices = []
    for n in range(remaining):
        parent = communes[n % len(communes)]
        index = n // len(communes) + 1
        offices.append(_child(parent, index, UnitKind.OFFICE, f"Phòng {index} {parent.name}"))
    Unit.objects.bulk_create(offices, batch_size=1000)

    every_unit = [*children, *offices]
    user_rows = [
        User(username=f"quymo{i:05d}", full_name=f"Cán bộ quy mô {i}", password="!")
        for i in range(users)
    ]
    User.objects.bulk_create(user_rows, batch_size=1000)
    user_rows = list(User.objects.filter(username__startswith="quymo").order_by("username"))
    roles = [Role.OFFICER, Role.LEADER, Role.VIEWER]
    Membership.objects.bulk_create(
        [
            Membership(user=user, unit=every_unit[i % len(every_unit)], role=roles[i % len(roles)])
            for i, user in enumerate(user_rows)
        ],
        batch_size=1000,
    )
    Person.objects.bulk_create(
        [
            Person(
                full_name=f"Người lao động {i}",
                search_name=fold(f"Người lao động {i}"),
                gender="female" if i % 2 else "male",
                unit=every_unit[i % len(every_unit)],
            )
            for i in range(units * 5)
        ],
        batch_size=1000,
    )
    return f"Đã tạo tỉnh quy mô: {1 + len(every_unit)} đơn vị, {users} tài khoản."


def _child(parent: Unit, index: int, kind: str, name: str) -> Unit:
    return Unit(
        parent=parent,
        kind=kind,
        name=name,
        short_name=name,
        path=parent.path + path_step(index),
        depth=parent.depth + 1,
        search_name=fold(name),
    )
