import datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command

from portal.models import Digest, Reminder

from .conftest import TEST_KIND, due

HCM = ZoneInfo("Asia/Ho_Chi_Minh")


def remind(*flags: str) -> str:
    out = StringIO()
    call_command("remind", *flags, stdout=out)
    return out.getvalue()


def test_remind_waits_for_the_digest_hour_unless_told_now(
    mailboxes, sources, mailoutbox, time_machine
):
    time_machine.move_to(datetime.datetime(2026, 11, 30, 5, 0, tzinfo=HCM), tick=False)
    today = datetime.date(2026, 11, 30)
    sources[TEST_KIND].items = [due(mailboxes.person, due_on=today, overdue=False)]
    remind()
    assert Reminder.objects.filter(remind_on=today).count() == 2
    assert mailoutbox == []
    remind("--now")
    assert len(mailoutbox) == 2
    remind("--now")
    assert len(mailoutbox) == 2


def test_remind_day_plans_and_sends_as_on_that_day(mailboxes, sources, mailoutbox, time_machine):
    time_machine.move_to(datetime.datetime(2026, 11, 30, 5, 0, tzinfo=HCM), tick=False)
    later = datetime.date(2026, 12, 4)
    sources[TEST_KIND].items = [
        due(mailboxes.person, due_on=datetime.date(2026, 11, 29), overdue=True)
    ]
    output = remind("--day", "04/12/2026")
    assert output.splitlines() == [
        "Lập nhắc việc ngày 04/12/2026: 1 việc đến hạn, 2 lượt nhắc mới.",
        "Gửi bản tin ngày 04/12/2026: 2 người đến giờ nhận, 2 bản tin đã chuyển đi gửi.",
    ]
    assert set(Reminder.objects.values_list("remind_on", flat=True)) == {later}
    assert set(Digest.objects.values_list("day", "status")) == {(later, "sent")}
    assert len(mailoutbox) == 2


def test_remind_refuses_a_day_it_cannot_read(db):
    with pytest.raises(CommandError, match="dd/mm/yyyy"):
        remind("--day", "31/02/2026")
