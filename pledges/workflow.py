"""What units commit to, in one module: registrations and unit reviews, and the giao ước.

Registration (đăng ký thi đua): the unit's emulation officer drafts the tasks and submits them;
the unit's leader approves them inside the unit (or sends them back with a reason); the issuing
level accepts the registration or returns it with a reason. A returned registration, or an
accepted one the unit must change, is amended and submitted again. A registration submitted
after the campaign's registration deadline is accepted but marked late.

Unit review (sơ kết / tổng kết of a unit): drafted by the unit's officer, pre-filled from the
measured progress, then submitted to the issuing level.

Giao ước thi đua of a bloc (cụm, khối thi đua), in its own table (PLEDGE_TRANSITIONS):
The bloc head's officer drafts the year's pledge and opens it for signature; each member
unit's leader signs it (or the head uploads the scanned signed original) and it is signed
when every member has; the head puts it in force at the signing conference. At the year's
end the members are scored against the published table; publishing the ranking marks the
pledge scored, and closing the year hands the bloc to next year's head.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models

from portal.access import Cap


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


class Side(models.TextChoices):
    """Whose capability a move needs: the registering unit's, or the issuing unit's."""

    UNIT = "unit"
    ISSUER = "issuer"


@dataclass(frozen=True)
class Transition:
    capability: Cap
    side: Side
    verb: str
    needs_reason: bool = False


R = RegistrationStatus
V = UnitReviewStatus

TRANSITIONS: dict[tuple[str, str, str], Transition] = {
    ("registration", R.DRAFT, R.SUBMITTED): Transition(
        Cap.SUBMIT_REGISTRATION, Side.UNIT, "Gửi lãnh đạo duyệt"
    ),
    ("registration", R.AMENDED, R.SUBMITTED): Transition(
        Cap.SUBMIT_REGISTRATION, Side.UNIT, "Gửi lãnh đạo duyệt"
    ),
    ("registration", R.SUBMITTED, R.APPROVED): Transition(
        Cap.APPROVE_REGISTRATION, Side.UNIT, "Duyệt và gửi cấp trên"
    ),
    ("registration", R.SUBMITTED, R.RETURNED): Transition(
        Cap.APPROVE_REGISTRATION, Side.UNIT, "Trả lại", needs_reason=True
    ),
    ("registration", R.APPROVED, R.ACCEPTED): Transition(
        Cap.ACCEPT_REGISTRATION, Side.ISSUER, "Chấp thuận"
    ),
    ("registration", R.APPROVED, R.RETURNED): Transition(
        Cap.ACCEPT_REGISTRATION, Side.ISSUER, "Trả lại", needs_reason=True
    ),
    ("registration", R.RETURNED, R.AMENDED): Transition(
        Cap.SUBMIT_REGISTRATION, Side.UNIT, "Điều chỉnh"
    ),
    ("registration", R.ACCEPTED, R.AMENDED): Transition(
        Cap.SUBMIT_REGISTRATION, Side.UNIT, "Điều chỉnh", needs_reason=True
    ),
    ("review", V.DRAFT, V.SUBMITTED): Transition(Cap.REPORT_PROGRESS, Side.UNIT, "Gửi báo cáo"),
}

# The registration's tasks and titles can be edited only here.
EDITABLE = frozenset({R.DRAFT, R.AMENDED})
# "Registered": the unit has sent its registration at least once.
REGISTERED = frozenset({R.SUBMITTED, R.APPROVED, R.ACCEPTED, R.RETURNED, R.AMENDED})


def transition(kind: str, source: str, target: str) -> Transition | None:
    return TRANSITIONS.get((kind, source, target))


def targets_from(kind: str, source: str) -> list[str]:
    return [to for (k, frm, to) in TRANSITIONS if k == kind and frm == source]


def refusal(kind: str, source: str, target: str) -> str:
    labels = RegistrationStatus if kind == "registration" else UnitReviewStatus
    noun = "bản đăng ký" if kind == "registration" else "báo cáo"
    return f"Không thể chuyển {noun} từ “{labels(source).label}” sang “{labels(target).label}”."


class PledgeStatus(models.TextChoices):
    DRAFT = "draft", "Đang soạn"
    OPEN = "open", "Đang lấy chữ ký"
    SIGNED = "signed", "Đã ký đủ"
    IN_FORCE = "in_force", "Đang có hiệu lực"
    SCORED = "scored", "Đã chấm điểm, xếp hạng"
    CLOSED = "closed", "Đã kết thúc năm"


class PledgeMove(models.TextChoices):
    """Who moves a pledge: the bloc head's officer, or the reviewer of the organising unit."""

    HEAD = "head"
    ORGANISER = "organiser"


@dataclass(frozen=True)
class PledgeTransition:
    capability: Cap
    side: PledgeMove
    verb: str


P = PledgeStatus

PLEDGE_TRANSITIONS: dict[tuple[str, str], PledgeTransition] = {
    (P.DRAFT, P.OPEN): PledgeTransition(Cap.MANAGE_PLEDGE, PledgeMove.HEAD, "Mở lấy chữ ký"),
    # Reached by the last signature or the uploaded scan, never by hand.
    (P.OPEN, P.SIGNED): PledgeTransition(Cap.SIGN_PLEDGE, PledgeMove.HEAD, "Ký"),
    (P.SIGNED, P.IN_FORCE): PledgeTransition(
        Cap.MANAGE_PLEDGE, PledgeMove.HEAD, "Đưa vào thực hiện"
    ),
    (P.IN_FORCE, P.SCORED): PledgeTransition(
        Cap.REVIEW_BLOC_SCORES, PledgeMove.ORGANISER, "Công bố kết quả"
    ),
    (P.SCORED, P.CLOSED): PledgeTransition(
        Cap.REVIEW_BLOC_SCORES, PledgeMove.ORGANISER, "Kết thúc năm"
    ),
}

# Amendments (new versions) are possible while the pledge binds the members.
AMENDABLE = frozenset({P.DRAFT, P.IN_FORCE})


def pledge_transition(source: str, target: str) -> PledgeTransition | None:
    return PLEDGE_TRANSITIONS.get((source, target))


def pledge_refusal(source: str, target: str) -> str:
    return (
        f"Không thể chuyển giao ước từ “{PledgeStatus(source).label}” "
        f"sang “{PledgeStatus(target).label}”."
    )


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
