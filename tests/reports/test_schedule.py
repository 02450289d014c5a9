"""Periods around month, quarter and year ends (Asia/Ho_Chi_Minh), the cadence, the nightly
task on eager Celery and the command."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.utils import timezone

from reports import services, tasks
from reports.models import PeriodicReport, ReportSchedule, kinds_of
from reports.periods import period_containing, period_starting, previous_period
from tests.refusals import refused

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
UTC = datetime.UTC


@pytest.mark.parametrize(
    ("day", "kind", "start", "end"),
    [
        ("2026-01-31", "month", "2026-01-01", "2026-01-31"),
        ("2026-02-14", "month", "2026-02-01", "2026-02-28"),
        ("2028-02-29", "month", "2028-02-01", "2028-02-29"),
        ("2026-12-31", "month", "2026-12-01", "2026-12-31"),
        ("2026-03-31", "quarter", "2026-01-01", "2026-03-31"),
        ("2026-04-01", "quarter", "2026-04-01", "2026-06-30"),
        ("2026-11-28", "quarter", "2026-10-01", "2026-12-31"),
        ("2026-07-01", "year", "2026-01-01", "2026-12-31"),
    ],
)
def test_the_period_containing_a_day(day, kind, start, end):
    period = period_containing(kind, datetime.date.fromisoformat(day))
    assert (period.start.isoformat(), period.end.isoformat()) == (start, end)


def test_period_labels_and_first_days():
    assert period_containing("month", datetime.date(2026, 10, 5)).label == "tháng 10/2026"
    assert period_containing("quarter", datetime.date(2026, 8, 5)).label == "quý III năm 2026"
    assert period_containing("year", datetime.date(2026, 8, 5)).label == "năm 2026"
    with pytest.raises(ValueError):
        period_starting("quarter", datetime.date(2026, 2, 1))


@pytest.mark.parametrize(
    ("moment", "month", "quarter", "year"),
    [
        # 23:59 on 31/03 in Hồ Chí Minh City: still March, the reports are not due.
        (datetime.datetime(2026, 3, 31, 16, 59, tzinfo=UTC), "2026-02-01", "2025-10-01", "2025"),
        # 00:01 on 01/04 local is still 31/03 in UTC: March and the first quarter ended.
        (datetime.datetime(2026, 3, 31, 17, 1, tzinfo=UTC), "2026-03-01", "2026-01-01", "2025"),
        # New Year's night: December, the fourth quarter and the year.
        (datetime.datetime(2026, 12, 31, 17, 30, tzinfo=UTC), "2026-12-01", "2026-10-01", "2026"),
    ],
)
def test_the_previous_period_turns_at_local_midnight(moment, month, quarter, year):
    with time_machine.travel(moment, tick=False):
        today = timezone.localdate()
    assert previous_period("month", today).start.isoformat() == month
    assert previous_period("quarter", today).start.isoformat() == quarter
    assert str(previous_period("year", today).start.year) == year


@pytest.mark.django_db
def test_default_cadence_by_unit_kind_and_a_leaders_own_setting(world):
    assert kinds_of(world.province) == ("month", "year")
    assert kinds_of(world.ward) == ("quarter", "year")
    assert kinds_of(world.ward_office) == ()
    services.set_report_schedule(world.ward, actor=world.ward_leader, kinds=["month"])
    world.ward.refresh_from_db()
    assert kinds_of(world.ward) == ("month",)
    schedule = ReportSchedule.objects.get(unit=world.ward)
    assert schedule.history.first().history_change_reason == "reports.schedule.updated"


@pytest.mark.django_db
def test_only_the_units_leader_sets_its_cadence(world):
    for user in (world.ward_officer, world.outsider, world.leader):
        with pytest.raises(PermissionDenied):
            services.set_report_schedule(world.ward, actor=user, kinds=["month"])
    with refused("period_kind_unknown"):
        services.set_report_schedule(world.ward, actor=world.ward_leader, kinds=["week"])
    assert not ReportSchedule.objects.exists()


def _reports():
    return sorted(
        (r.unit.name, r.kind, r.period_start.isoformat())
        for r in PeriodicReport.objects.select_related("unit")
    )


@pytest.mark.django_db
def test_the_nightly_task_generates_what_the_cadences_ask_for_and_nothing_twice(
    world, django_capture_on_commit_callbacks
):
    services.set_report_schedule(world.ward, actor=world.ward_leader, kinds=["month", "quarter"])
    # 00:30 on 01/04/2026 local time: March and the first quarter have ended.
    with (
        time_machine.travel(datetime.datetime(2026, 4, 1, 0, 30, tzinfo=HCM), tick=False),
        django_capture_on_commit_callbacks(execute=True) as queued,
    ):
        result = tasks.generate_due_reports.delay().get()

    assert result == {"due": 5}
    assert len(queued) == 5  # one task per report, handed over after commit
    assert _reports() == [
        ("Phường Xuân An", "quarter", "2026-01-01"),
        ("Phường Xuân Trung", "month", "2026-03-01"),
        ("Phường Xuân Trung", "quarter", "2026-01-01"),
        ("Thành phố Long Khánh", "quarter", "2026-01-01"),
        ("Tỉnh Đồng Nai", "month", "2026-03-01"),
    ]
    # An hour later (a second beat, a redelivered message): nothing more.
    with time_machine.travel(datetime.datetime(2026, 4, 1, 1, 30, tzinfo=HCM), tick=False):
        assert tasks.generate_due_reports.delay().get() == {"due": 0}
    assert PeriodicReport.objects.count() == 5


@pytest.mark.django_db
def test_a_missed_night_is_made_up_within_a_week_but_not_later(world):
    with time_machine.travel(datetime.datetime(2026, 2, 5, 0, 30, tzinfo=HCM), tick=False):
        assert services.due_reports(timezone.localdate()) == [
            (world.province.pk, "month", datetime.date(2026, 1, 1))
        ]
    with time_machine.travel(datetime.datetime(2026, 2, 9, 0, 30, tzinfo=HCM), tick=False):
        assert services.due_reports(timezone.localdate()) == []


@pytest.mark.django_db
def test_the_nightly_task_skips_when_another_run_holds_the_lock(world, monkeypatch):
    from contextlib import contextmanager

    @contextmanager
    def held_elsewhere(name, *, timeout):
        yield False

    monkeypatch.setattr(tasks, "exclusive", held_elsewhere)
    assert tasks.generate_due_reports.delay("2026-04-01").get() == {"skipped": True}
    assert not PeriodicReport.objects.exists()


@pytest.mark.django_db
def test_the_command_generates_a_period_for_chosen_units_and_reruns_in_place(world, capsys):
    call_command("generate_reports", period="month", date="2026-10-31", unit=[world.ward.code])
    [report] = PeriodicReport.objects.all()
    assert (report.unit, report.kind, report.period_start, report.period_end) == (
        world.ward,
        "month",
        datetime.date(2026, 10, 1),
        datetime.date(2026, 10, 31),
    )
    call_command("generate_reports", period="month", date="15/10/2026", unit=[str(world.ward.pk)])
    report.refresh_from_db()
    assert PeriodicReport.objects.count() == 1
    assert report.generation_count == 2
    out = capsys.readouterr().out
    assert "Báo cáo tháng 10/2026 (từ 01/10/2026 đến 31/10/2026): 1 đơn vị." in out
    assert "Phường Xuân Trung: đã lập lại" in out


@pytest.mark.django_db
def test_the_command_without_units_takes_every_unit_with_that_cadence(world):
    call_command("generate_reports", period="quarter", date="2026-09-30")
    assert sorted(r.unit.name for r in PeriodicReport.objects.select_related("unit")) == [
        "Phường Xuân An",
        "Phường Xuân Trung",
        "Thành phố Long Khánh",
    ]


@pytest.mark.django_db
def test_the_command_refuses_an_unknown_unit_or_date(world):
    with pytest.raises(CommandError, match="Không tìm thấy đơn vị"):
        call_command("generate_reports", period="month", date="2026-10-31", unit=["99999"])
    with pytest.raises(CommandError, match="Ngày không hợp lệ"):
        call_command("generate_reports", period="month", date="31-10-2026")
    assert not PeriodicReport.objects.exists()
