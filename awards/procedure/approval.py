"""Approval without a council vote, rejection, and the ad hoc short path (thủ tục đơn giản)."""

from __future__ import annotations

from django.db import transaction

from awards.models import Nomination
from awards.procedure.levels import must_decide_here, needs_council
from awards.procedure.screening import refuse_unjustified, run_eligibility, store_findings
from awards.transitions import lock_nomination, move_nomination
from portal.errors import RuleViolation


@transaction.atomic
def approve_nomination(nomination: Nomination, *, actor, reason: str = "") -> Nomination:
    """The conferring leader approves a checked dossier whose item needs no council vote."""

    def guard(n: Nomination) -> None:
        must_decide_here(n)
        if needs_council(n):
            raise RuleViolation(
                f"“{n.item.name}” phải được Hội đồng TĐKT bỏ phiếu.", code="council_vote_required"
            )

    return move_nomination(
        lock_nomination(nomination), "approve", actor=actor, reason=reason, before=guard
    )


@transaction.atomic
def reject_nomination(nomination: Nomination, *, actor, reason: str) -> Nomination:
    return move_nomination(lock_nomination(nomination), "reject", actor=actor, reason=reason)


@transaction.atomic
def fast_track_nomination(nomination: Nomination, *, actor, reason: str = "") -> Nomination:
    """Thủ tục đơn giản (Law Art. 85): an ad hoc dossier goes from receipt to approval."""

    def guard(n: Nomination) -> None:
        if not n.is_ad_hoc:
            raise RuleViolation(
                "Chỉ khen thưởng đột xuất được xét theo thủ tục đơn giản.",
                code="fast_track_ad_hoc_only",
            )
        must_decide_here(n)
        findings = run_eligibility(n)
        store_findings(n, findings)
        refuse_unjustified(n, findings)

    return move_nomination(
        lock_nomination(nomination),
        "fast_track",
        actor=actor,
        reason=reason,
        before=guard,
        fields=["findings"],
    )
