"""The documents engine's own refusals, each by its code (#19): a draft's kind, authority,
marks and blocks; following a paper up; the layout's guards; the outside-signing steps out of
turn; and the register's last guard on a number taken meanwhile."""

from __future__ import annotations

import datetime

import pytest

from portal import documents
from portal.documents import content, layout, numbering, outside_flow, outside_pdf, signers
from portal.documents.demo import make_decision, make_plan
from portal.models import DocumentKind, OfficialDocument
from tests.portal.test_documents import issue, notice
from tests.portal.test_outside_flow import _signed_by_chair, agency, anchors_dir, ca, trusted
from tests.refusals import refused

__all__ = ["agency", "anchors_dir", "ca", "trusted"]


def test_a_draft_has_a_known_kind_authority_marks_blocks_annexes_and_co_signers(world):
    with refused("document_kind_invalid"):
        documents.create_draft("khong-co", issuer=world.province, actor=None)
    with refused("signing_authority_invalid"):
        notice(world.province, signer_capacity="CHỦ TỊCH")
    with refused("secrecy_invalid"):
        notice(world.province, secrecy="BÍ MẬT")
    with refused("content_block_invalid"):
        notice(world.province, body=[{"type": "khong-co", "text": "X"}])
    with refused("appendix_title_required"):
        notice(world.province, annexes=[{"rows": [["1"]]}])
    with refused("cosigner_name_required"):
        notice(world.province, co_signers=[{"title": "CHỦ TỊCH"}])
    draft = notice(world.province)
    with refused("signing_authority_invalid"):
        documents.update_draft(draft, actor=None, signer_capacity="CHỦ TỊCH")
    assert OfficialDocument.objects.count() == 1


def test_only_an_issued_paper_is_corrected_or_revoked_and_a_revocation_says_why(world):
    draft = notice(world.province)
    with refused("amend_draft"):
        documents.correct_document(draft, actor=world.leader)
    plan = issue(make_plan(world.province, pages=1))
    with refused("revocation_reason_required"):
        documents.revoke_document(plan, actor=world.leader, reason="  ")
    assert not plan.revocations.exists()


def test_a_number_another_issue_took_meanwhile_asks_to_issue_again(world, monkeypatch):
    first = issue(notice(world.province))
    # As when two issues race where the register row cannot be locked: the number handed out
    # is one already taken, and the unique constraint has the last word.
    monkeypatch.setattr(numbering, "take_number", lambda register, year: first.sequence)
    second = notice(world.province)
    with refused("number_taken_meanwhile"):
        issue(second)
    second.refresh_from_db()
    assert not second.is_issued


def test_the_layouts_guards(world):
    with refused("no_separate_appendix"):
        layout.render_annex_pdf(notice(world.province))
    with refused("no_certificates"):
        layout.render_certificates([])
    with refused("award_list_layout_required"):
        layout.render_certificates([content.CertificateRow(awardee="Nguyễn Thị Hồng")])
    # A template that lost its signature area gives no place for the signature.
    with refused("template_without_signature"):
        layout._anchor_in(layout._weasy_document("<p>Không có ô chữ ký.</p>"))


@pytest.fixture
def decision(world):
    fields = signers.signature(world.ward, datetime.date.today()).draft_fields()
    return make_decision(world.ward, actor=world.ward_officer, awardees=3, **fields)


def test_a_certificate_or_an_incomplete_draft_is_not_handed_out_to_sign(world):
    certificate = documents.create_draft(
        DocumentKind.MERIT_CERTIFICATE, issuer=world.ward, actor=None, summary="Giấy khen"
    )
    with refused("certificate_signed_inside"):
        outside_flow.prepare_signing_paper(certificate, actor=None)
    with refused("document_incomplete_for_signing"):
        outside_flow.prepare_signing_paper(
            documents.create_draft(DocumentKind.NOTICE, issuer=world.ward, actor=None),
            actor=None,
        )


def test_a_template_without_the_number_blank_is_not_handed_out(world, decision, monkeypatch):
    monkeypatch.setattr(outside_pdf, "DATE_BLANK", "chỗ trống không có trong mẫu")
    with refused("template_without_number_blank"):
        outside_flow.prepare_signing_paper(decision, actor=world.ward_leader)
    assert outside_flow.current_signing(decision) is None


def test_the_outside_signing_steps_refuse_out_of_turn(world, decision, trusted):
    with refused("signing_copy_not_downloaded"):
        outside_flow.accept_signed_upload(decision, actor=world.ward_leader, data=b"%PDF-1.7")
    with refused("outside_nothing_signed"):
        outside_flow.confirm_signer(decision, actor=world.ward_officer, reason="Tên khai sinh")
    _, signed = _signed_by_chair(world, decision, trusted)
    outside_flow.accept_signed_upload(decision, actor=world.ward_leader, data=signed)
    with refused("certificate_override_unneeded"):
        outside_flow.confirm_signer(decision, actor=world.ward_officer, reason="Tên khai sinh")
    with refused("signatures_complete"):
        outside_flow.accept_signed_upload(decision, actor=world.ward_leader, data=signed)
    last_year = datetime.date(datetime.date.today().year - 1, 12, 31)
    with refused("signed_copy_year_mismatch"):
        outside_flow.issue_signed_document(decision, actor=world.ward_officer, issued_on=last_year)
    documents.update_draft(decision, actor=world.ward_officer, summary="Về việc khác")
    with refused("draft_changed_since_signing"):
        outside_flow.issue_signed_document(decision, actor=world.ward_officer)
    decision.refresh_from_db()
    assert not decision.is_issued


def test_a_signature_that_locked_the_number_blank_is_not_issued_over(
    world, decision, trusted, monkeypatch
):
    _, signed = _signed_by_chair(world, decision, trusted)
    outside_flow.accept_signed_upload(decision, actor=world.ward_leader, data=signed)
    # What reading the numbered file finds when the signer's tool locked the form fields:
    # filling in the number and the day broke the leader's signature.
    broken = outside_pdf.SignatureVerdict(
        "Võ Văn Phường", "", False, True, False, "Nội dung đã bị thay đổi sau khi ký."
    )
    monkeypatch.setattr(outside_pdf, "read_signatures", lambda pdf, anchors: [broken])
    with refused("signature_locks_number") as refusal:
        outside_flow.issue_signed_document(decision, actor=world.ward_officer)
    assert "Võ Văn Phường" in refusal.value.message
    decision.refresh_from_db()
    assert not decision.is_issued and not decision.number
