"""The reminder planner's rules stated exactly: who is reminded, which rows are written (on both
insert paths), and the portal's own source, the bloc without its head and deputy."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from portal.access import Cap
from portal.background import reminders
from portal.background.reminders import DueItem, ReminderSource, plan_reminders
from portal.models import Bloc, BlocTerm, Reminder, Role
from tests.factories import make_member

from .conftest import LEGAL_KIND, OFFICERS_AND_LEADERS, TEST_KIND, due

TODAY = datetime.date(2026, 11, 28)
LONG_AGO = datetime.date(2026, 10, 1)  # overdue well past any grace period


@pytest.fixture
def district_leader(world):
    return make_member(world.district, Role.LEADER, "ct_longkhanh", "Mai Văn Thành")


def recipients(**filters) -> set[tuple[str, bool]]:
    return {
        (row.recipient.username, row.escalated)
        for row in Reminder.objects.filter(**filters).select_related("recipient")
    }


def _rows() -> list[tuple]:
    return sorted(
        Reminder.objects.values_list(
            "kind",
            "remind_on",
            "legal_deadline",
            "digest",
            "target_type_id",
            "target_id",
            "recipient__username",
            "unit_id",
            "title",
            "url",
            "due_on",
            "overdue",
            "escalated",
        )
    )


class _PortableConnection:
    """The database connection, reporting a vendor other than PostgreSQL: the planner takes
    its portable insert (bulk_create) on the same database."""

    vendor = "portable"

    def __getattr__(self, name):
        return getattr(connection, name)


def test_both_insert_paths_write_exactly_the_planned_rows(
    world, sources, district_leader, monkeypatch
):
    person_type = ContentType.objects.get_for_model(world.person).pk
    sources[TEST_KIND].items = [due(world.person, due_on=LONG_AGO, overdue=True)]
    sources[LEGAL_KIND].items = [
        due(world.sibling_person, due_on=TODAY, overdue=False, kind=LEGAL_KIND)
    ]
    title = f"Hồ sơ của {world.person.full_name} chưa hoàn thiện"
    sibling_title = f"Hồ sơ của {world.sibling_person.full_name} chưa hoàn thiện"
    expected = sorted(
        [
            (
                TEST_KIND, TODAY, False, None, person_type, world.person.pk,
                username, world.ward.pk, title, f"/ca-nhan/{world.person.pk}/", LONG_AGO, True,
                escalated,
            )
            for username, escalated in [
                ("ct_xuantrung", False), ("cb_xuantrung", False), ("ct_longkhanh", True)
            ]
        ]
        + [
            (
                LEGAL_KIND, TODAY, True, None, person_type,
                world.sibling_person.pk, "cb_xuanan", world.sibling_ward.pk, sibling_title,
                f"/ca-nhan/{world.sibling_person.pk}/", TODAY, False, False,
            )
        ]
    )  # fmt: skip
    before = timezone.now()

    assert plan_reminders(TODAY) == reminders.PlanResult(items=2, created=4)
    assert _rows() == expected
    assert all(before <= r.created_at <= timezone.now() for r in Reminder.objects.all())

    if connection.vendor == "postgresql":  # the other path, on the same database
        Reminder.objects.all().delete()
        monkeypatch.setattr(reminders, "connection", _PortableConnection())
        assert plan_reminders(TODAY) == reminders.PlanResult(items=2, created=4)
        assert _rows() == expected
        assert plan_reminders(TODAY) == reminders.PlanResult(items=2, created=0)


def test_the_planner_writes_each_chunk(world, sources, monkeypatch):
    monkeypatch.setattr(reminders, "PLAN_CHUNK", 1)
    sources[TEST_KIND].items = [
        due(person, due_on=TODAY, overdue=False) for person in (world.person, world.sibling_person)
    ]

    assert plan_reminders(TODAY) == reminders.PlanResult(items=2, created=3)
    assert recipients() == {("ct_xuantrung", False), ("cb_xuantrung", False), ("cb_xuanan", False)}


def test_an_inactive_account_is_not_reminded(world, sources):
    world.ward_leader.is_active = False
    world.ward_leader.save(update_fields=["is_active"])
    sources[TEST_KIND].items = [due(world.person, due_on=TODAY, overdue=False)]

    plan_reminders(TODAY)

    assert recipients() == {("cb_xuantrung", False)}


def test_a_superior_leader_named_on_the_item_is_reminded_once_directly(
    world, sources, district_leader
):
    item = due(world.person, due_on=LONG_AGO, overdue=True)
    sources[TEST_KIND].items = [
        DueItem(**{**item.__dict__, "recipient_ids": (district_leader.pk,)})
    ]

    plan_reminders(TODAY)

    assert recipients() == {
        ("ct_xuantrung", False),
        ("cb_xuantrung", False),
        ("ct_longkhanh", False),
    }


def test_an_overdue_item_of_the_top_unit_has_nobody_to_escalate_to(world, sources):
    sources[TEST_KIND].items = [
        due(world.person, due_on=LONG_AGO, overdue=True, unit=world.province)
    ]

    plan_reminders(TODAY)

    assert recipients() == {("lanhdao", False), ("canbo", False)}


def test_a_source_reminds_only_its_roles_and_escalates_to_the_leaders_above(
    world, district_leader, monkeypatch
):
    items = [due(world.person, due_on=LONG_AGO, overdue=True, kind="tests.officers_due")]
    monkeypatch.setattr(reminders, "_SOURCES", {})
    reminders.register_source(
        ReminderSource(
            kind="tests.officers_due",
            label="Việc của cán bộ",
            due_items=lambda today: items,
            caps=(Cap.SUBMIT_REGISTRATION,),
        )
    )

    plan_reminders(TODAY)

    assert recipients() == {("cb_xuantrung", False), ("ct_longkhanh", True)}


def test_titles_and_addresses_are_cut_to_what_the_outbox_holds(world, sources):
    item = due(world.person, due_on=TODAY, overdue=False)
    sources[TEST_KIND].items = [
        DueItem(**{**item.__dict__, "title": "Đ" * 400, "url": "/" + "a" * 399})
    ]

    plan_reminders(TODAY)

    row = Reminder.objects.filter(recipient=world.ward_officer).get()
    assert (row.title, row.url) == ("Đ" * 300, "/" + "a" * 299)


def test_a_kind_is_labelled_by_its_source_and_an_unknown_one_by_its_code(sources):
    reminders.register_source(
        ReminderSource(
            kind="tests.news",
            label="Báo cáo mới",
            due_items=lambda today: [],
            caps=(),
            has_deadline=False,
        )
    )

    assert reminders.kind_label(TEST_KIND) == "Hồ sơ cá nhân cần bổ sung"
    assert reminders.kind_label("tests.gone") == "tests.gone"
    assert reminders.kind_has_deadline(TEST_KIND) is True
    assert reminders.kind_has_deadline("tests.news") is False
    assert reminders.kind_has_deadline("tests.gone") is True


def test_the_same_source_registered_again_is_kept_once(sources):
    again = ReminderSource(
        kind=LEGAL_KIND,
        label="Hồ sơ sắp hết thời hạn luật định",
        due_items=sources[LEGAL_KIND],
        caps=OFFICERS_AND_LEADERS,
        legal_deadline=True,
    )
    reminders.register_source(again)

    assert [s.kind for s in reminders.sources()] == [TEST_KIND, LEGAL_KIND]
    assert reminders.sources()[1] == again


def test_the_portal_registers_its_bloc_source(monkeypatch):
    monkeypatch.setattr(reminders, "_SOURCES", {})

    reminders.register_portal_sources()

    assert reminders.sources() == [
        ReminderSource(
            kind="portal.bloc_term_missing",
            label="Cụm, khối thi đua chưa có trưởng, phó",
            due_items=reminders.blocs_without_term,
            legal_deadline=False,
            has_deadline=True,
            caps=(Cap.MANAGE_PLEDGE,),
        )
    ]


def test_due_item_for_record_carries_the_kind_and_the_fields(world):
    fields = dict(
        unit_id=world.ward.pk,
        title="Hồ sơ",
        url="/ca-nhan/",
        due_on=datetime.date(2026, 1, 1),
        overdue=True,
        recipient_ids=(world.council.pk,),
    )

    assert DueItem.for_record(TEST_KIND, world.person, **fields) == DueItem(
        kind=TEST_KIND,
        target_type_id=ContentType.objects.get_for_model(world.person).pk,
        target_id=world.person.pk,
        **fields,
    )


def _bloc_item(bloc, today, missing):
    return DueItem(
        kind="portal.bloc_term_missing",
        target_type_id=ContentType.objects.get_for_model(Bloc).pk,
        target_id=bloc.pk,
        unit_id=bloc.organiser_id,
        title=f"{bloc.name}: chưa có {missing} cụm, khối năm {today.year}",
        url=reverse("bloc_detail", args=[bloc.pk]),
        due_on=datetime.date(today.year, 1, 31),
        overdue=today > datetime.date(today.year, 1, 31),
    )


def test_a_bloc_is_due_until_its_head_and_deputy_are_set_and_overdue_after_january(world):
    second = Bloc.objects.create(organiser=world.district, kind="sector", name="Khối số 2")
    Bloc.objects.create(
        organiser=world.district, kind="sector", name="Khối giải thể", is_active=False
    )
    BlocTerm.objects.create(bloc=second, year=2027, head=world.ward)  # no deputy yet

    assert list(reminders.blocs_without_term(datetime.date(2026, 6, 1))) == [
        _bloc_item(second, datetime.date(2026, 6, 1), "trưởng, phó")
    ]
    for today in (datetime.date(2027, 1, 31), datetime.date(2027, 2, 1)):
        assert list(reminders.blocs_without_term(today)) == [
            _bloc_item(world.bloc, today, "trưởng, phó"),
            _bloc_item(second, today, "phó"),
        ]
    assert [i.overdue for i in reminders.blocs_without_term(datetime.date(2027, 1, 31))] == [
        False,
        False,
    ]
    BlocTerm.objects.filter(bloc=second, year=2027).update(deputy=world.sibling_ward)
    assert list(reminders.blocs_without_term(datetime.date(2027, 2, 1))) == [
        _bloc_item(world.bloc, datetime.date(2027, 2, 1), "trưởng, phó")
    ]


def test_a_kind_registered_twice_names_the_kind(sources):
    with pytest.raises(ImproperlyConfigured) as refused:
        reminders.register_source(
            ReminderSource(kind=TEST_KIND, label="Khác", due_items=lambda today: [], caps=())
        )
    assert str(refused.value) == "Reminder kind 'tests.person_due' is registered twice."


def test_the_planner_logs_the_day_the_items_and_the_new_rows(world, sources, caplog):
    sources[TEST_KIND].items = [due(world.person, due_on=TODAY, overdue=False)]

    with caplog.at_level("INFO", logger="portal.background.reminders"):
        plan_reminders(TODAY)

    assert caplog.messages == ["Lập nhắc việc ngày 28/11/2026: 1 mục, 2 dòng mới."]


def test_a_unit_without_officers_still_reminds_the_named_people(world, sources):
    item = due(world.person, due_on=TODAY, overdue=False, unit=world.ward_office)
    sources[TEST_KIND].items = [DueItem(**{**item.__dict__, "recipient_ids": (world.council.pk,)})]

    plan_reminders(TODAY)

    assert recipients() == {("hoidong", False)}


def test_an_overdue_item_with_no_leader_above_reminds_its_own_unit_only(world, sources):
    sources[TEST_KIND].items = [due(world.person, due_on=LONG_AGO, overdue=True)]

    plan_reminders(TODAY)

    assert recipients() == {("ct_xuantrung", False), ("cb_xuantrung", False)}


def test_only_the_overdue_item_of_a_unit_reaches_the_leader_above(world, sources, district_leader):
    sources[TEST_KIND].items = [
        due(world.person, due_on=LONG_AGO, overdue=True),
        due(world.sibling_person, due_on=TODAY, overdue=False, unit=world.ward),
    ]

    plan_reminders(TODAY)

    assert recipients(target_id=world.person.pk) == {
        ("ct_xuantrung", False),
        ("cb_xuantrung", False),
        ("ct_longkhanh", True),
    }
    assert recipients(target_id=world.sibling_person.pk) == {
        ("ct_xuantrung", False),
        ("cb_xuantrung", False),
    }
