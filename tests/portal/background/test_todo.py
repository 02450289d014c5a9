"""The home page is each person's to-do list, read from the digest's outbox (issue #15)."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from portal.background import digests
from portal.background.reminders import plan_reminders
from portal.background.todo import todo_for
from portal.models import Role
from tests.factories import make_member, make_person

from .conftest import TEST_KIND, due

DAY = datetime.date(2026, 11, 28)
NOON = datetime.datetime(2026, 11, 28, 12, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))


def days(n: int) -> datetime.date:
    return DAY + datetime.timedelta(days=n)


@pytest.fixture
def planned(mailboxes, sources, settings):
    """Four items of the ward: two due soon, one just overdue, one overdue past the grace
    period (so the city's leader is reminded of it too)."""
    w = mailboxes
    settings.REMINDER_ESCALATION_GRACE_DAYS = 5
    w.city_leader = make_member(w.district, Role.LEADER, "ct_lk", "Lê Văn Thành")
    people = [make_person(w.ward, name) for name in ("An Một", "Bình Hai", "Chi Ba", "Dũng Bốn")]
    sources[TEST_KIND].items = [
        due(people[0], due_on=days(5), overdue=False),
        due(people[1], due_on=days(-3), overdue=True),
        due(people[2], due_on=days(1), overdue=False),
        due(people[3], due_on=days(-10), overdue=True),
    ]
    plan_reminders(DAY)
    w.people = people
    return w


def titles(lines) -> list[str]:
    return [
        line.title.removeprefix("Hồ sơ của ").removesuffix(" chưa hoàn thiện") for line in lines
    ]


def test_the_officer_sees_overdue_first_then_what_is_due_each_with_its_link(planned, client):
    w = planned
    client.force_login(w.ward_officer)
    with time_machine.travel(NOON, tick=False):
        response = client.get(reverse("home"))
    todo = response.context["todo"]
    assert titles(todo.overdue) == ["Dũng Bốn", "Bình Hai"]
    assert titles(todo.upcoming) == ["Chi Ba", "An Một"]
    assert todo.waiting == []
    page = response.content.decode()
    assert "Việc cần làm ngày 28/11/2026" in page
    for person in w.people:
        assert f'href="/ca-nhan/{person.pk}/"' in page


def test_the_leader_above_sees_the_long_overdue_item_as_waiting_on_the_ward(planned, client):
    w = planned
    todo = todo_for(w.city_leader, DAY)
    assert titles(todo.waiting) == ["Dũng Bốn"]
    assert todo.overdue == todo.upcoming == []
    client.force_login(w.city_leader)
    with time_machine.travel(NOON, tick=False):
        page = client.get(reverse("home")).content.decode()
    assert "Chờ đơn vị khác" in page and "Dũng Bốn" in page


def test_someone_with_nothing_due_sees_an_empty_list_and_not_the_wards(planned, client):
    client.force_login(planned.outsider)
    with time_machine.travel(NOON, tick=False):
        response = client.get(reverse("home"))
    assert response.context["todo"].count == 0
    assert "Dũng Bốn" not in response.content.decode()
    assert "Không có việc nào đến hạn" in response.content.decode()


def test_the_home_page_counts_what_the_digest_sends_before_and_after_it_goes(planned):
    w = planned
    for user in (w.ward_officer, w.ward_leader, w.city_leader):
        before = todo_for(user, DAY).count
        outcome = digests.send_digest(user.pk, DAY)
        assert outcome.sent and outcome.items == before
        assert todo_for(user, DAY).count == before


def test_an_unsent_row_of_yesterday_stays_on_the_list_as_in_the_digest(planned, sources):
    w = planned
    sources[TEST_KIND].items = []  # nothing new today: yesterday's rows wait for the digest
    plan_reminders(days(1))
    assert todo_for(w.ward_officer, days(1)).count == 4
    assert digests.send_digest(w.ward_officer.pk, days(1)).items == 4


def test_the_home_page_costs_the_same_queries_with_one_item_and_with_forty(
    mailboxes, sources, client, django_assert_max_num_queries
):
    w = mailboxes
    client.force_login(w.ward_officer)
    people = [make_person(w.ward, f"Người số {n}") for n in range(40)]
    sources[TEST_KIND].items = [due(people[0], due_on=days(2), overdue=False)]
    plan_reminders(DAY)
    with time_machine.travel(NOON, tick=False), django_assert_max_num_queries(8):
        assert client.get(reverse("home")).context["todo"].count == 1
    sources[TEST_KIND].items = [due(p, due_on=days(2), overdue=False) for p in people]
    plan_reminders(DAY)
    with time_machine.travel(NOON, tick=False), django_assert_max_num_queries(8):
        assert client.get(reverse("home")).context["todo"].count == 40
