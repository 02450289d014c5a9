"""The digest's bodies are drawn once per shape and filled per person: each mail must still be
exactly the person's own, every optional part only on its own line, escaped only in HTML."""

import datetime

from portal.background.digest_mail import DigestMails
from portal.background.digests import Line

from .conftest import LEGAL_KIND, TEST_KIND

DAY = datetime.date(2026, 11, 28)
SITE = "https://thidua.example.vn"


def line(title: str, **flags) -> Line:
    values = {
        "kind": TEST_KIND,
        "url": "/ca-nhan/7/?a=1&b=2",
        "due_on": datetime.date(2026, 11, 20),
        "overdue": False,
        "escalated": False,
        "legal_deadline": False,
        "unit_name": "Phường Xuân Trung & Hòa",
    }
    return Line(title=title, **(values | flags))


def test_each_mail_is_its_own_person_and_lines_with_every_optional_part_in_place(sources, settings):
    settings.SITE_URL = SITE
    mails = DigestMails(DAY)
    first = [
        line("Hồ sơ <b>quá hạn</b>", overdue=True, escalated=True),
        line("Hồ sơ luật định", kind=LEGAL_KIND, legal_deadline=True),
    ]
    second = [line("Hồ sơ bình thường")]

    text, html = mails.bodies("Nguyễn Văn <An>", first)
    other_text, other_html = mails.bodies("Trần Thị Bình", second)

    assert text == (
        "Kính gửi Nguyễn Văn <An>,\n\n"
        "Cổng thi đua – khen thưởng xin nhắc 2 việc cần xử lý ngày 28/11/2026, "
        "trong đó 1 việc đã quá hạn:\n"
        "\n1. [QUÁ HẠN] Hồ sơ <b>quá hạn</b>\n"
        "   Hồ sơ cá nhân cần bổ sung – Phường Xuân Trung & Hòa – hạn 20/11/2026"
        " – chuyển lên lãnh đạo cấp trên do quá hạn\n"
        f"   {SITE}/ca-nhan/7/?a=1&b=2\n"
        "\n2. [THỜI HẠN LUẬT ĐỊNH] Hồ sơ luật định\n"
        "   Hồ sơ sắp hết thời hạn luật định – Phường Xuân Trung & Hòa – hạn 20/11/2026\n"
        f"   {SITE}/ca-nhan/7/?a=1&b=2\n"
        f"\nXem toàn bộ thông báo: {SITE}/thong-bao/\n"
        f"Đổi giờ nhận hoặc tắt kênh nhận bản tin: {SITE}/thong-bao/cai-dat/\n\n"
        "Thư này được gửi tự động, mỗi ngày một bản tin; vui lòng không trả lời thư.\n\n"
    )
    assert "Trần Thị Bình" in other_text and "An" not in other_text
    assert "1. Hồ sơ bình thường\n" in other_text
    assert "QUÁ HẠN" not in other_text and "đã quá hạn" not in other_text
    assert "Nguyễn Văn &lt;An&gt;" in html and "<An>" not in html
    assert "Hồ sơ &lt;b&gt;quá hạn&lt;/b&gt;" in html
    assert f'href="{SITE}/ca-nhan/7/?a=1&amp;b=2"' in html
    assert "Phường Xuân Trung &amp; Hòa" in html
    assert html.count("<tr>") == 2 and other_html.count("<tr>") == 1
    assert html.count("Quá hạn</strong>") == 1 and html.count("Thời hạn luật định") == 1
    assert "\x1f" not in text + html + other_text + other_html
