"""The giao ước itself, step by step: drafted by the bloc head's officer, amended (a new
version once in force), opened for signature, signed by every member (or by the uploaded scan),
put in force, issued as an official document, and closed at the year's end.

The process in the field's words is told in `pledges.workflow`, its moves in `PLEDGE`.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from pledges import workflow
from pledges.models import (
    Commitment,
    CommitmentTask,
    Pledge,
    PledgeMember,
    PledgeSignature,
    PledgeVersion,
    RegistrationTask,
)
from pledges.workflow import PledgeStatus
from portal import access, documents, uploads
from portal import services as portal_services
from portal.access import Cap
from portal.audit import stamp
from portal.documents import outside_flow
from portal.documents.signers import leaders_on, signature
from portal.errors import RuleViolation
from portal.models import Bloc, BlocTerm, DocumentKind, Person, RotationRule, Unit
from portal.text import normalize_multiline, normalize_text
from portal.uploads import accept_upload
from portal.workflow import Transition, require_atomic


@dataclass(frozen=True)
class CommitmentInput:
    """One commitment as typed; `id` names an existing one when a version amends it."""

    text: str
    group: str = ""
    target_value: Decimal | None = None
    unit_of_measure: str = ""
    content_item_id: int | None = None
    id: int | None = None


def locked_pledge(pledge: Pledge) -> Pledge:
    return (
        Pledge.objects.select_for_update(of=("self",))
        .select_related("bloc__organiser", "head")
        .get(pk=pledge.pk)
    )


def held_on(pledge: Pledge) -> Callable[[Transition], Unit | None]:
    """The unit each move of the giao ước table is checked on: the bloc head's, or the
    organising unit's; the members sign each on their own unit, never through this."""
    sides = {workflow.HEAD: pledge.head, workflow.ORGANISER: pledge.bloc.organiser}
    return lambda row: sides.get(row.on)


def require_pledge_move(actor, pledge: Pledge, action: str) -> Transition:
    """The move `action` makes from the pledge's status, held by `actor` on its side."""
    move = workflow.PLEDGE.ensure(pledge, action)
    access.require(actor, move.cap, held_on(pledge)(move))
    return move


def set_pledge_status(pledge: Pledge, move: Transition, *, actor, reason: str) -> Pledge:
    """Apply a move of the giao ước table to the locked pledge; the caller holds the atomic."""
    require_atomic()
    pledge.status = move.target
    stamp(pledge, actor=actor, reason=reason)
    pledge.save(update_fields=["status"])
    return pledge


@transaction.atomic
def draft_pledge(
    bloc: Bloc,
    *,
    actor,
    year: int,
    preamble: str = "",
    commitments: Sequence[CommitmentInput] = (),
    campaign=None,
    ceremony_on=None,
    ceremony_place: str = "",
    witnesses: str = "",
    from_pledge: Pledge | None = None,
) -> Pledge:
    """The bloc head's officer drafts the year's pledge; the parties are the bloc's members
    seated in that year, as the units then were (a former town's bloc of 2024 keeps its
    communes of 2024). Drafted from an earlier pledge, it starts with that one's content."""
    bloc = Bloc.objects.select_for_update().get(pk=bloc.pk)
    term = BlocTerm.objects.filter(bloc=bloc, year=year).select_related("head").first()
    if term is None:
        raise RuleViolation(
            f"Cụm, khối chưa có trưởng cụm/khối năm {year}.", code="bloc_head_missing"
        )
    access.require(actor, Cap.MANAGE_PLEDGE, term.head)
    if Pledge.objects.filter(bloc=bloc, year=year).exists():
        raise RuleViolation(f"Cụm, khối đã có giao ước thi đua năm {year}.", code="pledge_exists")
    if from_pledge is not None:
        preamble = preamble or from_pledge.preamble
        campaign = campaign or from_pledge.campaign
        commitments = commitments or [
            CommitmentInput(
                text=c.text,
                group=c.group,
                target_value=c.target_value,
                unit_of_measure=c.unit_of_measure,
            )
            for c in from_pledge.commitments.filter(withdrawn=False)
        ]
    preamble = normalize_multiline(preamble)
    if not preamble:
        raise RuleViolation(
            "Cần có lời mở đầu, căn cứ của giao ước.", code="pledge_preamble_required"
        )
    pledge = Pledge(
        bloc=bloc,
        year=year,
        head=term.head,
        campaign=campaign,
        preamble=preamble,
        ceremony_on=ceremony_on,
        ceremony_place=normalize_text(ceremony_place),
        witnesses=normalize_multiline(witnesses),
        drafted_from=from_pledge,
    )
    stamp(pledge, actor=actor, reason="pledges.pledge.drafted")
    pledge.save()
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    seats = (
        bloc.members.filter(Q(joined_on__isnull=True) | Q(joined_on__lte=last))
        .filter(Q(left_on__isnull=True) | Q(left_on__gte=first))
        .filter(Q(unit__valid_to__isnull=True) | Q(unit__valid_to__gte=first))
        .filter(Q(unit__valid_from__isnull=True) | Q(unit__valid_from__lte=last))
    )
    for seat in seats.order_by("position", "unit__name"):
        member = PledgeMember(pledge=pledge, unit_id=seat.unit_id, position=seat.position)
        stamp(member, actor=actor, reason="pledges.pledge.member_added")
        member.save()
    _write_commitments(pledge, commitments, actor=actor)
    return pledge


def _write_commitments(pledge: Pledge, rows: Sequence[CommitmentInput], *, actor) -> None:
    """Update the named commitments, add the new ones, withdraw the ones left out."""
    existing = {c.pk: c for c in pledge.commitments.all()}
    kept = set()
    for position, row in enumerate(rows, start=1):
        text = normalize_multiline(row.text)
        if not text:
            raise RuleViolation(
                f"Cam kết thứ {position} chưa có nội dung.", code="commitment_text_required"
            )
        if row.target_value is not None and row.target_value <= 0:
            raise RuleViolation(
                f"Chỉ tiêu của cam kết thứ {position} phải lớn hơn 0.",
                code="commitment_target_not_positive",
            )
        if row.target_value is not None and not normalize_text(row.unit_of_measure):
            raise RuleViolation(
                f"Cam kết thứ {position} cần đơn vị tính của chỉ tiêu.",
                code="commitment_unit_required",
            )
        if row.id is not None and row.id not in existing:
            raise RuleViolation(
                f"Cam kết thứ {position} không thuộc giao ước này.", code="commitment_foreign"
            )
        commitment = existing.get(row.id) or Commitment(pledge=pledge)
        commitment.position = position
        commitment.group = normalize_text(row.group)
        commitment.text = text
        commitment.target_value = row.target_value
        commitment.unit_of_measure = normalize_text(row.unit_of_measure)
        commitment.content_item_id = row.content_item_id
        commitment.withdrawn = False
        stamp(commitment, actor=actor, reason="pledges.commitment.written")
        commitment.save()
        kept.add(commitment.pk)
    for pk, commitment in existing.items():
        if pk not in kept and not commitment.withdrawn:
            commitment.withdrawn = True
            stamp(commitment, actor=actor, reason="pledges.commitment.withdrawn")
            commitment.save(update_fields=["withdrawn"])


def pledge_content(pledge: Pledge) -> dict:
    """The content a version keeps: what the parties agreed to."""
    return {
        "preamble": pledge.preamble,
        "ceremony_on": pledge.ceremony_on.isoformat() if pledge.ceremony_on else None,
        "ceremony_place": pledge.ceremony_place,
        "witnesses": pledge.witnesses,
        "commitments": [
            {
                "id": c.pk,
                "group": c.group,
                "text": c.text,
                "target": c.target_display,
            }
            for c in pledge.commitments.filter(withdrawn=False)
        ],
    }


@transaction.atomic
def amend_pledge(
    pledge: Pledge,
    *,
    actor,
    reason: str = "",
    preamble: str | None = None,
    commitments: Sequence[CommitmentInput] | None = None,
    ceremony_on=None,
    ceremony_place: str | None = None,
    witnesses: str | None = None,
) -> Pledge:
    """Change the pledge's content. A draft is simply edited; once in force, the earlier
    content is kept as a numbered version with the reason, and the version number goes up."""
    pledge = locked_pledge(pledge)
    access.require(actor, Cap.MANAGE_PLEDGE, pledge.head)
    if pledge.status not in workflow.AMENDABLE:
        raise RuleViolation(
            "Chỉ sửa giao ước khi đang soạn hoặc điều chỉnh khi giao ước đang có hiệu lực.",
            code="pledge_not_amendable",
        )
    reason = normalize_multiline(reason)
    if pledge.status == PledgeStatus.IN_FORCE:
        if not reason:
            raise RuleViolation("Cần nêu lý do.", code="reason_required")
        version = PledgeVersion(
            pledge=pledge,
            number=pledge.version,
            content=pledge_content(pledge),
            reason=reason,
            created_by=actor,
        )
        stamp(version, actor=actor, reason="pledges.pledge.version_kept")
        version.save()
        pledge.version += 1
    if preamble is not None:
        pledge.preamble = normalize_multiline(preamble)
        if not pledge.preamble:
            raise RuleViolation(
                "Cần có lời mở đầu, căn cứ của giao ước.", code="pledge_preamble_required"
            )
    if ceremony_on is not None:
        pledge.ceremony_on = ceremony_on
    if ceremony_place is not None:
        pledge.ceremony_place = normalize_text(ceremony_place)
    if witnesses is not None:
        pledge.witnesses = normalize_multiline(witnesses)
    stamp(pledge, actor=actor, reason="pledges.pledge.amended")
    pledge.save()
    if commitments is not None:
        _write_commitments(pledge, commitments, actor=actor)
    return pledge


@transaction.atomic
def open_pledge(pledge: Pledge, *, actor) -> Pledge:
    """Open the draft for the members' signatures."""
    pledge = locked_pledge(pledge)
    move = require_pledge_move(actor, pledge, "open")
    if not pledge.commitments.filter(withdrawn=False).exists():
        raise RuleViolation(
            "Giao ước cần ít nhất một cam kết trước khi lấy chữ ký.",
            code="pledge_without_commitments",
        )
    if pledge.members.count() < 2:
        raise RuleViolation(
            "Giao ước cần ít nhất hai đơn vị tham gia.", code="pledge_too_few_members"
        )
    return set_pledge_status(pledge, move, actor=actor, reason="pledges.pledge.opened")


def _signing_move(pledge: Pledge) -> Transition:
    """The table's signing move, when the pledge is open for signature; each member signs on
    its own unit, so no side is checked here."""
    move = workflow.PLEDGE.allowed(pledge.status, "sign")
    if move is None:
        raise RuleViolation("Giao ước không ở bước lấy chữ ký.", code="pledge_not_open")
    return move


def missing_signers(pledge: Pledge) -> list[Unit]:
    """The member units that have not signed yet (none once the signed scan is uploaded)."""
    if pledge.scan:
        return []
    signed = set(pledge.signatures.values_list("unit_id", flat=True))
    return [m.unit for m in pledge.members.select_related("unit") if m.unit_id not in signed]


@transaction.atomic
def sign_pledge(
    pledge: Pledge, *, actor, unit: Unit, paper_scan: bytes | None = None
) -> PledgeSignature:
    """A member unit's leader signs for the unit; the last signature makes the pledge signed.

    Only the unit's own leader signs. A system administrator may only record a signature the
    leader put on paper, with its scan (a PDF that opens), and the signature says so."""
    pledge = locked_pledge(pledge)
    access.require(actor, Cap.SIGN_PLEDGE, unit)

    move = _signing_move(pledge)
    if not pledge.members.filter(unit=unit).exists():
        raise RuleViolation(
            f"{unit} không phải đơn vị tham gia giao ước này.", code="unit_not_member"
        )
    if pledge.signatures.filter(unit=unit).exists():
        raise RuleViolation(f"{unit} đã ký giao ước này.", code="unit_already_signed")
    own = access.holds_in_unit(actor, Cap.SIGN_PLEDGE, unit)
    if not own and not paper_scan:
        raise RuleViolation(
            f"Chỉ lãnh đạo {unit} ký giao ước cho đơn vị; quản trị hệ thống chỉ được nhập chữ ký "
            "trên giấy kèm bản quét.",
            code="sign_not_own_unit",
        )
    signature = PledgeSignature(pledge=pledge, unit=unit, signed_by=actor, signed_at=timezone.now())
    reason = "pledges.pledge.signed_by_member"
    if not own:
        documents.check_scan(paper_scan)
        signature.paper_scan.save(uploads.random_name(".pdf"), ContentFile(paper_scan), save=False)
        reason = "pledges.pledge.paper_signature_recorded"
    stamp(signature, actor=actor, reason=reason)
    signature.save()
    if not missing_signers(pledge):
        set_pledge_status(pledge, move, actor=actor, reason="pledges.pledge.signed")
    return signature


@transaction.atomic
def upload_signed_pledge(pledge: Pledge, *, actor, file) -> Pledge:
    """The head uploads the scanned original signed on paper by every member."""
    pledge = locked_pledge(pledge)
    access.require(actor, Cap.MANAGE_PLEDGE, pledge.head)
    accept_upload(file, allowed=uploads.PDF_ONLY, label="Bản quét giao ước đã ký")
    move = _signing_move(pledge)
    require_atomic()
    pledge.scan.save(file.name, file, save=False)
    pledge.scan_uploaded_by = actor
    pledge.status = move.target
    stamp(pledge, actor=actor, reason="pledges.pledge.scan_uploaded")
    pledge.save(update_fields=["scan", "scan_uploaded_by", "status"])
    return pledge


@transaction.atomic
def put_pledge_in_force(pledge: Pledge, *, actor) -> Pledge:
    pledge = locked_pledge(pledge)
    move = require_pledge_move(actor, pledge, "in_force")
    return set_pledge_status(pledge, move, actor=actor, reason="pledges.pledge.in_force")


def member_signature(unit: Unit, day: datetime.date, user_id: int | None) -> dict:
    """A member's block on the giao ước: the person leading `unit` on `day` (portal/documents/
    signers.py), never an account's label. The leader who signed in the portal signs the
    paper when they hold a post in the unit that day (a deputy: "KT. CHỦ TỊCH / PHÓ CHỦ
    TỊCH"); otherwise, and for a signature put on paper, the unit's head. The unit's name
    follows the capacity, since the paper carries the organiser's header:
    "TM. ỦY BAN NHÂN DÂN / PHƯỜNG XUÂN TRUNG / CHỦ TỊCH", "SỞ NỘI VỤ / GIÁM ĐỐC"."""
    person = None
    if user_id is not None:
        person = Person.objects.filter(user_id=user_id).first()
        if person is not None and not any(p.person_id == person.pk for p in leaders_on(unit, day)):
            person = None
    block = signature(unit, day, person=person)
    name = unit.as_of(day).name.upper()
    lines = block.title_lines
    lines = [lines[0], name, *lines[1:]] if block.capacity == "TM." else [name, *lines]
    # "unit": whose turn the block is, so that only that member's own leader of the name
    # printed carries the paper signed outside (portal.documents.outside_flow.signing_units).
    return {
        "title": "\n".join(lines),
        "name": block.name,
        "person": block.person.pk,
        "unit": unit.pk,
    }


def _require_issuable(actor, pledge: Pledge) -> None:
    access.require(actor, Cap.MANAGE_PLEDGE, pledge.head)
    if pledge.status not in (PledgeStatus.SIGNED, PledgeStatus.IN_FORCE):
        raise RuleViolation(
            "Chỉ ban hành văn bản khi giao ước đã được ký đủ.", code="pledge_not_signed"
        )


def _pledge_draft(pledge: Pledge, *, actor, recipients: Iterable[str]):
    """The Giao ước as a draft document of the organiser: one signature block per member,
    each signed by the person leading the member on the giao ước's date (`member_signature`);
    the head unit's block closes the paper beside "Nơi nhận"."""
    day = pledge.ceremony_on or timezone.localdate()
    signed_by = {s.unit_id: s.signed_by_id for s in pledge.signatures.all() if not s.from_paper}
    members = list(pledge.members.select_related("unit"))
    blocks = {m.unit_id: member_signature(m.unit, day, signed_by.get(m.unit_id)) for m in members}
    head = blocks.get(pledge.head_id)
    if head is None:
        raise RuleViolation(
            f"{pledge.head.name} không còn là thành viên của giao ước.", code="head_not_member"
        )
    co_signers = [blocks[m.unit_id] for m in members if m.unit_id != pledge.head_id]
    organiser = pledge.bloc.organiser
    body: list[dict] = [{"type": "paragraph", "text": pledge.preamble}]
    parties = "; ".join(m.unit.name for m in members)
    body.append({"type": "paragraph", "text": f"Các đơn vị tham gia giao ước: {parties}."})
    groups: dict[str, list[Commitment]] = {}
    for commitment in pledge.commitments.filter(withdrawn=False):
        groups.setdefault(commitment.group, []).append(commitment)
    for group, items in groups.items():
        if group:
            body.append({"type": "heading", "text": group})
        for c in items:
            target = f" (chỉ tiêu: {c.target_display})" if c.target_value is not None else ""
            body.append({"type": "paragraph", "text": f"{c.position}. {c.text}{target}"})
    if pledge.witnesses:
        body.append({"type": "paragraph", "text": f"Đại biểu chứng kiến: {pledge.witnesses}"})
    # The organiser's paper, under its header and at the place it gives; the head's officer
    # acts for it here (and is recorded), access having been checked on the pledge by the caller.
    return documents.create_draft(
        DocumentKind.PLEDGE,
        issuer=organiser,
        actor=actor,
        check_access=False,
        place_name=pledge.ceremony_place,
        title=f"Giao ước thi đua năm {pledge.year}",
        summary=f"Giao ước thi đua năm {pledge.year} của {pledge.bloc.name}",
        body=body,
        signer_name=head["name"],
        signer_position=head["title"],
        recipients=[*recipients, f"Các đơn vị thuộc {pledge.bloc.name}", "Lưu: VT"],
        co_signers=co_signers,
        issued_on=pledge.ceremony_on,
    )


@transaction.atomic
def issue_pledge_document(pledge: Pledge, *, actor, recipients: Iterable[str] = ()):
    """The Giao ước issued at the portal, signed with the organiser's certificate: the members
    signed in the portal or on paper (the scan). A draft handed out to be signed outside is
    issued this way too when the members' digital signatures are given up for the paper's."""
    pledge = locked_pledge(pledge)
    _require_issuable(actor, pledge)
    document = pledge.document
    if document is not None and document.is_issued:
        raise RuleViolation(
            "Giao ước đã được ban hành thành văn bản.", code="pledge_document_issued"
        )
    document = document or _pledge_draft(pledge, actor=actor, recipients=recipients)
    document = documents.issue_document(document, actor=actor, check_access=False)
    pledge.document = document
    stamp(pledge, actor=actor, reason="pledges.pledge.document_issued")
    pledge.save(update_fields=["document"])
    return document


@transaction.atomic
def draft_pledge_document_for_signing(pledge: Pledge, *, actor, recipients: Iterable[str] = ()):
    """The Giao ước laid out to be signed outside the portal (#17): each member's leader signs
    it in turn with their own certificate on the document's signing page, the parties as
    printed and then the head (portal.documents.outside_flow); `issue_signed_pledge_document`
    then numbers it and the organiser's certificate countersigns."""
    pledge = locked_pledge(pledge)
    _require_issuable(actor, pledge)
    if pledge.document_id is not None:
        if pledge.document.is_issued:
            raise RuleViolation(
                "Giao ước đã được ban hành thành văn bản.", code="pledge_document_issued"
            )
        raise RuleViolation(
            "Văn bản Giao ước đã được lập để ký số.", code="pledge_document_drafted"
        )
    pledge.document = _pledge_draft(pledge, actor=actor, recipients=recipients)
    stamp(pledge, actor=actor, reason="pledges.pledge.document_drafted")
    pledge.save(update_fields=["document"])
    return pledge.document


@transaction.atomic
def issue_signed_pledge_document(pledge: Pledge, *, actor, issued_on=None):
    """Issue the Giao ước every member's leader has signed outside the portal: the number (if
    the organiser numbers giao ước) and the day are filled in, the organiser's certificate
    countersigns, and every member's signature stays valid."""
    pledge = locked_pledge(pledge)
    _require_issuable(actor, pledge)
    document = pledge.document
    if document is None:
        raise RuleViolation(
            "Giao ước chưa được lập văn bản để ký số.", code="pledge_document_missing"
        )
    if document.is_issued:
        raise RuleViolation(
            "Giao ước đã được ban hành thành văn bản.", code="pledge_document_issued"
        )
    # The head's officer issues the organiser's paper, as at the portal (access checked above).
    document = outside_flow.issue_signed_document(
        document, actor=actor, check_access=False, issued_on=issued_on
    )
    stamp(pledge, actor=actor, reason="pledges.pledge.document_issued")
    pledge.save(update_fields=["document"])
    return document


@transaction.atomic
def link_task_to_commitment(commitment: Commitment, *, actor, task: RegistrationTask):
    """A member counts one of its registered tasks towards a shared commitment."""
    commitment = Commitment.objects.select_related("pledge").get(pk=commitment.pk)
    task = RegistrationTask.objects.select_related("registration__unit").get(pk=task.pk)
    unit = task.registration.unit
    access.require(actor, Cap.REPORT_PROGRESS, unit)
    if commitment.withdrawn:
        raise RuleViolation("Cam kết đã được rút khỏi giao ước.", code="commitment_withdrawn")
    if not commitment.pledge.members.filter(unit=unit).exists():
        raise RuleViolation(
            f"{unit} không phải đơn vị tham gia giao ước này.", code="unit_not_member"
        )
    if CommitmentTask.objects.filter(commitment=commitment, task=task).exists():
        raise RuleViolation("Nhiệm vụ đã được gắn với cam kết này.", code="task_already_linked")
    link = CommitmentTask(commitment=commitment, task=task)
    stamp(link, actor=actor, reason="pledges.commitment.task_linked")
    link.save()
    return link


@transaction.atomic
def close_pledge_year(pledge: Pledge, *, actor) -> Pledge:
    """Close the year; with rotation by member order, next year's head and deputy are set."""
    pledge = locked_pledge(pledge)
    move = require_pledge_move(actor, pledge, "close")
    set_pledge_status(pledge, move, actor=actor, reason="pledges.pledge.closed")
    bloc = pledge.bloc
    next_year = pledge.year + 1
    if (
        bloc.rotation_rule == RotationRule.MEMBER_ORDER
        and not bloc.terms.filter(year=next_year).exists()
    ):
        portal_services.rotate_bloc_term(bloc, actor=actor, year=next_year)
    return pledge


def draft_next_pledge(pledge: Pledge, *, actor) -> Pledge:
    """Next year's pledge, drafted by next year's head from this year's content."""
    if pledge.status != PledgeStatus.CLOSED:
        raise RuleViolation(
            "Chỉ soạn giao ước năm sau khi năm này đã kết thúc.", code="pledge_year_not_closed"
        )
    return draft_pledge(pledge.bloc, actor=actor, year=pledge.year + 1, from_pledge=pledge)
