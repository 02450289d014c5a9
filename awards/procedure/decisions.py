"""Award decisions: drafting the Quyết định from the approved dossiers, signing and issuing it
(numbered by the documents engine), recording the awards, publishing, revoking. The
certificates of an issued decision are printed by `awards.paperwork.certificates`.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone

from awards.history import records
from awards.models import AwardDecision, DecisionKind, DecisionStatus, Nomination, Source
from awards.paperwork import certificates
from awards.paperwork import decisions as papers
from awards.rules import money
from awards.transitions import (
    lock_decision,
    lock_nomination,
    move_nomination,
    today,
)
from awards.workflow import DECISION_TABLE, TABLE
from portal import access, documents
from portal.access import Cap
from portal.audit import stamp
from portal.documents import signers
from portal.errors import RuleViolation, reason_required
from portal.models import DocumentKind, Person, Unit

RELATED = (
    "person__unit",
    "unit",
    "title",
    "award_form",
    "proposing_unit",
    "handling_unit",
    "batch__submission__issuer",
)


def _amounts(nominations: Sequence[Nomination], unit: Unit, day: datetime.date) -> dict[int, int]:
    return {
        n.pk: money.reward(n.item, n.recipient_kind, day, unit=unit).amount for n in nominations
    }


def _ordered(nominations: Sequence[Nomination]) -> list[Nomination]:
    return sorted(nominations, key=lambda n: n.pk)


def _proposals(nominations: Sequence[Nomination], unit: Unit) -> list[str]:
    """ "Xét đề nghị của <proposer> tại Tờ trình số … ngày …", then the council where it met."""
    seen: dict[int, str] = {}
    for n in nominations:
        if n.batch_id and n.batch.submission_id:
            doc = n.batch.submission
            seen[doc.pk] = (
                # The head in post on the Tờ trình's date: a Văn phòng's is its Chánh Văn phòng.
                f"{papers.head_phrase(doc.issuer, doc.issued_on)} tại Tờ trình số "
                f"{doc.number_and_symbol} ngày "
                f"{doc.issued_on:%d/%m/%Y}"
            )
        elif n.proposing_unit_id != unit.pk:
            seen.setdefault(
                -n.proposing_unit_id, papers.head_phrase(n.proposing_unit, n.submitted_on)
            )
    lines = []
    if seen:
        lines.append("Xét đề nghị của " + "; của ".join(seen.values()))
    if any(n.council_summary for n in nominations):
        lines.append(f"Theo kết quả họp Hội đồng Thi đua – Khen thưởng {unit.name}")
    return lines


@transaction.atomic
def draft_decision(
    nominations: Sequence[Nomination],
    *,
    actor,
    signer: Person | None = None,
) -> AwardDecision:
    """Nội vụ drafts the Quyết định with the annexed list and money, from the approved dossiers.
    Every dossier is priced first, so a missing money rule refuses the draft before it exists."""
    if not nominations:
        raise RuleViolation(
            "Chọn ít nhất một hồ sơ đã được chấp thuận.", code="decision_nothing_chosen"
        )
    locked = [lock_nomination(n) for n in _ordered(nominations)]
    for nomination in locked:
        TABLE.ensure(nomination, "draft_decision")
    unit = locked[0].conferring_unit
    if unit is None or any(n.conferring_unit_id != unit.pk for n in locked):
        raise RuleViolation(
            "Một quyết định chỉ gồm các hồ sơ của cùng một cấp quyết định.",
            code="decision_mixed_levels",
        )
    access.require(actor, Cap.REVIEW_NOMINATIONS, unit)
    day = today()
    locked = list(
        Nomination.objects.filter(pk__in=[n.pk for n in locked])
        .select_related(*RELATED)
        .order_by("pk")
    )
    content = papers.award_decision(
        locked,
        _amounts(locked, unit, day),
        unit=unit,
        day=day,
        signature=decision_signature(locked, unit, day, signer),
        proposals=_proposals(locked, unit),
    )
    document = documents.create_draft(
        DocumentKind.DECISION, issuer=unit, actor=actor, check_access=False, **content
    )
    decision = AwardDecision(unit=unit, document=document)
    stamp(decision, actor=actor, reason="awards.decision.drafted")
    decision.save()
    for nomination in locked:

        def attach(n: Nomination) -> None:
            n.decision = decision

        move_nomination(
            nomination,
            "draft_decision",
            actor=actor,
            document=document,
            before=attach,
            fields=["decision"],
        )
    return decision


@transaction.atomic
def set_decision_signer(decision: AwardDecision, *, actor, signer: Person | None) -> AwardDecision:
    """Who signs the draft: a leader of the conferring level (the head by default, a deputy
    "KT." for them); never one of the decision's awardees."""
    decision = lock_decision(decision)
    row = DECISION_TABLE.ensure(decision, "set_signer")
    access.require(actor, row.cap, decision.unit)
    nominations = list(decision.nominations.all())
    signature = decision_signature(nominations, decision.unit, today(), signer)
    documents.update_draft(
        decision.document, actor=actor, check_access=False, **signature.draft_fields()
    )
    return decision


def decision_signature(
    nominations: Sequence[Nomination], unit: Unit, day: datetime.date, signer: Person | None
) -> signers.Signature:
    """The Chairman (or the agency's head) decides in their own name; an awardee of the
    decision never signs it."""
    awardees = {n.person_id for n in nominations if n.person_id}
    return signers.signature(unit, day, person=signer, collective=False, excluded=awardees)


@transaction.atomic
def issue_decision(
    decision: AwardDecision, *, actor, issued_on: datetime.date | None = None
) -> AwardDecision:
    """The leader signs: the money is priced on the signing date, the document numbered and
    issued, and each award recorded in the history (marking its initiatives used) with the
    verification code its certificate will carry."""
    decision = lock_decision(decision)
    row = DECISION_TABLE.ensure(decision, "issue")
    access.require(actor, row.cap, decision.unit)
    day = issued_on or today()
    nominations = list(decision.nominations.select_related(*RELATED).order_by("pk"))
    if decision.kind == DecisionKind.AWARD:
        # Priced and cited again on the signing date: the base salary and the bases in force
        # may have changed since the draft.
        content = papers.award_decision(
            nominations,
            _amounts(nominations, decision.unit, day),
            unit=decision.unit,
            day=day,
            signature=None,
            proposals=_proposals(nominations, decision.unit),
        )
        # The signer too: the one chosen must still lead the unit on the signing day, and the
        # default is whoever does.
        signature = decision_signature(nominations, decision.unit, day, decision.document.signer)
        documents.update_draft(
            decision.document,
            actor=actor,
            check_access=False,
            body=content["body"],
            annexes=[content["annex"]],
            **signature.draft_fields(),
        )
    document = documents.issue_document(decision.document, actor=actor, issued_on=day)
    decision.status = row.target
    stamp(decision, actor=actor, reason="awards.decision.issued")
    decision.save(update_fields=["status"])
    codes = certificates.new_certificate_codes(len(nominations))
    for nomination, code in zip(nominations, codes, strict=True):
        record = records.record_nomination_award(
            nomination,
            actor=actor,
            decision_number=document.number_and_symbol,
            decision_date=day,
            decision_issuer=decision.unit,
            source=Source.PORTAL,
            decided_by=decision.unit,
            certificate_code=code,
        )

        def conclude(n: Nomination, record=record) -> None:
            n.award_record = record
            n.decided_on = day

        move_nomination(
            lock_nomination(nomination),
            "issue",
            actor=actor,
            document=document,
            before=conclude,
            fields=["award_record", "decided_on"],
        )
    return decision


@transaction.atomic
def publish_decision(decision: AwardDecision, *, actor) -> AwardDecision:
    """Put an issued decision and its awardees on the public site."""
    decision = lock_decision(decision)
    row = DECISION_TABLE.ensure(decision, "publish")
    access.require(actor, row.cap, decision.unit)
    decision.status = row.target
    decision.published_at = timezone.now()
    stamp(decision, actor=actor, reason="awards.decision.published")
    decision.save(update_fields=["status", "published_at"])
    if decision.kind == DecisionKind.AWARD:
        for nomination in decision.nominations.order_by("pk"):
            move_nomination(lock_nomination(nomination), "publish", actor=actor)
    return decision


@transaction.atomic
def revoke_awards(
    nominations: Sequence[Nomination],
    *,
    actor,
    reason: str,
    signer: Person | None = None,
) -> AwardDecision:
    """Revocation only by a new decision with a reason; the award records are marked revoked."""
    if not nominations:
        raise RuleViolation(
            "Chọn ít nhất một khen thưởng để hủy bỏ.", code="revocation_nothing_chosen"
        )
    locked = [lock_nomination(n) for n in _ordered(nominations)]
    unit = locked[0].conferring_unit
    # Compared by id: a central award has no conferring unit here, and may come first.
    if any(n.conferring_unit_id != locked[0].conferring_unit_id for n in locked):
        raise RuleViolation(
            "Một quyết định hủy bỏ chỉ gồm khen thưởng của cùng một cấp.",
            code="revocation_mixed_levels",
        )
    if unit is None:
        # The paper revoking it is the central body's own: the portal only records it.
        raise RuleViolation(
            "Khen thưởng do cấp Trung ương quyết định chỉ được hủy bỏ bằng quyết định của cấp "
            "Trung ương.",
            code="revocation_central",
        )
    access.require(actor, Cap.DECIDE_AWARDS, unit)
    reason = reason.strip()
    if not reason:
        raise reason_required()
    for nomination in locked:
        TABLE.ensure(nomination, "revoke")
    content = papers.revocation(
        locked,
        unit=unit,
        day=today(),
        reason=reason,
        signature=signers.signature(unit, today(), person=signer, collective=False),
    )
    draft = documents.create_draft(
        DocumentKind.DECISION, issuer=unit, actor=actor, check_access=False, **content
    )
    document = documents.issue_document(draft, actor=actor)
    decision = AwardDecision(
        unit=unit,
        document=document,
        kind=DecisionKind.REVOCATION,
        status=DecisionStatus.ISSUED,
        reason=reason,
    )
    stamp(decision, actor=actor, reason="awards.decision.revocation_issued")
    decision.save()
    for nomination in locked:
        records.revoke_award(
            nomination.award_record,
            actor=actor,
            revoked_on=document.issued_on,
            decision=document.number_and_symbol,
            reason=reason,
            decided_by=unit,
        )

        def mark(n: Nomination) -> None:
            n.revocation = decision

        move_nomination(
            nomination,
            "revoke",
            actor=actor,
            reason=reason,
            document=document,
            before=mark,
            fields=["revocation"],
        )
    return decision
