"""Demo registrations for `manage.py load_demo`, under the provincial demo campaign.

Thirty communes and wards register two tasks each and stand at every step of the workflow
(accepted, approved, submitted, draft); the accepted ones have reported progress, and the first
has filed its mid-term review with an exemplar and award proposals. A second run adds nothing.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TextIO

from django.db import transaction

from campaigns.demo import day, demo_campaign, demo_user, leader_of, officer_of
from campaigns.models import Campaign, ReviewKind
from pledges import reviews, services
from pledges.covenants import demo as covenant_demo
from pledges.models import ProposedAward, Registration
from portal.models import COMMUNE_KINDS, Unit, User

REGISTERING = 30
STAGES = ("accepted", "accepted", "accepted", "approved", "submitted", "draft")


def load(*, stdout: TextIO) -> None:
    _load_registrations(stdout=stdout)
    covenant_demo.load(stdout=stdout)


def _load_registrations(*, stdout: TextIO) -> None:
    campaign = demo_campaign()
    admin = User.objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
    if campaign is None or admin is None:
        stdout.write("Đăng ký thi đua mẫu: bỏ qua (chưa có phong trào mẫu).\n")
        return
    if Registration.objects.filter(campaign=campaign).exists():
        stdout.write("Đăng ký thi đua mẫu: không có thay đổi (đã nạp từ trước).\n")
        return
    units = [
        target.unit
        for target in campaign.targets.select_related("unit")
        .filter(unit__kind__in=COMMUNE_KINDS)
        .order_by("unit__path")[:REGISTERING]
    ]
    with transaction.atomic():
        reports = _registrations(campaign, units, admin)
        _review(campaign, units, admin)
    stdout.write(
        f"Đăng ký thi đua mẫu: {len(units)} bản đăng ký, {reports} báo cáo tiến độ, "
        "1 báo cáo sơ kết.\n"
    )


def _tasks(index: int) -> list[services.TaskInput]:
    return [
        services.TaskInput(
            item_number=2,
            description=f"Xây dựng {4 + index % 5} tuyến đường, khu dân cư văn minh",
            measure="number",
            target_value=Decimal(4 + index % 5),
            unit_of_measure="tuyến",
            due_on=day(200),
            responsible="Công chức Văn hóa - Xã hội",
        ),
        services.TaskInput(
            item_number=3,
            description="100% hồ sơ thủ tục hành chính được tiếp nhận trực tuyến",
            measure="milestone",
            target_value=None,
            unit_of_measure="",
            due_on=day(150),
            responsible="Văn phòng HĐND và UBND",
        ),
    ]


def _registrations(campaign: Campaign, units: list[Unit], admin: User) -> int:
    reports = 0
    issuer_officer = demo_user("canbo_tinh") or admin
    for index, unit in enumerate(units):
        stage = STAGES[index % len(STAGES)]
        officer, leader = officer_of(unit, admin), leader_of(unit, admin)
        registration = services.start_registration(campaign, actor=officer, unit=unit)
        services.set_registration_tasks(registration, actor=officer, tasks=_tasks(index))
        if stage == "draft":
            continue
        services.submit_registration(registration, actor=officer)
        if stage == "submitted":
            continue
        services.approve_registration(registration, actor=leader)
        if stage == "approved":
            continue
        services.accept_registration(registration, actor=issuer_officer)
        number_task, milestone_task = registration.tasks.all()
        services.report_progress(
            number_task,
            actor=officer,
            reported_on=day(-(index % 20)),
            value=Decimal(index % 4 + 1),
            narrative="Đã ra mắt các tuyến đường văn minh, có đèn chiếu sáng và cây xanh.",
            links="https://dongnai.gov.vn/",
        )
        reports += 1
        if index % 2 == 0:
            services.report_progress(
                milestone_task,
                actor=officer,
                reported_on=day(-1),
                done=index % 4 == 0,
                narrative="Triển khai tiếp nhận hồ sơ trực tuyến tại bộ phận một cửa.",
            )
            reports += 1
    return reports


def _review(campaign: Campaign, units: list[Unit], admin: User) -> None:
    """The first unit's mid-term review, submitted, with an exemplar and award proposals."""
    if not units:
        return
    unit = units[0]
    officer = officer_of(unit, admin)
    review = reviews.open_unit_review(campaign, actor=officer, unit=unit, kind=ReviewKind.MIDTERM)
    proposals = [
        reviews.ProposalInput(
            award=ProposedAward.BANG_KHEN_TINH,
            achievement="Dẫn đầu cụm thi đua về xây dựng đô thị văn minh.",
            unit=unit,
        )
    ]
    person = unit.people.filter(is_active=True).first()
    if person is not None:
        proposals.append(
            reviews.ProposalInput(
                award=ProposedAward.GIAY_KHEN,
                achievement="Tích cực vận động Nhân dân hiến đất mở đường.",
                person=person,
            )
        )
    reviews.update_unit_review(
        review,
        actor=officer,
        self_assessment=review.self_assessment,
        strengths="Cả hệ thống chính trị vào cuộc; Nhân dân đồng thuận.",
        shortcomings="Kinh phí chỉnh trang đô thị còn hạn chế.",
        exemplars=[
            reviews.ExemplarInput(
                kind="new_model",
                name="Mô hình “Tuyến đường hoa, tuyến đường không rác”",
                description="Khu phố tự quản trồng hoa, phân loại rác tại nguồn.",
            )
        ],
        proposals=proposals,
    )
    reviews.submit_unit_review(review, actor=officer)
