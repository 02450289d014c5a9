"""A ward registers for a city campaign and reports progress, seen from the city's cascade."""

import os
import shutil

import pytest
from django.urls import reverse
from playwright.sync_api import expect, sync_playwright

from pledges.models import Registration

# Playwright's sync API runs an event loop in this thread; the ORM calls the test makes
# between steps are still plain synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = pytest.mark.browser

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def browser():
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=shutil.which("chromium"),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield chromium
        chromium.close()


def _signed_in(browser, live_server, username: str):
    page = browser.new_context(locale="vi-VN").new_page()
    page.goto(live_server.url + reverse("login"))
    page.fill("#id_username", username)
    page.fill("#id_password", "matkhau-123")
    page.click("button[type=submit]")
    expect(page.get_by_text("Xin chào")).to_be_visible()
    return page


def _fill_task(page, index: int, **values) -> None:
    for name, value in values.items():
        selector = f"[name=tasks-{index}-{name}]"
        if name in ("item_number", "measure"):
            page.select_option(selector, value)
        else:
            page.fill(selector, value)


def test_ward_registers_leader_approves_city_accepts_and_progress_shows_in_cascade(
    transactional_db, live_server, browser, city, city_campaign, tmp_path
):
    due = city_campaign.ends_on.strftime("%d/%m/%Y")
    officer = _signed_in(browser, live_server, "cb_xuantrung")
    officer.goto(live_server.url + reverse("campaigns:detail", args=[city_campaign.pk]))
    officer.click("text=Các bản đăng ký")
    officer.select_option("select[name=unit]", str(city.ward.pk))
    officer.click("text=Đăng ký thi đua cho đơn vị")
    _fill_task(
        officer,
        0,
        item_number="1",
        description="Xây dựng 10 mô hình dân vận khéo",
        measure="number",
        target_value="10",
        unit_of_measure="mô hình",
        due_on=due,
        responsible="Huỳnh Thị Thu",
    )
    _fill_task(
        officer,
        1,
        item_number="2",
        description="Phường đạt chuẩn đô thị văn minh",
        measure="milestone",
        due_on=due,
        responsible="Võ Văn Phường",
    )
    officer.click("button:has-text('Lưu')")
    expect(officer.locator("#tasks tbody tr")).to_have_count(2)
    officer.click("button:has-text('Gửi lãnh đạo duyệt')")
    expect(officer.locator("#registration-status")).to_have_text("Chờ lãnh đạo đơn vị duyệt")
    registration = Registration.objects.get(campaign=city_campaign, unit=city.ward)
    detail = live_server.url + reverse("pledges:detail", args=[registration.pk])

    leader = _signed_in(browser, live_server, "ct_xuantrung")
    leader.goto(detail)
    leader.click("button:has-text('Duyệt và gửi cấp trên')")
    expect(leader.locator("#registration-status")).to_have_text("Chờ cấp phát động chấp thuận")

    city_officer = _signed_in(browser, live_server, "cb_longkhanh")
    city_officer.goto(detail)
    city_officer.click("button:has-text('Chấp thuận')")
    expect(city_officer.locator("#registration-status")).to_have_text("Đã được chấp thuận")

    evidence = tmp_path / "bien-ban-nghiem-thu.pdf"
    evidence.write_bytes(PDF)
    officer.goto(detail)
    officer.locator("text=Báo cáo tiến độ").first.click()
    officer.fill("[name=value]", "4")
    officer.fill("[name=narrative]", "Đã xây dựng 4 mô hình tại các khu phố 1–4.")
    officer.set_input_files("[name=files]", str(evidence))
    officer.click("button:has-text('Ghi báo cáo')")
    expect(officer.get_by_text("Đã ghi báo cáo tiến độ.")).to_be_visible()
    expect(officer.get_by_text("bien-ban-nghiem-thu.pdf")).to_be_visible()

    city_officer.goto(live_server.url + reverse("pledges:cascade", args=[city_campaign.pk]))
    row = city_officer.locator(f"#cascade tr[data-unit='{city.ward.pk}']")
    expect(row).to_contain_text("Đã được chấp thuận")
    expect(row).to_contain_text("Đúng tiến độ")
