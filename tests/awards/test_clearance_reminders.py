"""The reminder source `awards.clearance_answer_due`: requests for another body's opinion on
nominees, with frozen time (TODAY is Monday 02/03/2026, the requests are due Monday 09/03)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from awards.procedure import clearance
from awards.reminders import CLEARANCE_ANSWER_KIND, clearances_to_answer
from portal.background.reminders import plan_reminders
from portal.models import Reminder, Role, UnitKind
from tests.factories import make_member, make_person, make_unit

from .nomination_helpers import TODAY, received

DUE = datetime.date(2026, 3, 9)


def on(day: int) -> datetime.date:
    """A day of March 2026."""
    return datetime.date(2026, 3, day)


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(TODAY, tick=False)


@pytest.fixture
def police(world):
    """Công an tỉnh, a unit of the portal with its own officer and leader."""
    unit = make_unit(
        world.province, UnitKind.DEPARTMENT, "Công an tỉnh Đồng Nai", abbreviation="CA"
    )
    unit.officer = make_member(unit, Role.OFFICER, "ca_canbo", "Trịnh Văn An")
    unit.leader = make_member(unit, Role.LEADER, "ca_lanhdao", "Hà Văn Ninh")
    unit.viewer = make_member(unit, Role.VIEWER, "ca_xem", "Lý Thị Xem")
    return unit


def ask(world, nominations, **fields):
    fields.setdefault("subject", "việc chấp hành pháp luật về an ninh, trật tự.")
    fields.setdefault("due_on", DUE)
    if fields.get("body_unit") is None:
        fields.setdefault("body_name", "Ủy ban Kiểm tra Thị ủy Long Khánh")
    return clearance.request_clearance(nominations, actor=world.reviewer, **fields)


def recipients() -> set[tuple[str, bool]]:
    return {
        (row.recipient.username, row.escalated)
        for row in Reminder.objects.filter(kind=CLEARANCE_ANSWER_KIND).select_related("recipient")
    }


def test_a_body_in_the_portal_is_reminded_two_days_before_and_every_day_after(world, police):
    request = ask(world, [received(world)], body_unit=police)

    assert list(clearances_to_answer(on(6))) == []
    (item,) = clearances_to_answer(on(7))
    assert (item.target_id, item.unit_id, item.due_on, item.overdue) == (
        request.pk,
        police.pk,
        DUE,
        False,
    )
    assert item.title == (
        f"{world.ward.name} xin ý kiến về 1 hồ sơ đề nghị khen thưởng: chờ trả lời"
    )
    assert item.url == reverse("awards:clearance_detail", args=[request.pk])
    # Those who may answer (ANSWER_CLEARANCE): the officer and the leader, not the viewer.
    assert set(item.recipient_ids) == {police.officer.pk, police.leader.pk}
    assert [i.overdue for i in clearances_to_answer(on(9))] == [False]
    assert [i.overdue for i in clearances_to_answer(on(10))] == [True]


def test_an_outside_body_is_chased_by_the_asking_levels_noi_vu_once_overdue(world):
    request = ask(world, [received(world)])

    assert list(clearances_to_answer(on(7))) == []
    assert list(clearances_to_answer(on(9))) == []
    (item,) = clearances_to_answer(on(10))
    assert (item.target_id, item.unit_id, item.overdue) == (request.pk, world.ward.pk, True)
    assert item.title.startswith(
        "Chưa nhận trả lời của Ủy ban Kiểm tra Thị ủy Long Khánh về 1 hồ sơ đề nghị khen thưởng "
        "(xin ý kiến ngày 02/03/2026)"
    )
    # The ward has no Nội vụ of its own: the province's standing body acts for it.
    assert item.recipient_ids == (world.reviewer.pk,)


def test_the_rule_sets_article_is_named_when_the_date_comes_from_it(world, police):
    ask(world, [received(world)], body_unit=police)
    from awards.models import ClearanceRequest

    ClearanceRequest.objects.update(due_article="Điều 12 Quy chế thi đua, khen thưởng tỉnh")
    (item,) = clearances_to_answer(on(9))
    assert item.title.endswith("(hạn theo Điều 12 Quy chế thi đua, khen thưởng tỉnh)")


def test_answered_and_withdrawn_requests_are_not_reminded(world, police):
    answered = ask(world, [received(world)], body_unit=police)
    clearance.record_clearance_answer(
        answered, actor=police.officer, verdict="agreed", text="Không vi phạm."
    )
    withdrawn = ask(world, [received(world, year=2024)])
    clearance.withdraw_clearance(withdrawn, actor=world.reviewer, reason="Gửi nhầm cơ quan.")
    assert list(clearances_to_answer(on(20))) == []


def test_the_planner_reminds_the_answerers_and_escalates_after_the_grace_period(world, police):
    ask(world, [received(world)], body_unit=police)
    ask(world, [received(world, year=2024)])
    plan_reminders(on(7))
    assert recipients() == {("ca_canbo", False), ("ca_lanhdao", False)}
    # Not a legal deadline: a recipient may mute it.
    assert not Reminder.objects.filter(legal_deadline=True).exists()

    plan_reminders(on(13))  # four days past the date, beyond the three days' grace
    today = {
        (row.recipient.username, row.escalated)
        for row in Reminder.objects.filter(kind=CLEARANCE_ANSWER_KIND, remind_on=on(13))
    }
    # The police's request escalates to the province's leader above it; the outside body's to
    # the leaders above the asking ward (Long Khánh, which has none in this world).
    assert today == {
        ("ca_canbo", False),
        ("ca_lanhdao", False),
        ("lanhdao", True),
        ("noivu", False),
    }


def test_local_midnight_makes_the_request_overdue(world, police, time_machine):
    ask(world, [received(world)], body_unit=police)
    # 17:30 UTC on Monday 9 March is 00:30 on Tuesday 10 March in Asia/Ho_Chi_Minh.
    time_machine.move_to(datetime.datetime(2026, 3, 9, 17, 30, tzinfo=datetime.UTC), tick=False)
    plan_reminders()
    rows = Reminder.objects.filter(kind=CLEARANCE_ANSWER_KIND)
    assert {row.remind_on for row in rows} == {on(10)}
    assert all(row.overdue for row in rows) and rows.count() == 2


def test_the_source_costs_the_same_queries_for_one_request_of_each_kind_as_for_four(world, police):
    def count() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as queries:
            items = list(clearances_to_answer(on(20)))
        return len(queries), len(items)

    def build(person, year):
        ask(world, [received(world, person=person, year=year)], body_unit=police)
        ask(world, [received(world, person=person, year=year - 1)])

    build(world.person, 2025)
    count()  # content types cached, as in a planner that has run before
    one = count()
    for name in ("Lê Văn Một", "Lê Văn Hai", "Lê Văn Ba"):
        build(make_person(world.ward, name, gender="male"), 2025)
    four = count()
    assert four == (one[0], 4 * one[1])
    assert one == (3, 2)
