import datetime

from campaigns import services as campaign_services
from pledges import services
from pledges.reminders import REGISTRATION_DUE_KIND, registrations_due
from portal.digests import send_digest
from portal.models import Reminder
from portal.reminders import plan_reminders
from tests.campaign_fixtures import make_campaign, task_row


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
