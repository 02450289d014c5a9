import datetime

from campaigns import services as campaign_services
from pledges import services
from pledges.tasks import send_registration_reminders
from tests.campaign_fixtures import make_campaign, task_row


def _emails(world):
    for user in (world.ward_officer, world.outsider):
        user.email = f"{user.username}@longkhanh.gov.vn"
        user.save()


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
    day = (city_campaign.registration_due - datetime.timedelta(days=1)).isoformat()

    assert send_registration_reminders(day) == 2
    by_recipient = {mail.to[0]: mail for mail in mailoutbox}
    assert set(by_recipient) == {"cb_xuanan@longkhanh.gov.vn", "cb_xuantrung@longkhanh.gov.vn"}
    outsider_mail = by_recipient["cb_xuanan@longkhanh.gov.vn"].body
    assert outsider_mail.count("- Phường Xuân An:") == 2  # both campaigns, one mail
    ward_mail = by_recipient["cb_xuantrung@longkhanh.gov.vn"].body
    assert second.title in ward_mail
    assert "Long Khánh chung sức" not in ward_mail  # already registered there

    assert send_registration_reminders(day) == 0
    assert len(mailoutbox) == 2


def test_no_reminder_long_before_the_deadline(city, city_campaign, mailoutbox):
    _emails(city)
    day = (city_campaign.registration_due - datetime.timedelta(days=10)).isoformat()
    assert send_registration_reminders(day) == 0
    assert not mailoutbox


def test_after_the_deadline_the_reminder_says_registration_is_late(city, city_campaign, mailoutbox):
    _emails(city)
    day = (city_campaign.registration_due + datetime.timedelta(days=1)).isoformat()
    send_registration_reminders(day)
    assert "đã quá hạn" in mailoutbox[0].body
