"""The rules a campaign's fields keep among themselves and against the campaign it follows."""

from __future__ import annotations

from campaigns.models import Campaign, CampaignKind, LaunchForm, TargetMode
from portal.errors import RuleViolation
from portal.models import UnitKind


def check_campaign(campaign: Campaign) -> None:
    """The rules a campaign's own fields keep, checked before every save of a draft."""
    if not campaign.title:
        raise RuleViolation("Tên phong trào không được để trống.", code="campaign_name_required")
    if campaign.kind not in CampaignKind.values:
        raise RuleViolation("Loại phong trào không hợp lệ.", code="campaign_kind_invalid")
    if campaign.launch_form not in LaunchForm.values:
        raise RuleViolation("Hình thức phát động không hợp lệ.", code="launch_form_invalid")
    if campaign.ends_on < campaign.starts_on:
        raise RuleViolation("Ngày kết thúc phải sau ngày bắt đầu.", code="ends_before_start")
    if not campaign.starts_on <= campaign.registration_due <= campaign.ends_on:
        raise RuleViolation(
            "Hạn đăng ký phải nằm trong thời gian của phong trào.", code="registration_due_outside"
        )
    midterm = campaign.midterm_review_due
    if (
        midterm is not None
        and not campaign.registration_due <= midterm <= campaign.final_review_due
    ):
        raise RuleViolation(
            "Hạn sơ kết phải sau hạn đăng ký và trước hạn tổng kết.",
            code="midterm_due_out_of_order",
        )
    if campaign.final_review_due < campaign.registration_due:
        raise RuleViolation(
            "Hạn tổng kết phải sau hạn đăng ký.", code="final_due_before_registration"
        )
    if campaign.target_mode not in TargetMode.values:
        raise RuleViolation("Cách chọn đơn vị tham gia không hợp lệ.", code="target_mode_invalid")
    unknown = set(campaign.target_kinds or []) - set(UnitKind.values)
    if unknown:
        raise RuleViolation("Loại đơn vị tham gia không hợp lệ.", code="target_kind_invalid")
    parent = campaign.parent
    if parent is not None:
        for field, label in (
            ("registration_due", "hạn đăng ký"),
            ("midterm_review_due", "hạn sơ kết"),
            ("final_review_due", "hạn tổng kết"),
        ):
            mine, theirs = getattr(campaign, field), getattr(parent, field)
            if mine is not None and theirs is not None and mine > theirs:
                raise RuleViolation(
                    f"Phong trào tiếp nối không được có {label} muộn hơn phong trào cấp trên "
                    f"({theirs:%d/%m/%Y}).",
                    code="follow_up_later_than_parent",
                )
