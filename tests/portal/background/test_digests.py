import datetime
import re
import threading
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from portal.background import digests, tasks
from portal.background.reminders import plan_reminders
from portal.models import (
    Digest,
    DigestStatus,
    Notification,
    NotificationPreference,
    Reminder,
    ReminderStatus,
    Role,
)
from tests.factories import make_member, make_person
from tests.races import needs_row_locks, race
from tests.refusals import refused

from .conftest import LEGAL_KIND, TEST_KIND, due

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
DAY = datetime.date(2026, 11, 28)
FAILING = "tests.portal.background.mail.FailingBackend"


def days(n: int) -> datetime.date:
    return DAY + datetime.timedelta(days=n)


@pytest.fixture
def four_items(mailboxes, sources):
    w = mailboxes
    people = {
        name: make_person(w.ward, name) for name in ["An Một", "Bình Hai", "Chi Ba", "Dũng Bốn"]
    }
    sources[TEST_KIND].items = [
        due(people["An Một"], due_on=days(5), overdue=False),
        due(people["Bình Hai"], due_on=days(-3), overdue=True),
        due(people["Chi Ba"], due_on=days(1), overdue=False),
        due(people["Dũng Bốn"], due_on=days(-10), overdue=True),
    ]
    plan_reminders(DAY)
    return w


def test_one_digest_lists_everything_most_urgent_first_with_links(four_items, settings):
    w = four_items
    outcome = digests.send_digest(w.ward_officer.pk, DAY)

    assert outcome == digests.DigestOutcome(sent=True, items=4, emailed=True, notified=True)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["cb_xuantrung@thidua.test"]
    assert (
        message.subject == "[Thi đua] Nhắc việc ngày 28/11/2026: 4 việc cần xử lý, 2 việc quá hạn"
    )
    order = [message.body.index(name) for name in ["Dũng Bốn", "Bình Hai", "Chi Ba", "An Một"]]
    assert order == sorted(order)
    assert "[QUÁ HẠN] Hồ sơ của Dũng Bốn chưa hoàn thiện" in message.body
    assert "hạn 18/11/2026" in message.body
    assert f"{settings.SITE_URL}/ca-nhan/" in message.body
    html = message.alternatives[0][0]
    assert f'href="{settings.SITE_URL}/ca-nhan/' in html
    notification = Notification.objects.get(user=w.ward_officer)
    assert [item["title"].removeprefix("Hồ sơ của ") for item in notification.items] == [
        "Dũng Bốn chưa hoàn thiện",
        "Bình Hai chưa hoàn thiện",
        "Chi Ba chưa hoàn thiện",
        "An Một chưa hoàn thiện",
    ]
    digest = Digest.objects.get(user=w.ward_officer, day=DAY)
    assert (digest.status, digest.item_count, digest.attempts) == (DigestStatus.SENT, 4, 1)
    statuses = set(
        Reminder.objects.with_status()
        .filter(recipient=w.ward_officer)
        .values_list("status", flat=True)
    )
    assert statuses == {ReminderStatus.SENT}


def test_a_second_send_on_the_same_day_sends_nothing(four_items):
    w = four_items
    digests.send_digest(w.ward_officer.pk, DAY)
    plan_reminders(DAY)

    assert digests.send_digest(w.ward_officer.pk, DAY).sent is False
    assert len(mail.outbox) == 1
    assert Notification.objects.filter(user=w.ward_officer).count() == 1


def test_reminders_planned_after_the_digest_wait_for_the_next_days_digest(four_items, sources):
    w = four_items
    digests.send_digest(w.ward_officer.pk, DAY)
    late = make_person(w.ward, "Đến Muộn")
    sources[TEST_KIND].items = [due(late, due_on=days(3), overdue=False)]
    plan_reminders(DAY)

    assert digests.send_digest(w.ward_officer.pk, DAY).sent is False
    # Next morning it is still due: both days' rows make one line in one digest.
    plan_reminders(days(1))
    outcome = digests.send_digest(w.ward_officer.pk, days(1))

    assert outcome.items == 1
    assert mail.outbox[-1].body.count("Đến Muộn") == 1
    assert (
        not Reminder.objects.with_status()
        .filter(status=ReminderStatus.PENDING)
        .exclude(recipient=w.ward_leader)
        .exists()
    )


def test_a_failed_send_is_not_marked_sent_and_goes_out_on_the_retry(four_items, settings):
    w = four_items
    settings.EMAIL_BACKEND = FAILING

    with pytest.raises(OSError, match="từ chối"):
        digests.send_digest(w.ward_officer.pk, DAY)

    digest = Digest.objects.get(user=w.ward_officer, day=DAY)
    assert digest.status == DigestStatus.PENDING
    assert digest.sent_at is None
    assert digest.attempts == 1
    assert "từ chối" in digest.last_error
    rows = Reminder.objects.with_status().filter(recipient=w.ward_officer)
    assert set(rows.values_list("status", "digest")) == {(ReminderStatus.PENDING, None)}
    assert not Notification.objects.exists()

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert digests.send_digest(w.ward_officer.pk, DAY).sent is True
    digest.refresh_from_db()
    assert (digest.status, digest.attempts, digest.last_error) == (DigestStatus.SENT, 2, "")


def test_the_send_task_retries_with_exponential_backoff_and_never_marks_sent(four_items, settings):
    w = four_items
    settings.EMAIL_BACKEND = FAILING
    task = tasks.send_digest
    assert OSError in task.autoretry_for
    assert task.retry_backoff and task.retry_jitter and task.max_retries >= 3
    # Eagerly, each retry runs at once instead of after its countdown; let the last one fail.
    task.app.conf.task_eager_propagates = False
    try:
        result = task.apply(args=[w.ward_officer.pk, DAY.isoformat()])
    finally:
        task.app.conf.task_eager_propagates = True

    assert result.failed()
    digest = Digest.objects.get(user=w.ward_officer, day=DAY)
    assert digest.status == DigestStatus.PENDING
    assert digest.attempts == task.max_retries + 1
    assert len(mail.outbox) == 0


def test_muted_email_still_carries_legal_deadlines(mailboxes, sources):
    w = mailboxes
    NotificationPreference.objects.create(user=w.ward_officer, mute_email=True)
    sources[TEST_KIND].items = [due(w.person, due_on=days(1), overdue=False)]
    legal_person = make_person(w.ward, "Pháp Định")
    sources[LEGAL_KIND].items = [due(legal_person, due_on=days(2), overdue=False, kind=LEGAL_KIND)]
    plan_reminders(DAY)

    outcome = digests.send_digest(w.ward_officer.pk, DAY)

    assert (outcome.emailed, outcome.notified) == (True, True)
    assert "Pháp Định" in mail.outbox[0].body
    assert w.person.full_name not in mail.outbox[0].body
    assert len(Notification.objects.get(user=w.ward_officer).items) == 2


def test_both_channels_muted_leaves_ordinary_reminders_marked_muted(mailboxes, sources):
    w = mailboxes
    NotificationPreference.objects.create(user=w.ward_officer, mute_email=True, mute_inbox=True)
    sources[TEST_KIND].items = [due(w.person, due_on=days(1), overdue=False)]
    plan_reminders(DAY)

    outcome = digests.send_digest(w.ward_officer.pk, DAY)

    assert (outcome.emailed, outcome.notified) == (False, False)
    assert mail.outbox == []
    assert Reminder.objects.with_status().get(recipient=w.ward_officer).status == (
        ReminderStatus.MUTED
    )
    assert Digest.objects.get(user=w.ward_officer).muted


def test_a_person_without_an_email_address_gets_the_notification_only(world, sources):
    sources[TEST_KIND].items = [due(world.person, due_on=days(1), overdue=False)]
    plan_reminders(DAY)

    outcome = digests.send_digest(world.ward_officer.pk, DAY)

    assert (outcome.sent, outcome.emailed, outcome.notified) == (True, False, True)
    assert mail.outbox == []


# A digest alone: create the batch's digests, claim them, claim and read their rows (on
# PostgreSQL one statement each), read the people, and record it.
DIGEST_QUERIES = 5 if connection.vendor == "postgresql" else 13


def _queries_for_digest(user, day) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert digests.send_digest(user.pk, day).sent
    return len(queries)


def test_a_digest_costs_the_same_queries_with_one_item_and_with_ten(mailboxes, sources):
    w = mailboxes
    few = make_member(w.sibling_ward, Role.LEADER, "it_viec")
    many = make_member(w.ward_office, Role.LEADER, "nhieu_viec")
    for user in (few, many):
        user.email = f"{user.username}@thidua.test"
        user.save(update_fields=["email"])
    sources[TEST_KIND].items = [
        due(make_person(w.sibling_ward, "Một Mình"), due_on=days(1), overdue=False),
        *(
            due(make_person(w.ward_office, f"Người {i}"), due_on=days(i % 4 - 2), overdue=i % 4 < 2)
            for i in range(10)
        ),
    ]
    plan_reminders(DAY)

    one = _queries_for_digest(few, DAY)
    ten = _queries_for_digest(many, DAY)

    assert Notification.objects.get(user=many).items.__len__() == 10
    assert one == ten
    assert ten <= DIGEST_QUERIES


@race
def test_of_two_concurrent_senders_exactly_one_sends(four_items):
    w = four_items
    barrier = threading.Barrier(2)
    outcomes = []

    def send():
        try:
            barrier.wait()
            outcomes.append(digests.send_digest(w.ward_officer.pk, DAY).sent)
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == [False, True]
    assert len(mail.outbox) == 1
    assert Digest.objects.get(user=w.ward_officer).attempts == 1


def test_a_digest_claimed_by_a_dead_worker_is_taken_over_after_the_lease(four_items, settings):
    w = four_items
    digest = Digest.objects.create(
        user=w.ward_officer,
        day=DAY,
        status=DigestStatus.SENDING,
        claimed_at=datetime.datetime(2026, 11, 28, 7, 0, tzinfo=HCM),
    )
    with time_machine.travel(datetime.datetime(2026, 11, 28, 7, 5, tzinfo=HCM), tick=False):
        assert digests.send_digest(w.ward_officer.pk, DAY).sent is False
    with time_machine.travel(datetime.datetime(2026, 11, 28, 7, 11, tzinfo=HCM), tick=False):
        assert digests.send_digest(w.ward_officer.pk, DAY).sent is True
    digest.refresh_from_db()
    assert digest.status == DigestStatus.SENT


def test_digests_fall_due_at_each_persons_hour_in_vietnam_time(four_items):
    w = four_items
    NotificationPreference.objects.create(user=w.ward_leader, digest_hour=20)

    with time_machine.travel(datetime.datetime(2026, 11, 28, 6, 59, tzinfo=HCM), tick=False):
        assert digests.recipients_due() == (DAY, [])
    with time_machine.travel(datetime.datetime(2026, 11, 28, 7, 0, tzinfo=HCM), tick=False):
        assert digests.recipients_due() == (DAY, [w.ward_officer.pk])
    with time_machine.travel(datetime.datetime(2026, 11, 28, 20, 0, tzinfo=HCM), tick=False):
        assert digests.recipients_due() == (DAY, [w.ward_leader.pk, w.ward_officer.pk])


def test_just_after_midnight_the_new_day_takes_yesterdays_pending_rows(four_items, sources):
    w = four_items
    NotificationPreference.objects.create(user=w.ward_officer, digest_hour=0)
    # 00:10 on 29 November in Hà Nội, still 28 November in UTC.
    with time_machine.travel(datetime.datetime(2026, 11, 29, 0, 10, tzinfo=HCM), tick=False):
        day, due_now = digests.recipients_due()
        assert (day, due_now) == (datetime.date(2026, 11, 29), [w.ward_officer.pk])
        result = tasks.send_due_digests()

    assert result == {"due": 1, "queued": 1}
    assert Digest.objects.get(user=w.ward_officer).day == datetime.date(2026, 11, 29)
    assert len(mail.outbox) == 1


@pytest.mark.usefixtures("four_items")
def test_the_send_sweep_skips_people_whose_digest_went_today():
    with time_machine.travel(datetime.datetime(2026, 11, 28, 9, 0, tzinfo=HCM), tick=False):
        first = tasks.send_due_digests()
        plan_reminders(DAY)
        second = tasks.send_due_digests()

    assert first == {"due": 2, "queued": 2}
    assert second == {"due": 0, "queued": 0}
    assert sorted(m.to[0] for m in mail.outbox) == [
        "cb_xuantrung@thidua.test",
        "ct_xuantrung@thidua.test",
    ]


def test_rows_held_by_a_dead_workers_digest_reach_the_next_digest(four_items):
    w = four_items
    yesterday = days(-1)
    dead = Digest.objects.create(
        user=w.ward_officer,
        day=yesterday,
        status=DigestStatus.SENDING,
        claimed_at=datetime.datetime(2026, 11, 27, 23, 0, tzinfo=HCM),
    )
    Reminder.objects.filter(recipient=w.ward_officer).update(digest=dead)

    with time_machine.travel(datetime.datetime(2026, 11, 28, 9, 0, tzinfo=HCM), tick=False):
        assert w.ward_officer.pk in digests.recipients_due()[1]
        outcome = digests.send_digest(w.ward_officer.pk, DAY)

    assert outcome.items == 4
    assert set(
        Reminder.objects.filter(recipient=w.ward_officer).values_list("digest", flat=True)
    ) == {Digest.objects.get(user=w.ward_officer, day=DAY).pk}


# Queries of one sent digest in a batch: on PostgreSQL one statement writes its mark and its
# notification; elsewhere those two, with (inside the test's transaction) the savepoint and its
# release around them.
WRITES_PER_DIGEST = 1 if connection.vendor == "postgresql" else 4


def test_a_batch_is_claimed_and_read_in_the_queries_of_one_digest(four_items, sources):
    w = four_items
    _, due_ids = digests.recipients_due(day=DAY)
    assert len(due_ids) >= 2
    one = make_member(w.sibling_ward, Role.OFFICER, "mot_minh")
    one.email = "mot_minh@thidua.test"
    one.save(update_fields=["email"])
    alone_item = due(make_person(w.sibling_ward, "Một Mình"), due_on=days(1), overdue=False)
    sources[TEST_KIND].items = [alone_item]
    plan_reminders(DAY)

    with CaptureQueriesContext(connection) as alone:
        assert digests.send_digests([one.pk], DAY)[one.pk].sent
    with CaptureQueriesContext(connection) as batch:
        outcomes = digests.send_digests(due_ids, DAY)

    assert all(outcomes[user_id].sent for user_id in due_ids)
    assert len(alone) <= DIGEST_QUERIES
    assert len(batch) == len(alone) + (len(due_ids) - 1) * WRITES_PER_DIGEST
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [f"{u.username}@thidua.test" for u in type(w.ward_officer).objects.filter(pk__in=due_ids)]
        + ["mot_minh@thidua.test"]
    )
    assert set(
        Digest.objects.filter(user_id__in=due_ids).values_list("status", "emailed", "notified")
    ) == {(DigestStatus.SENT, True, True)}
    assert Digest.objects.get(user=w.ward_officer).item_count == 4
    assert not Reminder.objects.filter(recipient_id__in=due_ids, digest__isnull=True).exists()
    # Sent once: the same batch again sends nothing.
    assert not any(o.sent for o in digests.send_digests(due_ids, DAY).values())
    assert len(mail.outbox) == len(due_ids) + 1


def test_a_mail_refused_mid_batch_keeps_what_went_and_puts_back_the_rest(four_items, monkeypatch):
    _, due_ids = digests.recipients_due(day=DAY)
    first, *rest = due_ids
    sent = []

    def refuse_after_the_first(self):
        if sent:
            raise OSError("Máy chủ thư từ chối kết nối")
        sent.append(self.to)
        return 1

    monkeypatch.setattr(digests.EmailMultiAlternatives, "send", refuse_after_the_first)
    with pytest.raises(OSError, match="từ chối"):
        digests.send_digests(due_ids, DAY)

    assert Digest.objects.get(user_id=first).status == DigestStatus.SENT
    assert set(Digest.objects.filter(user_id__in=rest).values_list("status", "attempts")) == {
        (DigestStatus.PENDING, 1)
    }
    rows = Reminder.objects.with_status().filter(recipient_id__in=rest)
    assert set(rows.values_list("status", "digest")) == {(ReminderStatus.PENDING, None)}

    monkeypatch.undo()
    outcomes = digests.send_digests(due_ids, DAY)
    assert [outcomes[user_id].sent for user_id in due_ids] == [False] + [True] * len(rest)
    assert len(mail.outbox) == len(rest)
    assert len(sent) == 1


def test_the_send_sweep_hands_the_due_people_over_in_batches(four_items, settings, monkeypatch):
    handed = []
    monkeypatch.setattr(digests, "BATCH_SIZE", 1)
    monkeypatch.setattr(tasks, "enqueue", lambda task, *args: handed.append((task, args)) or True)
    _, due_ids = digests.recipients_due(day=DAY)

    result = tasks.send_due_digests(DAY.isoformat())

    assert result == {"due": len(due_ids), "queued": len(due_ids)}
    assert handed == [(tasks.send_digests, ([user_id], DAY.isoformat())) for user_id in due_ids]


@race
def test_two_workers_with_overlapping_batches_send_each_digest_once(four_items):
    _, due_ids = digests.recipients_due(day=DAY)
    barrier = threading.Barrier(2)
    sent = []

    def send(batch):
        try:
            barrier.wait()
            sent.extend(u for u, o in digests.send_digests(batch, DAY).items() if o.sent)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=send, args=(due_ids,)),
        threading.Thread(target=send, args=(list(reversed(due_ids)),)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(sent) == sorted(due_ids)
    assert len(mail.outbox) == len(due_ids)
    assert set(Digest.objects.values_list("status", "attempts")) == {(DigestStatus.SENT, 1)}


def test_the_digest_hour_is_an_hour_of_the_day(world):
    from portal.background.notifications import update_notification_preferences

    with refused("digest_hour_invalid"):
        update_notification_preferences(
            world.ward_leader,
            actor=world.ward_leader,
            digest_hour=24,
            mute_email=False,
            mute_inbox=False,
        )
    assert not NotificationPreference.objects.filter(user=world.ward_leader).exists()


@race
def test_a_digest_another_worker_is_claiming_is_skipped_not_waited_for(four_items):
    """The batch's claim passes over a digest whose row another worker has locked: it neither
    waits for that worker nor claims the digest too; the digest goes once, on a later run."""
    needs_row_locks()
    w = four_items
    Digest.objects.create(user=w.ward_officer, day=DAY)
    locked, release = threading.Event(), threading.Event()

    def hold_the_row():
        try:
            with transaction.atomic():
                Digest.objects.select_for_update().get(user=w.ward_officer, day=DAY)
                locked.set()
                release.wait(30)
        finally:
            connection.close()

    holder = threading.Thread(target=hold_the_row)
    holder.start()
    try:
        assert locked.wait(30)
        outcomes = digests.send_digests([w.ward_officer.pk, w.ward_leader.pk], DAY)
    finally:
        release.set()
        holder.join()

    assert (outcomes[w.ward_officer.pk].sent, outcomes[w.ward_leader.pk].sent) == (False, True)
    assert Digest.objects.get(user=w.ward_officer).status == DigestStatus.PENDING
    assert digests.send_digests([w.ward_officer.pk, w.ward_leader.pk], DAY)[w.ward_officer.pk].sent
    assert len(mail.outbox) == 2
    assert set(Digest.objects.values_list("status", "attempts")) == {(DigestStatus.SENT, 1)}


def test_the_mail_is_recorded_on_the_digest_and_its_rows_are_written_once(four_items, sources):
    """A row is written when a digest claims it, never again when its mail goes: the state of a
    sent digest's rows is read from the digest."""
    _, due_ids = digests.recipients_due(day=DAY)
    with CaptureQueriesContext(connection) as batch:
        outcomes = digests.send_digests(due_ids, DAY)

    assert all(outcome.sent for outcome in outcomes.values())
    row_writes = [
        query["sql"]
        for query in batch.captured_queries
        if re.search(r"UPDATE \"?portal_reminder\"? ", query["sql"])
    ]
    assert len(row_writes) == 1
    assert set(
        Reminder.objects.with_status()
        .filter(recipient_id__in=due_ids)
        .values_list("status", flat=True)
    ) == {ReminderStatus.SENT}


def test_a_batch_is_flushed_to_disk_once_its_last_digest_is_recorded(four_items):
    """Each record commits without waiting for the disk but the batch's last, whose flushed
    commit makes the whole batch durable before the worker reports it sent."""
    needs_row_locks()
    _, due_ids = digests.recipients_due(day=DAY)
    assert len(due_ids) >= 2
    with CaptureQueriesContext(connection) as batch:
        digests.send_digests(due_ids, DAY)

    records = [q["sql"] for q in batch.captured_queries if "WITH marked" in q["sql"]]
    assert len(records) == len(due_ids)
    assert ["synchronous_commit TO OFF" in sql for sql in records] == [True] * (
        len(due_ids) - 1
    ) + [False]
