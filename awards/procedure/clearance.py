"""Opinions of other bodies on nominees (xin ý kiến cơ quan liên quan) during the check.

Before the appraisal ends, the Nội vụ reviewer asks bodies such as Công an (security and
order), Ủy ban Kiểm tra (Party discipline), Thuế, Tài nguyên và Môi trường (enterprises) or
Bảo hiểm xã hội for their opinion on one or several nominees: one Công văn lists them all. A
body that is a unit of the portal answers itself; for any other body the reviewer records the
reply received on paper. While a request is pending the dossier cannot be checked; an
objection (có ý kiến khác) blocks the check unless the reviewer, who appraises and answers
for the appraisal to the council and the leader, judges the criterion met with a written
justification — otherwise the dossier goes back to the sender. A request may be withdrawn
(e.g. sent to the wrong body), with a reason.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.db import transaction

from awards.models import ClearanceRequest, ClearanceStatus, Nomination, NominationEvent
from awards.models.appraisal import ANSWERS
from awards.paperwork import papers
from awards.rules.rulebook import Rulebook
from awards.transitions import lock_nomination, today
from awards.workflow import Status
from portal import access, documents, uploads
from portal.access import Cap
from portal.audit import stamp
from portal.calendar import add_working_days
from portal.documents import signers
from portal.errors import RuleViolation, reason_required
from portal.models import DocumentKind, Person, Unit
from portal.text import normalize_text
from portal.uploads import accept_upload

# The check is under way: received, or in its public comment window.
ASKABLE = frozenset({Status.RECEIVED, Status.PUBLIC_COMMENT})

# The Party standing committee of a province or a centrally governed city, as the reviewer
# names it on the request ("Ban Thường vụ Tỉnh ủy Đồng Nai", "Ban Thường vụ Thành ủy …").
PARTY_COMMITTEES = ("ban thường vụ tỉnh ủy", "ban thường vụ thành ủy")


def is_party_committee(body_name: str) -> bool:
    # Both tone placements are in use: "ủy" and the older "uỷ".
    name = normalize_text(body_name).casefold().replace("uỷ", "ủy")
    return name.startswith(PARTY_COMMITTEES)


def party_agreed(nomination: Nomination, asking: Unit) -> bool:
    """Whether `asking` asked the Party standing committee about the dossier and it agreed."""
    answered = nomination.clearances.filter(asking_unit=asking, status=ClearanceStatus.AGREED)
    return any(is_party_committee(clearance.body_name) for clearance in answered)


def _event(nomination: Nomination, action: str, *, actor, unit: Unit, reason: str, document=None):
    NominationEvent.objects.create(
        nomination=nomination,
        action=action,
        from_status=nomination.status,
        to_status=nomination.status,
        actor=actor if getattr(actor, "pk", None) else None,
        unit=unit,
        reason=reason,
        document=document,
    )


def _due_on(asking: Unit, sent_on: datetime.date, due_on: datetime.date | None):
    if due_on is not None:
        if due_on < sent_on:
            raise RuleViolation(
                "Hạn trả lời không được trước ngày gửi.", code="clearance_due_before_sent"
            )
        return due_on, ""
    rulebook = Rulebook.for_day(sent_on, asking)
    rule_set = rulebook.clearance_limit() if rulebook else None
    if rule_set is None:
        raise RuleViolation(
            "Bộ quy tắc chưa quy định thời hạn trả lời; hãy nhập hạn trả lời.",
            code="clearance_due_missing",
        )
    return (
        add_working_days(sent_on, rule_set.clearance_working_days),
        rule_set.clearance_article,
    )


@transaction.atomic
def request_clearance(
    nominations: Sequence[Nomination],
    *,
    actor,
    body_unit: Unit | None = None,
    body_name: str = "",
    subject: str,
    due_on: datetime.date | None = None,
    signer: Person | None = None,
) -> ClearanceRequest:
    """Ask one body about one or several dossiers under check at one level, with one Công văn
    (numbered in the asking level's register). `due_on` defaults to the rule set's time limit
    in working days."""
    if not nominations:
        raise RuleViolation(
            "Chọn ít nhất một hồ sơ để xin ý kiến.", code="clearance_nothing_chosen"
        )
    locked = [lock_nomination(n) for n in sorted(nominations, key=lambda n: n.pk)]
    asking = locked[0].handling_unit
    for nomination in locked:
        if nomination.status not in ASKABLE:
            raise RuleViolation(
                f"{nomination.recipient_name}: chỉ xin ý kiến khi hồ sơ đang thẩm định "
                f"(hồ sơ đang ở bước “{Status(nomination.status).label}”).",
                code="clearance_not_in_appraisal",
            )
        if nomination.handling_unit_id != asking.pk:
            raise RuleViolation(
                "Các hồ sơ trong một văn bản xin ý kiến phải ở cùng một cấp.",
                code="clearance_mixed_levels",
            )
    access.require(actor, Cap.REVIEW_NOMINATIONS, asking)
    body_name = normalize_text(body_name)
    if body_unit is not None and body_name:
        raise RuleViolation(
            "Chọn cơ quan trong danh sách đơn vị hoặc ghi tên, không cả hai.",
            code="clearance_body_twice",
        )
    if body_unit is not None:
        if body_unit.pk == asking.pk:
            raise RuleViolation(
                f"Không xin ý kiến chính {asking.name}.", code="clearance_asks_itself"
            )
        body_name = body_unit.name
    if not body_name:
        raise RuleViolation(
            "Chọn cơ quan được hỏi trong danh sách đơn vị, hoặc ghi tên cơ quan ngoài cổng.",
            code="clearance_body_missing",
        )
    subject = normalize_text(subject)
    if not subject:
        raise RuleViolation("Cần ghi nội dung xin ý kiến.", code="clearance_subject_missing")
    sent_on = today()
    due_on, due_article = _due_on(asking, sent_on, due_on)
    same_body = {"body_unit": body_unit} if body_unit is not None else {"body_name": body_name}
    for nomination in locked:
        if nomination.clearances.pending().filter(**same_body).exists():
            raise RuleViolation(
                f"Đã xin ý kiến {body_name} về {nomination.recipient_name}, đang chờ trả lời.",
                code="clearance_already_asked",
            )
    content = papers.clearance_letter(
        locked,
        asking_unit=asking,
        body_name=body_name,
        subject=subject,
        due_on=due_on,
        # Nobody signs a letter asking about themselves: a nominee heading the level leaves
        # it to the deputy (KT.), as for the decision.
        signature=signers.signature(
            asking,
            sent_on,
            person=signer,
            collective=True,
            excluded={n.person_id for n in locked if n.person_id},
        ),
    )
    # Access was checked on the step (the reviewer of the level); the letter follows it.
    letter = documents.issue_document(
        documents.create_draft(
            DocumentKind.OFFICIAL_LETTER,
            issuer=asking,
            actor=actor,
            check_access=False,
            **content,
        ),
        actor=actor,
        check_access=False,
    )
    clearance = ClearanceRequest(
        asking_unit=asking,
        body_unit=body_unit,
        body_name=body_name,
        subject=subject,
        sent_on=sent_on,
        due_on=due_on,
        due_article=due_article,
        letter=letter,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    stamp(clearance, actor=actor, reason="awards.clearance.requested")
    clearance.save()
    clearance.nominations.set(locked)
    for nomination in locked:
        _event(
            nomination,
            "clearance_requested",
            actor=actor,
            unit=asking,
            reason=f"Xin ý kiến {body_name} (hạn {due_on:%d/%m/%Y}): {subject}",
            document=letter,
        )
    return clearance


def _lock_request(clearance: ClearanceRequest) -> ClearanceRequest:
    return (
        ClearanceRequest.objects.select_for_update(of=("self",))
        .select_related("asking_unit", "body_unit")
        .get(pk=clearance.pk)
    )


@transaction.atomic
def record_clearance_answer(
    clearance: ClearanceRequest,
    *,
    actor,
    verdict: str,
    text: str,
    file=None,
    answered_on: datetime.date | None = None,
) -> ClearanceRequest:
    """The body's answer: by the body itself when it is a unit of the portal, or the reply on
    paper recorded by the asking level's reviewer."""
    clearance = _lock_request(clearance)
    if not access.may_answer_clearance(actor, clearance):
        raise access.denied()
    if not clearance.is_pending:
        raise RuleViolation(
            f"Văn bản xin ý kiến {clearance.body_name} đã "
            f"{ClearanceStatus(clearance.status).label.lower()}, không ghi trả lời được nữa.",
            code="clearance_closed",
        )
    if verdict not in ANSWERS:
        raise RuleViolation(
            "Kết quả trả lời phải là “Đồng ý” hoặc “Có ý kiến khác”.",
            code="clearance_verdict_invalid",
        )
    text = normalize_text(text)
    if verdict == ClearanceStatus.OBJECTION and not text:
        raise RuleViolation(
            "Cần ghi nội dung ý kiến khác của cơ quan được hỏi.",
            code="clearance_objection_text_missing",
        )
    answered_on = answered_on or today()
    if answered_on < clearance.sent_on:
        raise RuleViolation(
            "Ngày trả lời không được trước ngày gửi văn bản xin ý kiến.",
            code="clearance_answer_before_sent",
        )
    if answered_on > today():
        raise RuleViolation(
            "Ngày trả lời không được sau hôm nay.", code="clearance_answer_in_future"
        )
    clearance.status = verdict
    clearance.answer_text = text
    clearance.answered_on = answered_on
    clearance.answered_by = actor if getattr(actor, "pk", None) else None
    if file:
        accept_upload(file, allowed=uploads.PDF_ONLY, label="Văn bản trả lời")
        clearance.answer_file = file
    stamp(clearance, actor=actor, reason=f"awards.clearance.{verdict}")
    clearance.save()
    label = ClearanceStatus(verdict).label.lower()
    for nomination in clearance.nominations.all():
        _event(
            nomination,
            "clearance_answered",
            actor=actor,
            unit=clearance.body_unit or clearance.asking_unit,
            reason=f"{clearance.body_name} trả lời: {label}" + (f" – {text}" if text else ""),
        )
    return clearance


@transaction.atomic
def withdraw_clearance(clearance: ClearanceRequest, *, actor, reason: str) -> ClearanceRequest:
    """The asking level takes back a request still unanswered (wrong body, dossier returned)."""
    clearance = _lock_request(clearance)
    access.require(actor, Cap.REVIEW_NOMINATIONS, clearance.asking_unit)
    if not clearance.is_pending:
        raise RuleViolation(
            f"Chỉ rút văn bản đang chờ trả lời; văn bản này "
            f"{ClearanceStatus(clearance.status).label.lower()}.",
            code="clearance_not_pending",
        )
    reason = normalize_text(reason)
    if not reason:
        raise reason_required()
    clearance.status = ClearanceStatus.WITHDRAWN
    clearance.withdraw_reason = reason
    stamp(clearance, actor=actor, reason="awards.clearance.withdrawn")
    clearance.save()
    for nomination in clearance.nominations.all():
        _event(
            nomination,
            "clearance_withdrawn",
            actor=actor,
            unit=clearance.asking_unit,
            reason=f"Rút văn bản xin ý kiến {clearance.body_name}: {reason}",
        )
    return clearance
