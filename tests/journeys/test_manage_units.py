"""A ward officer adds an agency under the ward from a phone; a mistake keeps what was typed."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_ward_officer_adds_an_agency_after_fixing_a_mistake(
    transactional_db, world, sign_in, phone
):
    sign_in(phone, "cb_xuantrung")
    phone.get_by_role("link", name="Thêm cơ quan, thôn, tổ").click()
    expect(phone).to_have_title(
        re.compile("^Thêm cơ quan, thôn, tổ dân phố thuộc Phường Xuân Trung")
    )

    phone.get_by_label("Loại").select_option(label="Phòng, ban chuyên môn")
    phone.get_by_label("Điện thoại").fill("0251 3 877 001")
    phone.get_by_role("button", name="Lưu").click()
    expect(phone.get_by_text("Trường này là bắt buộc.")).to_be_visible()
    expect(phone.get_by_label("Điện thoại")).to_have_value("0251 3 877 001")

    phone.get_by_label("Tên đơn vị").fill("  Phòng Tư pháp ")
    phone.get_by_role("button", name="Lưu").click()
    expect(phone.get_by_role("alert")).to_contain_text("Đã thêm “Phòng Tư pháp”.")
    expect(phone.get_by_role("heading", level=1)).to_have_text("Phòng Tư pháp")
    expect(phone.get_by_role("link", name="Phường Xuân Trung")).to_be_visible()
