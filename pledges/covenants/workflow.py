"""Giao ước thi đua of a bloc (cụm, khối thi đua), in one transition table.

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
