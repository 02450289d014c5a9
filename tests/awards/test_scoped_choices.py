"""The choices a dossier page offers are the few that apply, not every unit, leader or council
session a province user can see (#16): who may sign is the issuing unit's leadership, the
sessions are those of the levels handling the rows shown, the body asked is typed. The pages'
queries and their options stay the same however many units, leaders and sessions there are."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from awards.models import CouncilSession
from portal.models import UnitKind
from tests.awards.nomination_helpers import TODAY, draft, received, refresh, submitted
from tests.factories import make_person, make_post, make_unit


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(TODAY, tick=False)


def _grow(world, count: int) -> list:
    """`count` more wards of the district, each led by its chairman, with an open session."""
    wards = []
    for number in range(count):
        ward = make_unit(world.district, UnitKind.WARD, f"Phường Mở Rộng {number}")
        chair = make_person(ward, f"Chủ tịch Mở Rộng {number}", gender="male", is_manager=True)
        make_post(ward, chair)
        CouncilSession.objects.create(
            unit=ward, title=f"Phiên mở rộng {number}", held_on=datetime.date(2026, 3, 1)
        )
        wards.append(ward)
    return wards


def _page(client, user, url, params=None) -> tuple[str, int]:
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return response.content.decode(), len(queries)


def test_the_sender_list_offers_its_own_leaders_to_sign_at_any_scale(world, client):
    draft(world)
    url = reverse("awards:nomination_list")
    _, few = _page(client, world.ward_officer, url)
    _grow(world, 15)
    page, many = _page(client, world.ward_officer, url)
    assert many == few
    # The ward's chairman, deputy and the head of its Văn phòng: nobody from another unit.
    for leader in (world.ward_chair, world.ward_deputy, world.ward_secretariat_head):
        assert f'<option value="{leader.pk}"' in page
    assert "Chủ tịch Mở Rộng" not in page and world.sibling_chair.full_name not in page
    # The province's officer, who sees every ward, is offered the province's leaders only.
    page, _ = _page(client, world.officer, url)
    assert f'<option value="{world.province_chair.pk}"' in page
    assert "Chủ tịch Mở Rộng" not in page and world.ward_chair.full_name not in page


def test_a_signer_from_another_unit_is_refused_on_submission(world, client):
    nomination = draft(world)
    client.force_login(world.ward_officer)
    response = client.post(
        reverse("awards:batch_submit", kwargs={"unit_id": world.ward.pk}),
        {"nomination": [nomination.pk], "signer": world.sibling_chair.pk},
        follow=True,
    )
    assert "Người ký tờ trình phải là lãnh đạo đơn vị" in response.content.decode()
    assert refresh(nomination).status == "draft"


def test_the_queue_offers_the_sessions_of_its_rows_levels_only(world, client):
    submitted(world)
    own = CouncilSession.objects.create(
        unit=world.ward, title="Phiên họp của phường", held_on=datetime.date(2026, 3, 1)
    )
    url = reverse("awards:queue")
    _, few = _page(client, world.reviewer, url, {"status": "submitted"})
    _grow(world, 15)
    page, many = _page(client, world.reviewer, url, {"status": "submitted"})
    assert many == few
    assert f'<option value="{own.pk}"' in page
    # Open sessions of levels with no dossier on the page cannot take these dossiers.
    assert "Phiên mở rộng" not in page


def test_the_body_asked_is_typed_and_found_by_name_or_code(world, client):
    nomination = received(world)
    url = reverse("awards:nomination_detail", kwargs={"nomination_id": nomination.pk})
    page, few = _page(client, world.reviewer, url)
    assert 'name="body_unit"' in page and '<select name="body_unit"' not in page
    _grow(world, 15)
    page, many = _page(client, world.reviewer, url)
    assert many == few
    assert "Phường Mở Rộng" not in page
    # The signer is a leader of the level asking (the ward handles the dossier).
    assert f'<option value="{world.ward_chair.pk}"' in page
    assert world.province_chair.full_name not in page.split('name="signer"')[1]

    def ask(body: str):
        return client.post(
            reverse("awards:clearance_create"),
            {
                "nomination": nomination.pk,
                "body_unit": body,
                "subject": "việc chấp hành.",
                "due_on": "16/03/2026",
            },
            follow=True,
        ).content.decode()

    several = ask("mo rong")
    assert "Có nhiều đơn vị khớp “mo rong”" in several and "Gõ đầy đủ tên" in several
    assert "Không tìm thấy đơn vị “Sở Không Có”" in ask("Sở Không Có")
    assert not nomination.clearances.exists()
    found = ask("Phường Mở Rộng 3")
    assert "Đã gửi" in found
    assert nomination.clearances.get().body_name == "Phường Mở Rộng 3"
