"""The nomination pages, thinly: each calls its service; the Nội vụ queue keeps its query budget."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from awards.models import EmulationTitle, Nomination
from awards.procedure import decisions
from awards.workflow import Status
from tests.awards.nomination_helpers import TODAY, issued, refresh, submitted
from tests.factories import make_person


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(TODAY, tick=False)


def test_a_ward_officer_drafts_on_the_form_and_sees_the_findings(world, client):
    client.force_login(world.ward_officer)
    item = EmulationTitle.objects.get(code="lao-dong-tien-tien")
    response = client.post(
        reverse("awards:nomination_create", kwargs={"unit_id": world.ward.pk}),
        {
            "person": world.person.pk,
            "item": f"title-{item.pk}",
            "year": 2025,
            "basis_kind": "yearly",
            "report_achievements": "Hoàn thành xuất sắc nhiệm vụ.",
        },
        follow=True,
    )
    nomination = Nomination.objects.get()
    assert response.redirect_chain[-1][0].endswith(f"/de-nghi/{nomination.pk}/")
    page = response.content.decode()
    # No rating recorded for 2025: the finding names its article.
    assert "Chặn" in page
    assert "Điều" in page


def test_a_ward_submits_two_drafts_under_one_toi_trinh_from_its_list(world, client):
    from tests.awards.nomination_helpers import draft

    first = draft(world)
    second = draft(world, person=make_person(world.ward, "Lê Văn Tám", gender="male"))
    client.force_login(world.ward_officer)
    client.post(
        reverse("awards:batch_submit", kwargs={"unit_id": world.ward.pk}),
        {
            "nomination": [first.pk, second.pk],
            "signer": world.ward_secretariat_head.pk,
        },
    )
    assert refresh(first).status == refresh(second).status == Status.SUBMITTED
    assert refresh(first).batch_id == refresh(second).batch_id
    page = client.get(reverse("awards:nomination_list")).content.decode()
    assert "Còn 5 ngày làm việc" in page


def test_the_reviewer_returns_one_and_receives_another_in_bulk_with_per_row_results(world, client):
    returned = submitted(world)
    other = submitted(world, person=make_person(world.ward, "Lê Văn Tám", gender="male"))
    client.force_login(world.reviewer)
    client.post(
        reverse("awards:queue"),
        {"action": "return", "reason": "Thiếu biên bản họp.", "nomination": [returned.pk]},
    )
    client.post(reverse("awards:queue"), {"action": "receive", "nomination": [other.pk]})
    response = client.post(
        reverse("awards:queue"),
        {"action": "check", "reason": "Đủ điều kiện.", "nomination": [other.pk, returned.pk]},
    )
    page = response.content.decode()
    # The returned one has left the queue; the received one is checked, row by row.
    assert "✔ Lê Văn Tám: Đã thẩm định" in page
    response = client.post(reverse("awards:queue"), {"action": "receive", "nomination": [other.pk]})
    assert "✘ Lê Văn Tám: Không thể" in response.content.decode()
    assert refresh(returned).status == Status.RETURNED
    assert refresh(other).status == Status.CHECKED
    # The sender sees where its dossier is and why.
    client.force_login(world.ward_officer)
    detail = client.get(reverse("awards:nomination_detail", kwargs={"nomination_id": returned.pk}))
    assert "Thiếu biên bản họp." in detail.content.decode()


def test_the_dossier_action_without_a_reason_is_refused_with_a_message(world, client):
    nomination = submitted(world)
    client.force_login(world.reviewer)
    response = client.post(
        reverse(
            "awards:nomination_action",
            kwargs={"nomination_id": nomination.pk, "action": "return"},
        ),
        {"reason": ""},
        follow=True,
    )
    assert "Cần nêu lý do." in response.content.decode()
    assert refresh(nomination).status == Status.SUBMITTED


def _fill_queue(world, count: int) -> None:
    people = [
        make_person(world.ward, f"Người thứ {i}", gender="male" if i % 2 else "female")
        for i in range(count)
    ]
    item = EmulationTitle.objects.get(code="lao-dong-tien-tien")
    Nomination.objects.bulk_create(
        [
            Nomination(
                recipient_kind="individual",
                person=person,
                title=item,
                year=2025,
                basis_kind="yearly",
                proposing_unit=world.ward,
                handling_unit=world.ward,
                conferring_unit=world.ward,
                status=Status.SUBMITTED,
                due_on=TODAY.date(),
                report_achievements="Hoàn thành tốt nhiệm vụ.",
                findings=[{"code": "x", "severity": "soft", "message": "m", "article": "a"}],
            )
            for person in people
        ]
    )


@pytest.mark.parametrize("count", [6, 60])
def test_the_queue_keeps_its_query_budget_at_1x_and_10x(
    world, client, django_assert_max_num_queries, count
):
    _fill_queue(world, count)
    client.force_login(world.reviewer)
    # 8 on 06/12/2026: the session, the user, the memberships, the kept total, the page's ids,
    # its rows, the holiday calendar (cached), the open sessions of the rows' levels.
    with django_assert_max_num_queries(9):
        response = client.get(reverse("awards:queue"), {"status": "submitted"})
    assert response.status_code == 200
    assert response.content.decode().count('name="nomination"') == min(count, 50)


def test_the_sender_list_keeps_its_query_budget_at_10x(
    world, client, django_assert_max_num_queries
):
    _fill_queue(world, 60)
    client.force_login(world.ward_officer)
    # 7 on 06/12/2026 (the branch total, the page's ids, its rows, the signers).
    with django_assert_max_num_queries(8):
        response = client.get(reverse("awards:nomination_list"))
    assert response.status_code == 200


def test_a_published_decision_lists_its_awardees_publicly_without_personal_details(world, client):
    world.person.birth_year = 1985
    world.person.save()
    nomination = issued(world)
    decisions.publish_decision(nomination.decision, actor=world.ward_leader)
    code = nomination.decision.document.verification_code
    listing = client.get(reverse("awards:public_decisions")).content.decode()
    assert nomination.decision.document.number_and_symbol in listing
    page = client.get(reverse("awards:public_decision", kwargs={"code": code})).content.decode()
    assert world.person.full_name in page
    assert "1985" not in page
    assert "710.000" not in page


def test_an_unpublished_decision_is_not_on_the_public_site(world, client):
    nomination = issued(world)
    code = nomination.decision.document.verification_code
    response = client.get(reverse("awards:public_decision", kwargs={"code": code}))
    assert response.status_code == 404


def test_the_statistics_show_the_shares_and_export_to_excel(world, client):
    world.person.is_direct_worker = True
    world.person.ethnicity = "Tày"
    world.person.save()
    issued(world)
    client.force_login(world.ward_leader)
    page = client.get(reverse("awards:statistics")).content.decode()
    assert "Người lao động trực tiếp" in page
    assert "1/1 (100.0 %)" in page or "1/1 (100,0 %)" in page
    response = client.get(reverse("awards:statistics_export"))
    book = load_workbook(io.BytesIO(response.content))
    rows = list(book["Tỉ lệ"].iter_rows(values_only=True))
    assert ("Người dân tộc thiểu số", 1, 1, 100.0) in rows
    assert list(book["Theo hình thức"].iter_rows(values_only=True))[1][1] == "Lao động tiên tiến"


def test_the_council_votes_on_its_page_and_the_secretary_closes_it(world, client):
    from awards.procedure import council
    from tests.awards.nomination_helpers import checked, council_of

    nomination = checked(world, code="cstd-co-so")
    c = council_of(world, world.ward, size=3)
    client.force_login(world.reviewer)
    client.post(
        reverse("awards:queue"),
        {"action": "agenda", "session": c.session.pk, "nomination": [nomination.pk]},
    )
    item = c.session.items.get()
    for user in c.users:
        client.force_login(user)
        page = client.get(reverse("awards:session_detail", kwargs={"session_id": c.session.pk}))
        assert "Đồng ý" in page.content.decode()
        client.post(
            reverse("awards:session_act", kwargs={"session_id": c.session.pk, "step": "bo-phieu"}),
            {"item": item.pk, "choice": "yes"},
        )
    client.force_login(world.reviewer)
    client.post(
        reverse("awards:session_act", kwargs={"session_id": c.session.pk, "step": "dong"}),
        {"chair": c.seats[1].pk, "secretary": c.seats[2].pk},
    )
    assert refresh(nomination).status == Status.APPROVED
    c.session.refresh_from_db()
    # The seats chosen on the page chair and take the minutes, named as the persons they are.
    assert c.session.minutes.signer_name == "Thành viên Hội đồng số 2"
    assert c.session.minutes.co_signers == [{"title": "THƯ KÝ", "name": "Thành viên Hội đồng số 3"}]
    assert council.tally_item(item, 3, TODAY.date()).passed


def test_home_affairs_drafts_the_decision_from_the_queue_and_the_leader_signs_it(world, client):
    from awards.models import AwardDecision
    from tests.awards.nomination_helpers import approved

    nomination = approved(world)
    client.force_login(world.reviewer)
    response = client.post(
        reverse("awards:queue"), {"action": "decision", "nomination": [nomination.pk]}
    )
    decision = AwardDecision.objects.get()
    assert response["Location"] == reverse(
        "awards:decision_detail", kwargs={"decision_id": decision.pk}
    )
    # The head of the deciding level is named by default; Nội vụ may hand it to the deputy.
    assert decision.document.signer == world.ward_chair
    client.post(
        reverse("awards:decision_act", kwargs={"decision_id": decision.pk, "step": "nguoi-ky"}),
        {"signer": world.ward_deputy.pk},
    )
    decision.document.refresh_from_db()
    assert decision.document.signer == world.ward_deputy
    assert (decision.document.signer_capacity, decision.document.signer_authority) == (
        "KT.",
        "CHỦ TỊCH",
    )
    client.force_login(world.ward_leader)
    client.post(reverse("awards:decision_act", kwargs={"decision_id": decision.pk, "step": "ky"}))
    assert refresh(nomination).status == Status.ISSUED


def test_the_queue_shows_what_still_needs_the_reviewer_unless_asked_for_all(world, client):
    done = issued(world)
    waiting = submitted(world, person=make_person(world.ward, "Lê Văn Tám", gender="male"))
    client.force_login(world.reviewer)

    def listed(**query) -> set[int]:
        page = client.get(reverse("awards:queue"), query).content.decode()
        return {pk for pk in (done.pk, waiting.pk) if f'value="{pk}"' in page}

    assert listed() == {waiting.pk}
    assert listed(status="tat-ca") == {done.pk, waiting.pk}
    assert listed(status=Status.ISSUED) == {done.pk}


def test_the_sender_sees_dossiers_to_act_on_first_and_finished_ones_last(world, client):
    from tests.awards.nomination_helpers import draft

    # Created oldest first: the newest, finished one would otherwise head the list.
    to_fix = draft(world, person=make_person(world.ward, "Đỗ Thị Chín", gender="female"))
    waiting = submitted(world, person=make_person(world.ward, "Lê Văn Tám", gender="male"))
    done = issued(world)
    client.force_login(world.ward_officer)
    page = client.get(reverse("awards:nomination_list")).content.decode()
    positions = [page.index(f"/khen-thuong/de-nghi/{n.pk}/") for n in (to_fix, waiting, done)]
    assert positions == sorted(positions)
