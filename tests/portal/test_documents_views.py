"""The official-documents pages: scoped for officials, public for verification."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from portal import documents
from portal.documents.demo import make_plan
from portal.models import OfficialDocument, Post
from tests.portal import pdf_text


@pytest.fixture
def ward_plan(world):
    return make_plan(world.ward, actor=world.ward_officer, pages=1)


def test_outsider_gets_404_on_every_page_of_a_document_of_another_ward(client, world, ward_plan):
    client.force_login(world.outsider)
    for name in (
        "document_detail",
        "document_edit",
        "document_preview",
        "document_pdf",
        "document_docx",
        "document_annex_pdf",
    ):
        response = client.get(reverse(name, kwargs={"document_id": ward_plan.pk}))
        assert response.status_code == 404, name
    response = client.post(reverse("document_issue", kwargs={"document_id": ward_plan.pk}))
    assert response.status_code == 404


def test_viewer_sees_the_document_but_may_not_preview_edit_or_issue_it(client, world):
    plan = make_plan(world.province, pages=1)
    client.force_login(world.viewer)
    assert (
        client.get(reverse("document_detail", kwargs={"document_id": plan.pk})).status_code == 200
    )
    for name in ("document_edit", "document_preview", "document_docx"):
        assert client.get(reverse(name, kwargs={"document_id": plan.pk})).status_code == 403, name
    response = client.post(reverse("document_issue", kwargs={"document_id": plan.pk}))
    assert response.status_code == 403
    plan.refresh_from_db()
    assert plan.status == "draft"


def test_ward_officer_drafts_previews_and_issues_from_the_pages(client, world):
    client.force_login(world.ward_officer)
    response = client.post(
        reverse("document_create"),
        {
            "kind": "notice",
            "issuer": world.ward.pk,
            "summary": "Kết quả  bình xét thi đua",
            "body": "Đoạn thứ nhất.\n\nĐoạn thứ hai.",
            "recipients": "Các tổ dân phố\nLưu: VT",
        },
    )
    document = OfficialDocument.objects.get()
    assert response.status_code == 302
    # No signer chosen: the ward's chairman on the post, for the People's Committee.
    assert (document.signer, document.signer_name) == (world.ward_chair, "Võ Văn Phường")
    assert (document.signer_capacity, document.signer_authority) == ("TM.", "ỦY BAN NHÂN DÂN")
    assert document.signer_position == "CHỦ TỊCH"
    assert document.summary == "Kết quả bình xét thi đua"
    assert [b["text"] for b in document.body] == ["Đoạn thứ nhất.", "Đoạn thứ hai."]
    preview = client.get(reverse("document_preview", kwargs={"document_id": document.pk}))
    assert preview["Content-Type"] == "application/pdf"
    shown = " ".join(pdf_text.lines(b"".join(preview) if preview.streaming else preview.content))
    assert "Đoạn thứ nhất." in shown and "Võ Văn Phường" in shown
    issued = client.post(
        reverse("document_issue", kwargs={"document_id": document.pk}), {"issued_on": "05/02/2026"}
    )
    assert issued.status_code == 302
    document.refresh_from_db()
    assert document.number_and_symbol == "01/TB-UBND"
    assert document.issued_on == datetime.date(2026, 2, 5)
    pdf = client.get(reverse("document_pdf", kwargs={"document_id": document.pk}))
    assert b"".join(pdf.streaming_content) == document.pdf.open("rb").read()
    docx = client.get(reverse("document_docx", kwargs={"document_id": document.pk}))
    assert docx.status_code == 200 and docx.content[:2] == b"PK"


def _post_of(person):
    return Post.objects.get(person=person)


def test_the_draft_form_offers_the_leaders_on_their_posts_and_derives_the_capacity(client, world):
    client.force_login(world.ward_officer)
    page = client.get(reverse("document_create")).content.decode()
    assert "Lê Thị Phó – Phó Chủ tịch, Phường Xuân Trung" in page
    for typed in ("signer_name", "signer_position", "signer_capacity", "signer_authority"):
        assert f'name="{typed}"' not in page
    fields = {"kind": "notice", "issuer": world.ward.pk, "summary": "Lịch họp", "body": "Họp."}
    response = client.post(
        reverse("document_create"), {**fields, "signer_post": _post_of(world.ward_deputy).pk}
    )
    assert response.status_code == 302
    document = OfficialDocument.objects.get()
    assert document.signer == world.ward_deputy
    assert (document.signer_capacity, document.signer_authority) == ("TM.", "ỦY BAN NHÂN DÂN")
    assert document.signer_position == "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH"
    # The edit page shows the chosen leader, and choosing the chairman redoes the block.
    edit = reverse("document_edit", kwargs={"document_id": document.pk})
    assert "selected>Lê Thị Phó" in client.get(edit).content.decode()
    client.post(edit, {**fields, "signer_post": _post_of(world.ward_chair).pk})
    document.refresh_from_db()
    assert (document.signer, document.signer_position) == (world.ward_chair, "CHỦ TỊCH")


def test_the_draft_form_refuses_a_leader_of_another_unit_and_a_unit_nobody_leads(client, world):
    # The administrator writes for every unit, so every leader is on the list.
    client.force_login(world.admin)
    fields = {"kind": "notice", "summary": "Lịch họp", "body": "Họp."}
    chair_post = _post_of(world.ward_chair)
    response = client.post(
        reverse("document_create"),
        {**fields, "issuer": world.ward_secretariat.pk, "signer_post": chair_post.pk},
    )
    assert response.status_code == 200
    assert (
        "Võ Văn Phường không giữ chức vụ lãnh đạo tại Văn phòng HĐND và UBND; hãy chọn người "
        "ký trong lãnh đạo của đơn vị ban hành." in response.content.decode()
    )
    response = client.post(
        reverse("document_create"), {**fields, "issuer": world.ward_office.pk}, follow=True
    )
    assert "Chưa có lãnh đạo của Phòng Văn hóa - Xã hội giữ chức vụ ngày" in (
        response.content.decode()
    )
    assert not OfficialDocument.objects.exists()


def test_issuing_an_incomplete_draft_shows_what_is_missing(client, world):
    draft = documents.create_draft("notice", issuer=world.ward, actor=world.ward_officer)
    client.force_login(world.ward_leader)
    response = client.post(reverse("document_issue", kwargs={"document_id": draft.pk}), follow=True)
    assert "Chưa thể ban hành, văn bản còn thiếu: trích yếu" in response.content.decode()


def test_list_shows_only_documents_in_scope_within_a_query_budget(
    client, world, django_assert_max_num_queries
):
    for _ in range(10):
        make_plan(world.ward, pages=1)
    other = make_plan(world.sibling_ward, pages=1, summary="Kế hoạch của phường Xuân An")
    client.force_login(world.ward_officer)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("document_list"))
    assert response.status_code == 200
    assert response.content.decode().count("Phát động phong trào") == 10
    assert other.summary not in response.content.decode()


def test_verification_page_is_public_and_shows_the_state(client, world):
    plan = documents.issue_document(
        make_plan(world.province, pages=1), actor=None, issued_on=datetime.date(2026, 1, 2)
    )
    response = client.get(reverse("verify_code", kwargs={"code": plan.verification_code}))
    body = response.content.decode()
    assert response.status_code == 200
    assert "01/KH-UBND" in body and "02/01/2026" in body and plan.sha256 in body
    assert "Đang có hiệu lực" in body
    revocation = documents.revoke_document(plan, actor=None, reason="Sai thẩm quyền")
    documents.issue_document(revocation, actor=None, issued_on=datetime.date(2026, 1, 5))
    body = client.get(reverse("verify_code", kwargs={"code": plan.verification_code})).content
    assert "Đã bị thu hồi" in body.decode()
    assert client.get(reverse("verify_code", kwargs={"code": "KHONGCOMA"})).status_code == 404


def test_drafts_have_no_public_verification(client, world):
    draft = make_plan(world.province, pages=1)
    assert draft.verification_code is None
    assert client.get(reverse("verify_upload")).status_code == 200


def test_uploaded_copy_is_checked_against_the_register(client, world):
    plan = documents.issue_document(make_plan(world.province, pages=1), actor=None)
    original = plan.pdf.open("rb").read()
    response = client.post(
        reverse("verify_upload"),
        {"file": SimpleUploadedFile("vb.pdf", original, content_type="application/pdf")},
    )
    assert "Tệp KHỚP với văn bản" in response.content.decode()
    position = original.index(b"stream") + 20
    tampered = original[:position] + bytes([original[position] ^ 1]) + original[position + 1 :]
    response = client.post(
        reverse("verify_upload"),
        {"file": SimpleUploadedFile("vb.pdf", tampered, content_type="application/pdf")},
    )
    assert "KHÔNG KHỚP" in response.content.decode()
    not_pdf = client.post(reverse("verify_upload"), {"file": SimpleUploadedFile("x.pdf", b"hello")})
    assert "Tệp “x.pdf” không phải PDF" in not_pdf.content.decode()
