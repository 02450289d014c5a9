"""The registration's kept task summary is never stale: after every write it equals a recount
of its tasks, and the cascade read from it agrees with counting the tasks themselves."""

import datetime
from decimal import Decimal

import pytest
from django.db.models import Count, Max, Min, Q
from django.urls import reverse
from django.utils import timezone

from pledges import services
from pledges.models import Registration
from tests.campaign_fixtures import days, registered, task_row


def _recount(registration: Registration) -> tuple:
    figures = registration.tasks.aggregate(
        n=Count("pk"),
        due=Min("due_on", filter=Q(latest_percent__lt=100)),
        last=Max("last_reported_on"),
    )
    return figures["n"], figures["due"], figures["last"]


def _kept(registration: Registration) -> tuple:
    registration.refresh_from_db()
    return registration.task_count, registration.open_due_on, registration.last_reported_on


def _report(world, task, **fields):
    fields.setdefault("reported_on", days(0))
    fields.setdefault("narrative", "Đã xây dựng các mô hình tại khu phố.")
    return services.report_progress(task, actor=world.ward_officer, **fields)


def test_setting_the_tasks_keeps_the_summary(city, city_campaign):
    registration = services.start_registration(
        city_campaign, actor=city.ward_officer, unit=city.ward
    )
    assert _kept(registration) == (0, None, None)
    services.set_registration_tasks(
        registration,
        actor=city.ward_officer,
        tasks=[task_row(1, due_on=days(40)), task_row(2, due_on=days(20)), task_row(3)],
    )
    assert _kept(registration) == _recount(registration) == (3, days(20), None)
    services.set_registration_tasks(registration, actor=city.ward_officer, tasks=[task_row(1)])
    assert _kept(registration) == _recount(registration) == (1, days(90), None)


def test_progress_keeps_the_summary_in_the_same_transaction(city, city_campaign):
    registration = registered(city, city_campaign)
    number_task, milestone_task = registration.tasks.order_by("position")
    assert _kept(registration) == _recount(registration)
    _report(city, number_task, value=Decimal(4), reported_on=days(-3))
    assert _kept(registration) == _recount(registration) == (2, days(90), days(-3))
    _report(city, number_task, value=Decimal(10))  # met: its due date no longer counts
    _report(city, milestone_task, done=True, reported_on=days(-1))
    assert _kept(registration) == _recount(registration) == (2, None, days(0))
    _report(city, milestone_task, done=False, reported_on=days(0))
    assert _kept(registration) == _recount(registration) == (2, days(90), days(0))


def test_a_refused_report_leaves_the_summary_as_it_was(city, city_campaign):
    registration = registered(city, city_campaign)
    before = _kept(registration)
    with pytest.raises(Exception, match="tương lai"):
        _report(city, registration.tasks.first(), value=Decimal(4), reported_on=days(5))
    assert _kept(registration) == before == _recount(registration)


@pytest.mark.parametrize("late", [False, True])
def test_the_cascade_read_from_the_summary_matches_a_recount_of_the_tasks(
    client, city, city_campaign, time_machine, late
):
    registration = registered(city, city_campaign)
    number_task, milestone_task = registration.tasks.order_by("position")
    _report(city, number_task, value=Decimal(4))
    _report(city, milestone_task, done=True)
    if late:  # the first task's due date passes, unmet: overdue without any write
        time_machine.move_to(datetime.datetime.combine(days(91), datetime.time(9)))
    client.force_login(city.city_officer)
    response = client.get(reverse("pledges:cascade", kwargs={"campaign_id": city_campaign.pk}))
    cascade = response.context["cascade"]
    tasks = registration.tasks.all()
    overdue = tasks.filter(due_on__lt=timezone.localdate(), latest_percent__lt=100).exists()
    reported = tasks.filter(reports__reported_on__gte=cascade.period_start).exists()
    assert cascade.totals["overdue"] == int(overdue) == int(late)
    assert cascade.totals["on_track"] == 1 - int(late)
    assert cascade.totals["reported"] == int(reported)
