"""The machinery every step of the nomination workflow runs through (`awards.procedure.*`).

Each public step function (`drafting`, `submission`, `appraisal`, `public_comment`,
`approval`, `council`, `decisions`, `central`) is one action of `awards.workflow.TABLE`: it
locks the dossier (`lock_nomination`, `select_for_update`), and `move_nomination` checks the
table (`TABLE.ensure`) and the actor's capability on the unit of the row's side (`unit_on`),
mutates, stamps the history with a dotted reason, writes a timeline event and restarts the
step's clock, inside the caller's transaction (`require_atomic`). A return, a recall, a
rejection or a revocation always needs a reason.

It sits below both `procedure/` and `paperwork/` (the certificate print locks its decision).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable

from django.utils import timezone

from awards.models import AwardDecision, Nomination, NominationEvent
from awards.rules.rulebook import Rulebook
from awards.workflow import SENDER, TABLE, TIMED, Status
from portal import access
from portal.audit import stamp
from portal.calendar import add_working_days
from portal.errors import reason_required
from portal.models import Unit
from portal.text import normalize_text
from portal.workflow import Transition, require_atomic


def today() -> datetime.date:
    return timezone.localdate()


def lock_nomination(nomination: Nomination) -> Nomination:
    return (
        Nomination.objects.select_for_update(of=("self",))
        .select_related("proposing_unit", "handling_unit", "conferring_unit", "title", "award_form")
        .get(pk=nomination.pk)
    )


def unit_on(nomination: Nomination, row: Transition) -> Unit | None:
    """The unit whose capability `row` needs on this dossier: the side its `on` names (the
    sender's own unit, or the level holding the dossier). The services require it, and the
    dossier's page offers the row's button on it (`TABLE.buttons`)."""
    if row.on == SENDER:
        return nomination.proposing_unit
    return nomination.handling_unit


def restart_clock(nomination: Nomination, day: datetime.date) -> None:
    nomination.step_started_on = day
    if nomination.status == Status.DECIDED:
        # The approved step's limit ("ban hành, chuyển quyết định") runs until the decision is
        # signed: drafting the Quyết định does not restart it, nor stop it.
        return
    nomination.due_on = None
    nomination.limit_article = ""
    if nomination.status not in TIMED:
        return
    rulebook = Rulebook.for_day(day, nomination.handling_unit or nomination.proposing_unit)
    limit = (
        rulebook.step_limit(nomination.status, ad_hoc=nomination.is_ad_hoc) if rulebook else None
    )
    if limit is not None:
        nomination.due_on = add_working_days(day, limit.working_days)
        nomination.limit_article = limit.article


def move_nomination(
    nomination: Nomination,
    action: str,
    *,
    actor,
    reason: str = "",
    document=None,
    before: Callable[[Nomination], None] | None = None,
    fields: Iterable[str] = (),
) -> Nomination:
    """Check the table and the actor, run `before` (the step's own rules), move, record."""
    require_atomic()
    transition = TABLE.ensure(nomination, action)
    reason = normalize_text(reason)
    access.require(actor, transition.cap, unit_on(nomination, transition))
    if transition.needs_reason and not reason:
        raise reason_required()
    if before is not None:
        before(nomination)
    source = nomination.status
    nomination.status = transition.target
    if reason:
        nomination.last_reason = reason
    day = today()
    restart_clock(nomination, day)
    stamp(nomination, actor=actor, reason=f"awards.nomination.{action}")
    nomination.save(
        update_fields=[
            "status",
            "last_reason",
            "step_started_on",
            "due_on",
            "limit_article",
            *fields,
        ]
    )
    NominationEvent.objects.create(
        nomination=nomination,
        action=action,
        from_status=source,
        to_status=nomination.status,
        actor=actor if getattr(actor, "pk", None) else None,
        unit=unit_on(nomination, transition),
        reason=reason,
        document=document,
    )
    return nomination


def lock_decision(decision: AwardDecision) -> AwardDecision:
    return (
        AwardDecision.objects.select_for_update(of=("self",))
        .select_related("unit", "document")
        .get(pk=decision.pk)
    )
