"""Issue #7's "done when", walked on the demo with frozen time (PostgreSQL).

The demo's thematic campaign closed registration yesterday and Phường Long Khánh has not
registered. Running the planner and the sends (`manage.py remind`, as beat would) gives the
ward's officer one e-mail digest and one notification naming it; a second run the same day
sends nothing new; once the item is overdue longer than REMINDER_ESCALATION_GRACE_DAYS the
city's leader (the leader of the unit one level up) finds it escalated in their digest.
Celery is eager here; test_worker.py runs the same sends through a real worker.
"""

from __future__ import annotations

import datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection

from campaigns.demo import OVERDUE_TITLE
from pledges.reminders import REGISTRATION_DUE_KIND
from portal.background.reminders import kind_label
from portal.models import Digest, Notification, Reminder, User

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
LOADED = datetime.datetime(2026, 11, 30, 6, 30, tzinfo=HCM)  # a Monday, before the digest hour


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=HCM)


@pytest.fixture
def demo(db, settings, time_machine):
    if connection.vendor != "postgresql":
        pytest.skip("The walk runs on PostgreSQL, like the deployment.")
    settings.DEBUG = True
    settings.REMINDER_ESCALATION_GRACE_DAYS = 3
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    time_machine.move_to(LOADED, tick=False)
    call_command("load_demo", stdout=StringIO())
    return {user.username: user for user in User.objects.all()}


def remind(*flags: str) -> str:
    out = StringIO()
    call_command("remind", *flags, stdout=out)
    return out.getvalue()


def mails_to(user: User) -> list:
    return [message for message in mail.outbox if message.to == [user.email]]


def test_an_overdue_registration_reaches_the_ward_once_and_its_superior_after_the_grace(
    demo, time_machine
):
    officer, leader = demo["canbo_longkhanh"], demo["lanhdao_tinh"]
    today = LOADED.date()

    # Before the digest hour (07:00) the planner writes the outbox; nothing is mailed yet.
    remind()
    assert mail.outbox == []
    row = Reminder.objects.get(kind=REGISTRATION_DUE_KIND, recipient=officer)
    assert (row.remind_on, row.due_on, row.overdue, row.escalated) == (
        today,
        today - datetime.timedelta(days=1),
        True,
        False,
    )
    assert row.unit.name == "Phường Long Khánh"

    time_machine.move_to(at(today, 7, 5), tick=False)
    remind()
    (message,) = mails_to(officer)
    assert OVERDUE_TITLE in message.body and "[QUÁ HẠN]" in message.body
    assert kind_label(REGISTRATION_DUE_KIND) in message.body
    (notification,) = Notification.objects.filter(user=officer)
    (line,) = [i for i in notification.items if i["kind"] == REGISTRATION_DUE_KIND]
    assert OVERDUE_TITLE in line["title"] and line["overdue"] and not line["escalated"]
    # Within the grace period the city's leader is not told (their digest may carry other
    # news, e.g. the demo's periodic report, but not this registration).
    assert not Reminder.objects.filter(kind=REGISTRATION_DUE_KIND, recipient=leader).exists()
    assert not any(OVERDUE_TITLE in m.body for m in mails_to(leader))

    # A second run the same day (an hour later, and again by hand) adds and sends nothing.
    outbox, sent = len(mail.outbox), Reminder.objects.count()
    time_machine.move_to(at(today, 8, 5), tick=False)
    remind()
    remind("--now")
    assert (len(mail.outbox), Reminder.objects.count()) == (outbox, sent)
    assert Notification.objects.filter(user=officer).count() == 1
    assert Digest.objects.filter(user=officer).count() == 1

    # Three days overdue is still within the grace period ...
    day = today + datetime.timedelta(days=2)
    time_machine.move_to(at(day, 7, 5), tick=False)
    remind()
    assert not Reminder.objects.filter(recipient=leader, escalated=True).exists()
    mailed_before = len(mails_to(leader))
    # ... four days is beyond it: the leader one level up sees it escalated.
    day = today + datetime.timedelta(days=3)
    time_machine.move_to(at(day, 7, 5), tick=False)
    remind()
    escalated = Reminder.objects.get(
        kind=REGISTRATION_DUE_KIND, recipient=leader, remind_on=day, unit=row.unit
    )
    assert escalated.escalated
    (message,) = mails_to(leader)[mailed_before:]
    assert OVERDUE_TITLE in message.body
    assert "chuyển lên lãnh đạo cấp trên do quá hạn" in message.body
    notification = Notification.objects.filter(user=leader).latest("pk")
    assert any(
        i["escalated"] and i["unit_name"] == "Phường Long Khánh" and OVERDUE_TITLE in i["title"]
        for i in notification.items
    )
    # The officer keeps their own daily line, not an escalated one.
    assert not Reminder.objects.filter(recipient=officer, escalated=True).exists()
    assert len(mails_to(officer)) == 3  # one a day: the 30th, the 2nd and the 3rd


def test_the_demo_nomination_past_its_limit_reaches_noi_vu_as_a_legal_deadline(demo):
    reviewer = demo["noivu"]
    remind("--now")
    (message,) = mails_to(reviewer)
    assert "[QUÁ HẠN] [THỜI HẠN LUẬT ĐỊNH]" in message.body
    assert "chờ tiếp nhận" in message.body
    # The dossier's timeline tells of the day it was sent, as its clock does.
    from django.utils import timezone

    from awards.models import Nomination

    waiting = Nomination.objects.get(status="submitted", proposing_unit__parent__isnull=True)
    sent = waiting.events.get(action="submit")
    assert timezone.localtime(sent.at).date() == waiting.step_started_on < LOADED.date()
