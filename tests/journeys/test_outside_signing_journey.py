"""A ward chairman downloads his Quyết định, signs it outside the portal (pyHanko standing in
for his token's signing tool), uploads it; the văn thư numbers it and the ward's certificate
countersigns; the public verification page lists both signatures, valid (#17)."""

import datetime

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from portal.documents import signers, signing
from portal.documents.demo import make_decision
from tests.portal.test_outside_signing import FakeGovernmentCA, sign

pytestmark = pytest.mark.browser


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
def signed_in(browser, sign_in):
    contexts = []

    def open_as(username: str, path: str):
        context = browser.new_context(locale="vi-VN", accept_downloads=True)
        context.set_default_timeout(20_000)
        contexts.append(context)
        page = context.new_page()
        sign_in(page, username, path)
        return page

    yield open_as
    for context in contexts:
        context.close()


def test_chairman_signs_outside_clerk_numbers_and_countersigns(
    transactional_db,
    live_server,
    signed_in,
    world,
    trusted_ca,
    agency_certificate,
    tmp_path,
    real_pdf,
):
    fields = signers.signature(world.ward, datetime.date.today()).draft_fields()
    decision = make_decision(world.ward, actor=world.ward_officer, awardees=3, **fields)
    chairman = signed_in("ct_xuantrung", reverse("document_detail", args=[decision.pk]))
    chairman.click("text=Ký số bằng chứng thư cá nhân")
    expect(chairman.locator("h1")).to_have_text("Ký số bằng chứng thư cá nhân")
    with chairman.expect_download() as download:
        chairman.click("text=Tải bản để ký (PDF)")
    paper = download.value.path().read_bytes()
    signed = tmp_path / "da-ky.pdf"
    signed.write_bytes(sign(paper, trusted_ca.signer("Võ Văn Phường")))
    chairman.set_input_files("#id_file", str(signed))
    chairman.get_by_role("button", name="Tải lên và kiểm tra").click()
    expect(chairman.locator("body")).to_contain_text("Đã nhận tệp có chữ ký số của Võ Văn Phường.")

    clerk = signed_in("cb_xuantrung", reverse("outside_signing", args=[decision.pk]))
    clerk.once("dialog", lambda dialog: dialog.accept())
    clerk.get_by_role("button", name="Cấp số và ban hành").click()
    expect(clerk.locator("body")).to_contain_text("Đã cấp số và ban hành")
    decision.refresh_from_db()
    clerk.goto(f"{live_server.url}{reverse('verify_code', args=[decision.verification_code])}")
    body = clerk.locator("body")
    expect(body).to_contain_text("Bản điện tử do lãnh đạo ký số, cơ quan ký số")
    expect(body).to_contain_text("Đúng tệp đã đăng ký khi ban hành")
    expect(clerk.locator("li", has_text="Võ Văn Phường")).to_contain_text("hợp lệ, còn nguyên vẹn")
    expect(clerk.locator("li", has_text="Chứng thư thử nghiệm (demo)")).to_contain_text(
        "hợp lệ, còn nguyên vẹn"
    )
