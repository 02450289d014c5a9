"""Races on the API's own rows: a service token revoked twice, a webhook switched off twice, one
delivery attempted by two workers, one event dispatched by two workers, and one POST sent twice
with the same Idempotency-Key, each at the same instant.

PostgreSQL only (tests/races.py); how a lock-free variant was shown to fail: docs/testing.md.
"""

from __future__ import annotations

import datetime
import json
import threading
import time
from types import SimpleNamespace

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from api import tokens
from api.models import DeliveryStatus, ServiceToken, Webhook, WebhookDelivery, WebhookEvent
from api.webhooks import delivery, services, targets
from pledges import services as pledge_services
from pledges.models import Evidence, ProgressReport
from tests.api.conftest import bearer
from tests.races import at_once, kinds, needs_row_locks, race
from tests.refusals import refused

pytestmark = race


def _token(world) -> ServiceToken:
    return tokens.create_service_token(
        world.ward,
        actor=world.ward_leader,
        name="Hệ thống quản lý văn bản",
        capabilities=["view"],
        expires_on=timezone.localdate() + datetime.timedelta(days=30),
    ).token


def _webhook(world, settings) -> Webhook:
    settings.WEBHOOK_ALLOW_LOOPBACK = True
    return services.add_webhook(
        world.ward,
        actor=world.ward_leader,
        url="http://127.0.0.1:9/su-kien",
        events=["campaign.launched"],
    ).webhook


def _slow_stamp(monkeypatch, module) -> None:
    """A pause where the service stamps its row, just before saving it: both callers are then
    surely between their read and their write at once (the window the lock closes)."""
    stamp = module.stamp
    monkeypatch.setattr(module, "stamp", lambda row, **kw: (time.sleep(0.3), stamp(row, **kw))[1])


def test_a_token_revoked_twice_at_once_is_revoked_once(world, monkeypatch):
    """Without the token's lock both callers find it live: the second overwrites the moment of
    the revocation and the history shows two."""
    needs_row_locks()
    _slow_stamp(monkeypatch, tokens)
    token = _token(world)
    outcomes = at_once(
        lambda: tokens.revoke_service_token(token, actor=world.ward_leader),
        lambda: tokens.revoke_service_token(token, actor=world.ward_leader),
    )
    assert kinds(outcomes) == ["RuleViolation", "won"]
    with refused("token_already_revoked"):
        raise next(o for o in outcomes if isinstance(o, Exception))
    winner = next(o for o in outcomes if isinstance(o, ServiceToken))
    token.refresh_from_db()
    assert token.revoked_at == winner.revoked_at
    assert token.history.filter(history_change_reason="api.token.revoked").count() == 1


def test_a_webhook_switched_off_twice_at_once_is_switched_off_once(world, settings, monkeypatch):
    needs_row_locks()
    hook = _webhook(world, settings)
    _slow_stamp(monkeypatch, services)
    outcomes = at_once(
        lambda: services.switch_off_webhook(hook, actor=world.ward_leader),
        lambda: services.switch_off_webhook(hook, actor=world.ward_leader),
    )
    assert kinds(outcomes) == ["RuleViolation", "won"]
    with refused("webhook_already_off"):
        raise next(o for o in outcomes if isinstance(o, Exception))
    hook.refresh_from_db()
    assert not hook.is_active
    assert hook.history.filter(history_change_reason="api.webhook.switched_off").count() == 1


def test_one_delivery_taken_by_two_workers_at_once_is_sent_once(world, settings, monkeypatch):
    """The row stays locked while it is sent: a second worker skips it instead of sending the
    same event to the unit's system twice."""
    needs_row_locks()
    hook = _webhook(world, settings)
    event = WebhookEvent.objects.create(kind="campaign.launched", subject_id=0)
    row = WebhookDelivery.objects.create(webhook=hook, event=event, payload={"a": 1})
    sent = []
    lock = threading.Lock()

    def post(url, body, headers, timeout):
        with lock:
            sent.append(headers["X-ThiDua-Event-Id"])
        time.sleep(0.3)  # the receiving system takes its time to answer
        return 200

    monkeypatch.setattr(targets, "post", post)
    outcomes = at_once(lambda: delivery.deliver(row.pk), lambda: delivery.deliver(row.pk))
    assert outcomes == [True, True]
    assert sent == [str(event.event_id)]
    row.refresh_from_db()
    assert (row.status, row.attempts) == (DeliveryStatus.DELIVERED, 1)


def test_one_event_dispatched_by_two_workers_at_once_is_dispatched_once(
    world, settings, monkeypatch
):
    """The outbox's event is dispatched by its task and again by the safety net
    (`redeliver_due_webhooks`) at the same moment: one makes the delivery and stamps the
    dispatch, the other finds it done. Without the event's lock both read it undispatched; the
    delivery's unique key still keeps one row, but the later worker stamps the dispatch again
    over the first."""
    needs_row_locks()
    hook = _webhook(world, settings)
    event = WebhookEvent.objects.create(kind="campaign.launched", subject_id=0)

    def slow_subject(event):
        time.sleep(0.3)  # reading the campaign and its targets takes its time
        return [world.ward], lambda unit: {"unit": unit.code}

    monkeypatch.setitem(delivery.SUBJECTS, "campaign.launched", slow_subject)
    stamps = []
    lock = threading.Lock()

    def now():
        with lock:
            stamps.append(timezone.now())
            return stamps[-1]

    monkeypatch.setattr(delivery, "timezone", SimpleNamespace(now=now))
    outcomes = at_once(
        lambda: delivery.dispatch_event(event.pk), lambda: delivery.dispatch_event(event.pk)
    )
    made = WebhookDelivery.objects.get(webhook=hook, event=event)
    assert sorted(outcomes, key=len) == [[], [made.pk]]
    assert len(stamps) == 1
    event.refresh_from_db()
    assert event.dispatched_at == stamps[0]


def test_one_post_sent_twice_at_once_with_one_key_writes_once(api_world, ward_token, monkeypatch):
    """A client retries before its first answer came (a timeout on its side): the two requests
    with one Idempotency-Key arrive together. One writes, the other waits for it and replays its
    answer. The key's row is inserted before the write, in the write's transaction, so the twin
    waits on the key's unique index until the first commits."""
    needs_row_locks()
    task = api_world.ward_registration.tasks.first()
    before = ProgressReport.objects.count(), Evidence.objects.count()
    report = pledge_services.report_progress

    def slow_report(*args, **kwargs):
        time.sleep(0.3)  # the file is stored and scanned
        return report(*args, **kwargs)

    monkeypatch.setattr(pledge_services, "report_progress", slow_report)

    def post():
        return Client().post(
            f"/api/v1/tasks/{task.pk}/progress",
            {
                "reported_on": timezone.localdate().isoformat(),
                "narrative": "Đã tổ chức 3 buổi",
                "value": "3",
                "files": SimpleUploadedFile("bien-ban.pdf", b"%PDF-1.4\n%%EOF\n"),
            },
            HTTP_IDEMPOTENCY_KEY="thu-lai-1",
            **bearer(ward_token),
        )

    first, second = at_once(post, post)
    assert (first.status_code, second.status_code) == (201, 201), (first.content, second.content)
    assert sorted(r.get("Idempotent-Replayed", "") for r in (first, second)) == ["", "true"]
    assert json.loads(first.content) == json.loads(second.content)  # stored as jsonb: keys sorted
    assert (ProgressReport.objects.count(), Evidence.objects.count()) == (
        before[0] + 1,
        before[1] + 1,
    )
