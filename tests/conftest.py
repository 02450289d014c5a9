"""One small named world shared by the tests.

    Tỉnh Đồng Nai (75)
    ├── Sở Nội vụ (SNV)
    └── Thành phố Long Khánh (district level, kept for history)
        ├── Phường Xuân Trung  ── Phòng Văn hóa - Xã hội, Văn phòng HĐND và UBND
        └── Phường Xuân An     (the outsider's ward)
    Cụm thi đua số 1 (organised by the province): Xuân Trung, Xuân An

A persona per role: province leader, officer, Nội vụ reviewer (the standing body acts for
the whole province, so the role is held at the province), council member, viewer; ward
leader and officer of Xuân Trung; an outsider (officer of the sibling ward Xuân An); an admin.
"""

from __future__ import annotations

import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps as django_apps

from portal.models import Bloc, BlocMember, BlocTerm, Role, UnitKind, User
from tests.factories import make_member, make_person, make_post, make_unit


def pytest_collection_modifyitems(config, items):
    """A transactional test must restore the database it flushes (tests/races.py explains)."""
    bare = [
        item.nodeid
        for item in items
        for mark in item.iter_markers("django_db")
        if mark.kwargs.get("transaction") and not mark.kwargs.get("serialized_rollback")
    ]
    if bare:
        raise pytest.UsageError(
            "Use tests.races.race instead of django_db(transaction=True) for: " + ", ".join(bare)
        )


def pytest_terminal_summary(terminalreporter):
    """Say how many race tests did not run and why (SQLite has no row locks to race)."""
    from tests.races import SKIP_REASON

    skipped = [
        report
        for report in terminalreporter.stats.get("skipped", [])
        if SKIP_REASON in str(report.longrepr)
    ]
    if skipped:
        terminalreporter.write_sep(
            "-",
            f"{len(skipped)} race tests skipped: {SKIP_REASON}; "
            "run them with DATABASE_URL=postgres://… (as CI does)",
        )


@pytest.fixture
def awards_catalogue(transactional_db):
    """The catalogue and procedure rules the awards migrations seed, for a browser journey or a
    race test that nominates. A journey's live server flushes the database without the
    restore, and in a full run on CI a race test after one found the catalogue empty: seed it
    again the way the migrations do when it is."""
    from awards.models import EmulationTitle

    if not EmulationTitle.objects.exists():
        for name in (
            "0002_seed_catalogue",
            "0004_seed_procedure",
            "0015_seed_2018_rules_money_bases",
            "0017_seed_catalogue_papers",
        ):
            importlib.import_module(f"awards.migrations.{name}").seed(django_apps, None)


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploads and rendered documents go to a throw-away media folder, not the developer's var/."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _own_shared_cache(settings, request):
    """Rate-limit counters and the beat tick live in the "shared" cache (Redis in production):
    each test starts from an empty one of its own, never from another test's or worker's."""
    settings.CACHES = {
        **settings.CACHES,
        "shared": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"shared-{request.node.nodeid}",
        },
    }


@pytest.fixture(autouse=True)
def _no_signing_unless_asked(settings):
    """Documents come out unsigned unless a test configures a certificate (signing tests do)."""
    settings.DOCUMENT_SIGNING_P12 = ""


@pytest.fixture(autouse=True)
def _fresh_calendar():
    """The holiday map is cached across requests; a rolled-back test must not leave its rows."""
    from portal import calendar

    calendar.forget()
    yield
    calendar.forget()


@pytest.fixture(autouse=True)
def _fresh_content_types():
    """A transactional test flushes the tables and the content types come back with new ids;
    the in-process cache must not hand the next test the old ones (a foreign-key error)."""
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()


@pytest.fixture(autouse=True)
def _eager_celery():
    """Tasks run in-process in tests even when REDIS_URL is set (CI); the worker test opts out."""
    from portal.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@pytest.fixture
def world(db):
    w = SimpleNamespace()
    w.province = make_unit(
        None,
        UnitKind.PROVINCE,
        "Tỉnh Đồng Nai",
        short_name="Đồng Nai",
        code="75",
        code_scheme="current",
        abbreviation="UBND",
    )
    w.home_affairs = make_unit(
        w.province, UnitKind.DEPARTMENT, "Sở Nội vụ", short_name="Nội vụ", abbreviation="SNV"
    )
    w.district = make_unit(
        w.province,
        UnitKind.PROVINCIAL_CITY,
        "Thành phố Long Khánh",
        short_name="Long Khánh",
        code="732",
        code_scheme="legacy",
    )
    w.ward = make_unit(
        w.district,
        UnitKind.WARD,
        "Phường Xuân Trung",
        short_name="Xuân Trung",
        code="26000",
        code_scheme="legacy",
    )
    w.sibling_ward = make_unit(
        w.district,
        UnitKind.WARD,
        "Phường Xuân An",
        short_name="Xuân An",
        code="26001",
        code_scheme="legacy",
    )
    w.ward_office = make_unit(w.ward, UnitKind.OFFICE, "Phòng Văn hóa - Xã hội")
    w.ward_secretariat = make_unit(
        w.ward, UnitKind.OFFICE, "Văn phòng HĐND và UBND", abbreviation="VP"
    )
    w.bloc = Bloc.objects.create(organiser=w.province, kind="cluster", name="Cụm thi đua số 1")
    BlocMember.objects.create(bloc=w.bloc, unit=w.ward, position=1)
    BlocMember.objects.create(bloc=w.bloc, unit=w.sibling_ward, position=2)
    BlocTerm.objects.create(bloc=w.bloc, year=2026, head=w.ward, deputy=w.sibling_ward)

    w.leader = make_member(w.province, Role.LEADER, "lanhdao", "Nguyễn Văn Lãnh")
    w.officer = make_member(w.province, Role.OFFICER, "canbo", "Trần Thị Thi")
    w.reviewer = make_member(w.province, Role.REVIEWER, "noivu", "Lê Thị Nội")
    w.council = make_member(w.province, Role.COUNCIL_MEMBER, "hoidong", "Phạm Văn Hội")
    w.viewer = make_member(w.province, Role.VIEWER, "xem", "Đỗ Thị Xem")
    w.ward_leader = make_member(w.ward, Role.LEADER, "ct_xuantrung", "Võ Văn Phường")
    w.ward_officer = make_member(w.ward, Role.OFFICER, "cb_xuantrung", "Huỳnh Thị Thu")
    w.outsider = make_member(w.sibling_ward, Role.OFFICER, "cb_xuanan", "Ngô Văn Ngoài")
    w.admin = User.objects.create_superuser("quantri", password="matkhau-123", full_name="Quản trị")

    w.person = make_person(w.ward, "Nguyễn Thị Hồng", position="Công chức văn hóa", birth_year=1985)
    w.sibling_person = make_person(w.sibling_ward, "Trần Văn Bình", gender="male")
    _leadership(w)
    return w


def _leadership(w) -> None:
    """Who signs each unit's papers (portal/documents/signers.py): a chairman and a deputy for
    the province and the ward, a director for the Sở Nội vụ, the head of the ward's Văn phòng
    (through which the ward puts its own proposals to its chairman)."""
    w.province_chair = make_person(
        w.province, "Nguyễn Văn Lãnh", gender="male", is_manager=True, user=w.leader
    )
    w.province_deputy = make_person(w.province, "Phạm Văn Phó", gender="male", is_manager=True)
    w.home_affairs_director = make_person(w.home_affairs, "Lý Thị Giám", is_manager=True)
    w.district_chair = make_person(w.district, "Đặng Văn Khánh", gender="male", is_manager=True)
    w.ward_chair = make_person(
        w.ward, "Võ Văn Phường", gender="male", is_manager=True, user=w.ward_leader
    )
    w.ward_deputy = make_person(w.ward, "Lê Thị Phó", is_manager=True)
    w.ward_secretariat_head = make_person(w.ward_secretariat, "Bùi Thị Chánh", is_manager=True)
    w.sibling_chair = make_person(w.sibling_ward, "Hà Văn An", gender="male", is_manager=True)
    make_post(w.province, w.province_chair)
    make_post(w.province, w.province_deputy, "deputy", "Phó Chủ tịch")
    make_post(w.home_affairs, w.home_affairs_director, "head", "Giám đốc")
    make_post(w.district, w.district_chair)
    make_post(w.ward, w.ward_chair)
    make_post(w.ward, w.ward_deputy, "deputy", "Phó Chủ tịch")
    make_post(w.ward_secretariat, w.ward_secretariat_head, "head", "Chánh Văn phòng")
    make_post(w.sibling_ward, w.sibling_chair)
