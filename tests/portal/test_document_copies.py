"""Copies of issued documents (Decree 30/2020, Arts. 25–27): SAO Y of an issued document,
SAO LỤC of a SAO Y copy, TRÍCH SAO of some of its pages, made by the văn thư of a unit that
sees the document, numbered in the body's one copy register ("Số: 01/SY-UBND"), frozen,
verifiable on the public page and served by scope. The layout of the form is measured in
tests/portal/test_documents_all_boxes.py."""

from __future__ import annotations

import datetime
import hashlib

import pdfplumber
import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from pypdf import PdfReader

from portal import documents
from portal.documents import copies
from portal.documents.demo import make_decision, make_plan
from portal.models import DocumentCopy
from tests.portal.pdf_reading import text_items
from tests.refusals import refused

PAGE_HEIGHT_MM = 297


def _decision(world):
    return documents.issue_document(
        make_decision(world.ward, actor=world.ward_leader, awardees=3), actor=world.ward_leader
    )


def _make(world, source, kind="SY", **options):
    return copies.make_copy(
        source,
        actor=world.ward_officer,
        issuer=world.ward,
        kind=kind,
        recipients=["Sở Nội vụ"],
        **options,
    )


def test_every_kind_of_copy_takes_the_next_number_of_the_bodys_one_copy_register(world):
    decision = _decision(world)
    true_copy = _make(world, decision)
    extract = _make(world, decision, "TrS", first_page=1, last_page=1)
    transcript = _make(world, true_copy, "SL")
    assert [c.number_and_symbol for c in (true_copy, extract, transcript)] == [
        "01/SY-UBND",
        "02/TrS-UBND",
        "03/SL-UBND",
    ]
    assert transcript.original == decision and transcript.copied_from == true_copy
    assert true_copy.signer == world.ward_chair
    assert true_copy.history.get().history_change_reason == "portal.document.copied"
    with true_copy.pdf.open("rb") as opened:
        assert hashlib.sha256(opened.read()).hexdigest() == true_copy.sha256
    # Frozen like an issued document.
    true_copy.recipients = ["Khác"]
    with refused("copy_frozen"):
        true_copy.save()
    with refused("copy_kept"):
        true_copy.delete()


@pytest.mark.parametrize(
    ("kind", "options", "code"),
    [
        ("SL", {}, "transcript_source_not_true_copy"),
        ("SY", {"first_page": 1, "last_page": 1}, "pages_only_for_excerpt"),
        ("TrS", {}, "excerpt_pages_out_of_range"),
        ("TrS", {"first_page": 2, "last_page": 9}, "excerpt_pages_out_of_range"),
        ("XX", {}, "copy_form_invalid"),
    ],
)
def test_a_copy_the_decree_does_not_know_is_refused(world, kind, options, code):
    decision = _decision(world)
    with refused(code):
        _make(world, decision, kind, **options)
    assert not DocumentCopy.objects.exists()


def test_a_whole_document_as_an_extract_and_a_draft_are_refused(world):
    decision = _decision(world)
    with decision.pdf.open("rb") as opened:
        pages = len(PdfReader(opened).pages)
    with refused("excerpt_whole_document"):
        _make(world, decision, "TrS", first_page=1, last_page=pages)
    draft = make_decision(world.ward, actor=world.ward_leader, awardees=1)
    with refused("copy_source_not_issued"):
        _make(world, draft)


def test_only_a_văn_thư_who_sees_the_document_copies_it(world):
    decision = _decision(world)
    # The sibling ward's văn thư does not see the ward's document.
    with refused("copy_source_unseen"):
        copies.make_copy(
            decision, actor=world.outsider, issuer=world.sibling_ward, kind="SY", recipients=["A"]
        )
    # Nor may anyone copy in the name of a body whose văn thư they are not.
    with pytest.raises(PermissionDenied):
        copies.make_copy(
            decision, actor=world.outsider, issuer=world.ward, kind="SY", recipients=["A"]
        )
    with pytest.raises(PermissionDenied):
        copies.make_copy(
            decision, actor=world.viewer, issuer=world.province, kind="SY", recipients=["A"]
        )
    assert not DocumentCopy.objects.exists()


def test_the_copies_page_makes_a_copy_for_the_văn_thư_and_denies_the_others(world, client):
    decision = _decision(world)
    url = reverse("document_copies", kwargs={"document_id": decision.pk})
    client.force_login(world.outsider)
    assert client.get(url).status_code == 404
    assert client.post(url, {"kind": "SY"}).status_code == 404
    client.force_login(world.viewer)
    page = client.get(url)
    assert page.status_code == 200 and "Lập bản sao" not in page.content.decode()
    assert client.post(url, {"kind": "SY"}).status_code == 403
    client.force_login(world.ward_officer)
    assert "Lập bản sao" in client.get(url).content.decode()
    answer = client.post(
        url,
        {"kind": "SY", "issuer": world.ward.pk, "recipients": "Sở Nội vụ\nPhòng Văn hóa"},
    )
    assert answer.status_code == 302
    copy = DocumentCopy.objects.get()
    assert copy.recipients == ["Sở Nội vụ", "Phòng Văn hóa", "Lưu: VT"]
    listed = client.get(url).content.decode()
    assert "01/SY-UBND" in listed and "Tải PDF" in listed
    # Refused in Vietnamese on the page, nothing made: a SAO LỤC needs a SAO Y.
    again = client.post(url, {"kind": "SL", "issuer": world.ward.pk, "recipients": "A"})
    assert "Sao lục được thực hiện từ bản sao y" in again.content.decode()
    assert DocumentCopy.objects.count() == 1


def test_a_copy_is_verified_on_the_public_page_with_the_document_it_copies(world, client):
    copy = _make(world, _decision(world))
    page = client.get(reverse("verify_code", kwargs={"code": copy.verification_code}))
    text = page.content.decode()
    assert page.status_code == 200
    assert "Xác minh bản sao văn bản" in text and "01/SY-UBND" in text
    assert copy.original.number_and_symbol in text and "Đang có hiệu lực" in text


def test_a_copy_is_of_an_original_dated_after_it_and_a_transcript_of_a_copy_one_sees(world):
    decision = _decision(world)
    with refused("copy_before_original"):
        _make(world, decision, day=decision.issued_on - datetime.timedelta(days=1))
    true_copy = _make(world, decision)
    with refused("copy_source_not_original"):
        _make(world, true_copy, "SY")
    with refused("transcript_source_unseen"):
        copies.make_copy(
            true_copy, actor=world.outsider, issuer=world.sibling_ward, kind="SL", recipients=["A"]
        )
    assert DocumentCopy.objects.count() == 1


@pytest.mark.parametrize(
    ("kind", "options"), [("SY", {}), ("TrS", {"first_page": 1, "last_page": 1})]
)
def test_a_copy_forms_own_page_is_numbered_after_the_last_page_copied(
    world, monkeypatch, kind, options
):
    """When the form cannot follow on the last page copied, it takes a page of its own, numbered
    like every page but the first: the page after the last one copied, centred in the top
    margin, in 14 pt (tests/portal/test_documents_pdf.py measures a paper's own numbers)."""
    plan = documents.issue_document(
        make_plan(world.ward, actor=world.ward_officer, pages=2), actor=world.ward_leader
    )
    with plan.pdf.open("rb") as opened:
        original = len(PdfReader(opened).pages)
    assert original >= 2
    # No room left under any page's last line: the form goes on a page of its own.
    monkeypatch.setattr(copies, "GAP", 297 * copies.MM)
    copy = _make(world, plan, kind, **options)
    with copy.pdf.open("rb") as opened:
        pages = PdfReader(opened).pages
        copied = 1 if kind == "TrS" else original
        assert len(pages) == copied + 1
        top = [(x, t) for x, y, t in text_items(pages[-1]) if y > PAGE_HEIGHT_MM - 20]
        assert [t for _, t in top] == [str(copied + 1)]
        assert abs(top[0][0] - (30 + (210 - 30 - 15) / 2)) < 5
        assert ("TRÍCH SAO" if kind == "TrS" else "SAO Y") in pages[-1].extract_text()
    with copy.pdf.open("rb") as opened, pdfplumber.open(opened) as pdf:
        number = [c for c in pdf.pages[-1].chars if c["top"] < 20 * copies.MM]
        assert {round(c["size"]) for c in number} == {14}
