import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from campaigns import services as campaign_services
from campaigns.models import Campaign
from campaigns.workflow import CampaignStatus
from pledges import reviews, services
from pledges.covenants import signing
from pledges.models import Pledge
from pledges.reminders import (
    FINAL_REVIEW_KIND,
    PLEDGE_SIGNATURE_KIND,
    REGISTRATION_DUE_KIND,
    TASK_PROGRESS_KIND,
    final_reviews_due,
    midterm_reviews_due,
    pledge_signatures_due,
    registrations_due,
    tasks_without_progress,
)
from portal.background.digests import send_digest
from portal.background.reminders import plan_reminders
from portal.models import Reminder, User
from tests.campaign_fixtures import make_campaign, task_row
from tests.pledges.covenant_fixtures import drafted, sibling_leader


def _emails(world):
    for user in (world.ward_officer, world.outsider):
        user.email = f"{user.username}@longkhanh.gov.vn"
        user.save()


def _rows(day):
    return Reminder.objects.filter(kind=REGISTRATION_DUE_KIND, remind_on=day)


def test_officers_of_units_that_have_not_registered_get_one_digest_a_day(
    city, city_campaign, mailoutbox
):
    _emails(city)
    second = campaign_services.launch_campaign(
        make_campaign(city.district, city.city_officer, title="Đợt thi đua chào mừng Đại hội"),
        actor=city.city_leader,
    )
    registration = services.start_registration(
        city_campaign, actor=city.ward_officer, unit=city.ward
    )
    services.set_registration_tasks(registration, actor=city.ward_officer, tasks=[task_row(1)])
    services.submit_registration(registration, actor=city.ward_officer)
    day = city_campaign.registration_due - datetime.timedelta(days=1)

    plan_reminders(day)
    rows = _rows(day)
    # Only officers are reminded, and the ward only of the campaign it has not registered for.
    assert {(row.recipient, row.title) for row in rows} == {
        (city.outsider, f"{city_campaign.title}: chưa đăng ký thi đua"),
        (city.outsider, f"{second.title}: chưa đăng ký thi đua"),
        (city.ward_officer, f"{second.title}: chưa đăng ký thi đua"),
    }
    assert not any(row.overdue for row in rows)
    plan_reminders(day)
    assert _rows(day).count() == 3

    send_digest(city.outsider.pk, day)
    send_digest(city.outsider.pk, day)
    assert len(mailoutbox) == 1
    assert city_campaign.title in mailoutbox[0].body and second.title in mailoutbox[0].body


def test_no_reminder_long_before_the_deadline(city, city_campaign):
    day = city_campaign.registration_due - datetime.timedelta(days=10)
    assert list(registrations_due(day)) == []


def test_after_the_deadline_the_reminder_is_overdue(city, city_campaign):
    day = city_campaign.registration_due + datetime.timedelta(days=1)
    items = list(registrations_due(day))
    assert items and all(item.overdue for item in items)
    targets = set(city_campaign.targets.values_list("unit_id", flat=True))
    assert {item.unit_id for item in items} == targets
    assert {city.ward.pk, city.sibling_ward.pk} <= targets


# --- Tasks due with no progress this period -------------------------------------------------

HCM = ZoneInfo("Asia/Ho_Chi_Minh")


def at(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=HCM)


def accepted_tasks(world, campaign, *rows):
    """Xuân Trung's accepted registration with the given task rows."""
    registration = services.start_registration(campaign, actor=world.ward_officer, unit=world.ward)
    services.set_registration_tasks(registration, actor=world.ward_officer, tasks=list(rows))
    services.submit_registration(registration, actor=world.ward_officer)
    services.approve_registration(registration, actor=world.ward_leader)
    services.accept_registration(registration, actor=world.city_officer)
    return list(registration.tasks.order_by("position"))


def report(world, task, on, value=1):
    services.report_progress(
        task, actor=world.ward_officer, reported_on=on, value=Decimal(value), narrative="Đã làm."
    )


def launched(world, **overrides):
    return campaign_services.launch_campaign(
        make_campaign(world.district, world.city_officer, **overrides), actor=world.city_leader
    )


def test_a_task_due_soon_without_a_report_this_quarter_is_reminded_until_reported(
    city, time_machine
):
    time_machine.move_to(at(2026, 11, 2, 9), tick=False)
    campaign = launched(city)
    soon, later = accepted_tasks(
        city,
        campaign,
        task_row(1, due_on=datetime.date(2026, 12, 3)),
        task_row(2, due_on=datetime.date(2026, 12, 20)),
    )
    report(city, soon, datetime.date(2026, 10, 15))  # earlier this quarter (Quý IV)
    time_machine.move_to(at(2026, 11, 28, 9), tick=False)
    assert list(tasks_without_progress(datetime.date(2026, 11, 28))) == []

    # A report in October counts for the quarter: the second task, never reported, is not
    # yet due within a week; on 13/12 it is.
    items = list(tasks_without_progress(datetime.date(2026, 12, 13)))
    assert [(item.target_id, item.overdue) for item in items] == [(later.pk, False)]
    assert items[0].unit_id == city.ward.pk
    assert items[0].url == reverse("pledges:report", kwargs={"task_id": later.pk})
    assert items[0].title == f"Nhiệm vụ “{later.description}”: chưa báo cáo tiến độ kỳ Quý IV/2026"

    time_machine.move_to(at(2026, 12, 21, 9), tick=False)
    assert [
        (i.target_id, i.overdue) for i in tasks_without_progress(datetime.date(2026, 12, 21))
    ] == [(later.pk, True)]
    report(city, later, datetime.date(2026, 12, 21))
    assert list(tasks_without_progress(datetime.date(2026, 12, 21))) == []


def test_a_new_quarter_starts_at_midnight_in_ho_chi_minh_city_not_utc(city, time_machine):
    time_machine.move_to(at(2026, 12, 31, 9), tick=False)
    campaign = launched(city, ends_on=datetime.date(2027, 6, 30))
    (task,) = accepted_tasks(city, campaign, task_row(1, due_on=datetime.date(2027, 1, 5)))
    report(city, task, datetime.date(2026, 12, 31))

    # 23:59 on 31/12 in Hồ Chí Minh City: the report of the day still counts (Quý IV).
    time_machine.move_to(at(2026, 12, 31, 23, 59), tick=False)
    plan_reminders()
    assert not Reminder.objects.filter(kind=TASK_PROGRESS_KIND).exists()
    # One minute later it is 1 January there (still 31 December in UTC): Quý I/2027 has no report.
    time_machine.move_to(at(2027, 1, 1, 0, 1), tick=False)
    plan_reminders()
    row = Reminder.objects.get(kind=TASK_PROGRESS_KIND)
    assert (row.recipient, row.remind_on, row.overdue) == (
        city.ward_officer,
        datetime.date(2027, 1, 1),
        False,
    )
    assert row.title.endswith("kỳ Quý I/2027")


def test_without_a_reporting_period_the_calendar_month_is_the_period(city, time_machine):
    time_machine.move_to(at(2026, 11, 2, 9), tick=False)
    campaign = launched(city)
    (task,) = accepted_tasks(city, campaign, task_row(1, due_on=datetime.date(2026, 12, 3)))
    campaign.periods.all().delete()
    time_machine.move_to(at(2026, 11, 30, 23, 30), tick=False)
    report(city, task, datetime.date(2026, 11, 30))
    assert list(tasks_without_progress(datetime.date(2026, 11, 30))) == []
    (item,) = tasks_without_progress(datetime.date(2026, 12, 1))
    assert item.title.endswith("kỳ tháng 12/2026")


def test_finished_tasks_and_tasks_of_unaccepted_registrations_are_not_reminded(city, time_machine):
    time_machine.move_to(at(2026, 11, 2, 9), tick=False)
    campaign = launched(city)
    (task,) = accepted_tasks(city, campaign, task_row(1, due_on=datetime.date(2026, 11, 20)))
    report(city, task, datetime.date(2026, 10, 30), value=10)  # 10 of 10: done
    registration = services.start_registration(
        campaign, actor=city.outsider, unit=city.sibling_ward
    )
    services.set_registration_tasks(
        registration, actor=city.outsider, tasks=[task_row(1, due_on=datetime.date(2026, 11, 20))]
    )
    assert list(tasks_without_progress(datetime.date(2026, 11, 28))) == []


# --- Unit reviews (sơ kết, tổng kết) --------------------------------------------------------


def test_target_units_are_reminded_of_their_review_from_a_week_before_it_is_due(city, time_machine):
    time_machine.move_to(at(2026, 5, 4, 9), tick=False)
    campaign = launched(city)  # sơ kết due 03/07/2026, tổng kết 01/10/2026
    assert campaign.midterm_review_due == datetime.date(2026, 7, 3)
    review = reviews.open_unit_review(
        campaign, actor=city.outsider, unit=city.sibling_ward, kind="midterm"
    )
    done = reviews.open_unit_review(
        campaign, actor=city.ward_officer, unit=city.ward, kind="midterm"
    )
    reviews.update_unit_review(
        done, actor=city.ward_officer, self_assessment="Hoàn thành.", strengths="", shortcomings=""
    )
    reviews.submit_unit_review(done, actor=city.ward_officer)

    assert list(midterm_reviews_due(datetime.date(2026, 6, 25))) == []
    items = {item.unit_id: item for item in midterm_reviews_due(datetime.date(2026, 6, 26))}
    # Xuân Trung has sent its sơ kết; Xuân An has a draft (the link opens it); the offices none.
    assert set(items) == {city.sibling_ward.pk, city.ward_office.pk, city.ward_secretariat.pk}
    assert items[city.sibling_ward.pk].url == reverse("pledges:review", args=[review.pk])
    assert items[city.ward_office.pk].url == reverse("pledges:reviews", args=[campaign.pk])
    assert items[city.sibling_ward.pk].title == f"{campaign.title}: chưa gửi báo cáo sơ kết"
    assert not any(item.overdue for item in items.values())
    assert all(item.overdue for item in midterm_reviews_due(datetime.date(2026, 7, 4)))

    # Once the tổng kết is asked for, a missing sơ kết is no longer.
    assert list(midterm_reviews_due(datetime.date(2026, 9, 24))) == []
    finals = list(final_reviews_due(datetime.date(2026, 9, 24)))
    assert {item.unit_id for item in finals} == {
        city.ward.pk,
        city.sibling_ward.pk,
        city.ward_office.pk,
        city.ward_secretariat.pk,
    }
    assert all(item.kind == FINAL_REVIEW_KIND for item in finals)


def test_reviews_are_not_asked_for_once_the_campaign_has_its_final_review(city, time_machine):
    time_machine.move_to(at(2026, 5, 4, 9), tick=False)
    campaign = launched(city)
    Campaign.objects.filter(pk=campaign.pk).update(status=CampaignStatus.FINAL_REVIEWED)
    assert list(final_reviews_due(datetime.date(2026, 10, 5))) == []


# --- Giao ước awaiting a member's signature -------------------------------------------------


def test_a_member_that_has_not_signed_an_open_pledge_reminds_its_leader(world, time_machine):
    time_machine.move_to(at(2026, 3, 2, 9), tick=False)
    xuan_an_leader = sibling_leader(world)
    pledge = drafted(world)
    signing.open_pledge(pledge, actor=world.ward_officer)
    signing.sign_pledge(pledge, actor=world.ward_leader, unit=world.ward)

    # No signing conference date: due by 31 March; reminded from a week before.
    assert list(pledge_signatures_due(datetime.date(2026, 3, 23))) == []
    time_machine.move_to(at(2026, 3, 24, 0, 5), tick=False)
    plan_reminders()
    row = Reminder.objects.get(kind=PLEDGE_SIGNATURE_KIND)
    assert (row.recipient, row.unit, row.due_on, row.overdue) == (
        xuan_an_leader,
        world.sibling_ward,
        datetime.date(2026, 3, 31),
        False,
    )
    assert row.url == reverse("pledges:pledge", args=[pledge.pk])
    assert row.title == f"Giao ước thi đua năm 2026 – {world.bloc.name}: đơn vị chưa ký"
    (late,) = pledge_signatures_due(datetime.date(2026, 4, 1))
    assert late.overdue

    signing.sign_pledge(pledge, actor=xuan_an_leader, unit=world.sibling_ward)
    assert list(pledge_signatures_due(datetime.date(2026, 4, 1))) == []


def test_the_signing_conference_date_is_the_deadline_when_set(world, time_machine):
    time_machine.move_to(at(2026, 2, 2, 9), tick=False)
    sibling_leader(world)
    pledge = drafted(world)
    Pledge.objects.filter(pk=pledge.pk).update(ceremony_on=datetime.date(2026, 2, 27))
    signing.open_pledge(pledge, actor=world.ward_officer)
    items = list(pledge_signatures_due(datetime.date(2026, 2, 20)))
    assert {item.unit_id for item in items} == {world.ward.pk, world.sibling_ward.pk}
    assert {item.due_on for item in items} == {datetime.date(2026, 2, 27)}


def test_each_source_costs_the_same_queries_whatever_the_number_of_items(city, time_machine):
    time_machine.move_to(at(2026, 3, 2, 9), tick=False)
    campaign = launched(
        city,
        registration_due=datetime.date(2026, 3, 3),
        midterm_review_due=datetime.date(2026, 3, 5),
    )
    rows = [task_row(n, due_on=datetime.date(2026, 3, 6)) for n in (1, 2)]
    accepted_tasks(city, campaign, *rows)
    sibling_leader(city)
    signing.open_pledge(drafted(city), actor=city.ward_officer)
    sources = (tasks_without_progress, midterm_reviews_due, pledge_signatures_due)

    def measure() -> list[tuple[int, int]]:
        counts = []
        for source in sources:
            with CaptureQueriesContext(connection) as queries:
                items = list(source(datetime.date(2026, 3, 2)))
            counts.append((len(queries), len(items)))
        return counts

    measure()  # warm the content-type cache, which a new test starts without
    before = measure()
    registration = services.start_registration(
        campaign, actor=city.outsider, unit=city.sibling_ward
    )
    services.set_registration_tasks(registration, actor=city.outsider, tasks=rows)
    services.submit_registration(registration, actor=city.outsider)
    services.approve_registration(registration, actor=User.objects.get(username="ct_xuanan"))
    services.accept_registration(registration, actor=city.city_officer)
    after = measure()
    assert [queries for queries, _ in after] == [queries for queries, _ in before]
    assert after[0][1] == 2 * before[0][1] == 4
