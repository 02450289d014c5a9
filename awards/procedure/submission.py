"""Submitting drafts in a batch with their Tờ trình, recalling one, forwarding checked dossiers
beyond this level's authority to the next level's Nội vụ.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction

from awards.models import Batch, Nomination
from awards.paperwork import papers
from awards.procedure.levels import (
    central_decider_for,
    conferring_unit_for,
    first_handler,
    sends_to_central,
)
from awards.procedure.screening import refuse_unjustified, run_eligibility, store_findings
from awards.transitions import lock_nomination, move_nomination, today
from awards.workflow import TABLE
from portal import access, documents
from portal.access import Cap
from portal.audit import stamp
from portal.documents import signers
from portal.errors import RuleViolation
from portal.models import DocumentKind, Person, Unit


def _issue_submission(
    nominations: Sequence[Nomination],
    *,
    sender: Unit,
    addressed_to: Unit,
    forward: bool,
    signer: Person | None,
    actor,
):
    """A level proposing to itself does so through its office, to its own head; any other
    sender signs for itself (TM. ỦY BAN NHÂN DÂN for a People's Committee)."""
    day = today()
    issuer = sender
    if sender.pk == addressed_to.pk:
        issuer = signers.staff_office(sender, day)
        if issuer is None:
            raise RuleViolation(
                f"{sender.name} chưa có văn phòng (phòng chuyên môn có người đứng đầu) để trình "
                f"{signers.head_phrase(sender, day)}; hãy nhập đơn vị và chức vụ lãnh đạo.",
                code="sender_without_office",
            )
    signature = signers.signature(issuer, day, person=signer, collective=True)
    content = papers.submission(
        nominations,
        sender=issuer,
        addressed_to=addressed_to,
        forward=forward,
        signature=signature,
        day=day,
    )
    # Access was checked on the step itself (propose or review); the paper follows the step.
    # The proposer's submission (checked by the caller) makes its Tờ trình: the paper names them.
    draft = documents.create_draft(
        DocumentKind.SUBMISSION, issuer=issuer, actor=actor, check_access=False, **content
    )
    return documents.issue_document(draft, actor=actor, check_access=False)


@transaction.atomic
def submit_batch(
    nominations: Sequence[Nomination],
    *,
    actor,
    sender: Unit,
    signer: Person | None = None,
) -> Batch:
    """Submit drafts of one unit together with their Tờ trình; all or nothing.

    Eligibility is re-run on the day: a hard finding blocks, each soft one needs its
    justification. Every dossier of a batch must go to the same level.
    """
    if not nominations:
        raise RuleViolation("Chọn ít nhất một hồ sơ để trình.", code="submit_nothing_chosen")
    access.require(actor, Cap.PROPOSE_AWARDS, sender)
    locked = [lock_nomination(n) for n in sorted(nominations, key=lambda n: n.pk)]
    day = today()
    targets = set()
    for nomination in locked:
        TABLE.ensure(nomination, "submit")
        if not sender.contains(nomination.proposing_unit):
            raise RuleViolation(
                f"{nomination} không phải hồ sơ của {sender.name}.", code="not_senders_nomination"
            )
        findings = run_eligibility(nomination, day)
        store_findings(nomination, findings)
        refuse_unjustified(nomination, findings)
        nomination.conferring_unit = conferring_unit_for(
            nomination.item, nomination.proposing_unit, day
        )
        nomination.conferring_level = (
            central_decider_for(nomination.item, nomination.proposing_unit, day)
            if nomination.conferring_unit is None
            else ""
        )
        nomination.handling_unit = first_handler(
            nomination.proposing_unit, nomination.conferring_unit
        )
        targets.add(nomination.handling_unit.pk)
    if len(targets) > 1:
        raise RuleViolation(
            "Các hồ sơ trong một tờ trình phải trình cùng một cấp.", code="submit_mixed_levels"
        )
    addressed_to = locked[0].handling_unit
    document = _issue_submission(
        locked,
        sender=sender,
        addressed_to=addressed_to,
        forward=False,
        signer=signer,
        actor=actor,
    )
    batch = Batch(
        sender=sender,
        addressed_to=addressed_to,
        submission=document,
        submitted_by=actor if getattr(actor, "pk", None) else None,
    )
    stamp(batch, actor=actor, reason="awards.batch.submitted")
    batch.save()
    for nomination in locked:
        nomination.batch = batch
        if nomination.submitted_on is None:
            nomination.submitted_on = day
        move_nomination(
            nomination,
            "submit",
            actor=actor,
            document=document,
            fields=[
                "batch",
                "submitted_on",
                "findings",
                "conferring_unit",
                "conferring_level",
                "handling_unit",
            ],
        )
    return batch


@transaction.atomic
def recall_nomination(nomination: Nomination, *, actor, reason: str) -> Nomination:
    """The sender takes a dossier back before Nội vụ has received it."""
    return move_nomination(lock_nomination(nomination), "recall", actor=actor, reason=reason)


@transaction.atomic
def forward_batch(
    nominations: Sequence[Nomination],
    *,
    actor,
    signer: Person | None = None,
) -> Batch:
    """Send checked dossiers beyond this level's authority to the next level's Nội vụ."""
    if not nominations:
        raise RuleViolation(
            "Chọn ít nhất một hồ sơ để trình cấp trên.", code="forward_nothing_chosen"
        )
    locked = [lock_nomination(n) for n in sorted(nominations, key=lambda n: n.pk)]
    here = locked[0].handling_unit
    for nomination in locked:
        TABLE.ensure(nomination, "forward")
        if nomination.handling_unit_id != here.pk:
            raise RuleViolation(
                "Các hồ sơ trình cấp trên phải đang ở cùng một cấp.", code="forward_mixed_levels"
            )
        if nomination.conferring_unit_id == here.pk:
            raise RuleViolation(
                f"{nomination}: thuộc thẩm quyền của {here.name}, không trình lên.",
                code="forward_within_authority",
            )
        if nomination.is_central and sends_to_central(here):
            raise RuleViolation(
                f"{nomination}: cấp có thẩm quyền nằm ngoài cổng thông tin; "
                "hãy dùng “Trình Trung ương”.",
                code="forward_to_central_instead",
            )
        outside = nomination.conferring_unit is None and not nomination.is_central
        if outside or here.parent_id is None:
            raise RuleViolation(
                f"{nomination}: cấp có thẩm quyền nằm ngoài cổng thông tin; trình bằng văn bản.",
                code="forward_outside_portal",
            )
    access.require(actor, Cap.REVIEW_NOMINATIONS, here)
    upper = here.parent.administrative_home()
    document = _issue_submission(
        locked,
        sender=here,
        addressed_to=upper,
        forward=True,
        signer=signer,
        actor=actor,
    )
    batch = Batch(
        sender=here,
        addressed_to=upper,
        submission=document,
        is_forward=True,
        submitted_by=actor if getattr(actor, "pk", None) else None,
    )
    stamp(batch, actor=actor, reason="awards.batch.forwarded")
    batch.save()

    def rehome(n: Nomination) -> None:
        # The dossier now waits at the upper level: the clock and the queue follow it there.
        n.batch = batch
        n.handling_unit = upper

    for nomination in locked:
        move_nomination(
            nomination,
            "forward",
            actor=actor,
            document=document,
            before=rehome,
            fields=["batch", "handling_unit"],
        )
    return batch
