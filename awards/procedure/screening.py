"""The eligibility engine run on a dossier: its candidate, the live dossiers it is compared
with, and the findings stored with it (a hard finding blocks; a soft one needs a written
justification).
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.db.models import Q

from awards.models import Nomination, RecipientKind
from awards.procedure.levels import central_decider_for, conferring_unit_for
from awards.rules.eligibility import Candidate, Finding, blocking, check
from awards.rules.quotas import quota_for
from awards.rules.registered import registered_for
from awards.transitions import today
from awards.workflow import EDITABLE, OPEN
from portal.errors import RuleViolation


def candidate_of(
    nomination: Nomination, on: datetime.date | None = None, *, as_other: bool = False
) -> Candidate:
    """The eligibility candidate of a dossier; `as_other` for the dossiers it is compared with
    (their initiatives prefetched, their conferring level as stored)."""
    on = on or today()
    if as_other:
        conferring = nomination.conferring_unit
        level = nomination.conferring_level
        initiative_ids = tuple(i.pk for i in nomination.initiatives.all())
    else:
        conferring = nomination.conferring_unit or conferring_unit_for(
            nomination.item, nomination.proposing_unit, on
        )
        level = ""
        if conferring is None:
            level = nomination.conferring_level or central_decider_for(
                nomination.item, nomination.proposing_unit, on
            )
        initiative_ids = (
            tuple(nomination.initiatives.values_list("pk", flat=True)) if nomination.pk else ()
        )
    # Registration and the plan's quota are judged for the dossier itself, not for the others
    # it is compared with.
    own = (
        {}
        if as_other
        else {"registered": registered_for(nomination), "quota": quota_for(nomination)}
    )
    return Candidate(
        item=nomination.item,
        year=nomination.year,
        basis=nomination.basis_kind,
        on=on,
        person=nomination.person,
        unit=nomination.unit,
        household_name=nomination.household_name,
        basis_reference=nomination.basis_reference,
        proposing_unit=nomination.proposing_unit,
        conferring_unit=conferring,
        conferring_level=level if conferring is None else "",
        initiative_ids=initiative_ids,
        campaign_id=nomination.campaign_id,
        key=nomination.pk,
        **own,
    )


def other_candidates(nomination: Nomination, on: datetime.date) -> list[Candidate]:
    """The other live dossiers the rules compare with: the same subject (chains, duplicates),
    the same item in the same year (caps), the collective's members, shared initiatives."""
    same = Q(person=nomination.person) if nomination.person_id else Q(unit=nomination.unit)
    related = same | Q(year=nomination.year, **_item_lookup(nomination))
    if nomination.recipient_kind == RecipientKind.COLLECTIVE:
        related |= Q(year=nomination.year, person__unit__path__startswith=nomination.unit.path)
    if nomination.campaign_id:
        related |= Q(campaign=nomination.campaign_id, **_item_lookup(nomination))
    if nomination.pk:
        related |= Q(initiatives__in=nomination.initiatives.all())
    others = (
        Nomination.objects.filter(related, status__in={*OPEN, *EDITABLE})
        .exclude(pk=nomination.pk)
        .distinct()
        .select_related(
            "person__unit", "unit", "title", "award_form", "proposing_unit", "conferring_unit"
        )
        .prefetch_related("initiatives")
    )
    return [candidate_of(other, on, as_other=True) for other in others]


def _item_lookup(nomination: Nomination) -> dict:
    if nomination.title_id:
        return {"title_id": nomination.title_id}
    return {"award_form_id": nomination.award_form_id}


def run_eligibility(nomination: Nomination, on: datetime.date | None = None) -> list[Finding]:
    on = on or today()
    return check(candidate_of(nomination, on), others=other_candidates(nomination, on))


def store_findings(nomination: Nomination, findings: Sequence[Finding]) -> None:
    nomination.findings = [
        {
            "code": f.code,
            "severity": f.severity,
            "article": f.article,
            "message": f.message,
            "unverified": f.unverified,
        }
        for f in findings
    ]


def refuse_unjustified(nomination: Nomination, findings: Sequence[Finding]) -> None:
    """Hard findings block; each soft one needs a written justification in the dossier."""
    hard = blocking(findings)
    if hard:
        raise RuleViolation(
            f"{nomination.recipient_name}: không đủ điều kiện – "
            + " ".join(f.message for f in hard),
            code="eligibility_failed",
        )
    missing = [
        f for f in findings if not f.blocks and not (nomination.justifications or {}).get(f.code)
    ]
    if missing:
        raise RuleViolation(
            f"{nomination.recipient_name}: cần giải trình – "
            + " ".join(f.message for f in missing),
            code="justification_missing",
        )
