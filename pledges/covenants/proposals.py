"""A bloc's award proposals from its published ranking, handed to the awards app."""

from __future__ import annotations

from django.db import transaction
from django.utils.formats import number_format

from pledges.choices import ProposedAward
from pledges.covenants.ranking import published_ranking
from pledges.covenants.scoring import locked_table
from pledges.models import (
    BlocAwardProposal,
    BlocProposalStatus,
    ScoreTable,
)
from portal import access
from portal.access import Cap
from portal.audit import stamp
from portal.errors import RuleViolation


@transaction.atomic
def propose_leading_members(
    table: ScoreTable, *, actor, flags: int = 1, merits: int = 1
) -> list[BlocAwardProposal]:
    """One action: the first `flags` places are proposed for the Cờ thi đua of the province,
    the next `merits` for its Bằng khen, each carrying its score sheet as evidence."""
    table = locked_table(table)
    access.require(actor, Cap.MANAGE_PLEDGE, table.pledge.head)
    ranking = published_ranking(table)
    if not ranking:
        raise RuleViolation("Chưa có kết quả xếp hạng đã công bố.", code="ranking_not_published")
    proposals = []
    for entry in ranking:
        if entry.rank <= flags:
            award = ProposedAward.CO_TINH
        elif entry.rank <= flags + merits:
            award = ProposedAward.BANG_KHEN_TINH
        else:
            continue
        if BlocAwardProposal.objects.filter(entry=entry, award=award).exists():
            continue
        proposal = BlocAwardProposal(
            entry=entry,
            unit=entry.unit,
            award=award,
            achievement=(
                f"Xếp thứ {entry.rank} {table.pledge.bloc.name} năm {table.pledge.year}, "
                f"đạt {number_format(entry.total)} điểm; {entry.votes} phiếu suy tôn."
            ),
            proposed_by=actor,
        )
        stamp(proposal, actor=actor, reason="pledges.bloc_proposal.proposed")
        proposal.save()
        proposals.append(proposal)
    return proposals


@transaction.atomic
def mark_bloc_proposal_nominated(
    proposal: BlocAwardProposal, *, actor, nomination_id: int
) -> BlocAwardProposal:
    """Called by the awards app when it has turned the proposal into a draft nomination."""
    proposal = BlocAwardProposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.status != BlocProposalStatus.PROPOSED:
        raise RuleViolation(
            "Đề xuất này đã được chuyển thành hồ sơ đề nghị.", code="proposal_already_nominated"
        )
    proposal.status = BlocProposalStatus.NOMINATED
    proposal.nomination_id = nomination_id
    stamp(proposal, actor=actor, reason="pledges.bloc_proposal.nominated")
    proposal.save(update_fields=["status", "nomination_id"])
    return proposal
