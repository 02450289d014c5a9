"""A ward registers for a city campaign and reports progress, seen from the city's cascade."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from pledges.models import Registration

pytestmark = pytest.mark.browser

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def signed_in(browser, sign_in):
    """A fresh browser context per persona, signed in and landed on `path`."""
    contexts = []

    def open_as(username: str, path: str):
        context = browser.new_context(locale="vi-VN")
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        sign_in(page, username, path)
        return page

    yield open_as
    for context in contexts:
        context.close()


def _fill_task(page, index: int, **values) -> None:
    for name, value in values.items():
        selector = f"[name=tasks-{index}-{name}]"
        if name in ("item_number", "measure"):
            page.select_option(selector, value)
        else:
            page.fill(selector, value)


def test_ward_registers_leader_approves_city_accepts_and_progress_shows_in_cascade(
    transactional_db, live_server, signed_in, city, city_campaign, tmp_path
):
    due = city_campaign.ends_on.strftime("%d/%m/%Y")
    officer = signed_in("cb_xuantrung", reverse("campaigns:detail", args=[city_campaign.pk]))
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
    detail = reverse("pledges:detail", args=[registration.pk])

    leader = signed_in("ct_xuantrung", detail)
    leader.click("button:has-text('Duyệt và gửi cấp trên')")
    expect(leader.locator("#registration-status")).to_have_text("Chờ cấp phát động chấp thuận")

    city_officer = signed_in("cb_longkhanh", detail)
    city_officer.click("button:has-text('Chấp thuận')")
    expect(city_officer.locator("#registration-status")).to_have_text("Đã được chấp thuận")

    evidence = tmp_path / "bien-ban-nghiem-thu.pdf"
    evidence.write_bytes(PDF)
    officer.goto(live_server.url + detail)
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
