from io import StringIO
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.test import RequestFactory
from django.utils import timezone

from portal import demo
from portal.models import (
    Bloc,
    BlocMember,
    BlocTerm,
    CodeScheme,
    Membership,
    Person,
    Role,
    Unit,
    UnitKind,
    User,
)

AUDITED = (Unit, Bloc, BlocMember, BlocTerm, Membership, Person, User)


def load_demo() -> str:
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def signs_in(username: str, password: str) -> bool:
    request = RequestFactory().post("/dang-nhap/")
    return authenticate(request, username=username, password=password) is not None


def snapshot() -> dict[str, tuple[int, int]]:
    """Rows and history rows of every model the demo writes."""
    return {m.__name__: (m.objects.count(), m.history.count()) for m in AUDITED}


@pytest.fixture
def demo_world(db, settings):
    settings.DEBUG = True
    return load_demo()


def test_load_demo_is_refused_when_debug_is_off(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        load_demo()
    assert not Unit.objects.exists() and not User.objects.exists()


def test_demo_loads_dong_nai_with_its_95_communes_and_wards(demo_world):
    province = demo.demo_province()
    assert province.name == "Thành phố Đồng Nai"
    assert province.children.filter(code_scheme=CodeScheme.CURRENT).count() == 95


def test_demo_agencies_sit_under_the_city_with_their_abbreviations(demo_world):
    province = demo.demo_province()
    departments = dict(
        province.children.filter(kind=UnitKind.DEPARTMENT).values_list("name", "abbreviation")
    )
    assert departments["Sở Nội vụ"] == "SNV"
    assert departments["Sở Giáo dục và Đào tạo"] == "SGDĐT"
    assert departments["Sở Y tế"] == "SYT"
    assert departments["Sở Tài chính"] == "STC"
    home_affairs = demo.demo_unit("75-SNV")
    assert home_affairs.issuing_body().parent_name == "UBND THÀNH PHỐ ĐỒNG NAI"
    ward = demo.demo_unit(demo.WARD_LONG_KHANH)
    # Its Văn phòng HĐND và UBND (which puts the ward's own proposals to its chairman) and two
    # offices.
    assert ward.children.filter(kind=UnitKind.OFFICE).count() == 3
    assert ward.children.filter(kind=UnitKind.RESIDENTIAL_GROUP).count() == 3
    commune = demo.demo_unit("26425")
    assert commune.children.filter(kind=UnitKind.VILLAGE).count() == 3


def test_demo_leaders_hold_dated_posts_and_sign_for_their_units(demo_world):
    from portal.documents import signers

    day = timezone.localdate()
    ward = demo.demo_unit(demo.WARD_LONG_KHANH)
    assert signers.signature(ward, day).title_lines == ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"]
    assert signers.signature(ward, day).name == "Võ Văn Hùng"
    deputy = Person.objects.get(user__username="hoidong_longkhanh1")
    assert signers.signature(ward, day, person=deputy, collective=False).title_lines == [
        "KT. CHỦ TỊCH",
        "PHÓ CHỦ TỊCH",
    ]
    office = signers.staff_office(ward, day)
    assert office.name == "Văn phòng HĐND và UBND"
    assert signers.signature(office, day).name == "Phan Thị Thanh Vân"
    city = demo.demo_province()
    assert signers.staff_office(city, day) == demo.demo_unit("75-SNV")
    assert signers.signature(city, day).name == "Nguyễn Văn Thành"


def test_demo_blocs_have_members_and_this_years_head_and_deputy(demo_world):
    cluster = Bloc.objects.get(name="Cụm thi đua số 1")
    assert cluster.members.count() == 6
    assert all(m.unit.kind in {UnitKind.WARD, UnitKind.COMMUNE} for m in cluster.members.all())
    term = cluster.terms.get(year=timezone.localdate().year)
    assert term.head == demo.demo_unit("26041") and term.deputy == demo.demo_unit("26068")
    sector = Bloc.objects.get(name="Khối các sở kinh tế")
    assert {m.unit.kind for m in sector.members.all()} == {UnitKind.DEPARTMENT}


def test_every_demo_unit_has_people_with_plausible_details(demo_world):
    province = demo.demo_province()
    units = Unit.objects.subtree(province)
    assert not units.filter(people__isnull=True).exists()
    people = Person.objects.filter(unit__in=units)
    assert people.filter(is_manager=True).exists()
    assert people.filter(is_direct_worker=True).exists()
    assert not people.filter(is_manager=True, is_direct_worker=True).exists()
    assert {"Kinh", "Chơ Ro"} <= set(people.values_list("ethnicity", flat=True))
    assert set(people.values_list("gender", flat=True)) == {"male", "female"}


def test_one_login_per_role_and_the_reviewer_acts_for_the_whole_city(demo_world):
    province = demo.demo_province()
    roles = set(Membership.objects.values_list("role", flat=True))
    assert roles == set(Role.values)
    reviewer = Membership.objects.get(user__username="noivu")
    assert (reviewer.role, reviewer.unit) == (Role.REVIEWER, province)
    # The ward confers its own titles: it has every role but the viewer, its council included.
    ward_roles = Membership.objects.filter(unit=demo.demo_unit(demo.WARD_LONG_KHANH))
    assert sorted(ward_roles.values_list("role", flat=True)) == sorted(
        [Role.LEADER, Role.OFFICER, Role.REVIEWER] + [Role.COUNCIL_MEMBER] * 3
    )
    assert User.objects.get(username="quantri").is_superuser
    assert not User.objects.filter(is_superuser=True).exclude(username="quantri").exists()
    leader = User.objects.get(username="lanhdao_tinh")
    assert leader.person.unit == province and leader.person.is_manager


def test_demo_logins_authenticate_with_the_printed_password(demo_world):
    for user in demo.DEMO_USERS:
        assert user.username in demo_world
        assert signs_in(user.username, demo.DEMO_PASSWORD), user.username
    assert demo.DEMO_PASSWORD in demo_world
    assert not signs_in("lanhdao_tinh", "sai-mat-khau")


def test_second_run_duplicates_nothing_and_resets_passwords(demo_world):
    officer = User.objects.get(username="canbo_tinh")
    officer.set_password("da-doi-mat-khau")
    officer.save()
    before = snapshot()
    output = load_demo()
    after = snapshot()
    assert {name: rows for name, (rows, _) in after.items()} == {
        name: rows for name, (rows, _) in before.items()
    }
    # Only the changed password leaves a trace; nothing else is rewritten.
    assert after["User"][1] == before["User"][1] + 1
    assert {k: v for k, v in after.items() if k != "User"} == {
        k: v for k, v in before.items() if k != "User"
    }
    assert "Dữ liệu mẫu: không có thay đổi" in output
    assert signs_in("canbo_tinh", demo.DEMO_PASSWORD)


def test_other_apps_demos_run_after_the_portals(db, settings, monkeypatch):
    settings.DEBUG = True
    real = apps.get_app_configs()
    fake = SimpleNamespace(name="tests.portal.fake_demo_app")
    monkeypatch.setattr(apps, "get_app_configs", lambda: [*real, fake])
    output = load_demo()
    assert "Ứng dụng thử: đã thấy Thành phố Đồng Nai" in output
    assert output.index("Dữ liệu mẫu: thêm") < output.index("Ứng dụng thử")
    assert output.index("Ứng dụng thử") < output.index("Tài khoản mẫu")
