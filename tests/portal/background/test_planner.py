import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ImproperlyConfigured

from portal.background import reminders
from portal.background.reminders import DueItem, ReminderSource, plan_reminders
from portal.models import Reminder, Role
from tests.factories import make_member

from .conftest import LEGAL_KIND, TEST_KIND, due

HCM = ZoneInfo("Asia/Ho_Chi_Minh")


def at(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=HCM)


def recipients(**filters) -> set[tuple[str, bool]]:
    return {
        (row.recipient.username, row.escalated)
        for row in Reminder.objects.filter(**filters).select_related("recipient")
    }


@pytest.fixture
def district_leader(world):
    return make_member(world.district, Role.LEADER, "ct_longkhanh", "Mai Văn Thành")


def test_planner_writes_one_row_per_officer_and_leader_of_the_unit(world, sources):
    today = datetime.date(2026, 11, 28)
    sources[TEST_KIND].items = [
        due(world.person, due_on=today + datetime.timedelta(2), overdue=False)
    ]

    result = plan_reminders(today)

    assert result.items == 1
    assert result.created == 2
    assert recipients() == {("ct_xuantrung", False), ("cb_xuantrung", False)}
    row = Reminder.objects.get(recipient=world.ward_officer)
    assert (row.remind_on, row.due_on, row.unit, row.legal_deadline) == (
        today,
        datetime.date(2026, 11, 30),
        world.ward,
        False,
    )


def test_second_planner_run_on_the_same_day_adds_nothing(world, sources):
    today = datetime.date(2026, 11, 28)
    sources[TEST_KIND].items = [due(world.person, due_on=today, overdue=False)]
    sources[LEGAL_KIND].items = [
        due(world.sibling_person, due_on=today, overdue=False, kind=LEGAL_KIND)
    ]

    first = plan_reminders(today)
    second = plan_reminders(today)

    assert first.created == 3
    assert second.items == 2
    assert second.created == 0
    assert Reminder.objects.count() == 3
    assert Reminder.objects.get(recipient=world.outsider).legal_deadline is True


def test_the_next_day_reminds_again(world, sources):
    sources[TEST_KIND].items = [due(world.person, due_on=datetime.date(2026, 12, 5), overdue=False)]

    plan_reminders(datetime.date(2026, 11, 30))
    plan_reminders(datetime.date(2026, 12, 1))

    assert Reminder.objects.filter(recipient=world.ward_officer).count() == 2


def test_overdue_item_reaches_the_superior_leader_only_after_the_grace_period(
    world, sources, district_leader, settings
):
    settings.REMINDER_ESCALATION_GRACE_DAYS = 3
    item = due(world.person, due_on=datetime.date(2026, 1, 31), overdue=True)
    sources[TEST_KIND].items = [item]

    plan_reminders(datetime.date(2026, 2, 3))
    plan_reminders(datetime.date(2026, 2, 4))

    assert recipients(remind_on=datetime.date(2026, 2, 3)) == {
        ("ct_xuantrung", False),
        ("cb_xuantrung", False),
    }
    assert recipients(remind_on=datetime.date(2026, 2, 4)) == {
        ("ct_xuantrung", False),
        ("cb_xuantrung", False),
        ("ct_longkhanh", True),
    }


def test_an_item_not_overdue_is_never_escalated(world, sources, district_leader):
    sources[TEST_KIND].items = [due(world.person, due_on=datetime.date(2026, 1, 1), overdue=False)]

    plan_reminders(datetime.date(2026, 3, 1))

    assert not Reminder.objects.filter(recipient=district_leader).exists()


def test_planner_files_reminders_under_the_local_date_around_midnight(world, sources):
    sources[TEST_KIND].items = [due(world.person, due_on=datetime.date(2026, 12, 1), overdue=False)]

    with time_machine.travel(at(2026, 11, 30, 23, 30), tick=False):
        plan_reminders()
    # 00:30 on 1 December in Hà Nội is still 30 November in UTC.
    with time_machine.travel(at(2026, 12, 1, 0, 30), tick=False):
        assert datetime.datetime.now(datetime.UTC).date() == datetime.date(2026, 11, 30)
        plan_reminders()

    days = set(Reminder.objects.values_list("remind_on", flat=True))
    assert days == {datetime.date(2026, 11, 30), datetime.date(2026, 12, 1)}


def test_named_recipients_are_reminded_besides_the_units_roles(world, sources):
    item = due(world.person, due_on=datetime.date(2026, 12, 1), overdue=False)
    sources[TEST_KIND].items = [
        DueItem(**{**item.__dict__, "recipient_ids": (world.council.pk,)}),
    ]

    plan_reminders(datetime.date(2026, 11, 28))

    assert recipients() == {("ct_xuantrung", False), ("cb_xuantrung", False), ("hoidong", False)}


def test_bloc_without_head_and_deputy_reminds_the_organisers_officers(world):
    # The world's bloc has its 2026 term; nobody has set 2027's yet.
    plan_reminders(datetime.date(2026, 6, 1))
    assert not Reminder.objects.exists()

    plan_reminders(datetime.date(2027, 1, 10))
    plan_reminders(datetime.date(2027, 2, 1))

    rows = Reminder.objects.filter(kind=reminders.BLOC_TERM_KIND).order_by("remind_on")
    assert [(r.recipient.username, r.overdue) for r in rows] == [
        ("canbo", False),
        ("canbo", True),
    ]
    assert rows[0].title == "Cụm thi đua số 1: chưa có trưởng, phó cụm, khối năm 2027"
    assert rows[0].due_on == datetime.date(2027, 1, 31)


def test_a_kind_cannot_be_registered_twice_with_different_sources(sources):
    with pytest.raises(ImproperlyConfigured):
        reminders.register_source(
            ReminderSource(kind=TEST_KIND, label="Khác", due_items=lambda today: [], caps=())
        )


def test_due_item_for_record_names_the_record_by_content_type(world):
    item = DueItem.for_record(
        TEST_KIND,
        world.person,
        unit_id=world.ward.pk,
        title="x",
        url="/",
        due_on=datetime.date(2026, 1, 1),
        overdue=False,
    )
    assert item.target_id == world.person.pk
    assert (
        item.target_type_id == due(world.person, due_on=item.due_on, overdue=False).target_type_id
    )
