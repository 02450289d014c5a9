"""Writes through the services, each POST idempotent: the same key and body write once."""

from __future__ import annotations

import json

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from awards.models import Nomination
from pledges.models import Evidence, ProgressReport
from tests.api.conftest import bearer


def _progress(client, task, secret, key, narrative="Đã tổ chức 3 buổi", file=b"%PDF-1.4\n%%EOF\n"):
    return client.post(
        f"/api/v1/tasks/{task.pk}/progress",
        {
            "reported_on": timezone.localdate().isoformat(),
            "narrative": narrative,
            "value": "3",
            "files": SimpleUploadedFile("bien-ban.pdf", file),
        },
        HTTP_IDEMPOTENCY_KEY=key,
        **bearer(secret),
    )


def test_progress_with_a_file_is_written_once_per_key(api_world, ward_token, client):
    task = api_world.ward_registration.tasks.first()
    before = ProgressReport.objects.count()
    first = _progress(client, task, ward_token, "k-1")
    assert first.status_code == 201, first.content
    body = json.loads(first.content)
    assert body["evidence"][0]["original_name"] == "bien-ban.pdf"
    again = _progress(client, task, ward_token, "k-1")
    assert again.status_code == 201 and again["Idempotent-Replayed"] == "true"
    assert json.loads(again.content) == body
    assert ProgressReport.objects.count() == before + 1
    assert Evidence.objects.filter(report_id=body["id"]).count() == 1
    reused = _progress(client, task, ward_token, "k-1", narrative="Khác")
    assert reused.status_code == 422
    assert json.loads(reused.content)["code"] == "idempotency_key_reused"
    missing = client.post(
        f"/api/v1/tasks/{task.pk}/progress",
        {"reported_on": timezone.localdate().isoformat(), "narrative": "x", "value": "1"},
        **bearer(ward_token),
    )
    assert json.loads(missing.content)["field"] == "Idempotency-Key"
    report = ProgressReport.objects.get(pk=body["id"])
    assert report.reported_by == api_world.ward_leader
    assert report.history.first().history_user == api_world.ward_leader


def test_a_refused_rule_is_stored_and_replayed_too(api_world, ward_token, client):
    task = api_world.ward_registration.tasks.first()
    refused = _progress(client, task, ward_token, "k-2", file=b"MZ\x90\x00 not a document")
    assert refused.status_code == 422
    assert json.loads(refused.content)["code"] == "rule_violation"
    again = _progress(client, task, ward_token, "k-2", file=b"MZ\x90\x00 not a document")
    assert json.loads(again.content) == json.loads(refused.content)


def test_a_nomination_is_drafted_through_the_service(api_world, ward_token, client):
    payload = {
        "proposing_unit_id": api_world.ward.pk,
        "item_code": "giay-khen",
        "year": timezone.localdate().year - 1,
        "basis_kind": "yearly",
        "person_id": api_world.person.pk,
        "report_achievements": "Hoàn thành xuất sắc nhiệm vụ",
    }
    before = Nomination.objects.count()
    post = dict(content_type="application/json", HTTP_IDEMPOTENCY_KEY="n-1", **bearer(ward_token))
    first = client.post("/api/v1/nominations", json.dumps(payload), **post)
    assert first.status_code == 201, first.content
    client.post("/api/v1/nominations", json.dumps(payload), **post)
    assert Nomination.objects.count() == before + 1
    nomination = Nomination.objects.get(pk=json.loads(first.content)["id"])
    assert nomination.status == "draft" and nomination.created_by == api_world.ward_leader
    bad = client.post(
        "/api/v1/nominations",
        json.dumps({**payload, "report_achievements": ""}),
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="n-2",
        **bearer(ward_token),
    )
    assert bad.status_code == 422
    assert "thành tích" in json.loads(bad.content)["message"]
