"""The pages of a paper signed outside the portal (#17): who sees them, the refusal in
Vietnamese, and the verification page listing each signature."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from portal.documents import outside_flow, signers, signing
from portal.documents.demo import make_decision
from tests.portal.test_outside_signing import FakeGovernmentCA, sign


@pytest.fixture(scope="module")
def government_ca(tmp_path_factory):
    return FakeGovernmentCA("CA thử nghiệm (trang ký ngoài cổng)", tmp_path_factory.mktemp("ca"))


@pytest.fixture
def trusted_ca(settings, government_ca):
    settings.DOCUMENT_TRUST_ANCHORS_DIR = str(government_ca.folder)
    return government_ca


@pytest.fixture
def agency_certificate(settings, tmp_path):
    path = signing.ensure_demo_certificate(tmp_path / "agency.p12")
    settings.DOCUMENT_SIGNING_P12 = str(path)
    settings.DOCUMENT_SIGNING_PASSPHRASE = signing.DEMO_PASSPHRASE
    return path


@pytest.fixture
def decision(world):
    fields = signers.signature(world.ward, datetime.date.today()).draft_fields()
    return make_decision(world.ward, actor=world.ward_officer, awardees=3, **fields)


def _upload(client, decision, data: bytes):
    return client.post(
        reverse("outside_signing_upload", args=[decision.pk]),
        {"file": SimpleUploadedFile("da-ky.pdf", data, content_type="application/pdf")},
        follow=True,
    )


def test_the_signer_fetches_signs_uploads_and_the_clerk_issues(
    client, world, decision, trusted_ca, agency_certificate
):
    client.force_login(world.ward_leader)
    page = client.get(reverse("outside_signing", args=[decision.pk]))
    assert page.status_code == 200
    assert "Tải bản để ký (PDF)" in page.content.decode()
    paper = client.post(reverse("outside_signing_paper", args=[decision.pk]))
    assert paper.status_code == 200 and paper["Content-Type"] == "application/pdf"
    data = b"".join(paper.streaming_content) if paper.streaming else paper.content
    signed = sign(data, trusted_ca.signer(world.ward_chair.full_name))
    answer = _upload(client, decision, signed)
    assert "Đã nhận tệp có chữ ký số của Võ Văn Phường." in answer.content.decode()

    client.force_login(world.ward_officer)
    issued = client.post(
        reverse("outside_signing_issue", args=[decision.pk]), {"issued_on": ""}, follow=True
    )
    assert "Đã cấp số và ban hành" in issued.content.decode()
    decision.refresh_from_db()
    client.logout()
    verify = client.get(reverse("verify_code", args=[decision.verification_code])).content
    text = verify.decode()
    assert "lãnh đạo ký số, cơ quan ký số" in text
    assert text.count("hợp lệ, còn nguyên vẹn") == 2
    assert "Võ Văn Phường" in text and "Chứng thư thử nghiệm (demo)" in text


def test_a_refused_upload_says_why_in_vietnamese(client, world, decision, trusted_ca):
    client.force_login(world.ward_leader)
    paper = outside_flow.prepare_signing_paper(decision, actor=world.ward_leader)
    data = outside_flow.paper_to_sign(paper)
    expired = trusted_ca.signer(world.ward_chair.full_name, valid_days=(-400, -10))
    answer = _upload(client, decision, sign(data, expired))
    assert "Không nhận tệp đã ký: Chứng thư số của Võ Văn Phường đã hết hạn" in (
        answer.content.decode()
    )
    answer = _upload(client, decision, b"not a pdf at all")
    assert answer.status_code == 200
    assert outside_flow.current_signing(decision).signatures == []


def test_the_pages_are_closed_to_others(client, world, decision):
    client.force_login(world.outsider)  # another ward's officer: the paper is out of sight
    assert client.get(reverse("outside_signing", args=[decision.pk])).status_code == 404
    client.force_login(world.leader)  # the province's leader sees it, but neither signs nor issues
    assert client.get(reverse("outside_signing", args=[decision.pk])).status_code == 403
    assert client.post(reverse("outside_signing_paper", args=[decision.pk])).status_code == 403
    assert client.post(reverse("outside_signing_issue", args=[decision.pk]), {}).status_code == 403
    assert (
        client.post(
            reverse("outside_signing_confirm", args=[decision.pk]), {"reason": "x"}
        ).status_code
        == 403
    )


def test_the_clerk_confirms_a_stranger_certificate_with_a_reason(
    client, world, decision, trusted_ca
):
    paper = outside_flow.prepare_signing_paper(decision, actor=world.ward_leader)
    signed = sign(outside_flow.paper_to_sign(paper), trusted_ca.signer("Trần Văn Lạ"))
    outside_flow.accept_signed_upload(decision, actor=world.ward_leader, data=signed)
    client.force_login(world.ward_officer)
    page = client.get(reverse("outside_signing", args=[decision.pk])).content.decode()
    assert "khác tên người ký" in page
    url = reverse("outside_signing_confirm", args=[decision.pk])
    answer = client.post(url, {"reason": ""}, follow=True).content.decode()
    assert "Cần ghi lý do" in answer
    answer = client.post(url, {"reason": "Tên trên chứng thư theo CCCD"}, follow=True)
    assert "Đã xác nhận chứng thư số" in answer.content.decode()
    assert outside_flow.current_signing(decision).confirmation_reason == (
        "Tên trên chứng thư theo CCCD"
    )


def test_a_scanned_paper_is_still_recorded_and_said_to_be_a_scan(client, world):
    from tests.portal.test_documents_dates import _record

    recorded = _record(world)
    page = client.get(reverse("verify_code", args=[recorded.verification_code])).content.decode()
    assert "Bản quét văn bản giấy đã ký, đóng dấu" in page
    assert "hợp lệ, còn nguyên vẹn" not in page


def test_a_separate_annex_is_signed_by_the_agency_at_issue(world, trusted_ca, agency_certificate):
    from portal.documents import outside_pdf

    fields = signers.signature(world.ward, datetime.date.today()).draft_fields()
    decision = make_decision(
        world.ward, actor=world.ward_officer, awardees=3, annexes_separate=True, **fields
    )
    paper = outside_flow.prepare_signing_paper(decision, actor=world.ward_leader)
    signed = sign(outside_flow.paper_to_sign(paper), trusted_ca.signer("Võ Văn Phường"))
    outside_flow.accept_signed_upload(decision, actor=world.ward_leader, data=signed)
    issued = outside_flow.issue_signed_document(decision, actor=world.ward_officer)
    annex = issued.annex_pdf.read()
    verdicts = outside_pdf.read_signatures(annex, outside_flow._anchors())
    assert [(v.holder, v.ok) for v in verdicts] == [("Chứng thư thử nghiệm (demo)", True)]


def test_the_way_to_sign_outside_shows_only_to_those_who_may_carry_the_paper(
    client, world, decision
):
    url = reverse("document_detail", args=[decision.pk])
    link = "Ký số bằng chứng thư cá nhân"
    for user, shown in (
        (world.ward_leader, True),
        (world.ward_officer, True),
        (world.leader, False),
    ):
        client.force_login(user)
        assert (link in client.get(url).content.decode()) is shown, user
