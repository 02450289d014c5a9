"""Every stored file of the project opens for those who see its record and for nobody else.

The walk starts from the models (apps.get_models), so a new FileField fails here until it is
registered in portal.files and given a record below.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.db import models
from django.utils import timezone

from awards.models import CentralDecision, HistoryImport
from awards.procedure import drafting
from pledges.models import PledgeSignature
from portal import documents, files
from portal.documents.demo import make_decision
from portal.models import Job, OutsideSigning
from tests import sweep

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _with_file(instance: models.Model, field: str, name: str = "tep.pdf") -> models.Model:
    if not getattr(instance, field):
        getattr(instance, field).save(name, ContentFile(PDF), save=True)
    return instance


def _issued(w):
    return documents.issue_document(
        make_decision(w.ward, actor=w.ward_leader, awardees=3, annexes_separate=True),
        actor=w.ward_leader,
    )


def _copy(w):
    from portal.documents import copies

    return copies.make_copy(
        _issued(w), actor=w.ward_officer, issuer=w.ward, kind="SY", recipients=["Sở Nội vụ"]
    )


def _job(w):
    job = Job.objects.create(kind="portal.export_units", created_by=w.ward_officer, unit=w.ward)
    return _with_file(job, "result_file", "ket-qua.xlsx")


def _signed_report(w):
    upload = ContentFile(PDF, name="bao-cao-da-ky.pdf")
    return drafting.attach_signed_report(w.ward_nomination, actor=w.ward_officer, file=upload)


def _award_evidence(w):
    return drafting.add_evidence(
        w.ward_nomination,
        actor=w.ward_officer,
        description="Giấy chứng nhận sáng kiến",
        file=ContentFile(PDF, name="sang-kien.pdf"),
    )


def _paper_signature(w):
    signature = PledgeSignature.objects.create(
        pledge=w.ward_pledge, unit=w.ward, signed_by=w.ward_leader, signed_at=timezone.now()
    )
    return _with_file(signature, "paper_scan")


def _central(w):
    paper = CentralDecision.objects.create(
        unit=w.province,
        number="12/QĐ-TTg",
        signed_on=datetime.date(2026, 2, 2),
        authority="prime_minister",
    )
    return _with_file(paper, "file")


def _history_import(w):
    upload = HistoryImport(
        original_name="Lịch sử Đồng Nai.xlsx", unit=w.ward, uploaded_by=w.ward_officer
    )
    return _with_file(upload, "file", "lich-su.xlsx")


def _outside_signing(w):
    document = _issued(w)
    row = OutsideSigning.objects.create(
        document=document,
        content_sha256="0" * 64,
        produced=ContentFile(PDF, name="ban-de-ky.pdf"),
        produced_sha256="0" * 64,
        produced_year=2026,
    )
    return _with_file(row, "signed", "ban-da-ky.pdf")


# "app.model.field" → (the ward's record holding a file, who sees it). The outsider, an officer
# of the sibling ward, sees none of them.
RECORDS: dict[str, tuple[Callable[[SimpleNamespace], models.Model], str]] = {
    "portal.officialdocument.pdf": (_issued, "ward_officer"),
    "portal.officialdocument.annex_pdf": (_issued, "ward_officer"),
    "portal.job.result_file": (_job, "ward_officer"),
    "portal.documentcopy.pdf": (_copy, "ward_officer"),
    "portal.outsidesigning.produced": (_outside_signing, "ward_officer"),
    "portal.outsidesigning.signed": (_outside_signing, "ward_officer"),
    "pledges.pledge.scan": (lambda w: w.ward_pledge, "ward_officer"),
    "pledges.evidence.file": (lambda w: w.ward_evidence, "ward_officer"),
    "pledges.pledgesignature.paper_scan": (_paper_signature, "ward_officer"),
    "awards.nomination.signed_report": (_signed_report, "ward_officer"),
    "awards.evidence.file": (_award_evidence, "ward_officer"),
    "awards.clearancerequest.answer_file": (
        lambda w: _with_file(w.ward_clearance, "answer_file"),
        "reviewer",
    ),
    "awards.centraldecision.file": (_central, "reviewer"),
    "awards.historyimport.file": (_history_import, "ward_officer"),
    "reports.periodicreport.pdf": (lambda w: w.ward_report, "ward_leader"),
    "reports.periodicreport.xlsx": (lambda w: w.ward_report, "ward_leader"),
}


def every_file_field() -> list[str]:
    return sorted(
        f"{model._meta.label_lower}.{field.name}"
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if isinstance(field, models.FileField)
    )


def test_every_file_field_is_served_through_its_scope():
    assert every_file_field() == sorted(files.registered())
    assert sorted(RECORDS) == every_file_field()


@pytest.fixture
def sweep_world(world):
    return sweep.extend_world(world)


def _answers(client, key: str, world) -> list[str]:
    """What is wrong with the file link of `key`, as the insider, the outsider and anonymous."""
    make, insider = RECORDS[key]
    instance = make(world)
    field = key.rsplit(".", 1)[1]
    instance.refresh_from_db()
    link = files.file_url(instance, field)
    stored = getattr(instance, field)
    if not link.startswith("/tep/") or stored.name.startswith(("http", "/")):
        return [f"{key}: link {link!r}, stored as {stored.name!r}"]
    wrong = []
    client.force_login(getattr(world, insider))
    response = client.get(link)
    if response.status_code != 200:
        return [f"{key}: {response.status_code} for {insider}"]
    if not response["Content-Disposition"].startswith("attachment; filename"):
        wrong.append(f"{key}: Content-Disposition {response['Content-Disposition']}")
    if response.get("X-Content-Type-Options") != "nosniff":
        wrong.append(f"{key}: no nosniff")
    with stored.open("rb") as handle:
        if b"".join(response.streaming_content) != handle.read():
            wrong.append(f"{key}: other bytes than stored")
    client.force_login(world.outsider)
    if (status := client.get(link).status_code) != 404:
        wrong.append(f"{key}: {status} for the outsider")
    client.logout()
    if (status := client.get(link).status_code) != 302:
        wrong.append(f"{key}: {status} for an anonymous visitor")
    return wrong


def test_every_file_link_opens_in_scope_and_is_404_outside(sweep_world, client):
    wrong = [
        problem for key in every_file_field() for problem in _answers(client, key, sweep_world)
    ]
    assert not wrong, "\n".join(wrong)


def test_an_unknown_file_kind_is_404(world, client):
    client.force_login(world.admin)
    assert client.get("/tep/portal.user.password/1/").status_code == 404


def test_a_vietnamese_file_name_survives_the_download(world, client):
    evidence_job = Job.objects.create(
        kind="portal.export_units", created_by=world.ward_officer, unit=world.ward
    )
    _with_file(evidence_job, "result_file", "ket-qua.pdf")
    response = files.file_response(evidence_job.result_file, filename="Đặng Văn Đức – báo cáo.pdf")
    disposition = response["Content-Disposition"]
    assert "filename*=utf-8''%C4%90%E1%BA%B7ng%20V%C4%83n%20%C4%90%E1%BB%A9c" in disposition
    assert disposition.startswith("attachment;")


def test_production_hands_the_file_to_the_proxy(world, settings):
    settings.PRIVATE_FILES_ACCEL_PREFIX = "/_tep_rieng/"
    job = _with_file(
        Job.objects.create(
            kind="portal.export_units", created_by=world.ward_officer, unit=world.ward
        ),
        "result_file",
        "ket-qua.pdf",
    )
    response = files.file_response(job.result_file, filename="ket-qua.pdf")
    assert response["X-Accel-Redirect"] == "/_tep_rieng/" + job.result_file.name
    assert response.content == b""
    assert response["X-Content-Type-Options"] == "nosniff"
