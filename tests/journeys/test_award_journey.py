"""Issue #6: a ward's two nominations go all the way to printed certificates and the public page.

The ward Xuân Trung proposes two of its staff for Chiến sĩ thi đua cơ sở 2025, which its own
chairman confers after a vote of the ward's council (NĐ 129/2025 Điều 59; Luật TĐKT Điều 23).
The ward's văn phòng (the Nội vụ role at the commune level) returns one dossier with a reason,
the officer fixes and resubmits it, the văn phòng checks both and puts them to the council, the
three council members vote, the chairman signs and publishes the decision, the văn phòng prints
the certificates on the job page, and anyone can read the awardees on the public page.
"""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from awards.models import AwardDecision, EmulationTitle, Nomination
from portal.models import Role
from tests.awards.nomination_helpers import rate
from tests.factories import make_member, make_person
from tests.journeys.axe import confirmations

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

RETURN_REASON = "Thiếu số liệu cụ thể về kết quả số hóa hồ sơ; đề nghị bổ sung."


@pytest.fixture
def signed_in(browser, sign_in):
    """A fresh browser context per persona, signed in and landed on `path`."""
    contexts = []

    def open_as(username: str, path: str):
        context = browser.new_context(locale="vi-VN", accept_downloads=True)
        context.set_default_timeout(15_000)
        contexts.append(context)
        page = context.new_page()
        sign_in(page, username, path)
        return page

    yield open_as
    for context in contexts:
        context.close()


@pytest.fixture
def ward_personas(world, awards_catalogue):
    """The ward's văn phòng (Nội vụ at the commune level) and its three-member council."""
    make_member(world.ward, Role.REVIEWER, "vp_xuantrung", "Phan Thị Văn")
    council = [
        make_member(world.ward, Role.COUNCIL_MEMBER, f"hd_xuantrung{i}", name)
        for i, name in enumerate(("Trần Văn Hội", "Lê Thị Đồng", "Phạm Văn Xét"), start=1)
    ]
    # Each account is a named person: the Biên bản names people, not accounts.
    for user in council:
        make_person(world.ward, user.full_name, user=user)
    second = make_person(world.ward, "Lê Văn Tám", gender="male", position="Công chức tư pháp")
    for person in (world.person, second):
        rate(person, 2025, "htxsnv")
    return council, [world.person, second]


def _act(page, button: str, reason: str = "") -> None:
    """Press one of the dossier's action buttons, with its reason or opinion."""
    form = page.locator("form", has=page.get_by_role("button", name=button, exact=True))
    if reason:
        form.locator("textarea[name=reason]").fill(reason)
    form.get_by_role("button", name=button, exact=True).click()


def _tick(page, nomination: Nomination) -> None:
    page.locator(f"input[name=nomination][value='{nomination.pk}']").check()


def test_two_nominations_go_from_the_ward_to_printed_certificates_and_the_public_page(
    live_server, browser, signed_in, world, ward_personas, real_pdf
):
    council, people = ward_personas
    url = live_server.url
    item = EmulationTitle.objects.get(code="cstd-co-so")

    # The ward officer drafts both dossiers on the form.
    officer = signed_in("cb_xuantrung", reverse("awards:nomination_list"))
    for person, achievements in zip(
        people,
        (
            "Chủ trì số hóa hồ sơ thi đua của phường.",
            "Hoàn thành xuất sắc công tác hộ tịch: 1.240 hồ sơ đúng hạn, không sai sót.",
        ),
        strict=True,
    ):
        officer.goto(url + reverse("awards:nomination_list"))
        officer.get_by_role("link", name="+ Đề nghị mới (Phường Xuân Trung)").click()
        officer.select_option("select[name=person]", str(person.pk))
        officer.select_option("select[name=item]", f"title-{item.pk}")
        officer.fill("[name=year]", "2025")
        officer.select_option("select[name=basis_kind]", "yearly")
        officer.fill("[name=report_position]", f"{person.position}, Phường Xuân Trung")
        officer.fill("[name=report_achievements]", achievements)
        officer.get_by_role("button", name="Lưu và kiểm tra điều kiện").click()
        expect(officer.get_by_text("Đã lưu dự thảo hồ sơ")).to_be_visible()
        expect(officer.get_by_text("Đang soạn").first).to_be_visible()
    first, second = Nomination.objects.order_by("pk")

    # ... and submits them together under one Tờ trình; the clock starts for each.
    officer.goto(url + reverse("awards:nomination_list"))
    _tick(officer, first)
    _tick(officer, second)
    officer.get_by_role("button", name="Trình các hồ sơ đã chọn (kèm tờ trình)").click()
    expect(officer.get_by_text("Đã trình 2 hồ sơ kèm tờ trình.")).to_be_visible()
    first.refresh_from_db()
    due = f"hạn {first.due_on:%d/%m/%Y}"
    row = officer.locator("tr", has=officer.get_by_role("link", name=people[0].full_name))
    expect(row).to_contain_text("Đã trình")
    expect(row).to_contain_text("ngày làm việc")
    expect(row).to_contain_text(due)

    # The ward's văn phòng returns the first with a reason and receives the second.
    office = signed_in("vp_xuantrung", reverse("awards:nomination_detail", args=[first.pk]))
    _act(office, "Trả lại", RETURN_REASON)
    expect(office.get_by_text("Trả lại để bổ sung").first).to_be_visible()
    office.goto(url + reverse("awards:nomination_detail", args=[second.pk]))
    _act(office, "Tiếp nhận")
    expect(office.get_by_text("Nội vụ đã tiếp nhận").first).to_be_visible()

    # The officer sees why, fixes the dossier and submits it again.
    officer.goto(url + reverse("awards:nomination_list"))
    row = officer.locator("tr", has=officer.get_by_role("link", name=people[0].full_name))
    expect(row).to_contain_text("Trả lại để bổ sung")
    expect(row).to_contain_text(RETURN_REASON[:40])
    row.get_by_role("link", name=people[0].full_name).click()
    expect(officer.get_by_text(f"Lý do / ý kiến gần nhất: {RETURN_REASON}")).to_be_visible()
    officer.get_by_role("link", name="Sửa hồ sơ, giải trình").click()
    officer.fill(
        "[name=report_achievements]",
        "Chủ trì số hóa 3.500 hồ sơ thi đua, khen thưởng của phường (2021–2025); "
        "rút thời gian tra cứu từ 2 ngày xuống 15 phút.",
    )
    officer.get_by_role("button", name="Lưu và kiểm tra điều kiện").click()
    expect(officer.get_by_text("Đã lưu; kết quả kiểm tra điều kiện được cập nhật.")).to_be_visible()
    officer.goto(url + reverse("awards:nomination_list"))
    _tick(officer, first)
    officer.get_by_role("button", name="Trình các hồ sơ đã chọn (kèm tờ trình)").click()
    expect(officer.get_by_text("Đã trình 1 hồ sơ kèm tờ trình.")).to_be_visible()
    row = officer.locator("tr", has=officer.get_by_role("link", name=people[0].full_name))
    expect(row).to_contain_text("Đã trình")

    # The văn phòng receives the corrected dossier and checks both with an opinion.
    office.goto(url + reverse("awards:nomination_detail", args=[first.pk]))
    _act(office, "Tiếp nhận")
    for nomination in (first, second):
        office.goto(url + reverse("awards:nomination_detail", args=[nomination.pk]))
        _act(office, "Thẩm định xong", "Hồ sơ đầy đủ, đủ tiêu chuẩn theo Điều 23 Luật TĐKT.")
        expect(office.get_by_text("Đã thực hiện: Thẩm định xong.")).to_be_visible()
        expect(office.get_by_text("Đã thẩm định").first).to_be_visible()

    # A council session of the ward, and both dossiers on its agenda.
    office.goto(url + reverse("awards:session_list"))
    office.get_by_role("link", name="+ Phiên họp mới (Phường Xuân Trung)").click()
    office.fill("[name=title]", "Họp Hội đồng TĐKT phường xét Chiến sĩ thi đua cơ sở năm 2025")
    office.fill("[name=held_on]", f"{timezone.localdate():%d/%m/%Y}")
    office.select_option("select[name=members]", [str(user.pk) for user in council])
    office.get_by_role("button", name="Tạo phiên họp").click()
    expect(office.get_by_text("Có mặt 3/3 thành viên")).to_be_visible()
    session_url = office.url
    office.goto(url + reverse("awards:queue"))
    _tick(office, first)
    _tick(office, second)
    office.select_option("select[name=action]", "agenda")
    office.select_option("select[name=session]", index=1)
    office.get_by_role("button", name="Thực hiện với hồ sơ đã chọn").click()
    expect(office.get_by_text(f"✔ {people[0].full_name}")).to_be_visible()
    expect(office.get_by_text(f"✔ {people[1].full_name}")).to_be_visible()

    # Each council member votes yes on both dossiers.
    for member in council:
        voter = signed_in(member.username, session_url.removeprefix(url))
        for person in people:
            item_row = voter.locator("tr", has=voter.get_by_role("link", name=person.full_name))
            item_row.get_by_role("button", name="Đồng ý", exact=True).click()
            item_row = voter.locator("tr", has=voter.get_by_role("link", name=person.full_name))
            expect(item_row).to_contain_text("Đã chọn: Đồng ý")

    # The văn phòng closes the session: tally, minutes, both approved.
    office.goto(session_url)
    office.get_by_label("Chủ trì phiên họp").select_option(label="Trần Văn Hội – Ủy viên")
    office.get_by_label("Thư ký").select_option(label="Phạm Văn Xét – Ủy viên")
    office.get_by_role("button", name="Kết thúc phiên họp, kiểm phiếu và lập biên bản").click()
    expect(office.get_by_text("Đã kết thúc phiên họp, lập biên bản.")).to_be_visible()
    expect(office.get_by_role("link", name="Biên bản")).to_be_visible()
    office.goto(url + reverse("awards:nomination_detail", args=[first.pk]))
    expect(office.get_by_text("Được chấp thuận").first).to_be_visible()

    # The văn phòng drafts the decision from its queue and names the signer.
    office.goto(url + reverse("awards:queue"))
    _tick(office, first)
    _tick(office, second)
    office.select_option("select[name=action]", "decision")
    office.get_by_role("button", name="Thực hiện với hồ sơ đã chọn").click()
    expect(office.get_by_text("Đã dự thảo quyết định.")).to_be_visible()
    expect(office.get_by_text("Dự thảo –")).to_be_visible()
    decision = AwardDecision.objects.get()
    decision_url = reverse("awards:decision_detail", args=[decision.pk])
    # The signer is chosen among the ward's leaders on the day (their posts), not typed.
    office.get_by_label("Người ký").select_option(str(world.ward_chair.pk))
    office.get_by_role("button", name="Lưu người ký").click()
    expect(office.get_by_text("Đã cập nhật người ký.")).to_be_visible()

    # The chairman signs (the decision is numbered and the awards recorded) and publishes it.
    leader = signed_in("ct_xuantrung", decision_url)
    leader.get_by_role("button", name="Ký ban hành (cấp số)").click()
    expect(leader.get_by_text("Đã ký ban hành quyết định và ghi nhận khen thưởng.")).to_be_visible()
    expect(leader.get_by_text("Đã ký ban hành –")).to_be_visible()
    leader.get_by_role("button", name="Công bố công khai").click()
    expect(leader.get_by_text("Đã công bố trên trang công khai.")).to_be_visible()
    # Both steps asked first, saying what would happen (the journey answered "OK").
    said = confirmations(leader)
    assert any("cấp số" in text for text in said) and any("trang công khai" in t for t in said)
    decision.refresh_from_db()
    number = decision.document.number_and_symbol

    # The văn phòng prints the certificates: the job page runs its bar to the end.
    office.goto(url + decision_url)
    office.get_by_role("button", name="In bằng, giấy khen").click()
    job = AwardDecision.objects.get().certificates_job
    expect(office).to_have_url(url + reverse("job_detail", args=[job.pk]))
    expect(
        office.get_by_role("heading", name="In bằng khen, giấy khen của quyết định")
    ).to_be_visible()
    progress = office.locator("#job-progress")
    expect(progress).to_have_attribute("data-status", "done")
    expect(progress).to_contain_text("Hoàn tất – 2/2")
    expect(progress.get_by_role("progressbar")).to_have_attribute("aria-valuenow", "100")
    with office.expect_download() as download:
        progress.get_by_role("link", name="Tải kết quả").click()
    pdf = PdfReader(BytesIO(Path(download.value.path()).read_bytes()))
    pages = [" ".join(page.extract_text().split()) for page in pdf.pages]
    assert len(pages) == 2
    for index, (page, person) in enumerate(zip(pages, people, strict=True), start=1):
        assert person.full_name in page
        assert "Chiến sĩ thi đua cơ sở năm 2025" in page
        assert f"Số sổ: {number} – {index}" in page
    office.goto(url + decision_url)
    expect(office.locator("#certificates-print")).to_contain_text("Hoàn tất (2/2)")
    expect(office.get_by_role("link", name="Tải bằng, giấy khen (PDF)")).to_be_visible()

    # Anyone, without signing in, finds the decision and both awardees on the public site.
    public = browser.new_context(locale="vi-VN").new_page()
    public.goto(url + reverse("awards:public_decisions"))
    public.get_by_role("link", name=f"{number} –").click()
    expect(public.get_by_text(f"Quyết định số {number}")).to_be_visible()
    for person in people:
        row = public.locator("tr", has=public.get_by_text(person.full_name, exact=True))
        expect(row).to_contain_text("Chiến sĩ thi đua cơ sở (2025)")
        expect(row).to_contain_text("Phường Xuân Trung")
    public.context.close()
