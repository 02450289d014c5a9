"""Turning a unit review's award proposals (pledges.AwardProposal) into draft nominations.

The review already holds who is proposed, for what and why; the unit's officer turns each
pending proposal into a draft dossier with one action, nothing retyped.
"""

from __future__ import annotations

from django.db import transaction

from pledges import services as pledge_services
from pledges.models import AwardProposal, ProposedAward
from portal.errors import RuleViolation

from .models import AwardForm, BasisKind, EmulationTitle, Nomination
from .nominations import create_nomination

# The review form's proposal codes → the catalogue (titles and award forms stay two types).
PROPOSED_ITEMS: dict[str, tuple[type, str]] = {
    ProposedAward.BANG_KHEN_TTG: (AwardForm, "bang-khen-thu-tuong"),
    ProposedAward.CO_TINH: (EmulationTitle, "co-thi-dua-tinh"),
    ProposedAward.BANG_KHEN_TINH: (AwardForm, "bang-khen-tinh"),
    ProposedAward.GIAY_KHEN: (AwardForm, "giay-khen"),
    ProposedAward.TTLDXS: (EmulationTitle, "tap-the-lao-dong-xuat-sac"),
    ProposedAward.CSTDCS: (EmulationTitle, "cstd-co-so"),
}


@transaction.atomic
def nominate_proposal(proposal: AwardProposal, *, actor) -> Nomination:
    """A draft nomination from one proposal of a submitted review, linked back to it."""
    proposal = AwardProposal.objects.select_related(
        "review__campaign", "review__unit", "person", "unit"
    ).get(pk=proposal.pk)
    model, code = PROPOSED_ITEMS[proposal.award]
    item = model.objects.filter(code=code).first()
    if item is None:
        raise RuleViolation(f"Danh mục khen thưởng chưa có “{proposal.get_award_display()}”.")
    review = proposal.review
    nomination = create_nomination(
        review.unit,
        actor=actor,
        item=item,
        year=review.campaign.ends_on.year,
        basis_kind=BasisKind.CAMPAIGN,
        person=proposal.person,
        unit=proposal.unit,
        campaign=review.campaign,
        basis_reference=f"{review.get_kind_display()} phong trào “{review.campaign.title}”",
        report_achievements=proposal.achievement,
    )
    pledge_services.mark_proposal_nominated(proposal, actor=actor, nomination_id=nomination.pk)
    return nomination


def nominate_review_proposals(review, *, actor) -> list[Nomination]:
    """Every pending proposal of `review`, all or nothing."""
    with transaction.atomic():
        return [
            nominate_proposal(proposal, actor=actor)
            for proposal in AwardProposal.objects.pending().filter(review=review).order_by("pk")
        ]
