"""A giao ước of an earlier year, for a former town's bloc, made and signed in the browser.

Thị xã Bình Long was closed on 01/07/2025; its Khối thi đua các phường drafts the giao ước of
2024 (the year is chosen on the bloc's page), each member ward's own leader signs it, and the
head's officer issues it as the town's paper: the header of the town as it was named in 2024,
the place the organiser gives, one signature block per member with the leader who signed, and
a QR code that decodes. The text is the portal's form, not a published paper (no full text of a
real giao ước was found; see docs/campaigns.md). axe-core audits every page (tests/journeys/axe.py).
"""

from __future__ import annotations

import datetime
import io
import unicodedata

import pdfplumber
import pytest
from django.urls import reverse
from playwright.sync_api import expect

from pledges.models import Pledge
from portal.access import Role
from portal.documents.content import verification_url
from portal.models import Bloc, BlocMember, BlocTerm, UnitKind
from tests.factories import make_member, make_person, make_post, make_unit
from tests.portal.pdf_text import qr_codes_on_page_one

pytestmark = pytest.mark.browser
CLOSED_ON = datetime.date(2025, 6, 30)


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


@pytest.fixture
def former_town(world):
    town = make_unit(
        world.province,
        UnitKind.TOWN,
        "Thị xã Bình Long",
        short_name="Bình Long",
        abbreviation="UBND",
        code_scheme="legacy",
    )
    wards = [
        make_unit(town, UnitKind.WARD, "Phường An Lộc", short_name="An Lộc"),
        make_unit(town, UnitKind.WARD, "Phường Hưng Chiến", short_name="Hưng Chiến"),
    ]
    bloc = Bloc.objects.create(organiser=town, kind="bloc", name="Khối thi đua các phường")
    for position, ward in enumerate(wards, start=1):
        BlocMember.objects.create(
            bloc=bloc, unit=ward, position=position, joined_on=datetime.date(2020, 1, 1)
        )
    for unit in (*wards, town):
        unit.valid_to = CLOSED_ON
        unit.save()
    BlocTerm.objects.create(bloc=bloc, year=2024, head=wards[0])
    officer = make_member(wards[0], Role.OFFICER, "cb_anloc", "Trần Thị Khối")
    leaders = [
        make_member(wards[0], Role.LEADER, "ct_anloc", "Nguyễn Văn Lộc"),
        make_member(wards[1], Role.LEADER, "ct_hungchien", "Lê Thị Chiến"),
    ]
    # Each leader chaired the ward in 2024: the giao ước prints the person holding the post.
    for leader, ward in zip(leaders, wards, strict=True):
        make_post(ward, make_person(ward, leader.full_name, user=leader))
    return town, wards, bloc, officer, leaders


def test_a_former_towns_bloc_makes_signs_and_issues_its_2024_giao_uoc(
    transactional_db, live_server, open_as, real_pdf, former_town, tmp_path
):
    town, wards, bloc, officer, leaders = former_town
    head = open_as(officer.username, reverse("pledges:bloc_pledges", args=[bloc.pk]))
    head.fill("#pledge-year", "2024")
    head.click("button:has-text('Xem năm')")
    expect(head.locator("h2", has_text="Soạn giao ước năm 2024")).to_be_visible()
    head.fill("[name=preamble]", "Thực hiện Kế hoạch thi đua năm 2024 của UBND thị xã Bình Long.")
    head.fill(
        "[name=commitments]",
        "I. Nhiệm vụ chính trị | Hoàn thành 100% chỉ tiêu thu ngân sách năm 2024\n"
        "II. Cải cách hành chính | Giải quyết đúng hạn hồ sơ thủ tục hành chính",
    )
    head.fill("[name=ceremony_on]", "05/03/2024")
    head.fill("[name=ceremony_place]", "Bình Long")
    head.get_by_role("button", name="Soạn giao ước").click()
    expect(head.locator(".alert-success")).to_contain_text("Đã soạn giao ước thi đua")
    pledge = Pledge.objects.get(bloc=bloc)
    assert pledge.year == 2024
    assert {m.unit for m in pledge.members.all()} == set(wards)
    head.click("text=Mở lấy chữ ký")
    expect(head.locator("#pledge-status")).to_have_text("Đang lấy chữ ký")

    path = reverse("pledges:pledge", args=[pledge.pk])
    for leader, ward in zip(leaders, wards, strict=True):
        page = open_as(leader.username, path)
        # Each leader signs for the own ward only.
        expect(page.locator("button", has_text="Ký giao ước thay mặt")).to_have_count(1)
        page.click(f"text=Ký giao ước thay mặt {ward.name}")
    expect(page.locator("#pledge-status")).to_have_text("Đã ký đủ")
    assert {s.signed_by for s in pledge.signatures.all()} == set(leaders)
    assert not pledge.signatures.filter(paper_scan__gt="").exists()

    head.goto(f"{live_server.url}{path}")
    head.click("text=Ban hành văn bản Giao ước")
    expect(head.locator(".alert-success")).to_contain_text("Đã ban hành văn bản Giao ước thi đua")
    pledge.refresh_from_db()
    document = pledge.document
    assert document.issuer == town and document.issued_on == datetime.date(2024, 3, 5)
    assert document.issuer_name == "ỦY BAN NHÂN DÂN\nTHỊ XÃ BÌNH LONG"
    pdf = document.pdf.read()
    with pdfplumber.open(io.BytesIO(pdf)) as printed:
        text = unicodedata.normalize(
            "NFC", "\n".join(page.extract_text() for page in printed.pages)
        )
    first = " ".join(text.split())
    assert "THỊ XÃ BÌNH LONG" in first
    assert "Bình Long, ngày 05 tháng 3 năm 2024" in first
    assert "GIAO ƯỚC THI ĐUA NĂM 2024" in first
    assert "Hoàn thành 100% chỉ tiêu thu ngân sách năm 2024" in first
    for leader, ward in zip(leaders, wards, strict=True):
        assert ward.name.upper() in first
        assert leader.full_name in first
    assert first.count("TM. ỦY BAN NHÂN DÂN") == len(wards)
    assert qr_codes_on_page_one(pdf, tmp_path) == [verification_url(document.verification_code)]
