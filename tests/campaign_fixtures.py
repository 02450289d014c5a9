"""Campaign-side additions to the named world: the city's officials and ready campaigns.

Thành phố Long Khánh: leader "ct_longkhanh", officer "cb_longkhanh"
city_campaign: launched by the city for its wards (Xuân Trung, Xuân An) and the ward office
Dates are relative to today so that deadlines are ahead unless a test moves the clock.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from campaigns import services as campaign_services
from campaigns.models import Campaign, CampaignKind, TargetMode
from pledges import services as pledge_services
from pledges.models import Measure, Registration
from portal.documents import layout as documents
from portal.models import Role, Unit
from tests.factories import make_member

ITEMS = (
    "1. Thi đua thực hiện thắng lợi các chỉ tiêu kinh tế - xã hội năm 2026.",
    "2. Thi đua xây dựng đô thị văn minh, phường đạt chuẩn đô thị văn minh.",
    "3. Thi đua cải cách hành chính, chuyển đổi số.",
)


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


@pytest.fixture(autouse=True)
def _documents_off_disk(request, settings, tmp_path, monkeypatch):
    """Documents go to a throw-away media folder; their PDF is a stand-in unless a test asks
    for the real rendering with the `real_pdf` fixture (WeasyPrint takes about a second)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    if "real_pdf" not in request.fixturenames:
        # The engine's own rendering steps, stubbed: layout, bytes, and the signature box.
        monkeypatch.setattr(documents, "_weasy_document", lambda html: None)
        monkeypatch.setattr(documents, "_pdf_bytes", lambda rendered: b"%PDF-1.4 stand-in")
        monkeypatch.setattr(documents, "_anchor_in", lambda rendered: (0, (0, 0, 0, 0)))


@pytest.fixture
def real_pdf():
    return True


def prepare_document(campaign: Campaign, actor) -> None:
    campaign_services.prepare_launch_document(
        campaign,
        actor=actor,
        recipients=["Thường trực Hội đồng Thi đua – Khen thưởng", "UBND các phường"],
    )
    campaign.refresh_from_db()


def make_campaign(issuer: Unit, actor, *, document: bool = True, **overrides) -> Campaign:
    fields = dict(
        title="Phong trào thi đua “Long Khánh chung sức xây dựng đô thị văn minh”",
        theme="Đồng thuận cao, thi đua giỏi, về đích sớm",
        kind=CampaignKind.REGULAR,
        starts_on=days(-30),
        ends_on=days(180),
        registration_due=days(14),
        midterm_review_due=days(60),
        final_review_due=days(150),
        purpose="Khơi dậy tinh thần thi đua yêu nước.\nPhát hiện, nhân rộng điển hình tiên tiến.",
        solutions="Đẩy mạnh tuyên truyền.",
        organisation="Ủy ban nhân dân các phường triển khai thực hiện.",
        rewards="Chủ tịch Ủy ban nhân dân thành phố tặng Giấy khen.",
        award_forms="Giấy khen của Chủ tịch UBND thành phố",
        items=ITEMS,
        bases=[
            campaign_services.BasisInput(
                document_number="Luật số 06/2022/QH15",
                issued_on=datetime.date(2022, 6, 15),
                issuer_name="Quốc hội",
                summary="Luật Thi đua, khen thưởng",
            )
        ],
    )
    fields.update(overrides)
    campaign = campaign_services.create_campaign(issuer, actor=actor, **fields)
    if document:
        prepare_document(campaign, actor)
    return campaign


@pytest.fixture
def city(world):
    world.city_leader = make_member(world.district, Role.LEADER, "ct_longkhanh", "Lê Văn Thành")
    world.city_officer = make_member(world.district, Role.OFFICER, "cb_longkhanh", "Mai Thị Phố")
    return world


@pytest.fixture
def draft_campaign(city):
    return make_campaign(city.district, city.city_officer)


@pytest.fixture
def city_campaign(city, draft_campaign):
    """Launched by the city for every unit under it (the two wards and the ward office)."""
    return campaign_services.launch_campaign(draft_campaign, actor=city.city_leader)


def task_row(number: int = 1, **overrides) -> pledge_services.TaskInput:
    fields = dict(
        item_number=number,
        description=f"Nhiệm vụ số {number}: xây dựng mô hình dân vận khéo",
        measure=Measure.NUMBER,
        target_value=Decimal(10),
        unit_of_measure="mô hình",
        due_on=days(90),
        responsible="Huỳnh Thị Thu",
    )
    fields.update(overrides)
    return pledge_services.TaskInput(**fields)


def registered(world, campaign: Campaign, *, accept: bool = True) -> Registration:
    """Xuân Trung's registration with two tasks, approved by its leader and (by default)
    accepted by the city."""
    registration = pledge_services.start_registration(
        campaign, actor=world.ward_officer, unit=world.ward
    )
    pledge_services.set_registration_tasks(
        registration,
        actor=world.ward_officer,
        tasks=[
            task_row(1),
            task_row(2, measure=Measure.MILESTONE, target_value=None, unit_of_measure=""),
        ],
    )
    pledge_services.submit_registration(registration, actor=world.ward_officer)
    pledge_services.approve_registration(registration, actor=world.ward_leader)
    if accept:
        pledge_services.accept_registration(registration, actor=world.city_officer)
    registration.refresh_from_db()
    return registration


__all__ = [
    "ITEMS",
    "TargetMode",
    "city",
    "city_campaign",
    "days",
    "draft_campaign",
    "make_campaign",
    "prepare_document",
    "real_pdf",
    "registered",
    "task_row",
]
