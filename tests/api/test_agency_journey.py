"""An agency's system with only its leader's token: reads its campaign, reports progress with
a file, drafts a nomination (a retried POST writes once), learns by webhook that the decision
is out (a real HTTP receiver on a local port) and fetches the signed PDF it points at."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from api.models import DeliveryStatus, WebhookDelivery
from api.webhooks import delivery, services, tasks
from awards.models import Nomination
from awards.procedure import appraisal, approval, decisions
from tests.api.conftest import bearer
from tests.awards.nomination_helpers import rate, submitted
from tests.factories import make_person


class Receiver:
    """A local HTTP endpoint recording what it receives; answers `status`."""

    def __init__(self, status: int = 200):
        self.received: list[dict] = []
        self.status = status
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                outer.received.append(
                    {"headers": {k.lower(): v for k, v in self.headers.items()}, "body": body}
                )
                self.send_response(outer.status)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/su-kien"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver(settings):
    settings.WEBHOOK_ALLOW_LOOPBACK = True  # the local receiver (api.webhooks.targets)
    r = Receiver()
    yield r
    r.close()


def _post_json(client, url, payload, key, secret):
    return client.post(
        url,
        json.dumps(payload),
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY=key,
        **bearer(secret),
    )


def test_an_agency_does_its_round_without_a_person_typing(
    api_world, ward_token, client, receiver, django_capture_on_commit_callbacks
):
    w = api_world
    hook = services.add_webhook(
        w.ward, actor=w.ward_leader, url=receiver.url, events=["decision.issued"]
    )
    # Its campaign.
    campaign = client.get(f"/api/v1/campaigns/{w.city_campaign.pk}", **bearer(ward_token))
    assert campaign.status_code == 200
    assert json.loads(campaign.content)["title"] == w.city_campaign.title
    # Progress with a file.
    registrations = json.loads(client.get("/api/v1/registrations", **bearer(ward_token)).content)
    task_id = registrations["items"][0]["tasks"][0]["id"]
    progress = client.post(
        f"/api/v1/tasks/{task_id}/progress",
        {
            "reported_on": timezone.localdate().isoformat(),
            "narrative": "Đã xây dựng 4 mô hình",
            "value": "4",
            "files": SimpleUploadedFile("bao-cao.pdf", b"%PDF-1.4\n%%EOF\n"),
        },
        HTTP_IDEMPOTENCY_KEY="tien-do-1",
        **bearer(ward_token),
    )
    assert progress.status_code == 201, progress.content
    # A nomination from its HR data, sent twice with the same key: one dossier.
    employee = make_person(w.ward, "Trương Thị Mai", position="Chuyên viên")
    rate(employee, 2025, "htxsnv")
    payload = {
        "proposing_unit_id": w.ward.pk,
        "item_code": "lao-dong-tien-tien",
        "year": 2025,
        "basis_kind": "yearly",
        "person_id": employee.pk,
        "report_achievements": "Hoàn thành xuất sắc nhiệm vụ được giao.",
    }
    first = _post_json(client, "/api/v1/nominations", payload, "de-nghi-1", ward_token)
    second = _post_json(client, "/api/v1/nominations", payload, "de-nghi-1", ward_token)
    assert first.status_code == second.status_code == 201
    assert json.loads(first.content) == json.loads(second.content)
    assert Nomination.objects.filter(person=employee).count() == 1
    nomination = Nomination.objects.get(person=employee)
    # The people of the workflow take it to a signed decision (the pages' services).
    nomination = submitted(w, nomination=nomination)
    nomination = appraisal.receive_nomination(nomination, actor=w.reviewer)
    nomination = appraisal.check_nomination(nomination, actor=w.reviewer, opinion="Đủ.")
    nomination = approval.approve_nomination(nomination, actor=w.ward_leader)
    decision = decisions.draft_decision([nomination], actor=w.reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        decisions.issue_decision(decision, actor=w.ward_leader)
    # The webhook arrived once, signed.
    assert len(receiver.received) == 1
    got = receiver.received[0]
    expected = "sha256=" + hmac.new(hook.secret.encode(), got["body"], hashlib.sha256).hexdigest()
    assert got["headers"]["x-thidua-signature"] == expected
    event = json.loads(got["body"])
    assert event["event"] == "decision.issued"
    assert got["headers"]["x-thidua-event-id"] == event["event_id"]
    assert nomination.pk in event["data"]["nomination_ids"]
    # The signed PDF it points at, with the token.
    pdf_path = event["data"]["document"]["pdf_url"].split("://", 1)[1].split("/", 1)[1]
    pdf = client.get("/" + pdf_path, **bearer(ward_token))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    # The stand-in renders any bytes: the hash recorded at issue says they are the signed file.
    decision.refresh_from_db()
    served = b"".join(pdf.streaming_content)
    assert hashlib.sha256(served).hexdigest() == decision.document.sha256 != ""
    assert event["data"]["document"]["number_and_symbol"] == decision.document.number_and_symbol
    # Never twice for the same event id, whatever reruns.
    row = WebhookDelivery.objects.get()
    assert row.status == DeliveryStatus.DELIVERED
    assert delivery.dispatch_event(row.event_id) == []
    assert delivery.deliver(row.pk) is True
    tasks.redeliver_due_webhooks()
    assert len(receiver.received) == 1
    # The unit reads its delivery log, on its page and through the API.
    client.force_login(w.ward_officer)
    page = client.get(f"/don-vi/{w.ward.pk}/webhook/")
    assert event["event_id"] in page.content.decode()
    log = json.loads(client.get("/api/v1/webhook-deliveries").content)
    assert [d["event_id"] for d in log["items"]] == [event["event_id"]]
    client.force_login(w.outsider)
    assert json.loads(client.get("/api/v1/webhook-deliveries").content)["items"] == []
    assert client.get(f"/don-vi/{w.ward.pk}/webhook/").status_code == 404


def test_a_failed_delivery_is_retried_later_and_then_delivered_once(world, settings):
    from api.models import WebhookEvent

    settings.WEBHOOK_ALLOW_LOOPBACK = True
    r = Receiver(status=503)
    try:
        hook = services.add_webhook(
            world.ward, actor=world.ward_leader, url=r.url, events=["campaign.launched"]
        )
        event = WebhookEvent.objects.create(kind="campaign.launched", subject_id=0)
        row = WebhookDelivery.objects.create(webhook=hook.webhook, event=event, payload={"a": 1})
        assert delivery.deliver(row.pk) is False
        row.refresh_from_db()
        assert row.status == DeliveryStatus.PENDING and row.attempts == 1
        assert row.last_status_code == 503 and row.next_attempt_at > timezone.now()
        r.status = 200
        assert delivery.deliver(row.pk) is True
        assert delivery.deliver(row.pk) is True
        row.refresh_from_db()
        assert row.status == DeliveryStatus.DELIVERED and row.attempts == 2
        assert len(r.received) == 2
    finally:
        r.close()
