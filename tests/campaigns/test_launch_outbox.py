"""A launch's announcement survives a broker outage: the notices are recorded in the launch's
transaction, the failed hand-over is logged, and the beat sweep sends what was left."""

import kombu.exceptions
import pytest

from campaigns import services, tasks
from campaigns.models import LaunchNotice


@pytest.fixture
def addressed(city):
    for user in (city.ward_officer, city.ward_leader, city.outsider, city.viewer):
        user.email = f"{user.username}@longkhanh.gov.vn"
        user.save()
    return city


def _broker_down(*args, **kwargs):
    raise kombu.exceptions.OperationalError("Error 111 connecting to 127.0.0.1:6379.")


def test_with_redis_down_at_the_launch_no_notice_is_lost(
    addressed, draft_campaign, mailoutbox, monkeypatch, django_capture_on_commit_callbacks
):
    city = addressed
    monkeypatch.setattr(tasks.notify_campaign_launched, "apply_async", _broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        services.launch_campaign(draft_campaign, actor=city.city_leader)

    pending = LaunchNotice.objects.filter(campaign=draft_campaign, sent_at__isnull=True)
    assert sorted(pending.values_list("user__username", flat=True)) == sorted(
        [city.ward_officer.username, city.ward_leader.username, city.outsider.username]
    )
    assert mailoutbox == []
    recorded = pending.first().history.get()
    assert (recorded.history_user, recorded.history_change_reason) == (
        city.city_leader,
        "campaigns.launch_notice.recorded",
    )

    # The broker still down: the sweep hands nothing over and loses nothing.
    assert tasks.resend_launch_notices() == 0
    assert pending.count() == 3

    monkeypatch.undo()
    assert tasks.resend_launch_notices() == 1
    assert sorted(m.to[0] for m in mailoutbox) == [
        "cb_xuanan@longkhanh.gov.vn",
        "cb_xuantrung@longkhanh.gov.vn",
        "ct_xuantrung@longkhanh.gov.vn",
    ]
    assert not pending.exists()
    assert tasks.resend_launch_notices() == 0
    assert len(mailoutbox) == 3


def test_a_failed_mail_is_sent_by_the_next_sweep(
    addressed, draft_campaign, mailoutbox, monkeypatch, django_capture_on_commit_callbacks
):
    city = addressed
    sent = []

    def refuse_the_second(*args, **kwargs):
        if len(sent) == 1:
            raise ConnectionRefusedError("máy chủ thư từ chối")
        sent.append(args)
        return 1

    monkeypatch.setattr(tasks, "send_mail", refuse_the_second)
    with pytest.raises(ConnectionRefusedError), django_capture_on_commit_callbacks(execute=True):
        services.launch_campaign(draft_campaign, actor=city.city_leader)
    assert LaunchNotice.objects.filter(campaign=draft_campaign, sent_at__isnull=True).count() == 2

    monkeypatch.undo()
    assert tasks.resend_launch_notices() == 1
    assert len(mailoutbox) == 2
    assert not LaunchNotice.objects.filter(sent_at__isnull=True).exists()


def test_a_campaign_launched_as_history_records_no_notice(city, draft_campaign, monkeypatch):
    monkeypatch.setattr(services, "launched_as_history", lambda campaign, today: True)
    services.launch_campaign(draft_campaign, actor=city.city_leader)
    assert not LaunchNotice.objects.exists()
