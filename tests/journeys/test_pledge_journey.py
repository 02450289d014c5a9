"""A bloc signs its giao ước, its members are scored with reasons and the ranking publishes."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from pledges.covenants import scoring
from pledges.models import Pledge, RankingEntry, ScoreChange, ScoreSheet
from pledges.workflow import ScoreStage
from tests.pledges.covenant_fixtures import scoring_table, sibling_leader

pytestmark = pytest.mark.browser


@pytest.fixture
def signed_in(browser, sign_in):
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


def test_head_drafts_leaders_sign_members_self_assess_reviewer_scores_ranking_publishes(
    transactional_db, live_server, signed_in, world
):
    sibling_leader(world)
    head = signed_in("cb_xuantrung", reverse("pledges:bloc_pledges", args=[world.bloc.pk]))
    head.fill("[name=preamble]", "Căn cứ Luật Thi đua, khen thưởng năm 2022.")
    head.fill("[name=commitments]", "I. Chính trị | Hoàn thành chỉ tiêu thu ngân sách")
    head.get_by_role("button", name="Soạn giao ước").click()
    head.click("text=Mở lấy chữ ký")
    expect(head.locator("#pledge-status")).to_have_text("Đang lấy chữ ký")
    pledge = Pledge.objects.get(bloc=world.bloc)
    pledge_path = reverse("pledges:pledge", args=[pledge.pk])

    for username, unit in (("ct_xuantrung", "Phường Xuân Trung"), ("ct_xuanan", "Phường Xuân An")):
        leader = signed_in(username, pledge_path)
        leader.click(f"text=Ký giao ước thay mặt {unit}")
        if username == "ct_xuantrung":
            expect(leader.locator("#missing")).to_contain_text("Phường Xuân An")
    expect(leader.locator("#pledge-status")).to_have_text("Đã ký đủ")

    head.goto(f"{live_server.url}{pledge_path}")
    head.click("text=Đưa vào thực hiện")
    expect(head.locator("#pledge-status")).to_have_text("Đang có hiệu lực")

    pledge.refresh_from_db()
    table = scoring_table(world, pledge)
    scoring.publish_score_table(table, actor=world.ward_officer)
    sheet = ScoreSheet.objects.get(table=table, unit=world.ward)
    head.goto(f"{live_server.url}{reverse('pledges:sheet', args=[sheet.pk])}")
    for criterion, value in (
        (world.c_ratio, "90"),
        (world.c_items, "2"),
        (world.c_manual, "9"),
        (world.c_penalty, "0"),
    ):
        head.fill(f"[name=value_{criterion.pk}]", value)
    head.fill(f"[name=evidence_{world.c_ratio.pk}]", "Báo cáo thu ngân sách số 7")
    head.click("text=Gửi trưởng cụm/khối")
    expect(head.locator("#sheet-status")).to_have_text("Đã gửi tự chấm")
    expect(head.locator("#sheet-total")).to_have_text("55,00")

    other = ScoreSheet.objects.get(table=table, unit=world.sibling_ward)
    scoring.save_self_assessment(
        other,
        actor=world.outsider,
        entries={c.pk: (1, "Báo cáo") for c in table.criteria.all()},
        submit=True,
    )
    for s in (sheet, other):
        scoring.complete_scoring(s, actor=world.ward_officer, stage=ScoreStage.HEAD)
    scoring.complete_scoring(other, actor=world.reviewer, stage=ScoreStage.REVIEWER)

    reviewer = signed_in("noivu", reverse("pledges:sheet", args=[sheet.pk]))
    row = reviewer.locator("#breakdown tr", has_text="Công tác thi đua")
    row.locator("[name=value]").fill("7")
    row.locator("[name=reason]").fill("Chưa có báo cáo quý IV")
    row.get_by_role("button", name="Chấm").click()
    expect(reviewer.locator("#breakdown")).to_contain_text("Chưa có báo cáo quý IV")
    expect(reviewer.locator("#sheet-total")).to_have_text("53,00")
    reviewer.click("text=Hoàn thành bước thẩm định")
    reviewer.goto(f"{live_server.url}{reverse('pledges:results', args=[pledge.pk])}")
    reviewer.click("text=Công bố kết quả xếp hạng")
    expect(reviewer.locator("#ranking")).to_contain_text("Phường Xuân Trung")
    assert ScoreChange.objects.filter(stage=ScoreStage.REVIEWER, reason__contains="quý IV").exists()
    assert RankingEntry.objects.filter(table=table).count() == 2
