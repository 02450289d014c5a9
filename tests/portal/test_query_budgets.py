"""The organisation pages cost a fixed number of queries, however much data the unit holds."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portal import services
from portal.models import Role, UnitKind, User
from tests.factories import make_member, make_person, make_unit

BUDGET = 15


def build_province(scale: int, code: str) -> SimpleNamespace:
    """A province whose every list grows with `scale`: 10×scale wards, agencies, people, ..."""
    p = SimpleNamespace()
    p.province = make_unit(None, UnitKind.PROVINCE, f"Tỉnh Thử {code}", code=code)
    p.officer = make_member(p.province, Role.OFFICER, f"canbo{code}", "Cán bộ thi đua")
    p.leader = make_member(p.province, Role.LEADER, f"lanhdao{code}", "Lãnh đạo tỉnh")
    wards = []
    for number in range(10 * scale):
        ward = make_unit(p.province, UnitKind.WARD, f"Phường Số {number}")
        make_unit(ward, UnitKind.OFFICE, f"Văn phòng phường Số {number}")
        make_unit(p.province, UnitKind.DEPARTMENT, f"Sở thứ {number}")
        make_person(p.province, f"Nguyễn Văn Số {number}")
        make_member(p.province, Role.VIEWER, f"xem{code}-{number}")
        wards.append(ward)
    admin = User.objects.create_superuser(f"quantri{code}", password="matkhau-123")
    for number in range(10 * scale):
        services.update_unit(p.province, actor=admin, address=f"Số {number} đường Võ Thị Sáu")
    p.bloc = services.create_bloc(p.province, actor=p.officer, kind="cluster", name="Cụm số 1")
    for ward in wards:
        services.add_bloc_member(p.bloc, actor=p.officer, unit=ward)
    for number in range(scale):
        services.create_bloc(p.province, actor=p.officer, kind="bloc", name=f"Khối {number}")
    p.person = make_person(p.province, "Trần Thị Đo")
    for number in range(10 * scale):
        services.update_person(p.person, actor=p.officer, position=f"Chức vụ {number}")
    p.ward = wards[0]
    return p


PAGES = {
    "trang chủ": lambda p: (reverse("home"), {}),
    "cây đơn vị": lambda p: (reverse("unit_browser"), {}),
    "mở nhánh": lambda p: (reverse("unit_children", args=[p.province.pk]), {}),
    "tìm kiếm": lambda p: (reverse("unit_browser"), {"q": "phuong so"}),
    "tìm kiếm trang 2": lambda p: (reverse("unit_browser"), {"q": "so", "trang": "2"}),
    "trang đơn vị": lambda p: (reverse("unit_detail", args=[p.province.pk]), {}),
    "trang đơn vị, trang 2": lambda p: (
        reverse("unit_detail", args=[p.province.pk]),
        {"trang": "2", "trang-co-quan": "2"},
    ),
    "trang phường": lambda p: (reverse("unit_detail", args=[p.ward.pk]), {}),
    "chi tiết đơn vị": lambda p: (reverse("unit_details", args=[p.province.pk]), {}),
    "lịch sử": lambda p: (reverse("unit_history", args=[p.province.pk]), {}),
    "cá nhân": lambda p: (reverse("unit_people", args=[p.province.pk]), {}),
    "cụm, khối": lambda p: (reverse("bloc_detail", args=[p.bloc.pk]), {}),
    "hồ sơ cá nhân": lambda p: (reverse("person_detail", args=[p.person.pk]), {}),
}


def count_queries(client, user, url: str, params: dict) -> int:
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200, url
    return len(queries)


@pytest.mark.django_db
def test_organisation_pages_cost_the_same_queries_at_ten_times_the_data(client):
    small, large = build_province(1, "91"), build_province(10, "92")
    assert large.province.children.count() == 10 * small.province.children.count()
    report = []
    for page, target in PAGES.items():
        for user in ("officer", "leader"):
            count_queries(client, getattr(small, user), *target(small))  # warm caches
            at_1x = count_queries(client, getattr(small, user), *target(small))
            at_10x = count_queries(client, getattr(large, user), *target(large))
            if at_1x != at_10x or at_10x > BUDGET:
                report.append(f"{page} ({user}): {at_1x} queries at 1×, {at_10x} at 10×")
    assert not report, f"budget {BUDGET}, constant:\n" + "\n".join(report)
