"""Real published Kế hoạch go through the browser as their authors wrote them.

For each paper under tests/journeys/sources (its published address in `real_papers.PAPERS`) an
official of the issuing unit of its time types it into the campaign form, the unit's leader
launches it dated the day it was signed, and the issued PDF's paragraphs — read back with
pdfplumber, NFC, page numbers and the verification line cropped away — equal the source's,
diacritics intact, under the header and place name of the issuer.
"""

from __future__ import annotations

import datetime
import io
import unicodedata

import pdfplumber
import pytest
from django.urls import reverse
from playwright.sync_api import expect

from campaigns.models import Campaign
from portal.access import Role
from portal.models import UnitKind
from tests.factories import make_member, make_unit
from tests.journeys.real_papers import PAPERS, parts, read
from tests.portal.pdf_text import paragraphs

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
    return unit, officer, leader


@pytest.mark.parametrize("paper", PAPERS, ids=[p.file.removesuffix(".md") for p in PAPERS])
def test_a_real_plan_is_entered_launched_and_printed_as_written(
    transactional_db, live_server, open_as, real_pdf, paper
):
    paper = read(paper)
    unit, officer, leader = _issuer_of(paper)
    sections = parts(paper)
    day = paper.issued_on

    page = open_as(officer.username, reverse("campaigns:create"))
    page.select_option("[name=issuer]", str(unit.pk))
    page.select_option("[name=kind]", "thematic")
    page.select_option("[name=launch_form]", "plan")
    page.fill("[name=title]", paper.summary)
    page.fill("[name=summary]", paper.summary)
    page.fill("[name=starts_on]", f"{day:%d/%m/%Y}")
    page.fill("[name=ends_on]", f"31/12/{day.year}")
    page.fill("[name=registration_due]", f"{day + datetime.timedelta(days=10):%d/%m/%Y}")
    page.fill("[name=final_review_due]", f"31/12/{day.year}")
    page.fill("[name=preamble]", "\n".join(sections["preamble"]))
    page.fill("[name=items]", "\n".join(sections["items"]))
    page.fill("[name=closing]", "\n".join(sections["closing"]))
    page.select_option("[name=target_mode]", "subtree")
    page.click("button:has-text('Lưu dự thảo')")
    expect(page.locator(".alert-success")).to_contain_text("Đã lưu dự thảo phong trào")
    campaign = Campaign.objects.get(issuer=unit)

    page.click("a:has-text('Soạn văn bản phát động')")
    page.fill("[name=signer_name]", paper.signer_name)
    page.select_option("[name=signer_capacity]", paper.signer_capacity)
    page.fill("[name=signer_authority]", paper.signer_authority)
    page.fill("[name=signer_position]", paper.signer_position.replace("\n", " "))
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
