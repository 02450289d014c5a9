"""A webhook never reaches the portal's own network: non-http(s) schemes and private, loopback
or link-local addresses are refused when the webhook is added and again at delivery (the name
resolved each time, the call made to the address checked), with a Vietnamese message."""

from __future__ import annotations

import socket

import pytest

from api.models import DeliveryStatus, Webhook, WebhookDelivery, WebhookEvent
from api.webhooks import delivery, services, targets
from tests.api.test_agency_journey import Receiver
from tests.refusals import refused

PUBLIC = "93.184.215.14"
EVENTS = ["decision.issued"]


def resolving(monkeypatch, names: dict[str, str]) -> None:
    """Point names at addresses for the test (there is no DNS in the test run)."""
    real = socket.getaddrinfo

    def fake(host, port, *args, **kwargs):
        if host in names:
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (names[host], port))]
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(targets.socket, "getaddrinfo", fake)


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("ftp://93.184.215.14/su-kien", "http:// hoặc https://"),
        ("file:///etc/passwd", "http:// hoặc https://"),
        ("gopher://93.184.215.14:6379/_FLUSHALL", "http:// hoặc https://"),
        ("http://127.0.0.1:6379/", "địa chỉ nội bộ"),
        ("http://localhost/", "địa chỉ nội bộ"),
        ("http://10.0.0.5/", "địa chỉ nội bộ"),
        ("http://192.168.1.1/", "địa chỉ nội bộ"),
        ("http://169.254.169.254/latest/meta-data/", "địa chỉ nội bộ"),
        ("http://[::1]/", "địa chỉ nội bộ"),
        ("http://[::ffff:127.0.0.1]/", "địa chỉ nội bộ"),
        ("http://[fe80::1]/", "địa chỉ nội bộ"),
        ("http://0.0.0.0/", "địa chỉ nội bộ"),
        ("http://2130706433/", "địa chỉ nội bộ"),  # 127.0.0.1 written as one number
        ("http://noi-bo.example/", "địa chỉ nội bộ"),
        ("http://khong-co.invalid/", "không phân giải được"),
        ("https://user:matkhau@93.184.215.14/", "mật khẩu"),
        ("https:///su-kien", "thiếu tên máy chủ"),
    ],
)
def test_a_webhook_to_the_inside_is_refused_when_added(world, monkeypatch, url, reason):
    resolving(monkeypatch, {"noi-bo.example": "10.1.2.3"})
    with refused("ssrf") as refusal:
        services.add_webhook(
            world.ward, actor=world.ward_leader, url=url, events=["decision.issued"]
        )
    assert refusal.value.message.startswith("Địa chỉ nhận webhook không được chấp nhận")
    assert reason in refusal.value.message
    assert not Webhook.objects.exists()


def test_a_webhook_names_known_events_and_is_switched_off_once(world, monkeypatch):
    resolving(monkeypatch, {"he-thong.example.vn": PUBLIC})
    url = "https://he-thong.example.vn/su-kien"
    with refused("webhook_events_required"):
        services.add_webhook(world.ward, actor=world.ward_leader, url=url, events=[])
    with refused("webhook_event_unknown"):
        services.add_webhook(world.ward, actor=world.ward_leader, url=url, events=["khong.co"])
    assert not Webhook.objects.exists()
    hook = services.add_webhook(world.ward, actor=world.ward_leader, url=url, events=EVENTS)
    services.switch_off_webhook(hook.webhook, actor=world.ward_leader)
    with refused("webhook_already_off"):
        services.switch_off_webhook(hook.webhook, actor=world.ward_leader)


def test_a_public_address_is_accepted(world, monkeypatch):
    resolving(monkeypatch, {"he-thong.example.vn": PUBLIC})
    for url in (f"https://{PUBLIC}/su-kien", "https://he-thong.example.vn:8443/nhan?nguon=td"):
        services.add_webhook(
            world.ward, actor=world.ward_leader, url=url, events=["decision.issued"]
        )
    assert Webhook.objects.count() == 2


def test_loopback_is_allowed_only_by_the_tests_setting_and_never_private(world, settings):
    settings.WEBHOOK_ALLOW_LOOPBACK = False
    with refused("ssrf"):
        targets.check_target("http://127.0.0.1:8000/")
    settings.WEBHOOK_ALLOW_LOOPBACK = True
    assert targets.check_target("http://127.0.0.1:8000/a?b=1").path == "/a?b=1"
    with refused("ssrf"):
        targets.check_target("http://10.0.0.5/")


def test_the_page_shows_the_refusal_in_vietnamese_and_saves_nothing(world, client):
    client.force_login(world.ward_leader)
    response = client.post(
        f"/don-vi/{world.ward.pk}/webhook/",
        {"url": "http://169.254.169.254/latest/meta-data/", "events": ["decision.issued"]},
    )
    assert response.status_code == 200
    assert "địa chỉ nội bộ" in response.content.decode()
    assert not Webhook.objects.exists()


def _pending(world, monkeypatch, name: str) -> WebhookDelivery:
    resolving(monkeypatch, {name: PUBLIC})
    hook = services.add_webhook(
        world.ward,
        actor=world.ward_leader,
        url=f"http://{name}/su-kien",
        events=["decision.issued"],
    )
    event = WebhookEvent.objects.create(kind="decision.issued", subject_id=0)
    return WebhookDelivery.objects.create(webhook=hook.webhook, event=event, payload={"a": 1})


def test_a_name_re_pointed_inside_after_it_was_added_is_refused_at_delivery(
    world, monkeypatch, settings
):
    receiver = Receiver()
    try:
        row = _pending(world, monkeypatch, "doi-huong.example")
        # The name now answers with the portal's own loopback, where something listens.
        resolving(monkeypatch, {"doi-huong.example": "127.0.0.1"})
        row.webhook.url = f"http://doi-huong.example:{receiver.server.server_port}/su-kien"
        row.webhook.save(update_fields=["url"])
        assert delivery.deliver(row.pk) is False
        row.refresh_from_db()
        assert receiver.received == []
        assert row.status == DeliveryStatus.PENDING and row.attempts == 1
        assert "địa chỉ nội bộ" in row.last_error and row.last_status_code is None
    finally:
        receiver.close()


def test_the_delivery_connects_to_the_address_it_checked(world, monkeypatch, settings):
    settings.WEBHOOK_ALLOW_LOOPBACK = True
    receiver = Receiver()
    try:
        row = _pending(world, monkeypatch, "kiem-tra.example")
        port = receiver.server.server_port
        row.webhook.url = f"http://kiem-tra.example:{port}/su-kien"
        row.webhook.save(update_fields=["url"])
        # Checked as 127.0.0.1; the connection must not resolve the name a second time.
        resolving(monkeypatch, {"kiem-tra.example": "127.0.0.1"})
        checked = targets.check_target(row.webhook.url)
        monkeypatch.setattr(targets, "check_target", lambda url: checked)
        real = socket.getaddrinfo

        def only_addresses(host, *args, **kwargs):
            if host == "kiem-tra.example":
                pytest.fail("the name was resolved again after the check")
            return real(host, *args, **kwargs)

        monkeypatch.setattr(targets.socket, "getaddrinfo", only_addresses)
        assert delivery.deliver(row.pk) is True
        assert len(receiver.received) == 1
        assert receiver.received[0]["headers"]["host"] == f"kiem-tra.example:{port}"
    finally:
        receiver.close()
