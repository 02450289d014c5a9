"""The life of an emulation campaign (phong trào thi đua), in one transition table.

A unit's leader launches the campaign by a Kế hoạch or a Chỉ thị (draft → launched); the units
below register their tasks until the registration deadline, when the emulation officer closes
registration (→ closed for registration) and the campaign runs (→ in progress). At the mid-term
the issuing level holds its sơ kết (→ mid-term reviewed; short campaigns by period may skip
it), at the end its tổng kết (→ final reviewed), and the leader closes the campaign (→ closed),
which needs the final review on record. A draft that will not go ahead is cancelled, with a
reason. Closed and cancelled campaigns never move again.
"""

from __future__ import annotations

from django.db import models

from portal.access import Cap
from portal.workflow import Table, move


class CampaignStatus(models.TextChoices):
    DRAFT = "draft", "Dự thảo"
    LAUNCHED = "launched", "Đã phát động"
    REGISTRATION_CLOSED = "registration_closed", "Đã khóa đăng ký"
    IN_PROGRESS = "in_progress", "Đang thực hiện"
    MIDTERM_REVIEWED = "midterm_reviewed", "Đã sơ kết"
    FINAL_REVIEWED = "final_reviewed", "Đã tổng kết"
    CLOSED = "closed", "Đã kết thúc"
    CANCELLED = "cancelled", "Đã hủy"


S = CampaignStatus


def refusal(source: str, target: str) -> str:
    """The Vietnamese message for a move the table does not allow."""
    return (
        f"Không thể chuyển phong trào từ “{CampaignStatus(source).label}” "
        f"sang “{CampaignStatus(target).label if target else 'trạng thái khác'}”."
    )


TABLE = Table(
    "campaign",
    [
        move("launch", {S.DRAFT}, S.LAUNCHED, Cap.LAUNCH_CAMPAIGN, "Phát động"),
        move("cancel", {S.DRAFT}, S.CANCELLED, Cap.LAUNCH_CAMPAIGN, "Hủy", needs_reason=True),
        move(
            "close_registration",
            {S.LAUNCHED},
            S.REGISTRATION_CLOSED,
            Cap.MANAGE_CAMPAIGN,
            "Khóa đăng ký",
        ),
        move(
            "start",
            {S.REGISTRATION_CLOSED},
            S.IN_PROGRESS,
            Cap.MANAGE_CAMPAIGN,
            "Bắt đầu thực hiện",
        ),
        move(
            "midterm_review",
            {S.IN_PROGRESS},
            S.MIDTERM_REVIEWED,
            Cap.MANAGE_CAMPAIGN,
            "Ghi nhận sơ kết",
        ),
        move(
            "final_review",
            {S.IN_PROGRESS, S.MIDTERM_REVIEWED},
            S.FINAL_REVIEWED,
            Cap.MANAGE_CAMPAIGN,
            "Ghi nhận tổng kết",
        ),
        move("close", {S.FINAL_REVIEWED}, S.CLOSED, Cap.LAUNCH_CAMPAIGN, "Kết thúc phong trào"),
    ],
    refusal=refusal,
)

# Where units may still register (late registrations are accepted, and flagged).
OPEN_FOR_REGISTRATION = frozenset(
    {S.LAUNCHED, S.REGISTRATION_CLOSED, S.IN_PROGRESS, S.MIDTERM_REVIEWED}
)
# Where the campaign runs: progress reports and unit reviews are filed.
RUNNING = frozenset({S.LAUNCHED, S.REGISTRATION_CLOSED, S.IN_PROGRESS, S.MIDTERM_REVIEWED})
# Where the campaign is public and its target units act on it.
PUBLISHED = frozenset(
    {
        S.LAUNCHED,
        S.REGISTRATION_CLOSED,
        S.IN_PROGRESS,
        S.MIDTERM_REVIEWED,
        S.FINAL_REVIEWED,
        S.CLOSED,
    }
)
