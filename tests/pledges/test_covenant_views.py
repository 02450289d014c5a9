"""The giao ước pages: who sees what, the buttons' effects, and the results page's budget."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from pledges.covenants import proposals, ranking, scoring, signing
from pledges.models import PledgeSignature, ScoreChange, ScoreSheet
from pledges.workflow import PledgeStatus, ScoreStage
from portal import services
from portal.models import Bloc, BlocMember, BlocTerm, Role, UnitKind
from tests.factories import make_member, make_unit
from tests.pledges.covenant_fixtures import YEAR, drafted, scoring_table, sibling_leader


@pytest.fixture
def stranger(world):
    """An officer of the Sở Nội vụ agency: sees its own subtree only, not the bloc."""
    return make_member(world.home_affairs, Role.OFFICER, "cb_snv", "Trương Thị Lạ")


@pytest.fixture
def published(world):
    table = scoring_table(world)
    scoring.publish_score_table(table, actor=world.ward_officer)
    for unit, user in ((world.ward, world.ward_officer), (world.sibling_ward, world.outsider)):
        sheet = ScoreSheet.objects.get(table=table, unit=unit)
        scoring.save_self_assessment(
            sheet,
            actor=user,
            entries={
                world.c_ratio.pk: (Decimal(90), "Báo cáo số 3"),
                world.c_items.pk: (Decimal(1), ""),
                world.c_manual.pk: (Decimal(9), ""),
                world.c_penalty.pk: (Decimal(0), ""),
            },
            submit=True,
        )
    world.table = table
    return world


def test_outsider_gets_404_member_sees_and_no_capability_gets_403(client, world, stranger):
    pledge = drafted(world)
    url = reverse("pledges:pledge", kwargs={"pledge_id": pledge.pk})
    client.force_login(stranger)
    assert client.get(url).status_code == 404
    client.force_login(world.outsider)  # officer of Xuân An, a member of the bloc
    page = client.get(url)
    assert page.status_code == 200
    assert "Hoàn thành 100% chỉ tiêu thu ngân sách." in page.content.decode()
    action = reverse("pledges:pledge_action", kwargs={"pledge_id": pledge.pk})
    assert client.post(action, {"action": "open"}).status_code == 403


def test_head_opens_leaders_sign_and_the_page_shows_who_is_missing(client, world):
    pledge = drafted(world)
    action = reverse("pledges:pledge_action", kwargs={"pledge_id": pledge.pk})
    url = reverse("pledges:pledge", kwargs={"pledge_id": pledge.pk})
    client.force_login(world.ward_officer)
    client.post(action, {"action": "open"})
    client.force_login(world.ward_leader)
    page = client.get(url).content.decode()
    assert "Ký giao ước thay mặt Phường Xuân Trung" in page
    client.post(action, {"action": "sign", "unit": world.ward.pk})
    page = client.get(url).content.decode()
    assert "Còn thiếu chữ ký của: Phường Xuân An." in page
    client.force_login(sibling_leader(world))
    client.post(action, {"action": "sign", "unit": world.sibling_ward.pk})
    pledge.refresh_from_db()
    assert pledge.status == PledgeStatus.SIGNED
    assert PledgeSignature.objects.filter(pledge=pledge).count() == 2
    client.force_login(world.ward_officer)
    client.post(action, {"action": "in_force"})
    pledge.refresh_from_db()
    assert pledge.status == PledgeStatus.IN_FORCE


def test_reviewer_form_refuses_a_change_without_reason_and_records_one_with(client, published):
    w = published
    sheet = ScoreSheet.objects.get(table=w.table, unit=w.ward)
    scoring.complete_scoring(sheet, actor=w.ward_officer, stage=ScoreStage.HEAD)
    score = sheet.scores.get(criterion=w.c_manual)
    url = reverse("pledges:sheet", kwargs={"scoresheet_id": sheet.pk})
    client.force_login(w.reviewer)
    form = {"action": "score", "score": score.pk, "version": score.version, "value": "6"}
    page = client.post(url, {**form, "reason": ""}, follow=True).content.decode()
    assert "cần nêu lý do" in page
    client.post(url, {**form, "reason": "Thiếu biên bản kiểm tra"})
    change = ScoreChange.objects.get(score=score, stage=ScoreStage.REVIEWER)
    assert change.reason == "Thiếu biên bản kiểm tra"
    client.force_login(w.outsider)  # the other member reads why
    page = client.get(url).content.decode()
    assert "Thiếu biên bản kiểm tra" in page
    assert "9,00 → 6,00" in page


def test_member_self_assesses_through_the_form(client, world):
    table = scoring_table(world)
    scoring.publish_score_table(table, actor=world.ward_officer)
    sheet = ScoreSheet.objects.get(table=table, unit=world.ward)
    client.force_login(world.ward_officer)
    url = reverse("pledges:sheet", kwargs={"scoresheet_id": sheet.pk})
    data = {"action": "submit"}
    for criterion, value in (
        (world.c_ratio, "50"),
        (world.c_items, "2"),
        (world.c_manual, "5"),
        (world.c_penalty, "0"),
    ):
        data[f"value_{criterion.pk}"] = value
        data[f"evidence_{criterion.pk}"] = ""
    client.post(url, data)
    sheet.refresh_from_db()
    # The ratio criterion's evidence is missing: 0 points for it.
    assert sheet.total == Decimal("15.00")
    assert sheet.get_status_display() == "Đã gửi tự chấm"


def _big_bloc(world, members: int):
    """A bloc of `members` wards of Long Khánh, scored, reviewed and published."""
    units = [
        make_unit(world.district, UnitKind.WARD, f"Phường Thử {i}", code=f"27{i:03d}")
        for i in range(members)
    ]
    bloc = Bloc.objects.create(organiser=world.province, kind="cluster", name=f"Cụm {members}")
    for position, unit in enumerate(units, start=1):
        BlocMember.objects.create(bloc=bloc, unit=unit, position=position)
    BlocTerm.objects.create(bloc=bloc, year=YEAR, head=units[0], deputy=units[1])
    head_officer = make_member(units[0], Role.OFFICER)
    pledge = signing.draft_pledge(
        bloc,
        actor=head_officer,
        year=YEAR,
        preamble="Căn cứ",
        commitments=[signing.CommitmentInput(text="Cam kết")],
    )
    signing.open_pledge(pledge, actor=head_officer)
    from django.core.files.uploadedfile import SimpleUploadedFile

    signing.upload_signed_pledge(
        pledge, actor=head_officer, file=SimpleUploadedFile("a.pdf", b"%PDF-1.4\n%%EOF\n")
    )
    signing.put_pledge_in_force(pledge, actor=head_officer)
    table = scoring.create_score_table(pledge, actor=head_officer)
    for text in ("Một", "Hai"):
        scoring.add_criterion(
            table,
            actor=head_officer,
            group="I",
            text=text,
            max_points=Decimal(10),
            formula="manual",
        )
    scoring.publish_score_table(table, actor=head_officer)
    for index, sheet in enumerate(table.sheets.all()):
        entries = {c.pk: (Decimal(index % 10), "") for c in table.criteria.all()}
        scoring.save_self_assessment(sheet, actor=world.admin, entries=entries, submit=True)
        scoring.complete_scoring(sheet, actor=head_officer, stage=ScoreStage.HEAD)
        scoring.complete_scoring(sheet, actor=world.reviewer, stage=ScoreStage.REVIEWER)
    ranking.publish_results(table, actor=world.reviewer)
    proposals.propose_leading_members(table, actor=head_officer)
    return pledge


@pytest.mark.parametrize("members", [2, 20])
def test_results_page_query_budget_holds_at_ten_times_the_members(
    client, world, members, django_assert_max_num_queries
):
    pledge = _big_bloc(world, members)
    client.force_login(world.reviewer)
    url = reverse("pledges:results", kwargs={"pledge_id": pledge.pk})
    with django_assert_max_num_queries(25):
        page = client.get(url)
    assert page.status_code == 200
    assert page.content.decode().count("Phường Thử") >= members


def test_results_export_lists_the_ranking(client, world):
    pledge = _big_bloc(world, 3)
    client.force_login(world.reviewer)
    response = client.get(reverse("pledges:results_export", kwargs={"pledge_id": pledge.pk}))
    import io

    sheet = load_workbook(io.BytesIO(response.content))["Xếp hạng"]
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    # Numbers are stored as numbers (place, points, total, votes), not as text.
    assert [r[0] for r in rows] == [1, 2, 3]
    assert rows[0][1] == "Phường Thử 2"
    assert all(isinstance(value, int | float) for r in rows for value in (r[-2], r[-1]))


def test_organiser_sees_its_blocs_side_by_side(client, world):
    drafted(world)
    services.create_bloc(world.province, actor=world.leader, kind="bloc", name="Khối các sở")
    client.force_login(world.reviewer)
    page = client.get(
        reverse("pledges:organiser_blocs", kwargs={"unit_id": world.province.pk}) + "?nam=2026"
    ).content.decode()
    assert "Cụm thi đua số 1" in page and "Khối các sở" in page
    assert "Đang soạn" in page


def test_head_officer_drafts_on_the_bloc_page_and_amends_into_a_new_version(client, world):
    client.force_login(world.ward_officer)
    url = reverse("pledges:bloc_pledges", kwargs={"bloc_id": world.bloc.pk})
    response = client.post(
        url,
        {
            "preamble": "Căn cứ Luật Thi đua, khen thưởng",
            "commitments": "I. Chính trị | Hoàn thành chỉ tiêu\nGiải quyết hồ sơ đúng hạn",
            "ceremony_on": "15/01/2026",
        },
    )
    pledge = world.bloc.pledges.get(year=YEAR)
    assert response.url == reverse("pledges:pledge", kwargs={"pledge_id": pledge.pk})
    assert [(c.group, c.text) for c in pledge.commitments.all()] == [
        ("I. Chính trị", "Hoàn thành chỉ tiêu"),
        ("", "Giải quyết hồ sơ đúng hạn"),
    ]
    pledge.status = PledgeStatus.IN_FORCE
    pledge.save()
    edit = reverse("pledges:pledge_edit", kwargs={"pledge_id": pledge.pk})
    assert client.get(edit).status_code == 200
    client.post(
        edit,
        {
            "preamble": "Căn cứ Luật Thi đua, khen thưởng",
            "commitments": "I. Chính trị | Vượt chỉ tiêu 5%",
            "reason": "Nghị quyết giữa năm",
        },
    )
    pledge.refresh_from_db()
    assert pledge.version == 2
    page = client.get(reverse("pledges:pledge", kwargs={"pledge_id": pledge.pk})).content.decode()
    assert "Nghị quyết giữa năm" in page and "Vượt chỉ tiêu 5%" in page


def test_score_table_editor_adds_criteria_and_publishes(client, world):
    from tests.pledges.covenant_fixtures import in_force

    pledge = in_force(world)
    scoring.create_score_table(pledge, actor=world.ward_officer)
    url = reverse("pledges:score_table", kwargs={"pledge_id": pledge.pk})
    client.force_login(world.ward_officer)
    client.post(
        url,
        {
            "group": "I",
            "text": "Tỷ lệ thu ngân sách",
            "kind": "criterion",
            "max_points": "40",
            "formula": "ratio",
            "evidence_required": "Báo cáo thu",
        },
    )
    client.post(url, {"action": "publish"})
    page = client.get(url).content.decode()
    assert "Tỷ lệ thu ngân sách" in page
    assert "Đã công bố cho các thành viên" in page
    assert ScoreSheet.objects.filter(table__pledge=pledge).count() == 2
    client.force_login(world.outsider)
    assert client.post(url, {"action": "publish"}).status_code == 403


def test_member_links_its_registered_task_to_a_commitment_from_the_pledge_page(
    client, world, city_campaign
):
    from tests.campaign_fixtures import registered
    from tests.pledges.covenant_fixtures import in_force

    task = registered(world, city_campaign).tasks.first()
    pledge = in_force(world)
    commitment = pledge.commitments.first()
    url = reverse("pledges:pledge", kwargs={"pledge_id": pledge.pk})
    client.force_login(world.ward_officer)
    assert task.description in client.get(url).content.decode()
    action = reverse("pledges:pledge_action", kwargs={"pledge_id": pledge.pk})
    client.post(action, {"action": "link", "commitment": commitment.pk, "task": task.pk})
    assert list(commitment.tasks.all()) == [task]
    # Xuân An's officer sees the pledge but not Xuân Trung's registration: not found.
    client.force_login(world.outsider)
    other = pledge.commitments.last()
    assert (
        client.post(action, {"action": "link", "commitment": other.pk, "task": task.pk}).status_code
        == 404
    )
