"""What units commit to, in one module: registrations and unit reviews, and the giao ước.

Registration (đăng ký thi đua): the unit's emulation officer drafts the tasks and submits them;
the unit's leader approves them inside the unit (or sends them back with a reason); the issuing
level accepts the registration or returns it with a reason. A returned registration, or an
accepted one the unit must change, is amended and submitted again. A registration submitted
after the campaign's registration deadline is accepted but marked late.

Unit review (sơ kết / tổng kết of a unit): drafted by the unit's officer, pre-filled from the
measured progress, then submitted to the issuing level.

Giao ước thi đua of a bloc (cụm, khối thi đua):
The bloc head's officer drafts the year's pledge and opens it for signature; each member
unit's leader signs it (or the head uploads the scanned signed original) and it is signed
when every member has; the head puts it in force at the signing conference. At the year's
end the members are scored against the published table; publishing the ranking marks the
pledge scored, and closing the year hands the bloc to next year's head. Each member's score
sheet goes through the stages in turn: the member's self-assessment, the head's scoring, the
organising unit's Nội vụ review.

Each workflow is one table on the engine (`portal.workflow`): REGISTRATION, UNIT_REVIEW,
PLEDGE, SCORE_SHEET; each row names the side whose unit holds its capability (`on`).
"""

from __future__ import annotations

from django.db import models

from portal.access import Cap
from portal.workflow import Table, move


class RegistrationStatus(models.TextChoices):
    DRAFT = "draft", "Đang soạn"
    SUBMITTED = "submitted", "Chờ lãnh đạo đơn vị duyệt"
    APPROVED = "approved", "Chờ cấp phát động chấp thuận"
    ACCEPTED = "accepted", "Đã được chấp thuận"
    RETURNED = "returned", "Bị trả lại"
    AMENDED = "amended", "Đang điều chỉnh"


class UnitReviewStatus(models.TextChoices):
    DRAFT = "draft", "Đang soạn"
    SUBMITTED = "submitted", "Đã gửi"


R = RegistrationStatus
V = UnitReviewStatus

# The sides a move's capability is held on (`Transition.on`): the registering unit's own
# ("unit"), the level that issued the campaign ("issuer"); for a giao ước the bloc head
# ("head"), each member for itself ("member") and the organising unit ("organiser").
UNIT, ISSUER, HEAD, MEMBER, ORGANISER = "unit", "issuer", "head", "member", "organiser"


def registration_refusal(source: str, target: str) -> str:
    return (
        f"Không thể chuyển bản đăng ký từ “{RegistrationStatus(source).label}” "
        f"sang “{RegistrationStatus(target).label if target else 'trạng thái khác'}”."
    )


def review_refusal(source: str, target: str) -> str:
    return (
        f"Không thể chuyển báo cáo từ “{UnitReviewStatus(source).label}” "
        f"sang “{UnitReviewStatus(target).label if target else 'trạng thái khác'}”."
    )


REGISTRATION = Table(
    "registration",
    [
        move(
            "submit",
            {R.DRAFT, R.AMENDED},
            R.SUBMITTED,
            Cap.SUBMIT_REGISTRATION,
            "Gửi lãnh đạo duyệt",
            on=UNIT,
        ),
        move(
            "approve",
            {R.SUBMITTED},
            R.APPROVED,
            Cap.APPROVE_REGISTRATION,
            "Duyệt và gửi cấp trên",
            on=UNIT,
        ),
        # Sent back by the unit's leader before approval, by the issuing level after it.
        move(
            "return",
            {R.SUBMITTED},
            R.RETURNED,
            Cap.APPROVE_REGISTRATION,
            "Trả lại",
            needs_reason=True,
            on=UNIT,
        ),
        move(
            "return",
            {R.APPROVED},
            R.RETURNED,
            Cap.ACCEPT_REGISTRATION,
            "Trả lại",
            needs_reason=True,
            on=ISSUER,
        ),
        move("accept", {R.APPROVED}, R.ACCEPTED, Cap.ACCEPT_REGISTRATION, "Chấp thuận", on=ISSUER),
        # Amending what was accepted needs a reason; a returned one was given its reason.
        move("amend", {R.RETURNED}, R.AMENDED, Cap.SUBMIT_REGISTRATION, "Điều chỉnh", on=UNIT),
        move(
            "amend",
            {R.ACCEPTED},
            R.AMENDED,
            Cap.SUBMIT_REGISTRATION,
            "Điều chỉnh",
            needs_reason=True,
            on=UNIT,
        ),
    ],
    refusal=registration_refusal,
)

UNIT_REVIEW = Table(
    "unit_review",
    [move("submit", {V.DRAFT}, V.SUBMITTED, Cap.REPORT_PROGRESS, "Gửi báo cáo", on=UNIT)],
    refusal=review_refusal,
)

# The registration's tasks and titles can be edited only here.
EDITABLE = frozenset({R.DRAFT, R.AMENDED})
# "Registered": the unit has sent its registration at least once.
REGISTERED = frozenset({R.SUBMITTED, R.APPROVED, R.ACCEPTED, R.RETURNED, R.AMENDED})


class PledgeStatus(models.TextChoices):
    DRAFT = "draft", "Đang soạn"
    OPEN = "open", "Đang lấy chữ ký"
    SIGNED = "signed", "Đã ký đủ"
    IN_FORCE = "in_force", "Đang có hiệu lực"
    SCORED = "scored", "Đã chấm điểm, xếp hạng"
    CLOSED = "closed", "Đã kết thúc năm"


P = PledgeStatus


def pledge_refusal(source: str, target: str) -> str:
    return (
        f"Không thể chuyển giao ước từ “{PledgeStatus(source).label}” "
        f"sang “{PledgeStatus(target).label if target else 'trạng thái khác'}”."
    )


PLEDGE = Table(
    "pledge",
    [
        move("open", {P.DRAFT}, P.OPEN, Cap.MANAGE_PLEDGE, "Mở lấy chữ ký", on=HEAD),
        move("sign", {P.OPEN}, P.SIGNED, Cap.SIGN_PLEDGE, "Ký", on=MEMBER),
        move("in_force", {P.SIGNED}, P.IN_FORCE, Cap.MANAGE_PLEDGE, "Đưa vào thực hiện", on=HEAD),
        move(
            "score", {P.IN_FORCE}, P.SCORED, Cap.REVIEW_BLOC_SCORES, "Công bố kết quả", on=ORGANISER
        ),
        move(
            "close",
            {P.SCORED},
            P.CLOSED,
            Cap.REVIEW_BLOC_SCORES,
            "Kết thúc năm (luân phiên trưởng cụm/khối)",
            on=ORGANISER,
        ),
    ],
    refusal=pledge_refusal,
)
# Moves no button makes: the last member's signature (or the uploaded scan) signs the pledge,
# and publishing the ranking on the results page scores it.
BY_ANOTHER_STEP = frozenset({"sign", "score"})

# Amendments (new versions) are possible while the pledge binds the members.
AMENDABLE = frozenset({P.DRAFT, P.IN_FORCE})


class ScoreTableStatus(models.TextChoices):
    DRAFT = "draft", "Đang soạn"
    PUBLISHED = "published", "Đã công bố cho các thành viên"
    LOCKED = "locked", "Đã khóa (đã công bố kết quả)"


class ScoreSheetStatus(models.TextChoices):
    DRAFT = "draft", "Thành viên đang tự chấm"
    SELF_SUBMITTED = "self_submitted", "Đã gửi tự chấm"
    HEAD_SCORED = "head_scored", "Trưởng cụm/khối đã chấm"
    REVIEWED = "reviewed", "Nội vụ đã thẩm định"


class ScoreStage(models.TextChoices):
    SELF = "self", "Tự chấm"
    HEAD = "head", "Trưởng cụm/khối chấm"
    REVIEWER = "reviewer", "Nội vụ thẩm định"


Q = ScoreSheetStatus


def sheet_refusal(source: str, target: str) -> str:
    return f"Phiếu đang ở bước “{ScoreSheetStatus(source).label}”, chưa chấm được."


# A member's score sheet, one move a stage: the action is the stage that completes it.
SCORE_SHEET = Table(
    "score_sheet",
    [
        move(
            ScoreStage.SELF,
            {Q.DRAFT},
            Q.SELF_SUBMITTED,
            Cap.REPORT_PROGRESS,
            "Gửi trưởng cụm/khối",
            on=UNIT,
        ),
        move(
            ScoreStage.HEAD,
            {Q.SELF_SUBMITTED},
            Q.HEAD_SCORED,
            Cap.MANAGE_PLEDGE,
            "Hoàn thành bước chấm của trưởng cụm/khối",
            on=HEAD,
        ),
        move(
            ScoreStage.REVIEWER,
            {Q.HEAD_SCORED},
            Q.REVIEWED,
            Cap.REVIEW_BLOC_SCORES,
            "Hoàn thành bước thẩm định",
            on=ORGANISER,
        ),
    ],
    refusal=sheet_refusal,
)
