"""Public comment (lấy ý kiến công khai): the window the rules set, at the level that publishes,
and the comments the public sends while it is open.
"""

from __future__ import annotations

import datetime

from django.db import transaction

from awards.models import Nomination, PublicComment
from awards.rules.rulebook import Rulebook
from awards.transitions import lock_nomination, move_nomination, today
from awards.workflow import Status
from portal.audit import stamp
from portal.calendar import add_working_days
from portal.errors import RuleViolation
from portal.text import normalize_text


def _rule_of_item(nomination: Nomination, on: datetime.date | None = None):
    rulebook = Rulebook.for_day(on or today(), nomination.handling_unit)
    return rulebook.public_comment(nomination.item) if rulebook else None


def comment_rule(nomination: Nomination, on: datetime.date | None = None):
    """The public-comment rule the level holding the dossier must apply: the item's rule, at the
    level that publishes only (`Nomination.comments_here`)."""
    return _rule_of_item(nomination, on) if nomination.comments_here else None


def _comment_level_name(nomination: Nomination) -> str:
    if nomination.is_central:
        return "cấp tỉnh trước khi trình Trung ương"
    return nomination.conferring_unit.name if nomination.conferring_unit_id else "cấp quyết định"


@transaction.atomic
def open_public_comment(
    nomination: Nomination, *, actor, opens_on: datetime.date | None = None
) -> Nomination:
    """Put the nominee on the public site for the window the rules set."""
    nomination = lock_nomination(nomination)
    opens_on = opens_on or today()
    rule = comment_rule(nomination)

    def window(n: Nomination) -> None:
        if rule is None and _rule_of_item(n) is not None:
            raise RuleViolation(
                f"“{n.item.name}” được lấy ý kiến công khai ở {_comment_level_name(n)}; "
                f"{n.handling_unit.name} thẩm định và trình lên, không lấy ý kiến.",
                code="public_comment_elsewhere",
            )
        if rule is None:
            raise RuleViolation(
                f"“{n.item.name}” không phải lấy ý kiến công khai theo quy định.",
                code="public_comment_not_required",
            )
        if opens_on < today():
            raise RuleViolation(
                "Ngày bắt đầu lấy ý kiến không được trước hôm nay.",
                code="public_comment_start_past",
            )
        n.comment_opens_on = opens_on
        n.comment_closes_on = add_working_days(opens_on, rule.working_days)

    return move_nomination(
        nomination,
        "open_comment",
        actor=actor,
        before=window,
        reason=f"Lấy ý kiến công khai ({rule.article})" if rule else "",
        fields=["comment_opens_on", "comment_closes_on"],
    )


@transaction.atomic
def add_public_comment(
    nomination: Nomination, *, author_name: str, text: str, contact: str = ""
) -> PublicComment:
    """A comment from the public while the window is open (no account needed)."""
    nomination = lock_nomination(nomination)
    if nomination.status != Status.PUBLIC_COMMENT or not nomination.comment_window_open(today()):
        raise RuleViolation(
            "Hồ sơ này hiện không trong thời gian lấy ý kiến.", code="public_comment_closed"
        )
    author_name, text = normalize_text(author_name), normalize_text(text)
    if not author_name or not text:
        raise RuleViolation("Cần ghi họ tên và nội dung góp ý.", code="public_comment_incomplete")
    comment = PublicComment(
        nomination=nomination, author_name=author_name, text=text, contact=normalize_text(contact)
    )
    stamp(comment, actor=None, reason="awards.public_comment.received")
    comment.save()
    return comment
