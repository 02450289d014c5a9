"""Real published Kế hoạch go through the browser as their authors wrote them.

For each paper under tests/journeys/sources (its published address in `real_papers.PAPERS`) an
official of the issuing unit of its time types it into the campaign form, the unit's leader
launches it dated the day it was signed, and the issued PDF's paragraphs — read back with
pdfplumber, NFC, page numbers and the verification line cropped away — equal the source's,
diacritics intact, under the header and place name of the issuer; its QR code decodes.

A paper signed on paper (`real_papers.RECORDED`) is recorded by the unit's leader with its own
number and date, laid out again from the text entered ("Dàn trang lại") and compared the same
way; the campaign is then launched on it, as history: dated the paper's day, nobody mailed.
axe-core audits every page these journeys load (tests/journeys/axe.py).
"""

from __future__ import annotations

import datetime
import io
import unicodedata

import pdfplumber
import pytest
from django.urls import reverse
from playwright.sync_api import expect

from campaigns.models import Campaign, LaunchNotice
from portal.access import Role
from portal.documents.content import verification_url
from portal.models import UnitKind
from tests.factories import make_member, make_person, make_post, make_unit
from tests.journeys.real_papers import PAPERS, RECORDED, parts, read
from tests.portal.pdf_text import paragraphs, qr_codes_on_page_one

pytestmark = pytest.mark.browser


@pytest.fixture
def open_as(browser, sign_in):
    contexts = []

    def open_page(username: str, path: str):
        context = browser.new_context(locale="vi-VN")
        context.set_default_timeout(20_000)
        contexts.append(context)
        page = context.new_page()
        sign_in(page, username, path)
        return page

    yield open_page
    for context in contexts:
        context.close()


def _issuer_of(paper):
    unit = make_unit(
        None, paper.unit_kind, paper.unit_name, short_name=paper.short_name, abbreviation="UBND"
    )
    make_unit(unit, UnitKind.COMMUNE, "Xã Thử Nghiệm", short_name="Thử Nghiệm")
    officer = make_member(unit, Role.OFFICER, f"cb_{unit.pk}", "Trần Thị Soạn")
    leader = make_member(unit, Role.LEADER, f"ld_{unit.pk}", paper.signer_name)
    # The paper's signer on the post the paper names (a deputy signs "KT. CHỦ TỊCH").
    deputy = "PHÓ" in paper.signer_position.upper()
    unit.signer_post = make_post(
        unit,
        make_person(unit, paper.signer_name, user=leader),
        "deputy" if deputy else "head",
        "Phó Chủ tịch" if deputy else "Chủ tịch",
        starts_on=paper.issued_on - datetime.timedelta(days=365),
    )
    return unit, officer, leader


@pytest.mark.parametrize("paper", PAPERS, ids=[p.file.removesuffix(".md") for p in PAPERS])
def test_a_real_plan_is_entered_launched_and_printed_as_written(
    transactional_db, live_server, open_as, real_pdf, paper, tmp_path
):
    paper = read(paper)
    unit, officer, leader = _issuer_of(paper)
    sections = parts(paper)
    day = paper.issued_on

    page = open_as(officer.username, reverse("campaigns:create"))
    _create_campaign(page, unit, paper, sections, ends_on=datetime.date(day.year, 12, 31))
    campaign = Campaign.objects.get(issuer=unit)

    page.click("a:has-text('Soạn văn bản phát động')")
    # The signer is chosen among the unit's leaders on their posts, not typed.
    page.select_option("[name=signer_post]", str(unit.signer_post.pk))
    page.fill("[name=recipients]", "\n".join(paper.recipients))
    page.click("button:has-text('Lưu văn bản')")
    expect(page.locator(".alert-success")).to_contain_text("Đã soạn văn bản phát động")

    signer = open_as(leader.username, reverse("campaigns:detail", args=[campaign.pk]))
    signer.fill("[name=signed_on]", f"{day:%d/%m/%Y}")
    signer.click("button:has-text('Phát động')")
    expect(signer.locator(".alert-success")).to_contain_text("Đã phát động")

    campaign.refresh_from_db()
    document = campaign.document
    assert document.issued_on == day
    assert document.number_and_symbol == "01/KH-UBND"
    pdf = document.pdf.read()
    read_back = paragraphs(pdf, start=paper.paragraphs[0][:30], stop="Nơi nhận")
    assert read_back == paper.paragraphs
    with pdfplumber.open(io.BytesIO(pdf)) as printed:
        head = unicodedata.normalize("NFC", printed.pages[0].extract_text())
    assert f"{paper.short_name}, ngày {day.day:02d} tháng {day.month} năm {day.year}" in head
    assert paper.unit_name.upper() in head
    assert document.signer_name == paper.signer_name
    assert document.signer_capacity == "TM." and document.signer_authority == "ỦY BAN NHÂN DÂN"
    assert qr_codes_on_page_one(pdf, tmp_path) == [verification_url(document.verification_code)]


def _scan_of(paper) -> bytes:
    """Stands in for the signed scan: a one-page PDF (the portal checks it opens, not what
    it shows; the paper of record is the signed original)."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _create_campaign(page, unit, paper, sections, *, ends_on):
    day = paper.issued_on
    page.select_option("[name=issuer]", str(unit.pk))
    page.select_option("[name=kind]", "thematic")
    page.select_option("[name=launch_form]", paper.kind)
    page.fill("[name=title]", paper.summary)
    page.fill("[name=summary]", paper.summary)
    page.fill("[name=starts_on]", f"{day:%d/%m/%Y}")
    page.fill("[name=ends_on]", f"{ends_on:%d/%m/%Y}")
    page.fill("[name=registration_due]", f"{day + datetime.timedelta(days=10):%d/%m/%Y}")
    page.fill("[name=final_review_due]", f"{ends_on:%d/%m/%Y}")
    page.fill("[name=preamble]", "\n".join(sections["preamble"]))
    page.fill("[name=items]", "\n".join(sections["items"]))
    page.fill("[name=closing]", "\n".join(sections["closing"]))
    page.select_option("[name=target_mode]", "subtree")
    page.click("button:has-text('Lưu dự thảo')")
    expect(page.locator(".alert-success")).to_contain_text("Đã lưu dự thảo phong trào")


@pytest.mark.parametrize("paper", RECORDED, ids=[p.file.removesuffix(".md") for p in RECORDED])
def test_a_real_plan_signed_on_paper_is_recorded_retypeset_and_launched_as_history(
    transactional_db, live_server, open_as, real_pdf, paper, tmp_path
):
    paper = read(paper)
    unit, officer, leader = _issuer_of(paper)
    day = paper.issued_on

    page = open_as(leader.username, reverse("document_record"))
    page.select_option("[name=kind]", paper.kind)
    page.select_option("[name=issuer]", str(unit.pk))
    page.fill("[name=number_and_symbol]", paper.number_and_symbol)
    page.fill("[name=issued_on]", f"{day:%d/%m/%Y}")
    page.fill("[name=summary]", paper.summary)
    page.fill("[name=body]", "\n".join(paper.paragraphs))
    page.select_option("[name=signer_capacity]", paper.signer_capacity)
    page.fill("[name=signer_authority]", paper.signer_authority)
    page.fill("[name=signer_position]", paper.signer_position)
    page.fill("[name=signer_name]", paper.signer_name)
    page.fill("[name=recipients]", "\n".join(paper.recipients))
    page.set_input_files(
        "[name=scan]",
        files=[{"name": "ban-quet.pdf", "mimeType": "application/pdf", "buffer": _scan_of(paper)}],
    )
    page.click("button:has-text('Nhập văn bản')")
    expect(page.locator(".alert-success")).to_contain_text(
        f"Đã nhập Kế hoạch số {paper.number_and_symbol}"
    )
    recorded = unit.documents.get(is_recorded=True)
    assert (recorded.number_and_symbol, recorded.issued_on) == (paper.number_and_symbol, day)

    retypeset = page.locator("a:has-text('Dàn trang lại (PDF)')")
    response = page.request.get(live_server.url + retypeset.get_attribute("href"))
    assert response.ok and response.headers["content-type"] == "application/pdf"
    pdf = response.body()
    read_back = paragraphs(pdf, start=paper.paragraphs[0][:30], stop="Nơi nhận")
    assert read_back == paper.paragraphs
    with pdfplumber.open(io.BytesIO(pdf)) as printed:
        head = unicodedata.normalize("NFC", printed.pages[0].extract_text())
    assert f"Số: {paper.number_and_symbol}" in head
    assert f"{paper.short_name}, ngày {day.day:02d} tháng {day.month} năm {day.year}" in head
    assert paper.unit_name.upper() in head
    assert qr_codes_on_page_one(pdf, tmp_path) == [verification_url(recorded.verification_code)]

    # The campaign it launched, entered afterwards and launched on the recorded paper.
    composer = open_as(officer.username, reverse("campaigns:create"))
    # The plan runs "until the XIV Congress is held"; its end date is the campaign's, not the
    # paper's.
    _create_campaign(
        composer, unit, paper, parts(paper), ends_on=datetime.date(day.year + 1, 3, 31)
    )
    campaign = Campaign.objects.get(issuer=unit)
    signer = open_as(leader.username, reverse("campaigns:detail", args=[campaign.pk]))
    signer.select_option("#recorded-document", str(recorded.pk))
    signer.click("button:has-text('Phát động')")
    expect(signer.locator(".alert-success")).to_contain_text("Đã phát động")
    campaign.refresh_from_db()
    assert campaign.document == recorded and campaign.launched_on == day
    assert campaign.targets.count() == 1
    assert not LaunchNotice.objects.filter(campaign=campaign).exists()
