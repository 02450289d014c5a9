"""The central leg's pages, thinly: the queue's "Trình Trung ương", the page recording what came
back (per-row results, uploaded copy, query budget), the dossier's buttons and clock."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from awards.models import AwardRecord, CentralDecision, Nomination
from awards.workflow import Status
from tests.awards.central_helpers import at_province, second_person, sent, voted
from tests.awards.nomination_helpers import TODAY, refresh
from tests.factories import make_person

CENTRAL = "awards:central_outcomes"


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(TODAY, tick=False)


def test_the_province_sends_ticked_dossiers_to_central_from_its_queue(world, client):
    first, second = voted(
        world, at_province(world), at_province(world, person=second_person(world))
    )
    client.force_login(world.reviewer)
    response = client.post(
        reverse("awards:queue"),
        {"nomination": [first.pk, second.pk], "action": "central", "reason": ""},
        follow=True,
    )
    assert "Đã trình Trung ương" in response.content.decode()
    assert refresh(first).status == refresh(second).status == Status.SENT_TO_CENTRAL
    assert refresh(first).batch_id == refresh(second).batch_id


def test_the_central_page_records_one_paper_for_ticked_dossiers_with_per_row_results(world, client):
    first = sent(world)
    other = at_province(world, person=second_person(world))
    client.force_login(world.reviewer)
    page = client.get(reverse(CENTRAL)).content.decode()
    assert world.person.full_name in page and "Đã chờ 0 ngày" in page
    assert "Lê Văn Tám" not in page  # not sent yet
    response = client.post(
        reverse(CENTRAL),
        {
            "nomination": [first.pk, other.pk],
            "number": "123/QĐ-TTg",
            "signed_on": "20/02/2026",
            "authority": "prime_minister",
            "result": "approved",
            "file": SimpleUploadedFile(
                "qd.pdf", b"%PDF-1.4 x\n%%EOF\n", content_type="application/pdf"
            ),
        },
    )
    page = response.content.decode()
    assert "✔" in page
    assert refresh(first).status == Status.CENTRAL_DECIDED
    assert refresh(other).status == Status.CHECKED
    assert CentralDecision.objects.get().file
    detail = client.get(
        reverse("awards:nomination_detail", kwargs={"nomination_id": first.pk})
    ).content.decode()
    assert "123/QĐ-TTg" in detail and "Thủ tướng Chính phủ" in detail


def test_a_ward_officer_cannot_record_a_central_paper(world, client):
    nomination = sent(world)
    client.force_login(world.ward_officer)
    client.post(
        reverse(CENTRAL),
        {
            "nomination": [nomination.pk],
            "number": "123/QĐ-TTg",
            "signed_on": "20/02/2026",
            "authority": "prime_minister",
            "result": "approved",
        },
    )
    assert refresh(nomination).status == Status.SENT_TO_CENTRAL
    assert not AwardRecord.objects.exists()


def test_the_dossier_offers_the_central_return_to_the_province_and_shows_it_to_the_sender(
    world, client
):
    nomination = sent(world)
    client.force_login(world.reviewer)
    detail = reverse("awards:nomination_detail", kwargs={"nomination_id": nomination.pk})
    page = client.get(detail).content.decode()
    assert "Ghi nhận Trung ương trả lại hồ sơ" in page
    assert "Đã trình Trung ương" in page and "Đã chờ 0 ngày" in page
    client.post(
        reverse(
            "awards:nomination_action",
            kwargs={"nomination_id": nomination.pk, "action": "central_return"},
        ),
        {"reason": "Bổ sung xác nhận sáng kiến."},
    )
    assert refresh(nomination).status == Status.CENTRAL_RETURNED
    client.force_login(world.ward_officer)
    page = client.get(detail).content.decode()
    assert "Trung ương trả lại để bổ sung" in page
    assert "Bổ sung xác nhận sáng kiến." in page
    assert "Trả lại đơn vị đề nghị" not in page  # the province's button, not the ward's


def _fill_central(world, count: int) -> None:
    """`count` dossiers waiting at the central level (copies of one sent the real way)."""
    model = sent(world)
    for index in range(count - 1):
        copy = Nomination.objects.get(pk=model.pk)
        copy.pk = None
        copy.person = make_person(world.ward, f"Người thứ {index}")
        copy.save()


@pytest.mark.parametrize("count", [3, 30])
def test_the_central_page_keeps_its_query_budget_at_1x_and_10x(
    world, client, django_assert_max_num_queries, count
):
    _fill_central(world, count)
    client.force_login(world.reviewer)
    with django_assert_max_num_queries(12):
        response = client.get(reverse(CENTRAL))
    assert response.status_code == 200
    assert response.content.decode().count('name="nomination"') == count
