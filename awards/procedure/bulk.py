"""Bulk actions for Nội vụ: each row its own transaction, each row its own result."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied

from awards.models import Nomination
from awards.procedure.appraisal import check_nomination, receive_nomination, return_nomination
from awards.workflow import Status
from portal.errors import RuleViolation


@dataclass(frozen=True)
class RowResult:
    nomination: Nomination
    ok: bool
    message: str


BULK_ACTIONS: dict[str, str] = {
    "receive": "Tiếp nhận",
    "return": "Trả lại (cùng một lý do)",
    "check": "Thẩm định xong (cùng một ý kiến)",
}


def bulk_call(
    nominations: Iterable[Nomination], call: Callable[[Nomination], object]
) -> list[RowResult]:
    """Run `call` per dossier (each a service with its own transaction), collecting results."""
    results = []
    for nomination in nominations:
        try:
            call(nomination)
        except (RuleViolation, PermissionDenied) as error:
            results.append(RowResult(nomination, False, str(error)))
        else:
            moved = Nomination.objects.get(pk=nomination.pk)
            results.append(RowResult(moved, True, Status(moved.status).label))
    return results


def bulk_apply(
    action: str, nominations: Iterable[Nomination], *, actor, reason: str = ""
) -> list[RowResult]:
    """Run one service per dossier; a refused row does not stop the others."""
    calls = {
        "receive": lambda n: receive_nomination(n, actor=actor),
        "return": lambda n: return_nomination(n, actor=actor, reason=reason),
        "check": lambda n: check_nomination(n, actor=actor, opinion=reason),
    }
    if action not in calls:
        raise RuleViolation("Thao tác không hợp lệ.", code="bulk_action_unknown")
    return bulk_call(nominations, calls[action])
