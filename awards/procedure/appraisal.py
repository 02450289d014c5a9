"""Nội vụ receives a dossier, returns it for completion, or checks it (thẩm định): the opinion
and a verdict per criterion (`awards.procedure.criteria`), kept one row per criterion.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from django.db import transaction

from awards.models import CriterionOpinion, Nomination
from awards.procedure.criteria import Judgement, criteria_for, judge, pending_message
from awards.procedure.public_comment import comment_rule
from awards.procedure.screening import refuse_unjustified, run_eligibility, store_findings
from awards.transitions import lock_nomination, move_nomination, today
from awards.workflow import Status
from portal.audit import stamp
from portal.errors import RuleViolation
from portal.text import normalize_text


@transaction.atomic
def receive_nomination(nomination: Nomination, *, actor) -> Nomination:
    return move_nomination(lock_nomination(nomination), "receive", actor=actor)


@transaction.atomic
def return_nomination(nomination: Nomination, *, actor, reason: str) -> Nomination:
    """Back to the sender for completion; the reason is shown on the sender's page."""
    return move_nomination(lock_nomination(nomination), "return", actor=actor, reason=reason)


@transaction.atomic
def check_nomination(
    nomination: Nomination,
    *,
    actor,
    opinion: str,
    verdicts: Mapping[str, tuple[str, str]] | None = None,
) -> Nomination:
    """Thẩm định: the reviewer's opinion and a verdict per criterion (code → (verdict, note);
    None confirms the pre-filled ones); eligibility re-run on the day; public comment done;
    every body asked has answered, and an objection is either justified or the dossier goes
    back."""
    nomination = lock_nomination(nomination)
    opinion = normalize_text(opinion)
    judgements: list[Judgement] = []

    def appraise(n: Nomination) -> None:
        if not opinion:
            raise RuleViolation("Cần ghi ý kiến thẩm định.", code="opinion_missing")
        day = today()
        if n.status == Status.RECEIVED and comment_rule(n, day) is not None:
            raise RuleViolation(
                f"“{n.item.name}” phải lấy ý kiến công khai trước khi kết thúc thẩm định.",
                code="public_comment_required",
            )
        if n.status == Status.PUBLIC_COMMENT and day <= n.comment_closes_on:
            raise RuleViolation(
                f"Chưa hết thời gian lấy ý kiến công khai (đến {n.comment_closes_on:%d/%m/%Y}).",
                code="public_comment_still_open",
            )
        clearances = list(n.clearances.all())
        for clearance in clearances:
            if clearance.is_pending:
                raise RuleViolation(pending_message(clearance), code="clearance_pending")
        findings = run_eligibility(n, day)
        store_findings(n, findings)
        refuse_unjustified(n, findings)
        criteria = criteria_for(n, clearances=clearances)
        judgements.extend(judge(criteria, verdicts))
        n.reviewer_opinion = opinion

    checked = move_nomination(
        nomination,
        "check",
        actor=actor,
        reason=opinion,
        before=appraise,
        fields=["reviewer_opinion", "findings"],
    )
    _record_criterion_opinions(checked, judgements, actor=actor)
    return checked


def _record_criterion_opinions(
    nomination: Nomination, judgements: Sequence[Judgement], *, actor
) -> None:
    """One row per criterion, kept across checks (a returned dossier checked again updates
    its rows, the history keeps the earlier verdicts)."""
    existing = {row.code: row for row in nomination.criterion_opinions.all()}
    for position, judgement in enumerate(judgements):
        criterion = judgement.criterion
        row = existing.pop(criterion.code, None) or CriterionOpinion(
            nomination=nomination, code=criterion.code
        )
        row.label = criterion.label
        row.article = criterion.article
        row.position = position
        row.suggested = criterion.suggested
        row.verdict = judgement.verdict
        row.note = judgement.note or criterion.finding
        row.recorded_by = actor if getattr(actor, "pk", None) else None
        stamp(row, actor=actor, reason="awards.criterion_opinion.recorded")
        row.save()
    for row in existing.values():
        stamp(row, actor=actor, reason="awards.criterion_opinion.dropped")
        row.delete()
