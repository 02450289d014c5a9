"""Demo campaigns for `manage.py load_demo` (runs after the portal's demo world of Đồng Nai).

A provincial Kế hoạch launched for every commune and ward, and follow-up campaigns by three of
them (two launched, one still a draft). The registrations, progress and reviews under it come
from `pledges.demo`. Keyed on the provincial campaign's title: a second run adds nothing.
"""

from __future__ import annotations

import datetime
from typing import TextIO

from django.db import transaction
from django.utils import timezone

from campaigns import services
from campaigns.models import Campaign, CampaignKind, TargetMode
from portal import access
from portal.access import Cap
from portal.models import COMMUNE_KINDS, DISTRICT_KINDS, CodeScheme, Post, Unit, User

PROVINCE_CODE = "75"
DETAILED_WARDS = ("26080", "26041", "26425")
TITLE = "Phong trào thi đua “Đồng Nai chung sức xây dựng đô thị văn minh, nông thôn mới”"
# A thematic campaign whose registration closed yesterday, for a few wards that have not
# registered: the overdue item the reminder planner puts in their officers' digest, and after
# REMINDER_ESCALATION_GRACE_DAYS in the city leader's (docs/background-work.md).
OVERDUE_TITLE = "Phong trào thi đua chuyên đề “Chuyển đổi số trong cải cách hành chính”"
OVERDUE_WARDS = ("26080", "26041", "26425")
ITEMS = (
    "1. Thi đua hoàn thành vượt mức các chỉ tiêu phát triển kinh tế - xã hội được giao.",
    "2. Thi đua xây dựng đô thị văn minh, nông thôn mới nâng cao, nông thôn mới kiểu mẫu.",
    "3. Thi đua đẩy mạnh cải cách hành chính, chuyển đổi số, xây dựng chính quyền số.",
    "4. Thi đua bảo đảm an sinh xã hội, chăm lo đời sống Nhân dân, không để ai bị bỏ lại phía sau.",
    "5. Thi đua giữ vững quốc phòng, an ninh, trật tự an toàn xã hội.",
    "6. Thi đua phát hiện, bồi dưỡng, nhân rộng các điển hình tiên tiến, mô hình mới, cách làm"
    " hay.",
)


def demo_campaign() -> Campaign | None:
    """The provincial demo campaign, for the demos of the apps built on this one."""
    return Campaign.objects.filter(issuer__code=PROVINCE_CODE, title=TITLE).first()


def demo_user(username: str) -> User | None:
    return User.objects.filter(username=username, is_active=True).first()


def leader_of(unit: Unit, fallback: User) -> User:
    return access.holders(Cap.LEAD_UNIT, unit).first() or fallback


def officer_of(unit: Unit, fallback: User) -> User:
    return access.holders(Cap.SUBMIT_REGISTRATION, unit).first() or fallback


def day(offset: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=offset)


def _prepare(campaign: Campaign, actor: User) -> None:
    """The launching paper, signed by the issuer's head on the post (never an account)."""
    services.prepare_launch_document(
        campaign,
        actor=actor,
        recipients=[
            "Thường trực Hội đồng Thi đua - Khen thưởng",
            "Các sở, ban, ngành",
            "UBND các xã, phường",
        ],
    )


def load(*, stdout: TextIO) -> None:
    province = Unit.objects.filter(code_scheme=CodeScheme.CURRENT, code=PROVINCE_CODE).first()
    admin = User.objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
    if province is None or admin is None:
        stdout.write("Phong trào mẫu: bỏ qua (chưa có tỉnh mẫu hoặc quản trị hệ thống).\n")
        return
    if Campaign.objects.filter(issuer=province, title=TITLE).exists():
        stdout.write("Phong trào mẫu: không có thay đổi (đã nạp từ trước).\n")
    else:
        with transaction.atomic():
            counts = _load(province, admin)
        stdout.write(
            f"Phong trào mẫu: 1 phong trào cấp tỉnh, {counts['follow_ups']} phong trào tiếp nối.\n"
        )
    wards = list(Unit.objects.filter(code_scheme=CodeScheme.CURRENT, code__in=OVERDUE_WARDS))
    if wards and not Campaign.objects.filter(issuer=province, title=OVERDUE_TITLE).exists():
        with transaction.atomic():
            _overdue_campaign(province, admin, wards)
        stdout.write(
            "Phong trào mẫu: 1 phong trào chuyên đề đã hết hạn đăng ký hôm qua "
            "(các phường chưa đăng ký được nhắc quá hạn).\n"
        )


def _load(province: Unit, admin: User) -> dict[str, int]:
    officer = demo_user("canbo_tinh") or admin
    leader = demo_user("lanhdao_tinh") or admin
    campaign = services.create_campaign(
        province,
        actor=officer,
        title=TITLE,
        theme="Đồng thuận cao, thi đua giỏi, về đích sớm",
        kind=CampaignKind.REGULAR,
        starts_on=day(-45),
        ends_on=day(300),
        registration_due=day(15),
        midterm_review_due=day(120),
        final_review_due=day(280),
        purpose=(
            "I. MỤC ĐÍCH, YÊU CẦU\n"
            "Khơi dậy tinh thần yêu nước, ý chí tự lực, tự cường của cán bộ, đảng viên và "
            "Nhân dân.\nPhát hiện, bồi dưỡng, tôn vinh các tập thể, cá nhân tiêu biểu.\n"
            "II. NỘI DUNG THI ĐUA"
        ),
        solutions=(
            "III. GIẢI PHÁP\nĐẩy mạnh tuyên truyền.\n"
            "Gắn phong trào với nhiệm vụ chính trị của từng đơn vị."
        ),
        organisation=(
            "IV. TỔ CHỨC THỰC HIỆN\n"
            "Sở Nội vụ là cơ quan thường trực, theo dõi, tổng hợp, tham mưu sơ kết, tổng kết.\n"
            "UBND các xã, phường phát động phong trào, đăng ký thi đua trước hạn."
        ),
        rewards=(
            "V. KHEN THƯỞNG\nChủ tịch UBND tỉnh tặng Bằng khen cho các tập thể, cá nhân tiêu biểu."
        ),
        award_forms="Cờ thi đua của Ủy ban nhân dân tỉnh\nBằng khen của Chủ tịch UBND tỉnh",
        asks_for_titles=True,
        target_mode=TargetMode.KINDS,
        target_kinds=sorted(COMMUNE_KINDS | DISTRICT_KINDS),
        items=ITEMS,
        bases=[
            services.BasisInput(
                document_number="Luật số 06/2022/QH15",
                issued_on=datetime.date(2022, 6, 15),
                issuer_name="Quốc hội",
                summary="Luật Thi đua, khen thưởng",
            ),
            services.BasisInput(
                document_number="Nghị định số 152/2025/NĐ-CP",
                issued_on=datetime.date(2025, 6, 14),
                issuer_name="Chính phủ",
                summary="quy định chi tiết một số điều của Luật Thi đua, khen thưởng",
            ),
        ],
    )
    _prepare(campaign, officer)
    services.launch_campaign(campaign, actor=leader, launched_on=day(-45))
    targets = list(
        campaign.targets.select_related("unit").filter(
            unit__kind__in=COMMUNE_KINDS | DISTRICT_KINDS
        )
    )
    targets.sort(key=lambda target: (target.unit.depth, target.unit.path))
    follow_ups = _follow_ups(campaign, [t.unit for t in targets], admin)
    return {"follow_ups": follow_ups}


def _follow_ups(campaign: Campaign, units: list[Unit], admin: User) -> int:
    # The wards the portal's demo gives offices and residential groups of their own.
    preferred = [u for u in units if u.code in DETAILED_WARDS]
    chosen = preferred + [u for u in units if u not in preferred]
    created = 0
    for index, unit in enumerate(chosen[:3]):
        officer = officer_of(unit, admin)
        follow_up = services.create_follow_up_campaign(campaign, actor=officer, issuer=unit)
        created += 1
        if index == 2 or not services.resolve_targets(follow_up):
            continue  # a draft, as a ward still preparing its plan
        leader = leader_of(unit, admin)
        if not Post.objects.held_on(day(0)).filter(unit=unit).exists():
            continue  # nobody on a post signs its plan yet: it stays a draft
        _prepare(follow_up, officer)
        services.launch_campaign(follow_up, actor=leader)
    return created


def _overdue_campaign(province: Unit, admin: User, wards: list[Unit]) -> Campaign:
    officer = demo_user("canbo_tinh") or admin
    leader = demo_user("lanhdao_tinh") or admin
    campaign = services.create_campaign(
        province,
        actor=officer,
        title=OVERDUE_TITLE,
        theme="Phường số, dân hài lòng",
        kind=CampaignKind.THEMATIC,
        starts_on=day(-30),
        ends_on=day(150),
        registration_due=day(-1),
        final_review_due=day(140),
        purpose="Đẩy mạnh tiếp nhận, giải quyết thủ tục hành chính trên môi trường số.",
        organisation="UBND các phường được chọn đăng ký thi đua trước hạn.",
        rewards="V. KHEN THƯỞNG\nChủ tịch UBND tỉnh tặng Bằng khen cho các phường tiêu biểu.",
        award_forms="Bằng khen của Chủ tịch UBND tỉnh",
        target_mode=TargetMode.LIST,
        target_list=wards,
        items=ITEMS[2:3],
    )
    _prepare(campaign, officer)
    return services.launch_campaign(campaign, actor=leader, launched_on=day(-30))
