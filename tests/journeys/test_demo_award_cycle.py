"""Issue #6 on the demo: the year's cycle of Phường Long Khánh walked in the browser.

After `manage.py load_demo`, with the demo logins and their password only: the ward officer's
dossier for a person under a complaint is blocked with the article named; two people rated
"hoàn thành xuất sắc nhiệm vụ" are proposed for Chiến sĩ thi đua cơ sở 2025 and submitted;
the ward's văn phòng receives and checks them and seats the ward's three-member council, which
votes; the chairman signs the numbered Quyết định, whose annex lists both with their amounts;
the certificates print as a job; the officer followed every step and its deadline on their
list; the statistics page shows the watched shares. docs/awards.md tells the same walk.
"""

from __future__ import annotations

import re
from io import BytesIO, StringIO

import pytest
from django.core.management import call_command
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from awards import demo as awards_demo
from awards.models import AwardDecision, AwardRecord, EmulationTitle, Nomination
from awards.rules import money
from awards.statistics import MAJORITY_ETHNICITY
from portal.demo import DEMO_PASSWORD, WARD_LONG_KHANH, demo_unit
from portal.documents import layout as documents
from portal.models import Person, User

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

FROZEN = "Thạch Thị Hằng"  # the demo's person with a complaint under verification
FREEZE_ARTICLE = "Khoản 4 Điều 4 NĐ 152/2025/NĐ-CP"
CHAIRMAN = "Võ Văn Hùng"
OPINION = "Hồ sơ đầy đủ, đủ tiêu chuẩn Chiến sĩ thi đua cơ sở theo Điều 23 Luật TĐKT."


@pytest.fixture
def demo(awards_catalogue, settings, monkeypatch, real_pdf):
    """The demo as `make run` serves it. Its own documents (a 300-awardee decision among
    them) render as stand-ins, to keep the load short; the walk's documents are real PDFs."""
    settings.DEBUG = True
    with monkeypatch.context() as stub:
        stub.setattr(documents, "_weasy_document", lambda html: None)
        stub.setattr(documents, "_pdf_bytes", lambda rendered: b"%PDF-1.4 stand-in")
        stub.setattr(documents, "_anchor_in", lambda rendered: (0, (0, 0, 0, 0)))
        call_command("load_demo", stdout=StringIO())
    settings.DEBUG = False


@pytest.fixture
def signed_in(browser, sign_in):
    """A fresh browser context per demo login, signed in and landed on `path`."""
    contexts = []

    def open_as(username: str, path: str):
        context = browser.new_context(locale="vi-VN", accept_downloads=True)
        context.set_default_timeout(20_000)
        contexts.append(context)
        page = context.new_page()
        sign_in(page, username, path, password=DEMO_PASSWORD)
        return page

    yield open_as
    for context in contexts:
        context.close()


def _act(page, button: str, reason: str = "") -> None:
    form = page.locator("form", has=page.get_by_role("button", name=button, exact=True))
    if reason:
        form.locator("textarea[name=reason]").fill(reason)
    form.get_by_role("button", name=button, exact=True).click()


def _tick(page, nomination: Nomination) -> None:
    page.locator(f"input[name=nomination][value='{nomination.pk}']").check()


def _row(page, person: Person):
    return page.locator("tr", has=page.get_by_role("link", name=person.full_name, exact=True))


def _draft(page, url: str, person: Person, item: EmulationTitle, achievements: str) -> None:
    page.goto(url + reverse("awards:nomination_list"))
    page.get_by_role("link", name="+ Đề nghị mới (Phường Long Khánh)").click()
    page.select_option("select[name=person]", str(person.pk))
    page.select_option("select[name=item]", f"title-{item.pk}")
    page.fill("[name=year]", "2025")
    page.select_option("select[name=basis_kind]", "yearly")
    page.fill("[name=report_position]", f"{person.position}, Phường Long Khánh")
    page.fill("[name=report_achievements]", achievements)
    page.get_by_role("button", name="Lưu và kiểm tra điều kiện").click()
    expect(page.get_by_text("Đã lưu dự thảo hồ sơ")).to_be_visible()


def _pdf_text(page, href: str) -> str:
    """The PDF behind a link of the signed-in page, read back as text."""
    response = page.context.request.get(href)
    assert response.ok and response.body().startswith(b"%PDF")
    reader = PdfReader(BytesIO(response.body()))
    return " ".join(" ".join(p.extract_text().split()) for p in reader.pages)


def test_the_demo_walks_a_year_from_nomination_to_printed_certificates(
    live_server, demo, signed_in
):
    url = live_server.url
    ward = demo_unit(WARD_LONG_KHANH)
    item = EmulationTitle.objects.get(code="cstd-co-so")
    frozen = Person.objects.get(unit=ward, full_name=FROZEN)
    people = [
        Person.objects.get(unit=ward, full_name=name) for name, *_ in awards_demo.CYCLE_CANDIDATES
    ]
    council = [User.objects.get(username=name) for name in awards_demo.WARD_COUNCIL]

    # The ward officer's dossier for a person under a complaint: saved, but blocked, the
    # article named, and refused when submitted.
    officer = signed_in("canbo_longkhanh", reverse("awards:nomination_list"))
    _draft(officer, url, frozen, item, "Chỉ đạo công tác văn hóa - xã hội của phường.")
    expect(officer.get_by_text("Chặn").first).to_be_visible()
    expect(officer.get_by_text(FREEZE_ARTICLE).first).to_be_visible()
    blocked = Nomination.objects.get(person=frozen, title=item)
    officer.goto(url + reverse("awards:nomination_list"))
    _tick(officer, blocked)
    officer.get_by_role("button", name="Trình các hồ sơ đã chọn (kèm tờ trình)").click()
    expect(officer.get_by_text("không đủ điều kiện")).to_be_visible()
    expect(officer.get_by_text(FREEZE_ARTICLE)).to_be_visible()
    blocked.refresh_from_db()
    assert blocked.status == "draft"

    # Two people rated "hoàn thành xuất sắc nhiệm vụ" pass the check and go up together.
    for person, achievements in zip(
        people,
        (
            "Giải quyết 1.240 hồ sơ hộ tịch đúng hạn, không sai sót; số hóa sổ hộ tịch của phường.",
            "Dẫn đầu tổ trật tự đô thị: giải tỏa 36 điểm lấn chiếm vỉa hè, không để tái lấn chiếm.",
        ),
        strict=True,
    ):
        _draft(officer, url, person, item, achievements)
        expect(officer.get_by_text("Không phát hiện vướng mắc.")).to_be_visible()
    first, second = (Nomination.objects.get(person=p, title=item) for p in people)
    officer.goto(url + reverse("awards:nomination_list"))
    _tick(officer, first)
    _tick(officer, second)
    # No signer to type: the ward's own proposals go to its chairman from its Văn phòng, whose
    # head signs the Tờ trình (portal/documents/signers.py).
    officer.get_by_role("button", name="Trình các hồ sơ đã chọn (kèm tờ trình)").click()
    expect(officer.get_by_text("Đã trình 2 hồ sơ kèm tờ trình.")).to_be_visible()
    for nomination, person in ((first, people[0]), (second, people[1])):
        nomination.refresh_from_db()
        row = _row(officer, person)
        expect(row).to_contain_text("Đã trình")
        expect(row).to_contain_text("ngày làm việc")
        expect(row).to_contain_text(f"hạn {nomination.due_on:%d/%m/%Y}")

    # The ward's văn phòng receives and checks both.
    office = signed_in("vanphong_longkhanh", reverse("awards:nomination_detail", args=[first.pk]))
    for nomination in (first, second):
        office.goto(url + reverse("awards:nomination_detail", args=[nomination.pk]))
        _act(office, "Tiếp nhận")
        expect(office.get_by_text("Nội vụ đã tiếp nhận").first).to_be_visible()
    first.refresh_from_db()
    officer.goto(url + reverse("awards:nomination_list"))
    row = _row(officer, people[0])
    expect(row).to_contain_text("Nội vụ đã tiếp nhận")
    expect(row).to_contain_text(f"hạn {first.due_on:%d/%m/%Y}")
    for nomination in (first, second):
        office.goto(url + reverse("awards:nomination_detail", args=[nomination.pk]))
        _act(office, "Thẩm định xong", OPINION)
        expect(office.get_by_text("Đã thực hiện: Thẩm định xong.")).to_be_visible()

    # A session of the ward's council with its three members, both dossiers on its agenda.
    office.goto(url + reverse("awards:session_list"))
    office.get_by_role("link", name="+ Phiên họp mới (Phường Long Khánh)").click()
    office.fill("[name=title]", "Họp Hội đồng TĐKT phường xét Chiến sĩ thi đua cơ sở năm 2025")
    office.fill("[name=held_on]", f"{timezone.localdate():%d/%m/%Y}")
    office.select_option("select[name=members]", [str(user.pk) for user in council])
    office.get_by_role("button", name="Tạo phiên họp").click()
    expect(office.get_by_text("Có mặt 3/3 thành viên")).to_be_visible()
    session_url = office.url
    session_id = session_url.rstrip("/").rsplit("/", 1)[-1]
    office.goto(url + reverse("awards:queue"))
    _tick(office, first)
    _tick(office, second)
    office.select_option("select[name=action]", "agenda")
    office.select_option("select[name=session]", session_id)
    office.get_by_role("button", name="Thực hiện với hồ sơ đã chọn").click()
    for person in people:
        expect(office.get_by_text(f"✔ {person.full_name}")).to_be_visible()
    officer.goto(url + reverse("awards:nomination_list"))
    expect(_row(officer, people[0])).to_contain_text("Trình Hội đồng")

    # Each council member votes yes on both.
    for member in council:
        voter = signed_in(member.username, session_url.removeprefix(url))
        for person in people:
            _row(voter, person).get_by_role("button", name="Đồng ý", exact=True).click()
            expect(_row(voter, person)).to_contain_text("Đã chọn: Đồng ý")

    # The văn phòng closes the session: quorum met, both pass on the whole membership.
    office.goto(session_url)
    office.get_by_label("Chủ trì phiên họp").select_option(label="Nguyễn Hữu Lộc – Ủy viên")
    office.get_by_label("Thư ký").select_option(label="Trịnh Quốc Bảo – Ủy viên")
    office.get_by_role("button", name="Kết thúc phiên họp, kiểm phiếu và lập biên bản").click()
    expect(office.get_by_text("Đã kết thúc phiên họp, lập biên bản.")).to_be_visible()
    officer.goto(url + reverse("awards:nomination_list"))
    expect(_row(officer, people[0])).to_contain_text("Được chấp thuận")

    # The văn phòng drafts the decision from its queue; the chairman signs and publishes it.
    office.goto(url + reverse("awards:queue"))
    _tick(office, first)
    _tick(office, second)
    office.select_option("select[name=action]", "decision")
    office.get_by_role("button", name="Thực hiện với hồ sơ đã chọn").click()
    expect(office.get_by_text("Đã dự thảo quyết định.")).to_be_visible()
    decision = AwardDecision.objects.get(nominations=first)
    decision_url = reverse("awards:decision_detail", args=[decision.pk])
    office.get_by_label("Người ký").select_option(label=CHAIRMAN)
    office.get_by_role("button", name="Lưu người ký").click()
    expect(office.get_by_text("Đã cập nhật người ký.")).to_be_visible()
    leader = signed_in("lanhdao_longkhanh", decision_url)
    leader.get_by_role("button", name="Ký ban hành (cấp số)").click()
    expect(leader.get_by_text("Đã ký ban hành quyết định và ghi nhận khen thưởng.")).to_be_visible()
    leader.get_by_role("button", name="Công bố công khai").click()
    expect(leader.get_by_text("Đã công bố trên trang công khai.")).to_be_visible()
    decision.refresh_from_db()
    number = decision.document.number_and_symbol
    assert re.fullmatch(r"\d{2,}/QĐ-UBND", number)

    # The Quyết định PDF carries its number; its annex lists both awardees with the amount.
    pdf_link = leader.get_by_role("link", name="PDF", exact=True)
    text = _pdf_text(leader, url + pdf_link.get_attribute("href"))
    assert f"Số: {number}" in text
    amount = money.reward(item, "individual", decision.document.issued_on, unit=ward).amount
    assert amount > 0
    written = f"{amount:,.0f}".replace(",", ".")
    annex = text[text.index("DANH SÁCH") :]
    for person in people:
        assert re.search(rf"{person.full_name}.{{0,200}}{re.escape(written)}", annex), person

    # The văn phòng prints the certificates: the job page runs to the end.
    office.goto(url + decision_url)
    office.get_by_role("button", name="In bằng, giấy khen").click()
    decision.refresh_from_db()
    expect(office).to_have_url(url + reverse("job_detail", args=[decision.certificates_job_id]))
    progress = office.locator("#job-progress")
    expect(progress).to_have_attribute("data-status", "done")
    expect(progress).to_contain_text("Hoàn tất – 2/2")
    certificates = _pdf_text(
        office, url + progress.get_by_role("link", name="Tải kết quả").get_attribute("href")
    )
    for index, person in enumerate(people, start=1):
        assert person.full_name in certificates
        assert f"Số sổ: {number} – {index}" in certificates

    # The officer's list shows where both ended; each dossier's history shows every step.
    officer.goto(url + reverse("awards:nomination_list"))
    for person in people:
        expect(_row(officer, person)).to_contain_text("Đã công bố")
    _row(officer, people[0]).get_by_role("link", name=people[0].full_name).click()
    for step in (
        "Đã trình",
        "Nội vụ đã tiếp nhận",
        "Đã thẩm định",
        "Trình Hội đồng",
        "Đã dự thảo quyết định",
        "Được chấp thuận",
        "Đã có quyết định",
        "Đã công bố",
    ):
        expect(officer.locator(".list-group-item", has_text=step).first).to_be_visible()

    # The statistics page shows the four watched shares of the awards, with percentages.
    leader.goto(url + reverse("awards:statistics"))
    chairman = User.objects.get(username="lanhdao_longkhanh")
    records = (
        AwardRecord.objects.visible_to(chairman).standing().filter(recipient_kind="individual")
    )
    total = records.count()
    expected = {
        "Người lao động trực tiếp": records.filter(person__is_direct_worker=True).count(),
        "Lãnh đạo, quản lý": records.filter(person__is_manager=True).count(),
        "Nữ": records.filter(person__gender="female").count(),
        "Người dân tộc thiểu số": records.filter(~Q(person__ethnicity=MAJORITY_ETHNICITY)).count(),
    }
    for label, count in expected.items():
        assert 0 < count < total, label
        share = leader.locator("div.d-flex", has=leader.get_by_text(label, exact=True))
        percent = f"{count * 100 / total:.1f}".replace(".", ",")
        expect(share).to_contain_text(f"{count}/{total} ({percent} %)")
