"""The central leg of the nomination workflow: from the province to the central level and back.

Items conferred by the Prime Minister or the President climb the tree like any other (each
level receives, checks and forwards). At the province — the level whose Nội vụ submits to the
central level — the council votes where the rules ask for a vote and the Ban Thường vụ Tỉnh ủy
agrees in writing where the rules reserve the item for it; then the Nội vụ sends the dossiers
to the Prime Minister via Bộ Nội vụ (Ban Thi đua – Khen thưởng Trung ương) with a Tờ
trình signed by the province chairman. The portal has no central level, so what comes back on
paper is recorded here by the same Nội vụ: a decision to confer (the awards enter the history
with the decision's number and date), a refusal with its reason, or a return for completion.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.db import transaction

from awards.history import records
from awards.models import (
    Batch,
    CentralAuthority,
    CentralDecision,
    CentralResult,
    Nomination,
    Source,
)
from awards.paperwork import papers
from awards.procedure.bulk import RowResult, bulk_call
from awards.procedure.clearance import party_agreed
from awards.procedure.levels import needs_council, sends_to_central
from awards.rules.rulebook import Rulebook
from awards.transitions import lock_nomination, move_nomination, today, unit_on
from awards.workflow import TABLE, Status
from portal import access, documents, uploads
from portal.access import Cap
from portal.audit import stamp
from portal.documents import signers
from portal.errors import RuleViolation
from portal.models import DocumentKind, Person, Unit
from portal.text import normalize_text
from portal.uploads import accept_upload, check_upload

SCAN = "Bản chụp văn bản"

NOT_APPROVED_REASON = "Trung ương không chấp thuận"


def _require_gateway(nomination: Nomination) -> None:
    """Only central items, and only at the province: the tree's own levels forward instead."""
    if not nomination.is_central:
        raise RuleViolation(
            f"{nomination}: thuộc thẩm quyền trong tỉnh, không trình Trung ương.",
            code="central_not_needed",
        )
    if not sends_to_central(nomination.handling_unit):
        raise RuleViolation(
            f"{nomination}: chỉ Nội vụ cấp tỉnh trình Trung ương; hãy trình cấp trên.",
            code="central_only_from_province",
        )


def _require_party_opinion(nomination: Nomination, here) -> None:
    """Items the rules reserve for the Party standing committee's written agreement."""
    rulebook = Rulebook.for_day(today(), here)
    rule = rulebook.party_opinion(nomination.item) if rulebook else None
    if rule is not None and not party_agreed(nomination, here):
        raise RuleViolation(
            f"{nomination}: cần văn bản đồng ý của Ban Thường vụ Tỉnh ủy trước khi trình Trung "
            f"ương ({rule.article}); hãy xin ý kiến khi thẩm định hồ sơ.",
            code="party_agreement_missing",
        )


@transaction.atomic
def send_to_central(
    nominations: Sequence[Nomination],
    *,
    actor,
    signer: Person | None = None,
) -> Batch:
    """The province's Nội vụ sends checked dossiers (voted by the council, and agreed by the
    Ban Thường vụ Tỉnh ủy, where the rules say so) to the central level under one Tờ trình;
    all or nothing. Also resends returned ones."""
    if not nominations:
        raise RuleViolation(
            "Chọn ít nhất một hồ sơ để trình Trung ương.", code="central_nothing_chosen"
        )
    locked = [lock_nomination(n) for n in sorted(nominations, key=lambda n: n.pk)]
    here = locked[0].handling_unit
    for nomination in locked:
        TABLE.ensure(nomination, "send_to_central")
        if nomination.handling_unit_id != here.pk:
            raise RuleViolation(
                "Các hồ sơ trong một tờ trình phải đang ở cùng một cấp.",
                code="central_mixed_levels",
            )
        _require_gateway(nomination)
        if nomination.status == Status.CHECKED and needs_council(nomination):
            raise RuleViolation(
                f"“{nomination.item.name}” phải được Hội đồng TĐKT {here.name} bỏ phiếu "
                "trước khi trình Trung ương.",
                code="council_vote_before_central",
            )
        _require_party_opinion(nomination, here)
    access.require(actor, Cap.REVIEW_NOMINATIONS, here)
    locked = list(
        Nomination.objects.filter(pk__in=[n.pk for n in locked])
        .select_related("person__unit", "unit", "title", "award_form", "handling_unit")
        .order_by("pk")
    )
    content = papers.central_submission(
        locked,
        sender=here,
        signature=signers.signature(here, today(), person=signer, collective=True),
    )
    # Access was checked on the step; the chairman's paper follows the Nội vụ's step.
    # The Nội vụ's own step (checked above) makes the chairman's Tờ trình: the paper names them.
    draft = documents.create_draft(
        DocumentKind.SUBMISSION, issuer=here, actor=actor, check_access=False, **content
    )
    document = documents.issue_document(draft, actor=actor, check_access=False)
    batch = Batch(
        sender=here,
        addressed_to=None,
        submission=document,
        is_forward=True,
        is_central=True,
        submitted_by=actor if getattr(actor, "pk", None) else None,
    )
    stamp(batch, actor=actor, reason="awards.batch.sent_to_central")
    batch.save()

    def attach(n: Nomination) -> None:
        n.batch = batch

    for nomination in locked:
        move_nomination(
            nomination,
            "send_to_central",
            actor=actor,
            document=document,
            before=attach,
            reason=f"Trình {papers.CENTRAL_ADDRESSEE} (qua {papers.CENTRAL_CHANNEL})",
            fields=["batch"],
        )
    return batch


@transaction.atomic
def record_central_return(nomination: Nomination, *, actor, reason: str) -> Nomination:
    """The central level asked for the dossier to be completed: it is back at the province."""
    return move_nomination(
        lock_nomination(nomination), "central_return", actor=actor, reason=reason
    )


@transaction.atomic
def return_to_sender(nomination: Nomination, *, actor, reason: str) -> Nomination:
    """A dossier the central level returned goes back to the proposing unit for completion."""
    return move_nomination(
        lock_nomination(nomination), "return_to_sender", actor=actor, reason=reason
    )


def _clean_decision(
    number: str, signed_on: datetime.date, authority: str, result: str, reason: str
) -> tuple[str, str]:
    number, reason = normalize_text(number), normalize_text(reason)
    if not number:
        raise RuleViolation(
            "Cần ghi số, ký hiệu văn bản của Trung ương (ví dụ 123/QĐ-TTg).",
            code="central_number_missing",
        )
    if signed_on > today():
        raise RuleViolation(
            "Ngày ký văn bản không được sau hôm nay.", code="central_date_in_future"
        )
    if authority not in CentralAuthority.values:
        raise RuleViolation("Cơ quan, người ký không hợp lệ.", code="central_authority_invalid")
    if result not in CentralResult.values:
        raise RuleViolation("Kết quả không hợp lệ.", code="central_result_invalid")
    if result == CentralResult.APPROVED and authority == CentralAuthority.HOME_AFFAIRS:
        raise RuleViolation(
            "Quyết định khen thưởng do Thủ tướng Chính phủ hoặc Chủ tịch nước ký.",
            code="central_award_signer_invalid",
        )
    if result == CentralResult.NOT_APPROVED and not reason:
        raise RuleViolation(
            "Cần ghi lý do Trung ương không chấp thuận.", code="central_refusal_reason_missing"
        )
    return number, reason


def record_central_decision(
    nominations: Sequence[Nomination],
    *,
    actor,
    number: str,
    signed_on: datetime.date,
    authority: str,
    result: str,
    reason: str = "",
    file=None,
) -> list[RowResult]:
    """The province's Nội vụ records a central paper for several dossiers, each in its own
    transaction: approved ones enter the award history with the paper's number and date,
    the others are closed as not approved with the reason."""
    number, reason = _clean_decision(number, signed_on, authority, result, reason)
    if file:
        check_upload(file, allowed=uploads.PDF_ONLY, label=SCAN)
    return bulk_call(
        nominations,
        lambda n: record_central_outcome(
            n,
            actor=actor,
            number=number,
            signed_on=signed_on,
            authority=authority,
            result=result,
            reason=reason,
            file=file,
        ),
    )


def _central_paper(
    unit, *, actor, number: str, signed_on: datetime.date, authority: str, file
) -> CentralDecision:
    """The paper, recorded once per province and number; later rows of it must agree."""
    # A lock on a paper not yet written covers nothing: two dossiers of one new paper recorded
    # at once would both insert it. The province's row stands for its papers not yet written.
    list(Unit.objects.select_for_update().filter(pk=unit.pk).values_list("pk"))
    paper = CentralDecision.objects.select_for_update().filter(unit=unit, number=number).first()
    if paper is None:
        paper = CentralDecision(
            unit=unit,
            number=number,
            signed_on=signed_on,
            authority=authority,
            recorded_by=actor if getattr(actor, "pk", None) else None,
        )
        if file:
            accept_upload(file, allowed=uploads.PDF_ONLY, label=SCAN)
            paper.file = file
        stamp(paper, actor=actor, reason="awards.central_decision.recorded")
        paper.save()
        return paper
    if paper.signed_on != signed_on or paper.authority != authority:
        raise RuleViolation(
            f"Văn bản số {number} đã được ghi nhận với ngày ký {paper.signed_on:%d/%m/%Y} "
            f"({paper.get_authority_display()}); kiểm tra lại số, ngày hoặc cơ quan ký.",
            code="central_paper_mismatch",
        )
    if file and not paper.file:
        accept_upload(file, allowed=uploads.PDF_ONLY, label=SCAN)
        paper.file = file
        stamp(paper, actor=actor, reason="awards.central_decision.copy_attached")
        paper.save(update_fields=["file"])
    return paper


@transaction.atomic
def record_central_outcome(
    nomination: Nomination,
    *,
    actor,
    number: str,
    signed_on: datetime.date,
    authority: str,
    result: str,
    reason: str = "",
    file=None,
) -> Nomination:
    """One dossier's outcome from a central paper (see `record_central_decision`)."""
    number, reason = _clean_decision(number, signed_on, authority, result, reason)
    nomination = lock_nomination(nomination)
    action = "central_approve" if result == CentralResult.APPROVED else "central_reject"
    row = TABLE.ensure(nomination, action)
    access.require(actor, row.cap, unit_on(nomination, row))
    _require_gateway(nomination)
    if result == CentralResult.APPROVED and authority != nomination.conferring_level:
        raise RuleViolation(
            f"“{nomination.item.name}” do {CentralAuthority(nomination.conferring_level).label} "
            f"quyết định, không phải {CentralAuthority(authority).label}.",
            code="central_authority_mismatch",
        )
    paper = _central_paper(
        nomination.handling_unit,
        actor=actor,
        number=number,
        signed_on=signed_on,
        authority=authority,
        file=file,
    )
    record = None
    if result == CentralResult.APPROVED:
        nomination = Nomination.objects.select_related(
            "person__unit", "unit", "title", "award_form", "proposing_unit", "handling_unit"
        ).get(pk=nomination.pk)
        record = records.record_nomination_award(
            nomination,
            actor=actor,
            decision_number=number,
            decision_date=signed_on,
            decision_issuer_name=CentralAuthority(authority).label,
            source=Source.CENTRAL,
        )
        paper_text = f"{CentralAuthority(authority).label}: quyết định số {number}"
        reason = f"{paper_text} – {reason}" if reason else paper_text
    else:
        reason = f"{NOT_APPROVED_REASON}: {reason}"

    def conclude(n: Nomination) -> None:
        n.central_decision = paper
        n.award_record = record
        # Time to decision (statistics) counts awards only, as for portal decisions.
        n.decided_on = signed_on if record is not None else None

    return move_nomination(
        nomination,
        action,
        actor=actor,
        reason=reason,
        before=conclude,
        fields=["central_decision", "award_record", "decided_on"],
    )
