"""Every write to a bloc's giao ước thi đua and its scoring goes through one of these.

The process in the field's words is told in `pledges.workflow` (PLEDGE_TRANSITIONS); the
scoring table's shape follows domain §8.4.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.db.models import Avg
from django.utils import timezone

from pledges import workflow
from pledges.models import (
    BlocAwardProposal,
    BlocProposalStatus,
    Commitment,
    CommitmentTask,
    Criterion,
    CriterionKind,
    Formula,
    HonourVote,
    Pledge,
    PledgeMember,
    PledgeSignature,
    PledgeVersion,
    ProposedAward,
    RankingEntry,
    RegistrationTask,
    Score,
    ScoreChange,
    ScoreSheet,
    ScoreTable,
    TieBreaker,
)
from pledges.workflow import (
    PledgeMove,
    PledgeStatus,
    ScoreSheetStatus,
    ScoreStage,
    ScoreTableStatus,
)
from portal import access, documents
from portal import services as portal_services
from portal.access import Cap
from portal.audit import stamp
from portal.errors import RuleViolation
from portal.models import Bloc, BlocTerm, DocumentKind, RotationRule, Unit
from portal.text import normalize_text

ZERO = Decimal(0)
CENT = Decimal("0.01")


@dataclass(frozen=True)
class CommitmentInput:
    """One commitment as typed; `id` names an existing one when a version amends it."""

    text: str
    group: str = ""
    target_value: Decimal | None = None
    unit_of_measure: str = ""
    content_item_id: int | None = None
    id: int | None = None


def _multiline(value: str) -> str:
    return "\n".join(normalize_text(line) for line in str(value or "").splitlines()).strip()


def _locked(pledge: Pledge) -> Pledge:
    return (
        Pledge.objects.select_for_update(of=("self",))
        .select_related("bloc__organiser", "head")
        .get(pk=pledge.pk)
    )


def _require_move(actor, pledge: Pledge, target: str) -> workflow.PledgeTransition:
    move = workflow.pledge_transition(pledge.status, target)
    if move is None:
        raise RuleViolation(workflow.pledge_refusal(pledge.status, target))
    unit = pledge.head if move.side == PledgeMove.HEAD else pledge.bloc.organiser
    access.require(actor, move.capability, unit)
    return move


def _set_status(pledge: Pledge, target: str, *, actor, reason: str) -> Pledge:
    pledge.status = target
    stamp(pledge, actor=actor, reason=reason)
    pledge.save(update_fields=["status"])
    return pledge


# The pledge


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
    """The bloc head's officer drafts the year's pledge; the parties are the bloc's active
    members today. Drafted from an earlier pledge, it starts with that one's content."""
    bloc = Bloc.objects.select_for_update().get(pk=bloc.pk)
    term = BlocTerm.objects.filter(bloc=bloc, year=year).select_related("head").first()
    if term is None:
        raise RuleViolation(f"Cụm, khối chưa có trưởng cụm/khối năm {year}.")
    access.require(actor, Cap.MANAGE_PLEDGE, term.head)
    if Pledge.objects.filter(bloc=bloc, year=year).exists():
        raise RuleViolation(f"Cụm, khối đã có giao ước thi đua năm {year}.")
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
    preamble = _multiline(preamble)
    if not preamble:
        raise RuleViolation("Cần có lời mở đầu, căn cứ của giao ước.")
    pledge = Pledge(
        bloc=bloc,
        year=year,
        head=term.head,
        campaign=campaign,
        preamble=preamble,
        ceremony_on=ceremony_on,
        ceremony_place=normalize_text(ceremony_place),
        witnesses=_multiline(witnesses),
        drafted_from=from_pledge,
    )
    stamp(pledge, actor=actor, reason="pledges.pledge.drafted")
    pledge.save()
    for seat in bloc.members.filter(left_on__isnull=True).order_by("position", "unit__name"):
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
        text = _multiline(row.text)
        if not text:
            raise RuleViolation(f"Cam kết thứ {position} chưa có nội dung.")
        if row.target_value is not None and row.target_value <= 0:
            raise RuleViolation(f"Chỉ tiêu của cam kết thứ {position} phải lớn hơn 0.")
        if row.target_value is not None and not normalize_text(row.unit_of_measure):
            raise RuleViolation(f"Cam kết thứ {position} cần đơn vị tính của chỉ tiêu.")
        if row.id is not None and row.id not in existing:
            raise RuleViolation(f"Cam kết thứ {position} không thuộc giao ước này.")
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
    pledge = _locked(pledge)
    access.require(actor, Cap.MANAGE_PLEDGE, pledge.head)
    if pledge.status not in workflow.AMENDABLE:
        raise RuleViolation(
            "Chỉ sửa giao ước khi đang soạn hoặc điều chỉnh khi giao ước đang có hiệu lực."
        )
    reason = _multiline(reason)
    if pledge.status == PledgeStatus.IN_FORCE:
        if not reason:
            raise RuleViolation("Điều chỉnh giao ước cần nêu lý do.")
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
        pledge.preamble = _multiline(preamble)
        if not pledge.preamble:
            raise RuleViolation("Cần có lời mở đầu, căn cứ của giao ước.")
    if ceremony_on is not None:
        pledge.ceremony_on = ceremony_on
    if ceremony_place is not None:
        pledge.ceremony_place = normalize_text(ceremony_place)
    if witnesses is not None:
        pledge.witnesses = _multiline(witnesses)
    stamp(pledge, actor=actor, reason="pledges.pledge.amended")
    pledge.save()
    if commitments is not None:
        _write_commitments(pledge, commitments, actor=actor)
    return pledge


@transaction.atomic
def open_pledge(pledge: Pledge, *, actor) -> Pledge:
    """Open the draft for the members' signatures."""
    pledge = _locked(pledge)
    _require_move(actor, pledge, PledgeStatus.OPEN)
    if not pledge.commitments.filter(withdrawn=False).exists():
        raise RuleViolation("Giao ước cần ít nhất một cam kết trước khi lấy chữ ký.")
    if pledge.members.count() < 2:
        raise RuleViolation("Giao ước cần ít nhất hai đơn vị tham gia.")
    return _set_status(pledge, PledgeStatus.OPEN, actor=actor, reason="pledges.pledge.opened")


def missing_signers(pledge: Pledge) -> list[Unit]:
    """The member units that have not signed yet (none once the signed scan is uploaded)."""
    if pledge.scan:
        return []
    signed = set(pledge.signatures.values_list("unit_id", flat=True))
    return [m.unit for m in pledge.members.select_related("unit") if m.unit_id not in signed]


@transaction.atomic
def sign_pledge(pledge: Pledge, *, actor, unit: Unit) -> PledgeSignature:
    """A member unit's leader signs for the unit; the last signature makes the pledge signed."""
    pledge = _locked(pledge)
    access.require(actor, Cap.SIGN_PLEDGE, unit)
    if pledge.status != PledgeStatus.OPEN:
        raise RuleViolation("Giao ước không ở bước lấy chữ ký.")
    if not pledge.members.filter(unit=unit).exists():
        raise RuleViolation(f"{unit} không phải đơn vị tham gia giao ước này.")
    if pledge.signatures.filter(unit=unit).exists():
        raise RuleViolation(f"{unit} đã ký giao ước này.")
    signature = PledgeSignature(pledge=pledge, unit=unit, signed_by=actor, signed_at=timezone.now())
    stamp(signature, actor=actor, reason="pledges.pledge.signed_by_member")
    signature.save()
    if not missing_signers(pledge):
        _set_status(pledge, PledgeStatus.SIGNED, actor=actor, reason="pledges.pledge.signed")
    return signature


@transaction.atomic
def upload_signed_pledge(pledge: Pledge, *, actor, file) -> Pledge:
    """The head uploads the scanned original signed on paper by every member."""
    pledge = _locked(pledge)
    access.require(actor, Cap.MANAGE_PLEDGE, pledge.head)
    if pledge.status != PledgeStatus.OPEN:
        raise RuleViolation("Giao ước không ở bước lấy chữ ký.")
    if not file.name.lower().endswith(".pdf") or not file.read(5).startswith(b"%PDF"):
        raise RuleViolation("Bản quét giao ước đã ký phải là tệp PDF.")
    file.seek(0)
    pledge.scan.save(f"giao-uoc-{pledge.bloc_id}-{pledge.year}.pdf", file, save=False)
    pledge.scan_uploaded_by = actor
    pledge.status = PledgeStatus.SIGNED
    stamp(pledge, actor=actor, reason="pledges.pledge.scan_uploaded")
    pledge.save(update_fields=["scan", "scan_uploaded_by", "status"])
    return pledge


@transaction.atomic
def put_pledge_in_force(pledge: Pledge, *, actor) -> Pledge:
    pledge = _locked(pledge)
    _require_move(actor, pledge, PledgeStatus.IN_FORCE)
    return _set_status(pledge, PledgeStatus.IN_FORCE, actor=actor, reason="pledges.pledge.in_force")


@transaction.atomic
def issue_pledge_document(pledge: Pledge, *, actor, recipients: Iterable[str] = ()):
    """The Giao ước as an official document of the head unit: one signature block per member,
    with the name of the leader who signed in the portal."""
    pledge = _locked(pledge)
    access.require(actor, Cap.MANAGE_PLEDGE, pledge.head)
    if pledge.status not in (PledgeStatus.SIGNED, PledgeStatus.IN_FORCE):
        raise RuleViolation("Chỉ ban hành văn bản khi giao ước đã được ký đủ.")
    if pledge.document_id is not None:
        raise RuleViolation("Giao ước đã được ban hành thành văn bản.")
    signers = {
        s.unit_id: s.signed_by.full_name or s.signed_by.username
        for s in pledge.signatures.select_related("signed_by")
    }
    members = list(pledge.members.select_related("unit"))
    co_signers = [
        {"title": f"Đại diện {m.unit.name}", "name": signers.get(m.unit_id, "(đã ký bản giấy)")}
        for m in members
    ]
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
    document = documents.create_draft(
        DocumentKind.PLEDGE,
        issuer=pledge.head,
        actor=actor,
        title=f"Giao ước thi đua năm {pledge.year}",
        summary=f"Giao ước thi đua năm {pledge.year} của {pledge.bloc.name}",
        body=body,
        signer_name=signers.get(pledge.head_id, "(đã ký bản giấy)"),
        signer_position=f"Trưởng {pledge.bloc.get_kind_display().lower()}",
        recipients=[*recipients, f"Các đơn vị thuộc {pledge.bloc.name}", "Lưu: VT"],
        co_signers=co_signers,
        issued_on=pledge.ceremony_on,
    )
    document = documents.issue_document(document, actor=actor)
    pledge.document = document
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
        raise RuleViolation("Cam kết đã được rút khỏi giao ước.")
    if not commitment.pledge.members.filter(unit=unit).exists():
        raise RuleViolation(f"{unit} không tham gia giao ước này.")
    if CommitmentTask.objects.filter(commitment=commitment, task=task).exists():
        raise RuleViolation("Nhiệm vụ đã được gắn với cam kết này.")
    link = CommitmentTask(commitment=commitment, task=task)
    stamp(link, actor=actor, reason="pledges.commitment.task_linked")
    link.save()
    return link


@transaction.atomic
def close_pledge_year(pledge: Pledge, *, actor) -> Pledge:
    """Close the year; with rotation by member order, next year's head and deputy are set."""
    pledge = _locked(pledge)
    _require_move(actor, pledge, PledgeStatus.CLOSED)
    _set_status(pledge, PledgeStatus.CLOSED, actor=actor, reason="pledges.pledge.closed")
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
        raise RuleViolation("Chỉ soạn giao ước năm sau khi năm này đã kết thúc.")
    return draft_pledge(pledge.bloc, actor=actor, year=pledge.year + 1, from_pledge=pledge)


# The scoring table


def _locked_table(table: ScoreTable) -> ScoreTable:
    return (
        ScoreTable.objects.select_for_update(of=("self",))
        .select_related("pledge__head", "pledge__bloc__organiser")
        .get(pk=table.pk)
    )


@transaction.atomic
def create_score_table(pledge: Pledge, *, actor) -> ScoreTable:
    pledge = _locked(pledge)
    access.require(actor, Cap.MANAGE_PLEDGE, pledge.head)
    if ScoreTable.objects.filter(pledge=pledge).exists():
        raise RuleViolation("Giao ước đã có bảng chấm điểm.")
    table = ScoreTable(pledge=pledge)
    stamp(table, actor=actor, reason="pledges.score_table.created")
    table.save()
    return table


@transaction.atomic
def add_criterion(
    table: ScoreTable,
    *,
    actor,
    group: str,
    text: str,
    max_points: Decimal,
    formula: str,
    kind: str = CriterionKind.CRITERION,
    points_per_item: Decimal | None = None,
    evidence_required: str = "",
    commitment: Commitment | None = None,
) -> Criterion:
    table = _locked_table(table)
    access.require(actor, Cap.MANAGE_PLEDGE, table.pledge.head)
    if table.status != ScoreTableStatus.DRAFT:
        raise RuleViolation("Bảng chấm điểm đã công bố, không sửa được.")
    if formula not in Formula.values or kind not in CriterionKind.values:
        raise RuleViolation("Cách tính hoặc loại tiêu chí không hợp lệ.")
    if max_points is None or max_points <= 0:
        raise RuleViolation("Điểm chuẩn phải lớn hơn 0.")
    if formula == Formula.PER_ITEM and (points_per_item is None or points_per_item <= 0):
        raise RuleViolation("Cách tính theo số lượng cần số điểm cho mỗi đơn vị.")
    if commitment is not None and commitment.pledge_id != table.pledge_id:
        raise RuleViolation("Cam kết không thuộc giao ước của bảng điểm này.")
    text = _multiline(text)
    if not text:
        raise RuleViolation("Cần nội dung tiêu chí.")
    criterion = Criterion(
        table=table,
        position=table.criteria.count() + 1,
        group=normalize_text(group),
        text=text,
        kind=kind,
        max_points=max_points,
        formula=formula,
        points_per_item=points_per_item if formula == Formula.PER_ITEM else None,
        evidence_required=_multiline(evidence_required),
        commitment=commitment,
    )
    stamp(criterion, actor=actor, reason="pledges.criterion.added")
    criterion.save()
    return criterion


@transaction.atomic
def set_tie_breakers(table: ScoreTable, *, actor, order: Sequence[Criterion | None]) -> None:
    """The ordered tie-break: criteria (higher score wins), `None` for the vote, which is
    always the last resort and is added at the end when left out."""
    table = _locked_table(table)
    access.require(actor, Cap.MANAGE_PLEDGE, table.pledge.head)
    if table.status != ScoreTableStatus.DRAFT:
        raise RuleViolation("Bảng chấm điểm đã công bố, không sửa được.")
    steps = [c for c in order if c is not None]
    if any(c.table_id != table.pk for c in steps) or len({c.pk for c in steps}) != len(steps):
        raise RuleViolation("Tiêu chí phụ phải là các tiêu chí khác nhau của bảng này.")
    for old in table.tie_breakers.all():
        stamp(old, actor=actor, reason="pledges.tie_breaker.replaced")
        old.delete()
    for position, criterion in enumerate([*steps, None], start=1):
        step = TieBreaker(table=table, position=position, criterion=criterion)
        stamp(step, actor=actor, reason="pledges.tie_breaker.set")
        step.save()


def _prefill(criterion: Criterion, unit_id: int) -> Decimal | None:
    """A ratio criterion tied to a commitment starts from the unit's linked tasks' progress."""
    if criterion.formula != Formula.RATIO or criterion.commitment_id is None:
        return None
    mean = CommitmentTask.objects.filter(
        commitment_id=criterion.commitment_id, task__registration__unit_id=unit_id
    ).aggregate(mean=Avg("task__latest_percent"))["mean"]
    return None if mean is None else Decimal(mean).quantize(CENT, ROUND_HALF_UP)


def _new_sheet(table: ScoreTable, unit_id: int, round_: int, *, actor, **fields) -> ScoreSheet:
    sheet = ScoreSheet(table=table, unit_id=unit_id, round=round_, **fields)
    stamp(sheet, actor=actor, reason="pledges.score_sheet.opened")
    sheet.save()
    return sheet


@transaction.atomic
def publish_score_table(table: ScoreTable, *, actor) -> ScoreTable:
    """Publish the table to every member before scoring starts; each gets its sheet."""
    table = _locked_table(table)
    access.require(actor, Cap.MANAGE_PLEDGE, table.pledge.head)
    if table.status != ScoreTableStatus.DRAFT:
        raise RuleViolation("Bảng chấm điểm đã được công bố.")
    if table.pledge.status != PledgeStatus.IN_FORCE:
        raise RuleViolation("Chỉ công bố bảng điểm khi giao ước đang có hiệu lực.")
    criteria = list(table.criteria.all())
    if not criteria:
        raise RuleViolation("Bảng chấm điểm chưa có tiêu chí.")
    if not table.tie_breakers.exists():
        set_tie_breakers(table, actor=actor, order=[])
    table.status = ScoreTableStatus.PUBLISHED
    table.published_at = timezone.now()
    stamp(table, actor=actor, reason="pledges.score_table.published")
    table.save(update_fields=["status", "published_at"])
    for member in table.pledge.members.all():
        sheet = _new_sheet(table, member.unit_id, 1, actor=actor)
        for criterion in criteria:
            score = Score(
                sheet=sheet, criterion=criterion, value=_prefill(criterion, member.unit_id)
            )
            stamp(score, actor=actor, reason="pledges.score.opened")
            score.save()
    return table


def points_for(criterion: Criterion, value: Decimal | None, evidence: str) -> Decimal:
    """Points of `value` under the criterion's formula; required evidence missing scores 0.
    Ratio: `value` is the percentage achieved; per item: a count; manual: the points."""
    if value is None or value < 0:
        return ZERO
    value = Decimal(value)
    if criterion.evidence_required and not evidence.strip():
        return ZERO
    if criterion.formula == Formula.RATIO:
        points = min(value, Decimal(100)) / Decimal(100) * criterion.max_points
    elif criterion.formula == Formula.PER_ITEM:
        points = value * criterion.points_per_item
    else:
        points = value
    return min(points, criterion.max_points).quantize(CENT, ROUND_HALF_UP)


def signed_points(score: Score) -> Decimal:
    """A penalty counts against the total."""
    return -score.points if score.criterion.kind == CriterionKind.PENALTY else score.points


def _refresh_total(sheet: ScoreSheet, *, actor) -> None:
    scores = sheet.scores.select_related("criterion")
    sheet.total = sum((signed_points(s) for s in scores), ZERO)
    stamp(sheet, actor=actor, reason="pledges.score_sheet.total")
    sheet.save(update_fields=["total"])


def _locked_sheet(sheet: ScoreSheet) -> ScoreSheet:
    return (
        ScoreSheet.objects.select_for_update(of=("self",))
        .select_related("table__pledge__head", "table__pledge__bloc__organiser", "unit")
        .get(pk=sheet.pk)
    )


def _refuse_if_published(sheet: ScoreSheet) -> None:
    if RankingEntry.objects.filter(sheet=sheet).exists():
        raise RuleViolation("Kết quả đã công bố, không sửa được; cần mở đợt chấm lại.")


@transaction.atomic
def save_self_assessment(
    sheet: ScoreSheet,
    *,
    actor,
    entries: Mapping[int, tuple[Decimal | None, str]],
    submit: bool = False,
) -> ScoreSheet:
    """The member's own figures and evidence per criterion (criterion id → (value, evidence));
    with `submit` the sheet goes to the bloc head."""
    sheet = _locked_sheet(sheet)
    access.require(actor, Cap.REPORT_PROGRESS, sheet.unit)
    _refuse_if_published(sheet)
    if sheet.status != ScoreSheetStatus.DRAFT:
        raise RuleViolation("Phiếu tự chấm đã gửi, không sửa được.")
    scores = {
        s.criterion_id: s for s in sheet.scores.select_for_update().select_related("criterion")
    }
    for criterion_id, (value, evidence) in entries.items():
        score = scores.get(int(criterion_id))
        if score is None:
            raise RuleViolation("Tiêu chí không thuộc bảng chấm điểm này.")
        score.value = value
        score.evidence = _multiline(evidence)
        new = points_for(score.criterion, value, score.evidence)
        if new != score.self_points:
            change = ScoreChange(
                score=score,
                stage=ScoreStage.SELF,
                old_points=score.self_points,
                new_points=new,
                changed_by=actor,
            )
            stamp(change, actor=actor, reason="pledges.score.self_assessed")
            change.save()
        score.self_points = new
        score.version += 1
        stamp(score, actor=actor, reason="pledges.score.self_assessed")
        score.save()
    if submit:
        unfilled = [s.criterion.position for s in scores.values() if s.self_points is None]
        if unfilled:
            listed = ", ".join(str(p) for p in sorted(unfilled))
            raise RuleViolation(f"Chưa tự chấm các tiêu chí: {listed}.")
        sheet.status = ScoreSheetStatus.SELF_SUBMITTED
    _refresh_total(sheet, actor=actor)
    stamp(sheet, actor=actor, reason="pledges.score_sheet.self_saved")
    sheet.save(update_fields=["status"])
    return sheet


# Which sheet statuses each stage scores in, and what it needs.
STAGE_RULES = {
    ScoreStage.HEAD: (Cap.MANAGE_PLEDGE, {ScoreSheetStatus.SELF_SUBMITTED}),
    ScoreStage.REVIEWER: (Cap.REVIEW_BLOC_SCORES, {ScoreSheetStatus.HEAD_SCORED}),
}


def _stage_unit(sheet: ScoreSheet, stage: str) -> Unit:
    pledge = sheet.table.pledge
    return pledge.head if stage == ScoreStage.HEAD else pledge.bloc.organiser


@transaction.atomic
def score_criterion(
    score: Score,
    *,
    actor,
    stage: str,
    value: Decimal | None,
    reason: str,
    expected_version: int,
) -> Score:
    """The bloc head (then the Nội vụ reviewer) scores one criterion of a member's sheet.
    A score that differs from the one before needs a reason, shown to the member. The row is
    locked and its version must be the one the scorer saw, so a parallel edit is never lost."""
    if stage not in STAGE_RULES:
        raise RuleViolation("Bước chấm điểm không hợp lệ.")
    # The sheet first, then the score: the same order as the self-assessment and completion.
    sheet = _locked_sheet(
        ScoreSheet(pk=Score.objects.values_list("sheet_id", flat=True).get(pk=score.pk))
    )
    score = (
        Score.objects.select_for_update(of=("self",)).select_related("criterion").get(pk=score.pk)
    )
    capability, statuses = STAGE_RULES[stage]
    access.require(actor, capability, _stage_unit(sheet, stage))
    _refuse_if_published(sheet)
    if sheet.status not in statuses:
        raise RuleViolation(f"Phiếu đang ở bước “{sheet.get_status_display()}”, chưa chấm được.")
    if score.version != expected_version:
        raise RuleViolation(
            "Điểm này vừa được người khác thay đổi; hãy tải lại trang để xem điểm mới."
        )
    new = points_for(score.criterion, value, score.evidence)
    old = score.points
    reason = _multiline(reason)
    if new != old and not reason:
        raise RuleViolation("Thay đổi điểm cần nêu lý do (đơn vị sẽ thấy lý do này).")
    change = ScoreChange(
        score=score, stage=stage, old_points=old, new_points=new, reason=reason, changed_by=actor
    )
    stamp(change, actor=actor, reason=f"pledges.score.{stage}_scored")
    change.save()
    if stage == ScoreStage.HEAD:
        score.head_points = new
    else:
        score.reviewer_points = new
    score.version += 1
    stamp(score, actor=actor, reason=f"pledges.score.{stage}_scored")
    score.save()
    _refresh_total(sheet, actor=actor)
    return score


@transaction.atomic
def complete_scoring(sheet: ScoreSheet, *, actor, stage: str) -> ScoreSheet:
    """The head (or the reviewer) has scored the sheet; criteria left alone keep the points
    before them, as agreed."""
    sheet = _locked_sheet(sheet)
    capability, statuses = STAGE_RULES[stage]
    access.require(actor, capability, _stage_unit(sheet, stage))
    _refuse_if_published(sheet)
    if sheet.status not in statuses:
        raise RuleViolation(f"Phiếu đang ở bước “{sheet.get_status_display()}”.")
    field = "head_points" if stage == ScoreStage.HEAD else "reviewer_points"
    for score in sheet.scores.select_for_update().filter(**{f"{field}__isnull": True}):
        setattr(score, field, score.points)
        stamp(score, actor=actor, reason=f"pledges.score.{stage}_agreed")
        score.save(update_fields=[field])
    sheet.status = (
        ScoreSheetStatus.HEAD_SCORED if stage == ScoreStage.HEAD else ScoreSheetStatus.REVIEWED
    )
    stamp(sheet, actor=actor, reason=f"pledges.score_sheet.{stage}_completed")
    sheet.save(update_fields=["status"])
    return sheet


# Ranking, vote, publication


@transaction.atomic
def record_honour_vote(
    table: ScoreTable,
    *,
    actor,
    ballots_issued: int,
    ballots_valid: int,
    counts: Mapping[int, int],
) -> HonourVote:
    """The counts of the members' secret ballot to honour the leading unit (no ballots kept)."""
    table = _locked_table(table)
    access.require(actor, Cap.MANAGE_PLEDGE, table.pledge.head)
    if table.status != ScoreTableStatus.PUBLISHED:
        raise RuleViolation("Chỉ bỏ phiếu suy tôn trong đợt chấm điểm đang mở.")
    if HonourVote.objects.filter(table=table, round=table.current_round).exists():
        raise RuleViolation("Kết quả bỏ phiếu của đợt này đã được ghi.")
    members = set(table.pledge.members.values_list("unit_id", flat=True))
    counts = {int(k): int(v) for k, v in counts.items()}
    if not set(counts) <= members or any(v < 0 for v in counts.values()):
        raise RuleViolation("Số phiếu chỉ ghi cho các đơn vị tham gia giao ước.")
    if not 0 <= ballots_valid <= ballots_issued:
        raise RuleViolation("Số phiếu hợp lệ không được lớn hơn số phiếu phát ra.")
    if sum(counts.values()) > ballots_valid:
        raise RuleViolation("Tổng số phiếu suy tôn vượt số phiếu hợp lệ.")
    vote = HonourVote(
        table=table,
        round=table.current_round,
        ballots_issued=ballots_issued,
        ballots_valid=ballots_valid,
        counts={str(k): v for k, v in counts.items()},
        recorded_by=actor,
    )
    stamp(vote, actor=actor, reason="pledges.honour_vote.recorded")
    vote.save()
    return vote


@dataclass(frozen=True)
class Ranked:
    sheet: ScoreSheet
    rank: int
    votes: int
    note: str


def rank_sheets(
    sheets: Sequence[ScoreSheet],
    *,
    tie_breakers: Sequence[TieBreaker],
    votes: Mapping[int, int],
) -> list[Ranked]:
    """Order by total, then by each tie-breaker in turn (a criterion's points, then the vote);
    units still equal after every step share the rank."""
    points = {sheet.pk: {s.criterion_id: s.points for s in sheet.scores.all()} for sheet in sheets}

    def key(sheet: ScoreSheet) -> tuple:
        steps = []
        for step in tie_breakers:
            if step.criterion_id is None:
                steps.append(votes.get(sheet.unit_id, 0))
            else:
                steps.append(points[sheet.pk].get(step.criterion_id, ZERO))
        return (sheet.total, *steps)

    ordered = sorted(sheets, key=key, reverse=True)
    result: list[Ranked] = []
    for index, sheet in enumerate(ordered):
        tied_total = [o for o in ordered if o.total == sheet.total and o.pk != sheet.pk]
        same_as_previous = index and key(ordered[index - 1]) == key(sheet)
        rank = result[-1].rank if same_as_previous else index + 1
        note = _deciding_step(sheet, tied_total, tie_breakers, key) if tied_total else ""
        result.append(Ranked(sheet, rank, votes.get(sheet.unit_id, 0), note))
    return result


def _deciding_step(sheet, others, tie_breakers, key) -> str:
    """Which tie-breaker told `sheet` apart from the units with the same total."""
    mine = key(sheet)
    for index, step in enumerate(tie_breakers, start=1):
        if all(key(o)[index] != mine[index] for o in others):
            return f"Bằng điểm, phân định theo: {step}"
    return "Bằng điểm sau mọi tiêu chí phụ: đồng hạng"


@transaction.atomic
def publish_results(table: ScoreTable, *, actor) -> list[RankingEntry]:
    """The Nội vụ reviewer publishes the round's ranking; it is frozen from then on and the
    table is locked. The first publication marks the pledge scored."""
    table = _locked_table(table)
    pledge = table.pledge
    access.require(actor, Cap.REVIEW_BLOC_SCORES, pledge.bloc.organiser)
    if table.status == ScoreTableStatus.DRAFT:
        raise RuleViolation("Bảng chấm điểm chưa công bố.")
    round_ = table.current_round
    if RankingEntry.objects.filter(table=table, round=round_).exists():
        raise RuleViolation("Kết quả đợt chấm này đã được công bố.")
    sheets = list(
        table.sheets.filter(round=round_).select_related("unit").prefetch_related("scores")
    )
    pending = [s.unit.name for s in sheets if s.status != ScoreSheetStatus.REVIEWED]
    if pending:
        raise RuleViolation("Chưa thẩm định xong phiếu của: " + ", ".join(pending) + ".")
    vote = HonourVote.objects.filter(table=table, round=round_).first()
    votes = {int(k): v for k, v in (vote.counts if vote else {}).items()}
    ranked = rank_sheets(sheets, tie_breakers=list(table.tie_breakers.all()), votes=votes)
    entries = []
    for row in ranked:
        entry = RankingEntry(
            table=table,
            round=round_,
            sheet=row.sheet,
            unit=row.sheet.unit,
            total=row.sheet.total,
            rank=row.rank,
            votes=row.votes,
            tie_note=row.note,
        )
        stamp(entry, actor=actor, reason="pledges.ranking.published")
        entry.save()
        entries.append(entry)
    table.status = ScoreTableStatus.LOCKED
    stamp(table, actor=actor, reason="pledges.score_table.locked")
    table.save(update_fields=["status"])
    if pledge.status == PledgeStatus.IN_FORCE:
        _require_move(actor, pledge, PledgeStatus.SCORED)
        pledge = Pledge.objects.select_for_update().get(pk=pledge.pk)
        _set_status(pledge, PledgeStatus.SCORED, actor=actor, reason="pledges.pledge.scored")
    return entries


@transaction.atomic
def open_correction_round(table: ScoreTable, *, actor, reason: str) -> ScoreTable:
    """Published results never change; a correction is a new round that starts from the
    published scores, is re-scored by the reviewer (each change with its reason) and is
    published again, with the earlier round kept."""
    table = _locked_table(table)
    access.require(actor, Cap.REVIEW_BLOC_SCORES, table.pledge.bloc.organiser)
    reason = _multiline(reason)
    if not reason:
        raise RuleViolation("Chấm lại cần nêu lý do.")
    if table.status != ScoreTableStatus.LOCKED:
        raise RuleViolation("Chỉ chấm lại khi kết quả đã được công bố.")
    previous = table.current_round
    table.current_round += 1
    table.status = ScoreTableStatus.PUBLISHED
    stamp(table, actor=actor, reason="pledges.score_table.correction_opened")
    table.save(update_fields=["current_round", "status"])
    for old in table.sheets.filter(round=previous).prefetch_related("scores"):
        sheet = _new_sheet(
            table,
            old.unit_id,
            table.current_round,
            actor=actor,
            status=ScoreSheetStatus.HEAD_SCORED,
            total=old.total,
            correction_reason=reason,
        )
        for s in old.scores.all():
            copy = Score(
                sheet=sheet,
                criterion_id=s.criterion_id,
                value=s.value,
                evidence=s.evidence,
                self_points=s.self_points,
                head_points=s.head_points,
            )
            stamp(copy, actor=actor, reason="pledges.score.correction_copied")
            copy.save()
    return table


def published_ranking(table: ScoreTable) -> list[RankingEntry]:
    """The latest published round's ranking."""
    latest = table.ranking.order_by("-round").values_list("round", flat=True).first()
    if latest is None:
        return []
    return list(table.ranking.filter(round=latest).select_related("unit", "sheet"))


@transaction.atomic
def propose_leading_members(
    table: ScoreTable, *, actor, flags: int = 1, merits: int = 1
) -> list[BlocAwardProposal]:
    """One action: the first `flags` places are proposed for the Cờ thi đua of the province,
    the next `merits` for its Bằng khen, each carrying its score sheet as evidence."""
    table = _locked_table(table)
    access.require(actor, Cap.MANAGE_PLEDGE, table.pledge.head)
    ranking = published_ranking(table)
    if not ranking:
        raise RuleViolation("Chưa có kết quả xếp hạng đã công bố.")
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
                f"đạt {entry.total} điểm; {entry.votes} phiếu suy tôn."
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
        raise RuleViolation("Đề xuất này đã được chuyển thành hồ sơ đề nghị.")
    proposal.status = BlocProposalStatus.NOMINATED
    proposal.nomination_id = nomination_id
    stamp(proposal, actor=actor, reason="pledges.bloc_proposal.nominated")
    proposal.save(update_fields=["status", "nomination_id"])
    return proposal


def result_rows(table: ScoreTable, entries: Sequence[RankingEntry]) -> list[list[str]]:
    """The ranking as table rows: place, unit, each criterion's points, total, votes."""
    criteria = list(table.criteria.all())
    points = {
        (s.sheet_id, s.criterion_id): s.points
        for s in Score.objects.filter(sheet__in=[e.sheet_id for e in entries])
    }
    rows = []
    for entry in entries:
        cells = [str(points.get((entry.sheet_id, c.pk), ZERO)) for c in criteria]
        rows.append([str(entry.rank), entry.unit.name, *cells, str(entry.total), str(entry.votes)])
    return rows


def result_columns(table: ScoreTable) -> list[str]:
    criteria = [f"TC {c.position}" for c in table.criteria.all()]
    return ["Hạng", "Đơn vị", *criteria, "Tổng điểm", "Phiếu suy tôn"]


@transaction.atomic
def issue_results_report(table: ScoreTable, *, actor, signer_name: str, signer_position: str):
    """The published ranking as a Báo cáo of the head unit (score table PDF)."""
    table = _locked_table(table)
    pledge = table.pledge
    access.require(actor, Cap.MANAGE_PLEDGE, pledge.head)
    entries = published_ranking(table)
    if not entries:
        raise RuleViolation("Chưa có kết quả xếp hạng đã công bố.")
    criteria = [
        {
            "type": "paragraph",
            "text": f"Tiêu chí {c.position} ({c.group}): {c.text} – "
            f"điểm chuẩn {c.max_points}; {c.get_formula_display().lower()}.",
        }
        for c in table.criteria.all()
    ]
    document = documents.create_draft(
        DocumentKind.REPORT,
        issuer=pledge.head,
        actor=actor,
        summary=f"Kết quả chấm điểm, xếp hạng thi đua năm {pledge.year} của {pledge.bloc.name}",
        body=[
            {
                "type": "paragraph",
                "text": (
                    f"Thực hiện Giao ước thi đua năm {pledge.year}, {pledge.bloc.name} báo cáo "
                    f"kết quả chấm điểm, xếp hạng (lần chấm {entries[0].round}) như sau:"
                ),
            },
            *criteria,
            {
                "type": "table",
                "columns": result_columns(table),
                "rows": result_rows(table, entries),
            },
        ],
        signer_name=signer_name,
        signer_position=signer_position,
        recipients=[f"Các đơn vị thuộc {pledge.bloc.name}", str(pledge.bloc.organiser), "Lưu: VT"],
    )
    document = documents.issue_document(document, actor=actor)
    table.report = document
    stamp(table, actor=actor, reason="pledges.score_table.report_issued")
    table.save(update_fields=["report"])
    return document
