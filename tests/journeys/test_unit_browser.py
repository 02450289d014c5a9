"""An officer signs in on a phone, finds a ward by typing its name without accents, and opens it."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_officer_finds_a_ward_typed_without_accents_and_opens_it(
    transactional_db, world, sign_in, phone
):
    sign_in(phone, "canbo", "/don-vi/")
    expect(phone).to_have_url(re.compile(r"/don-vi/$"))

    phone.get_by_role("searchbox", name="Tìm đơn vị").press_sequentially("xuan trung")
    result = phone.get_by_role("link", name=re.compile("Phường Xuân Trung"))
    expect(result).to_be_visible()  # the results came in as the officer typed (htmx)
    expect(phone.locator("#so-ket-qua")).to_have_text("1 đơn vị khớp với “xuan trung”")
    expect(phone).to_have_url(re.compile(r"q=xuan(\+|%20)trung"))

    result.click()
    expect(phone).to_have_title("Phường Xuân Trung – Cổng thi đua")
    expect(phone.get_by_role("heading", level=1)).to_have_text(re.compile("Phường Xuân Trung"))
    expect(phone.get_by_text("Phòng Văn hóa - Xã hội")).to_be_visible()
    expect(phone.get_by_text("Nguyễn Thị Hồng")).to_be_visible()


def test_officer_walks_down_the_tree(transactional_db, world, sign_in, phone):
    sign_in(phone, "canbo", "/don-vi/")
    phone.locator("summary", has_text="Tỉnh Đồng Nai").click()
    phone.locator("summary", has_text="Thành phố Long Khánh").click()
    ward = phone.get_by_role("link", name="Phường Xuân An")
    expect(ward).to_be_visible()
    ward.click()
    expect(phone).to_have_title("Phường Xuân An – Cổng thi đua")
