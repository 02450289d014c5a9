"""Writes through the services, each POST idempotent: the same key and body write once."""

from __future__ import annotations

import json

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from awards.models import Nomination
from pledges.models import Evidence, ProgressReport
from portal.models import OfficialDocument
from tests.api.conftest import bearer, make_token, signed_scan


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
    # Byte for byte, keys in the order first sent (jsonb would have reordered them).
    assert again.content == first.content and again["Content-Type"] == first["Content-Type"]
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
    assert json.loads(refused.content)["code"] == "upload_wrong_type"
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


def _record(client, secret, key, number="15/CT-UBND", scan=None, **extra):
    return client.post(
        "/api/v1/recorded-documents",
        {
            "kind": "directive",
            "issuer_id": extra.pop("issuer_id"),
            "number_and_symbol": number,
            "issued_on": extra.pop("issued_on", timezone.localdate().isoformat()),
            "summary": "Về việc phát động phong trào thi đua năm nay",
            "signer_name": "Nguyễn Văn Ký",
            "signer_position": "Chủ tịch",
            "scan": SimpleUploadedFile("chi-thi.pdf", scan or signed_scan()),
        },
        HTTP_IDEMPOTENCY_KEY=key,
        **bearer(secret),
    )


def test_a_paper_signed_elsewhere_is_recorded_once_through_the_pages_service(api_world, client):
    w = api_world
    secret = make_token(w.ward_leader, w.ward, "view", "issue_documents")
    first = _record(client, secret, "vb-1", issuer_id=w.ward.pk)
    assert first.status_code == 201, first.content
    body = json.loads(first.content)
    assert body["number_and_symbol"] == "15/CT-UBND" and body["status"] == "issued"
    again = _record(client, secret, "vb-1", issuer_id=w.ward.pk)
    assert again.status_code == 201 and again["Idempotent-Replayed"] == "true"
    # Byte for byte, keys in the order first sent (jsonb would have reordered them).
    assert again.content == first.content and again["Content-Type"] == first["Content-Type"]
    document = OfficialDocument.objects.get(pk=body["id"])
    assert document.is_recorded and document.issued_by == w.ward_leader
    assert document.register.issuer == w.ward
    assert document.history.first().history_change_reason == "portal.document.recorded"
    # The register refuses the same number a second time, as the page does.
    twice = _record(client, secret, "vb-2", issuer_id=w.ward.pk)
    assert twice.status_code == 422
    assert json.loads(twice.content)["code"] == "duplicate_number"
    broken = _record(
        client, secret, "vb-3", number="16/CT-UBND", scan=b"MZ\x90 not a pdf", issuer_id=w.ward.pk
    )
    assert json.loads(broken.content)["code"] == "scan_not_pdf"
    assert OfficialDocument.objects.filter(is_recorded=True, issuer=w.ward).count() == 1
    # Its signed scan is then read through the private-file rule.
    pdf = client.get(body["pdf_url"], **bearer(secret))
    assert pdf.status_code == 200
    assert b"".join(pdf.streaming_content) == document.pdf.open("rb").read()


def test_recording_needs_the_issuing_capability_on_a_visible_unit(api_world, ward_token, client):
    w = api_world
    without = _record(client, ward_token, "vb-4", issuer_id=w.ward.pk)
    assert without.status_code == 403
    assert json.loads(without.content)["code"] == "forbidden"
    secret = make_token(w.ward_leader, w.ward, "view", "issue_documents")
    # Its own office is in its subtree, but the capability is the ward's alone.
    office = _record(client, secret, "vb-5", issuer_id=w.ward_office.pk)
    assert office.status_code == 403
    elsewhere = _record(client, secret, "vb-6", issuer_id=w.sibling_ward.pk)
    assert elsewhere.status_code == 404
    assert not OfficialDocument.objects.filter(is_recorded=True).exists()
