"""The document office's system records a paper signed outside the portal (the documents
engine's `record_document`), once per Idempotency-Key, and fetches it back."""

from __future__ import annotations

import datetime
import io
import json

from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfWriter

from portal.models import OfficialDocument
from tests.api.conftest import bearer, make_token


def scan() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _record(client, secret, issuer, key, number="12/KH-UBND"):
    return client.post(
        "/api/v1/documents/recorded",
        {
            "kind": "plan",
            "issuer_id": issuer.pk,
            "number_and_symbol": number,
            "issued_on": (datetime.date.today() - datetime.timedelta(days=3)).isoformat(),
            "summary": "Kế hoạch tổ chức phong trào thi đua năm 2026",
            "signer_name": "Võ Văn Phường",
            "signer_position": "Chủ tịch",
            "scan": SimpleUploadedFile("ke-hoach.pdf", scan(), content_type="application/pdf"),
        },
        HTTP_IDEMPOTENCY_KEY=key,
        **bearer(secret),
    )


def test_a_paper_signed_elsewhere_is_recorded_once(world, client):
    secret = make_token(world.ward_leader, world.ward, "view", "issue_documents")
    first = _record(client, secret, world.ward, "vb-1")
    assert first.status_code == 201, first.content
    body = json.loads(first.content)
    assert body["number_and_symbol"] == "12/KH-UBND" and body["status"] == "issued"
    again = _record(client, secret, world.ward, "vb-1")
    assert json.loads(again.content) == body
    assert OfficialDocument.objects.filter(number="12", symbol="KH-UBND").count() == 1
    duplicate = _record(client, secret, world.ward, "vb-2")
    assert duplicate.status_code == 422
    assert json.loads(duplicate.content)["code"] == "duplicate_number"
    pdf = client.get(body["pdf_url"], **bearer(secret))
    assert pdf.status_code == 200
    assert b"".join(pdf.streaming_content).startswith(b"%PDF-")
    document = OfficialDocument.objects.get(pk=body["id"])
    assert document.is_recorded and document.history.first().history_user == world.ward_leader


def test_recording_needs_the_capability_and_the_scope(world, client):
    reader = make_token(world.ward_leader, world.ward, "view")
    assert _record(client, reader, world.ward, "vb-3").status_code == 403
    issuer = make_token(world.ward_leader, world.ward, "view", "issue_documents")
    outside = _record(client, issuer, world.sibling_ward, "vb-4")
    assert outside.status_code == 404
    broken = client.post(
        "/api/v1/documents/recorded",
        {
            "kind": "plan",
            "issuer_id": world.ward.pk,
            "number_and_symbol": "13/KH-UBND",
            "issued_on": datetime.date.today().isoformat(),
            "summary": "Kế hoạch",
            "scan": SimpleUploadedFile("x.pdf", b"not a pdf"),
        },
        HTTP_IDEMPOTENCY_KEY="vb-5",
        **bearer(issuer),
    )
    assert broken.status_code == 422
    assert json.loads(broken.content)["code"] == "scan_not_pdf"
    assert not OfficialDocument.objects.filter(number="13").exists()
