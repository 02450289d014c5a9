"""Award decisions: drafting the Quyết định from the approved dossiers, signing and issuing it
(numbered by the documents engine), recording the awards, publishing, revoking, certificates.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone

from portal import access, documents
from portal.access import Cap
from portal.audit import stamp
from portal.background import jobs
from portal.errors import RuleViolation
from portal.models import DocumentKind, Job, Unit

from . import certificates, money, paperwork, services
from .models import (
    AwardDecision,
    AwardForm,
    DecisionKind,
    DecisionStatus,
    Nomination,
    RecipientKind,
    Source,
)
from .nominations import _lock, _move, ensure_allowed, today


def _amounts(nominations: Sequence[Nomination], unit: Unit, day: datetime.date) -> dict[int, int]:
    return {
        n.pk: money.reward(n.item, n.recipient_kind, day, unit=unit).amount for n in nominations
    }


def _ordered(nominations: Sequence[Nomination]) -> list[Nomination]:
    return sorted(nominations, key=lambda n: n.pk)


def _submissions(nominations: Sequence[Nomination]) -> list[str]:
    seen = {}
    for n in nominations:
        if n.batch_id and n.batch.submission_id:
            doc = n.batch.submission
            seen[doc.pk] = f"Tờ trình số {doc.number_and_symbol} ngày {doc.issued_on:%d/%m/%Y}"
    return list(seen.values())


@transaction.atomic
def draft_decision(
    nominations: Sequence[Nomination],
    *,
    actor,
    signer_name: str = "",
    signer_position: str = "CHỦ TỊCH",
) -> AwardDecision:
    """Nội vụ drafts the Quyết định with the annexed list and money, from the approved dossiers."""
    if not nominations:
        raise RuleViolation("Chọn ít nhất một hồ sơ đã được chấp thuận.")
    locked = [_lock(n) for n in _ordered(nominations)]
    for nomination in locked:
        ensure_allowed(nomination, "draft_decision")
    unit = locked[0].conferring_unit
    if unit is None or any(n.conferring_unit_id != unit.pk for n in locked):
        raise RuleViolation("Một quyết định chỉ gồm các hồ sơ của cùng một cấp quyết định.")
    access.require(actor, Cap.REVIEW_NOMINATIONS, unit)
    day = today()
    locked = list(
        Nomination.objects.filter(pk__in=[n.pk for n in locked])
        .select_related("person__unit", "unit", "title", "award_form", "batch__submission")
        .order_by("pk")
    )
    content = paperwork.award_decision(
        locked,
        _amounts(locked, unit, day),
        unit=unit,
        signer_name=signer_name,
        signer_position=signer_position,
        submissions=_submissions(locked),
    )
    document = documents.create_draft(DocumentKind.DECISION, issuer=unit, actor=None, **content)
    decision = AwardDecision(unit=unit, document=document)
    stamp(decision, actor=actor, reason="awards.decision.drafted")
    decision.save()
    for nomination in locked:

        def attach(n: Nomination) -> None:
            n.decision = decision

        _move(
            nomination,
            "draft_decision",
            actor=actor,
            document=document,
            before=attach,
            fields=["decision"],
        )
    return decision


@transaction.atomic
def set_decision_signer(
    decision: AwardDecision, *, actor, signer_name: str, signer_position: str
) -> AwardDecision:
    """Who signs the draft (the leader of the conferring level, or a deputy for them)."""
    decision = _lock_decision(decision)
    access.require(actor, Cap.REVIEW_NOMINATIONS, decision.unit)
    if decision.status != DecisionStatus.DRAFT:
        raise RuleViolation("Quyết định đã ban hành, không đổi người ký.")
    documents.update_draft(
        decision.document, actor=None, signer_name=signer_name, signer_position=signer_position
    )
    return decision


def _lock_decision(decision: AwardDecision) -> AwardDecision:
    return (
        AwardDecision.objects.select_for_update(of=("self",))
        .select_related("unit", "document")
        .get(pk=decision.pk)
    )


@transaction.atomic
def issue_decision(
    decision: AwardDecision, *, actor, issued_on: datetime.date | None = None
) -> AwardDecision:
    """The leader signs: the money is priced on the signing date, the document numbered and
    issued, and each award recorded in the history (marking its initiatives used) with the
    verification code its certificate will carry."""
    decision = _lock_decision(decision)
    access.require(actor, Cap.DECIDE_AWARDS, decision.unit)
    if decision.status != DecisionStatus.DRAFT:
        raise RuleViolation("Quyết định đã được ban hành.")
    day = issued_on or today()
    nominations = list(
        decision.nominations.select_related(
            "person__unit", "unit", "title", "award_form", "proposing_unit", "handling_unit"
        ).order_by("pk")
    )
    if decision.kind == DecisionKind.AWARD:
        documents.update_draft(
            decision.document,
            actor=None,
            annexes=[paperwork.award_annex(nominations, _amounts(nominations, decision.unit, day))],
        )
    document = documents.issue_document(decision.document, actor=actor, issued_on=day)
    decision.status = DecisionStatus.ISSUED
    stamp(decision, actor=actor, reason="awards.decision.issued")
    decision.save(update_fields=["status"])
    codes = certificates.new_certificate_codes(len(nominations))
    for nomination, code in zip(nominations, codes, strict=True):
        record = services.record_nomination_award(
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

        _move(
            _lock(nomination),
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
    decision = _lock_decision(decision)
    access.require(actor, Cap.DECIDE_AWARDS, decision.unit)
    if decision.status != DecisionStatus.ISSUED:
        raise RuleViolation("Chỉ công bố quyết định đã ký ban hành và chưa công bố.")
    decision.status = DecisionStatus.PUBLISHED
    decision.published_at = timezone.now()
    stamp(decision, actor=actor, reason="awards.decision.published")
    decision.save(update_fields=["status", "published_at"])
    if decision.kind == DecisionKind.AWARD:
        for nomination in decision.nominations.order_by("pk"):
            _move(_lock(nomination), "publish", actor=actor)
    return decision


@transaction.atomic
def revoke_awards(
    nominations: Sequence[Nomination],
    *,
    actor,
    reason: str,
    signer_name: str,
    signer_position: str = "CHỦ TỊCH",
) -> AwardDecision:
    """Revocation only by a new decision with a reason; the award records are marked revoked."""
    if not nominations:
        raise RuleViolation("Chọn ít nhất một khen thưởng để hủy bỏ.")
    locked = [_lock(n) for n in _ordered(nominations)]
    unit = locked[0].conferring_unit
    if any(n.conferring_unit_id != unit.pk for n in locked):
        raise RuleViolation("Một quyết định hủy bỏ chỉ gồm khen thưởng của cùng một cấp.")
    access.require(actor, Cap.DECIDE_AWARDS, unit)
    reason = reason.strip()
    if not reason:
        raise RuleViolation("Cần ghi rõ lý do hủy bỏ khen thưởng.")
    for nomination in locked:
        ensure_allowed(nomination, "revoke")
    content = paperwork.revocation(
        locked,
        unit=unit,
        reason=reason,
        signer_name=signer_name,
        signer_position=signer_position,
    )
    draft = documents.create_draft(DocumentKind.DECISION, issuer=unit, actor=None, **content)
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
        services.revoke_award(
            nomination.award_record,
            actor=actor,
            revoked_on=document.issued_on,
            decision=document.number_and_symbol,
            reason=reason,
            decided_by=unit,
        )

        def mark(n: Nomination) -> None:
            n.revocation = decision

        _move(
            nomination,
            "revoke",
            actor=actor,
            reason=reason,
            document=document,
            before=mark,
            fields=["revocation"],
        )
    return decision


# ---------------------------------------------------------------------------------------------
# Certificates (printed by the job in awards.jobs)

PRINT_CERTIFICATES_JOB = "awards.print_certificates"


def certificate_kind(decision: AwardDecision) -> str:
    """Bằng khen for provincial forms and titles, Giấy khen for the grassroots."""
    first = decision.nominations.select_related("title", "award_form").first()
    if first is not None and first.item.level != "grassroots":
        return DocumentKind.HONOUR_CERTIFICATE
    return DocumentKind.MERIT_CERTIFICATE


def certificate_rows(decision: AwardDecision) -> list[dict]:
    rows = []
    for index, nomination in enumerate(
        decision.nominations.select_related(
            "person__unit", "unit", "title", "award_form", "award_record"
        ).order_by("pk"),
        start=1,
    ):
        kind = "Đã có thành tích" if isinstance(nomination.item, AwardForm) else "Đạt danh hiệu"
        rows.append(
            {
                "awardee": nomination.recipient_name,
                "detail": paperwork.nominee_detail(nomination)
                if nomination.recipient_kind != RecipientKind.HOUSEHOLD
                else nomination.unit.name,
                "achievement": f"{kind} {nomination.item.name} năm {nomination.year}",
                "book_number": f"{decision.document.number_and_symbol} – {index}",
                "verification_code": nomination.award_record.certificate_code
                if nomination.award_record_id
                else "",
            }
        )
    return rows


@transaction.atomic
def certificate_layout(decision: AwardDecision, *, actor):
    """The shared certificate page of a decision (header, signer, decision reference)."""
    decision = _lock_decision(decision)
    access.require(actor, Cap.REVIEW_NOMINATIONS, decision.unit)
    if decision.status == DecisionStatus.DRAFT or decision.kind != DecisionKind.AWARD:
        raise RuleViolation("Chỉ in bằng, giấy khen của quyết định khen thưởng đã ban hành.")
    document = decision.document
    return documents.create_draft(
        certificate_kind(decision),
        issuer=decision.unit,
        actor=None,
        body=[
            {
                "type": "certificate",
                "authority": f"CHỦ TỊCH ỦY BAN NHÂN DÂN {decision.unit.name.upper()}",
                "awardee": "",
                "detail": "",
                "achievement": "",
                "decision": f"Quyết định số {document.number_and_symbol} "
                f"ngày {document.issued_on:%d/%m/%Y}",
            }
        ],
        signer_name=document.signer_name,
        signer_position=document.signer_position,
        issued_on=document.issued_on,
    )


@transaction.atomic
def print_certificates(decision: AwardDecision, *, actor) -> Job:
    """Start printing every awardee's certificate as a background job with a progress bar.

    The layout is fixed here, so a rerun of the job (a dead worker, a retry) prints the same
    pages. A print still waiting or running is returned instead of starting a second one.
    """
    decision = _lock_decision(decision)
    access.require(actor, Cap.REVIEW_NOMINATIONS, decision.unit)
    current = decision.certificates_job
    if current is not None and not current.is_finished:
        return current
    layout = certificate_layout(decision, actor=actor)
    job = jobs.start_job(
        decision.unit,
        actor=actor,
        kind=PRINT_CERTIFICATES_JOB,
        params={"decision_id": decision.pk, "layout_id": layout.pk},
    )
    decision.certificates_job = job
    stamp(decision, actor=actor, reason="awards.decision.certificates_printing")
    decision.save(update_fields=["certificates_job"])
    return job
