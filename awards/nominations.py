"""Services of the nomination workflow: every state change of a dossier goes through here.

Each public function is one step of `awards.workflow.TRANSITIONS`: it locks the dossier
(`select_for_update`), checks the table and the actor's capability on the level concerned,
mutates, stamps the history with a dotted reason, writes a timeline event and restarts the
step's clock. A return, a recall, a rejection or a revocation always needs a reason.
Councils are in `awards.council`, decisions and certificates in `awards.decisions`.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from portal import access, documents
from portal.access import Cap
from portal.audit import stamp
from portal.calendar import add_working_days
from portal.errors import RuleViolation
from portal.models import DocumentKind, Person, Unit
from portal.text import normalize_text

from . import appraisal, paperwork
from .eligibility import Candidate, Finding, blocking, check, decider_for
from .models import (
    BasisKind,
    Batch,
    CriterionOpinion,
    Decider,
    Evidence,
    Initiative,
    Item,
    Nomination,
    NominationEvent,
    PublicComment,
    RecipientKind,
)
from .quotas import quota_for
from .registered import registered_for
from .rulebook import Rulebook
from .workflow import EDITABLE, OPEN, TIMED, TRANSITIONS, Status

REPORT_FIELDS = (
    "report_position",
    "report_duties",
    "report_achievements",
    "report_initiatives",
    "report_past_awards",
    "unit_council_on",
    "unit_council_members",
    "unit_council_yes",
    "basis_reference",
    "campaign",
)
TEXT_FIELDS = {
    "report_position",
    "report_duties",
    "report_achievements",
    "report_initiatives",
    "report_past_awards",
    "basis_reference",
}


def today() -> datetime.date:
    return timezone.localdate()


# ---------------------------------------------------------------------------------------------
# The conferring level and the rules in force


def conferring_unit_for(item: Item, proposing_unit: Unit, on: datetime.date) -> Unit | None:
    """The nearest unit at or above the proposing unit whose leader may confer `item`."""
    rulebook = Rulebook.for_day(on, proposing_unit)
    if rulebook is None:
        return None
    deciders = {rule.decider for rule in rulebook.authority(item)}
    chain = [proposing_unit, *reversed(list(proposing_unit.ancestors()))]
    for unit in chain:
        if decider_for(unit) in deciders:
            return unit
    return None


CENTRAL_DECIDERS = (Decider.PRIME_MINISTER, Decider.PRESIDENT)


def central_decider_for(item: Item, proposing_unit: Unit, on: datetime.date) -> str:
    """The central authority (Thủ tướng, Chủ tịch nước) that confers `item`, or ""."""
    rulebook = Rulebook.for_day(on, proposing_unit)
    if rulebook is None:
        return ""
    deciders = {rule.decider for rule in rulebook.authority(item)}
    return next((d for d in CENTRAL_DECIDERS if d in deciders), "")


def sends_to_central(unit: Unit) -> bool:
    """The level whose Nội vụ submits to the central level: the province."""
    return decider_for(unit) == Decider.PROVINCE


def first_handler(proposing_unit: Unit, conferring: Unit | None) -> Unit:
    """Where a batch goes first: the proposing unit's own level when that level decides, else
    the next administrative level up (which forwards further if needed)."""
    home = proposing_unit.administrative_home()
    if conferring is not None and conferring.pk == home.pk:
        return home
    if home.pk != proposing_unit.pk or home.parent_id is None:
        return home
    return home.parent.administrative_home()


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


def _store_findings(nomination: Nomination, findings: Sequence[Finding]) -> None:
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
            + " ".join(f.message for f in hard)
        )
    missing = [
        f for f in findings if not f.blocks and not (nomination.justifications or {}).get(f.code)
    ]
    if missing:
        raise RuleViolation(
            f"{nomination.recipient_name}: cần giải trình – " + " ".join(f.message for f in missing)
        )


# ---------------------------------------------------------------------------------------------
# The transition machinery


def _lock(nomination: Nomination) -> Nomination:
    return (
        Nomination.objects.select_for_update(of=("self",))
        .select_related("proposing_unit", "handling_unit", "conferring_unit", "title", "award_form")
        .get(pk=nomination.pk)
    )


def _unit_for(nomination: Nomination, cap: Cap) -> Unit:
    if cap is Cap.PROPOSE_AWARDS:
        return nomination.proposing_unit
    return nomination.handling_unit


def _restart_clock(nomination: Nomination, day: datetime.date) -> None:
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


def ensure_allowed(nomination: Nomination, action: str):
    """The table's answer for `action` on `nomination` now; refuses in the user's words."""
    transition = TRANSITIONS[action]
    if nomination.status not in transition.sources:
        raise RuleViolation(
            f"Không thể “{transition.label or action}” hồ sơ {nomination.recipient_name} "
            f"đang ở bước “{Status(nomination.status).label}”."
        )
    return transition


def _move(
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
    transition = ensure_allowed(nomination, action)
    reason = normalize_text(reason)
    access.require(actor, transition.cap, _unit_for(nomination, transition.cap))
    if transition.needs_reason and not reason:
        raise RuleViolation("Cần ghi rõ lý do.")
    if before is not None:
        before(nomination)
    source = nomination.status
    nomination.status = transition.target
    if reason:
        nomination.last_reason = reason
    day = today()
    _restart_clock(nomination, day)
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
        unit=_unit_for(nomination, transition.cap),
        reason=reason,
        document=document,
    )
    return nomination


# ---------------------------------------------------------------------------------------------
# Drafting (the sender)


def _clean(fields: dict) -> dict:
    return {k: normalize_text(v) if k in TEXT_FIELDS else v for k, v in fields.items()}


def _check_council_vote(nomination: Nomination) -> None:
    members, yes = nomination.unit_council_members, nomination.unit_council_yes
    if members is not None and yes is not None and yes > members:
        raise RuleViolation("Số phiếu đồng ý lớn hơn số thành viên Hội đồng.")


@transaction.atomic
def create_nomination(
    proposing_unit: Unit,
    *,
    actor,
    item: Item,
    year: int,
    basis_kind: str,
    person: Person | None = None,
    unit: Unit | None = None,
    household_name: str = "",
    initiatives: Iterable[Initiative] = (),
    justifications: dict[str, str] | None = None,
    **report,
) -> Nomination:
    """A draft dossier; the eligibility findings are stored with it for the form to show."""
    access.require(actor, Cap.PROPOSE_AWARDS, proposing_unit)
    unknown = set(report) - set(REPORT_FIELDS)
    if unknown:
        raise RuleViolation(f"Không có trường: {', '.join(sorted(unknown))}.")
    household_name = normalize_text(household_name)
    if (person is None) == (unit is None):
        raise RuleViolation("Chọn một cá nhân, hoặc một tập thể / địa bàn của hộ gia đình.")
    if basis_kind not in BasisKind.values:
        raise RuleViolation("Loại khen thưởng không hợp lệ.")
    home = person.unit if person is not None else unit
    if not proposing_unit.contains(home):
        raise RuleViolation(f"{proposing_unit.name} chỉ đề nghị khen thưởng trong đơn vị mình.")
    if person is not None:
        kind = RecipientKind.INDIVIDUAL
        if household_name:
            raise RuleViolation("Hộ gia đình được ghi theo địa bàn, không theo cá nhân.")
    else:
        kind = RecipientKind.HOUSEHOLD if household_name else RecipientKind.COLLECTIVE
    nomination = Nomination(
        recipient_kind=kind,
        person=person,
        unit=unit,
        household_name=household_name,
        year=year,
        basis_kind=basis_kind,
        proposing_unit=proposing_unit,
        justifications=_justifications(justifications),
        created_by=actor if getattr(actor, "pk", None) else None,
        **_clean(report),
    )
    nomination.item = item
    if not nomination.report_achievements:
        raise RuleViolation("Cần nhập thành tích đạt được (báo cáo thành tích).")
    _check_council_vote(nomination)
    stamp(nomination, actor=actor, reason="awards.nomination.drafted")
    nomination.save()
    nomination.initiatives.set(list(initiatives))
    _store_findings(nomination, run_eligibility(nomination))
    nomination.save(update_fields=["findings"])
    NominationEvent.objects.create(
        nomination=nomination,
        action="draft",
        to_status=Status.DRAFT,
        actor=actor if getattr(actor, "pk", None) else None,
        unit=proposing_unit,
    )
    return nomination


def _justifications(values: dict[str, str] | None) -> dict[str, str]:
    return {code: normalize_text(text) for code, text in (values or {}).items() if text.strip()}


@transaction.atomic
def update_nomination(
    nomination: Nomination,
    *,
    actor,
    initiatives: Iterable[Initiative] | None = None,
    justifications: dict[str, str] | None = None,
    **report,
) -> Nomination:
    """Edit the report while the dossier is a draft or returned; eligibility is re-run."""
    nomination = _lock(nomination)
    access.require(actor, Cap.PROPOSE_AWARDS, nomination.proposing_unit)
    if nomination.status not in EDITABLE:
        raise RuleViolation("Hồ sơ đã trình, không sửa được; hãy rút hồ sơ hoặc chờ trả lại.")
    unknown = set(report) - set(REPORT_FIELDS)
    if unknown:
        raise RuleViolation(f"Không có trường: {', '.join(sorted(unknown))}.")
    for key, value in _clean(report).items():
        setattr(nomination, key, value)
    if not nomination.report_achievements:
        raise RuleViolation("Cần nhập thành tích đạt được (báo cáo thành tích).")
    _check_council_vote(nomination)
    if justifications is not None:
        nomination.justifications = _justifications(justifications)
    if initiatives is not None:
        nomination.initiatives.set(list(initiatives))
    _store_findings(nomination, run_eligibility(nomination))
    stamp(nomination, actor=actor, reason="awards.nomination.updated")
    nomination.save()
    return nomination


@transaction.atomic
def add_evidence(
    nomination: Nomination, *, actor, description: str, file=None, link: str = ""
) -> Evidence:
    nomination = _lock(nomination)
    access.require(actor, Cap.PROPOSE_AWARDS, nomination.proposing_unit)
    if nomination.status not in EDITABLE:
        raise RuleViolation("Chỉ bổ sung minh chứng khi hồ sơ đang soạn hoặc bị trả lại.")
    description = normalize_text(description)
    if not description or not (file or link):
        raise RuleViolation("Minh chứng cần mô tả và một tệp hoặc đường dẫn.")
    evidence = Evidence(nomination=nomination, description=description, link=link)
    if file:
        evidence.file = file
    stamp(evidence, actor=actor, reason="awards.evidence.added")
    evidence.save()
    return evidence


@transaction.atomic
def attach_signed_report(nomination: Nomination, *, actor, file) -> Nomination:
    """The achievement report signed on paper, scanned, beside its structured fields."""
    nomination = _lock(nomination)
    access.require(actor, Cap.PROPOSE_AWARDS, nomination.proposing_unit)
    if nomination.status not in EDITABLE:
        raise RuleViolation("Chỉ đính kèm báo cáo khi hồ sơ đang soạn hoặc bị trả lại.")
    nomination.signed_report = file
    stamp(nomination, actor=actor, reason="awards.nomination.signed_report")
    nomination.save(update_fields=["signed_report"])
    return nomination


# ---------------------------------------------------------------------------------------------
# Submitting a batch, recalling, forwarding


def _issue_submission(
    nominations: Sequence[Nomination],
    *,
    sender: Unit,
    addressed_to: Unit,
    forward: bool,
    actor,
    signer_name: str,
    signer_position: str,
):
    content = paperwork.submission(
        nominations,
        sender=sender,
        addressed_to=addressed_to,
        forward=forward,
        signer_name=normalize_text(signer_name) or actor.get_full_name(),
        signer_position=signer_position or "CHỦ TỊCH",
    )
    # Access was checked on the step itself (propose or review); the paper follows the step.
    draft = documents.create_draft(DocumentKind.SUBMISSION, issuer=sender, actor=None, **content)
    return documents.issue_document(draft, actor=None)


@transaction.atomic
def submit_batch(
    nominations: Sequence[Nomination],
    *,
    actor,
    sender: Unit,
    signer_name: str = "",
    signer_position: str = "",
) -> Batch:
    """Submit drafts of one unit together with their Tờ trình; all or nothing.

    Eligibility is re-run on the day: a hard finding blocks, each soft one needs its
    justification. Every dossier of a batch must go to the same level.
    """
    if not nominations:
        raise RuleViolation("Chọn ít nhất một hồ sơ để trình.")
    access.require(actor, Cap.PROPOSE_AWARDS, sender)
    locked = [_lock(n) for n in sorted(nominations, key=lambda n: n.pk)]
    day = today()
    targets = set()
    for nomination in locked:
        ensure_allowed(nomination, "submit")
        if not sender.contains(nomination.proposing_unit):
            raise RuleViolation(f"{nomination} không phải hồ sơ của {sender.name}.")
        findings = run_eligibility(nomination, day)
        _store_findings(nomination, findings)
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
        raise RuleViolation("Các hồ sơ trong một tờ trình phải trình cùng một cấp.")
    addressed_to = locked[0].handling_unit
    document = _issue_submission(
        locked,
        sender=sender,
        addressed_to=addressed_to,
        forward=False,
        actor=actor,
        signer_name=signer_name,
        signer_position=signer_position,
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
        _move(
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
    return _move(_lock(nomination), "recall", actor=actor, reason=reason)


@transaction.atomic
def forward_batch(
    nominations: Sequence[Nomination],
    *,
    actor,
    signer_name: str = "",
    signer_position: str = "",
) -> Batch:
    """Send checked dossiers beyond this level's authority to the next level's Nội vụ."""
    if not nominations:
        raise RuleViolation("Chọn ít nhất một hồ sơ để trình cấp trên.")
    locked = [_lock(n) for n in sorted(nominations, key=lambda n: n.pk)]
    here = locked[0].handling_unit
    for nomination in locked:
        ensure_allowed(nomination, "forward")
        if nomination.handling_unit_id != here.pk:
            raise RuleViolation("Các hồ sơ trình cấp trên phải đang ở cùng một cấp.")
        if nomination.conferring_unit_id == here.pk:
            raise RuleViolation(f"{nomination}: thuộc thẩm quyền của {here.name}, không trình lên.")
        if nomination.is_central and sends_to_central(here):
            raise RuleViolation(
                f"{nomination}: cấp có thẩm quyền nằm ngoài cổng thông tin; "
                "hãy dùng “Trình Trung ương”."
            )
        outside = nomination.conferring_unit is None and not nomination.is_central
        if outside or here.parent_id is None:
            raise RuleViolation(
                f"{nomination}: cấp có thẩm quyền nằm ngoài cổng thông tin; trình bằng văn bản."
            )
    access.require(actor, Cap.REVIEW_NOMINATIONS, here)
    upper = here.parent.administrative_home()
    document = _issue_submission(
        locked,
        sender=here,
        addressed_to=upper,
        forward=True,
        actor=actor,
        signer_name=signer_name,
        signer_position=signer_position,
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
        _move(
            nomination,
            "forward",
            actor=actor,
            document=document,
            before=rehome,
            fields=["batch", "handling_unit"],
        )
    return batch


# ---------------------------------------------------------------------------------------------
# Nội vụ: receive, return, public comment, check


@transaction.atomic
def receive_nomination(nomination: Nomination, *, actor) -> Nomination:
    return _move(_lock(nomination), "receive", actor=actor)


@transaction.atomic
def return_nomination(nomination: Nomination, *, actor, reason: str) -> Nomination:
    """Back to the sender for completion; the reason is shown on the sender's page."""
    return _move(_lock(nomination), "return", actor=actor, reason=reason)


def _rule_of_item(nomination: Nomination, on: datetime.date | None = None):
    rulebook = Rulebook.for_day(on or today(), nomination.handling_unit)
    return rulebook.public_comment(nomination.item) if rulebook else None


def comment_rule(nomination: Nomination, on: datetime.date | None = None):
    """The public-comment rule the level holding the dossier must apply: the item's rule, at the
    level that publishes only (`Nomination.comments_here`)."""
    return _rule_of_item(nomination, on) if nomination.comments_here else None


def _comment_level_name(nomination: Nomination) -> str:
    if nomination.is_central:
        return "cấp tỉnh trước khi trình Trung ương"
    return nomination.conferring_unit.name if nomination.conferring_unit_id else "cấp quyết định"


@transaction.atomic
def open_public_comment(
    nomination: Nomination, *, actor, opens_on: datetime.date | None = None
) -> Nomination:
    """Put the nominee on the public site for the window the rules set."""
    nomination = _lock(nomination)
    opens_on = opens_on or today()
    rule = comment_rule(nomination)

    def window(n: Nomination) -> None:
        if rule is None and _rule_of_item(n) is not None:
            raise RuleViolation(
                f"“{n.item.name}” được lấy ý kiến công khai ở {_comment_level_name(n)}; "
                f"{n.handling_unit.name} thẩm định và trình lên, không lấy ý kiến."
            )
        if rule is None:
            raise RuleViolation(f"“{n.item.name}” không phải lấy ý kiến công khai theo quy định.")
        if opens_on < today():
            raise RuleViolation("Ngày bắt đầu lấy ý kiến không được trước hôm nay.")
        n.comment_opens_on = opens_on
        n.comment_closes_on = add_working_days(opens_on, rule.working_days)

    return _move(
        nomination,
        "open_comment",
        actor=actor,
        before=window,
        reason=f"Lấy ý kiến công khai ({rule.article})" if rule else "",
        fields=["comment_opens_on", "comment_closes_on"],
    )


@transaction.atomic
def add_public_comment(
    nomination: Nomination, *, author_name: str, text: str, contact: str = ""
) -> PublicComment:
    """A comment from the public while the window is open (no account needed)."""
    nomination = _lock(nomination)
    if nomination.status != Status.PUBLIC_COMMENT or not nomination.comment_window_open(today()):
        raise RuleViolation("Hồ sơ này hiện không trong thời gian lấy ý kiến.")
    author_name, text = normalize_text(author_name), normalize_text(text)
    if not author_name or not text:
        raise RuleViolation("Cần ghi họ tên và nội dung góp ý.")
    comment = PublicComment(
        nomination=nomination, author_name=author_name, text=text, contact=normalize_text(contact)
    )
    stamp(comment, actor=None, reason="awards.public_comment.received")
    comment.save()
    return comment


@transaction.atomic
def check_nomination(
    nomination: Nomination,
    *,
    actor,
    opinion: str,
    verdicts: Mapping[str, tuple[str, str]] | None = None,
) -> Nomination:
    """Thẩm định: the reviewer's opinion and a verdict per criterion (code → (verdict, note);
    None confirms the pre-filled ones); eligibility re-run on the day; public comment done;
    every body asked has answered, and an objection is either justified or the dossier goes
    back."""
    nomination = _lock(nomination)
    opinion = normalize_text(opinion)
    judgements: list[appraisal.Judgement] = []

    def appraise(n: Nomination) -> None:
        if not opinion:
            raise RuleViolation("Cần ghi ý kiến thẩm định.")
        day = today()
        if n.status == Status.RECEIVED and comment_rule(n, day) is not None:
            raise RuleViolation(
                f"“{n.item.name}” phải lấy ý kiến công khai trước khi kết thúc thẩm định."
            )
        if n.status == Status.PUBLIC_COMMENT and day <= n.comment_closes_on:
            raise RuleViolation(
                f"Chưa hết thời gian lấy ý kiến công khai (đến {n.comment_closes_on:%d/%m/%Y})."
            )
        clearances = list(n.clearances.all())
        for clearance in clearances:
            if clearance.is_pending:
                raise RuleViolation(appraisal.pending_message(clearance))
        findings = run_eligibility(n, day)
        _store_findings(n, findings)
        refuse_unjustified(n, findings)
        criteria = appraisal.criteria_for(n, clearances=clearances)
        judgements.extend(appraisal.judge(criteria, verdicts))
        n.reviewer_opinion = opinion

    checked = _move(
        nomination,
        "check",
        actor=actor,
        reason=opinion,
        before=appraise,
        fields=["reviewer_opinion", "findings"],
    )
    _record_criterion_opinions(checked, judgements, actor=actor)
    return checked


def _record_criterion_opinions(
    nomination: Nomination, judgements: Sequence[appraisal.Judgement], *, actor
) -> None:
    """One row per criterion, kept across checks (a returned dossier checked again updates
    its rows, the history keeps the earlier verdicts)."""
    existing = {row.code: row for row in nomination.criterion_opinions.all()}
    for position, judgement in enumerate(judgements):
        criterion = judgement.criterion
        row = existing.pop(criterion.code, None) or CriterionOpinion(
            nomination=nomination, code=criterion.code
        )
        row.label = criterion.label
        row.article = criterion.article
        row.position = position
        row.suggested = criterion.suggested
        row.verdict = judgement.verdict
        row.note = judgement.note or criterion.finding
        row.recorded_by = actor if getattr(actor, "pk", None) else None
        stamp(row, actor=actor, reason="awards.criterion_opinion.recorded")
        row.save()
    for row in existing.values():
        stamp(row, actor=actor, reason="awards.criterion_opinion.dropped")
        row.delete()


# ---------------------------------------------------------------------------------------------
# Approval without a council vote, rejection, the ad hoc short path


def _needs_council(nomination: Nomination) -> bool:
    rulebook = Rulebook.for_day(today(), nomination.handling_unit)
    return rulebook is not None and rulebook.vote(nomination.item) is not None


def _must_decide_here(nomination: Nomination) -> None:
    if nomination.conferring_unit_id != nomination.handling_unit_id:
        raise RuleViolation(
            f"“{nomination.item.name}” vượt thẩm quyền của {nomination.handling_unit.name}; "
            "hãy trình cấp trên."
        )


def must_vote_here(nomination: Nomination) -> None:
    """The council of the handling level votes on what it decides, and at the province on what
    it sends to the central level."""
    if nomination.is_central and sends_to_central(nomination.handling_unit):
        return
    _must_decide_here(nomination)


@transaction.atomic
def approve_nomination(nomination: Nomination, *, actor, reason: str = "") -> Nomination:
    """The conferring leader approves a checked dossier whose item needs no council vote."""

    def guard(n: Nomination) -> None:
        _must_decide_here(n)
        if _needs_council(n):
            raise RuleViolation(f"“{n.item.name}” phải được Hội đồng TĐKT bỏ phiếu.")

    return _move(_lock(nomination), "approve", actor=actor, reason=reason, before=guard)


@transaction.atomic
def reject_nomination(nomination: Nomination, *, actor, reason: str) -> Nomination:
    return _move(_lock(nomination), "reject", actor=actor, reason=reason)


@transaction.atomic
def fast_track_nomination(nomination: Nomination, *, actor, reason: str = "") -> Nomination:
    """Thủ tục đơn giản (Law Art. 85): an ad hoc dossier goes from receipt to approval."""

    def guard(n: Nomination) -> None:
        if not n.is_ad_hoc:
            raise RuleViolation("Chỉ khen thưởng đột xuất được xét theo thủ tục đơn giản.")
        _must_decide_here(n)
        findings = run_eligibility(n)
        _store_findings(n, findings)
        refuse_unjustified(n, findings)

    return _move(
        _lock(nomination),
        "fast_track",
        actor=actor,
        reason=reason,
        before=guard,
        fields=["findings"],
    )


# ---------------------------------------------------------------------------------------------
# Bulk actions for Nội vụ: each row its own transaction, each row its own result


@dataclass(frozen=True)
class RowResult:
    nomination: Nomination
    ok: bool
    message: str


BULK_ACTIONS: dict[str, str] = {
    "receive": "Tiếp nhận",
    "return": "Trả lại (cùng một lý do)",
    "check": "Thẩm định xong (cùng một ý kiến)",
}


def bulk_call(
    nominations: Iterable[Nomination], call: Callable[[Nomination], object]
) -> list[RowResult]:
    """Run `call` per dossier (each a service with its own transaction), collecting results."""
    results = []
    for nomination in nominations:
        try:
            call(nomination)
        except (RuleViolation, PermissionDenied) as error:
            results.append(RowResult(nomination, False, str(error)))
        else:
            moved = Nomination.objects.get(pk=nomination.pk)
            results.append(RowResult(moved, True, Status(moved.status).label))
    return results


def bulk_apply(
    action: str, nominations: Iterable[Nomination], *, actor, reason: str = ""
) -> list[RowResult]:
    """Run one service per dossier; a refused row does not stop the others."""
    calls = {
        "receive": lambda n: receive_nomination(n, actor=actor),
        "return": lambda n: return_nomination(n, actor=actor, reason=reason),
        "check": lambda n: check_nomination(n, actor=actor, opinion=reason),
    }
    if action not in calls:
        raise RuleViolation("Thao tác không hợp lệ.")
    return bulk_call(nominations, calls[action])
