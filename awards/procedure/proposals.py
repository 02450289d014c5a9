"""Turning proposals made upstream into draft nominations, nothing retyped.

A unit review's award proposals (pledges.AwardProposal) become dossiers of the reviewing unit;
a bloc's proposals from its published ranking (pledges.BlocAwardProposal) become dossiers of
the bloc's organiser, with the score sheet as evidence.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.urls import reverse

from awards.models import AwardForm, BasisKind, EmulationTitle, Nomination
from awards.procedure.drafting import add_evidence, create_nomination
from pledges import reviews as pledge_reviews
from pledges.covenants.proposals import mark_bloc_proposal_nominated
from pledges.models import AwardProposal, BlocAwardProposal, BlocProposalStatus, ProposedAward
from portal.errors import RuleViolation

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
        raise RuleViolation(
            f"Danh mục khen thưởng chưa có “{proposal.get_award_display()}”.",
            code="catalogue_item_missing",
        )
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
    pledge_reviews.mark_proposal_nominated(proposal, actor=actor, nomination_id=nomination.pk)
    return nomination


def nominate_review_proposals(review, *, actor) -> list[Nomination]:
    """Every pending proposal of `review`, all or nothing."""
    with transaction.atomic():
        return [
            nominate_proposal(proposal, actor=actor)
            for proposal in AwardProposal.objects.pending().filter(review=review).order_by("pk")
        ]


@transaction.atomic
def nominate_bloc_proposal(proposal: BlocAwardProposal, *, actor) -> Nomination:
    """A draft nomination, proposed by the bloc's organiser, from a bloc's published ranking.

    The score sheet (each criterion, who scored it and why) travels as the dossier's evidence.
    """
    proposal = BlocAwardProposal.objects.select_related(
        "entry__sheet", "entry__table__pledge__bloc__organiser", "entry__table__pledge__campaign"
    ).get(pk=proposal.pk)
    pledge = proposal.entry.table.pledge
    model, code = PROPOSED_ITEMS[proposal.award]
    item = model.objects.filter(code=code).first()
    if item is None:
        raise RuleViolation(
            f"Danh mục khen thưởng chưa có “{proposal.award_label}”.", code="catalogue_item_missing"
        )
    nomination = create_nomination(
        pledge.bloc.organiser,
        actor=actor,
        item=item,
        year=pledge.year,
        basis_kind=BasisKind.YEARLY,
        unit=proposal.unit,
        campaign=pledge.campaign,
        basis_reference=f"Giao ước thi đua {pledge.bloc.name} năm {pledge.year}",
        report_achievements=proposal.achievement,
    )
    add_evidence(
        nomination,
        actor=actor,
        description=f"Phiếu chấm điểm {pledge.bloc.name} năm {pledge.year}",
        link=settings.SITE_URL
        + reverse("pledges:sheet", kwargs={"scoresheet_id": proposal.entry.sheet_id}),
    )
    mark_bloc_proposal_nominated(proposal, actor=actor, nomination_id=nomination.pk)
    return nomination


def nominate_bloc_proposals(pledge, *, actor) -> list[Nomination]:
    """Every pending proposal of the bloc's ranking for `pledge`, all or nothing."""
    with transaction.atomic():
        pending = BlocAwardProposal.objects.filter(
            entry__table__pledge=pledge, status=BlocProposalStatus.PROPOSED
        ).order_by("entry__rank", "pk")
        return [nominate_bloc_proposal(proposal, actor=actor) for proposal in pending]
