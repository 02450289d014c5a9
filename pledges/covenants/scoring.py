"""The giao ước scoring: the bảng chấm điểm (criteria and tie-breakers, domain §8.4), its
publication to the members, the members' self-assessment, then the bloc head's and the Nội vụ
reviewer's scores, each change with its reason."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.db.models import Avg
from django.utils import timezone

from pledges import workflow
from pledges.covenants.signing import locked_pledge
from pledges.models import (
    Commitment,
    CommitmentTask,
    Criterion,
    CriterionKind,
    Formula,
    Pledge,
    RankingEntry,
    Score,
    ScoreChange,
    ScoreSheet,
    ScoreTable,
    TieBreaker,
)
from pledges.workflow import (
    PledgeStatus,
    ScoreStage,
    ScoreTableStatus,
)
from portal import access
from portal.access import Cap
from portal.audit import stamp
from portal.errors import RuleViolation
from portal.models import Unit
from portal.text import normalize_multiline, normalize_text
from portal.workflow import Transition, require_atomic

ZERO = Decimal(0)
CENT = Decimal("0.01")


def locked_table(table: ScoreTable) -> ScoreTable:
    return (
        ScoreTable.objects.select_for_update(of=("self",))
        .select_related("pledge__head", "pledge__bloc__organiser")
        .get(pk=table.pk)
    )


@transaction.atomic
def create_score_table(pledge: Pledge, *, actor) -> ScoreTable:
    pledge = locked_pledge(pledge)
    access.require(actor, Cap.MANAGE_PLEDGE, pledge.head)
    if ScoreTable.objects.filter(pledge=pledge).exists():
        raise RuleViolation("Giao ước đã có bảng chấm điểm.", code="score_table_exists")
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
    table = locked_table(table)
    access.require(actor, Cap.MANAGE_PLEDGE, table.pledge.head)
    if table.status != ScoreTableStatus.DRAFT:
        raise RuleViolation(
            "Bảng chấm điểm đã công bố, không sửa được.", code="score_table_published"
        )
    if formula not in Formula.values or kind not in CriterionKind.values:
        raise RuleViolation(
            "Cách tính hoặc loại tiêu chí không hợp lệ.", code="criterion_formula_unknown"
        )
    if max_points is None or max_points <= 0:
        raise RuleViolation("Điểm chuẩn phải lớn hơn 0.", code="max_points_not_positive")
    if formula == Formula.PER_ITEM and (points_per_item is None or points_per_item <= 0):
        raise RuleViolation(
            "Cách tính theo số lượng cần số điểm cho mỗi đơn vị.", code="points_per_item_required"
        )
    if commitment is not None and commitment.pledge_id != table.pledge_id:
        raise RuleViolation(
            "Cam kết không thuộc giao ước của bảng điểm này.", code="criterion_commitment_foreign"
        )
    text = normalize_multiline(text)
    if not text:
        raise RuleViolation("Cần nội dung tiêu chí.", code="criterion_text_required")
    criterion = Criterion(
        table=table,
        position=table.criteria.count() + 1,
        group=normalize_text(group),
        text=text,
        kind=kind,
        max_points=max_points,
        formula=formula,
        points_per_item=points_per_item if formula == Formula.PER_ITEM else None,
        evidence_required=normalize_multiline(evidence_required),
        commitment=commitment,
    )
    stamp(criterion, actor=actor, reason="pledges.criterion.added")
    criterion.save()
    return criterion


@transaction.atomic
def set_tie_breakers(table: ScoreTable, *, actor, order: Sequence[Criterion | None]) -> None:
    """The ordered tie-break: criteria (higher score wins), `None` for the vote, which is
    always the last resort and is added at the end when left out."""
    table = locked_table(table)
    access.require(actor, Cap.MANAGE_PLEDGE, table.pledge.head)
    if table.status != ScoreTableStatus.DRAFT:
        raise RuleViolation(
            "Bảng chấm điểm đã công bố, không sửa được.", code="score_table_published"
        )
    steps = [c for c in order if c is not None]
    if any(c.table_id != table.pk for c in steps) or len({c.pk for c in steps}) != len(steps):
        raise RuleViolation(
            "Tiêu chí phụ phải là các tiêu chí khác nhau của bảng này.", code="tie_breakers_invalid"
        )
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


def new_sheet(table: ScoreTable, unit_id: int, round_: int, *, actor, **fields) -> ScoreSheet:
    sheet = ScoreSheet(table=table, unit_id=unit_id, round=round_, **fields)
    stamp(sheet, actor=actor, reason="pledges.score_sheet.opened")
    sheet.save()
    return sheet


@transaction.atomic
def publish_score_table(table: ScoreTable, *, actor) -> ScoreTable:
    """Publish the table to every member before scoring starts; each gets its sheet."""
    table = locked_table(table)
    access.require(actor, Cap.MANAGE_PLEDGE, table.pledge.head)
    if table.status != ScoreTableStatus.DRAFT:
        raise RuleViolation(
            "Bảng chấm điểm đã công bố, không sửa được.", code="score_table_published"
        )
    if table.pledge.status != PledgeStatus.IN_FORCE:
        raise RuleViolation(
            "Chỉ công bố bảng điểm khi giao ước đang có hiệu lực.", code="pledge_not_in_force"
        )
    criteria = list(table.criteria.all())
    if not criteria:
        raise RuleViolation("Bảng chấm điểm chưa có tiêu chí.", code="score_table_empty")
    if not table.tie_breakers.exists():
        set_tie_breakers(table, actor=actor, order=[])
    table.status = ScoreTableStatus.PUBLISHED
    table.published_at = timezone.now()
    stamp(table, actor=actor, reason="pledges.score_table.published")
    table.save(update_fields=["status", "published_at"])
    for member in table.pledge.members.all():
        sheet = new_sheet(table, member.unit_id, 1, actor=actor)
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
        raise RuleViolation(
            "Kết quả đã công bố, không sửa được; cần mở đợt chấm lại.", code="results_published"
        )


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
    if workflow.SCORE_SHEET.allowed(sheet.status, ScoreStage.SELF) is None:
        raise RuleViolation("Phiếu tự chấm đã gửi, không sửa được.", code="self_assessment_sent")
    scores = {
        s.criterion_id: s for s in sheet.scores.select_for_update().select_related("criterion")
    }
    for criterion_id, (value, evidence) in entries.items():
        score = scores.get(int(criterion_id))
        if score is None:
            raise RuleViolation(
                "Tiêu chí không thuộc bảng chấm điểm này.", code="criterion_foreign"
            )
        score.value = value
        score.evidence = normalize_multiline(evidence)
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
            raise RuleViolation(
                f"Chưa tự chấm các tiêu chí: {listed}.", code="self_assessment_incomplete"
            )
        require_atomic()
        sheet.status = workflow.SCORE_SHEET.ensure(sheet, ScoreStage.SELF).target
    _refresh_total(sheet, actor=actor)
    stamp(sheet, actor=actor, reason="pledges.score_sheet.self_saved")
    sheet.save(update_fields=["status"])
    return sheet


def held_on(sheet: ScoreSheet) -> Callable[[Transition], Unit]:
    """The unit each stage of the score sheet table is checked on: the member's own, the bloc
    head's, the organising unit's."""
    pledge = sheet.table.pledge
    sides = {
        workflow.UNIT: sheet.unit,
        workflow.HEAD: pledge.head,
        workflow.ORGANISER: pledge.bloc.organiser,
    }
    return lambda row: sides[row.on]


# The stages that score criteria one by one (the member's own stage fills the sheet instead).
SCORING_STAGES = frozenset({ScoreStage.HEAD, ScoreStage.REVIEWER})


def _require_stage(actor, sheet: ScoreSheet, stage: str) -> Transition:
    """The sheet's move at `stage`, held by `actor` on the stage's side."""
    if stage not in SCORING_STAGES:
        raise RuleViolation("Bước chấm điểm không hợp lệ.", code="score_stage_unknown")
    # Access first (an outsider learns nothing of the sheet's step), then the step; each
    # stage is one row of the table.
    row = next(row for row in workflow.SCORE_SHEET if row.action == stage)
    access.require(actor, row.cap, held_on(sheet)(row))
    _refuse_if_published(sheet)
    return workflow.SCORE_SHEET.ensure(sheet, stage)


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
    # The sheet first, then the score: the same order as the self-assessment and completion.
    sheet = _locked_sheet(
        ScoreSheet(pk=Score.objects.values_list("sheet_id", flat=True).get(pk=score.pk))
    )
    score = (
        Score.objects.select_for_update(of=("self",)).select_related("criterion").get(pk=score.pk)
    )
    _require_stage(actor, sheet, stage)
    if score.version != expected_version:
        raise RuleViolation(
            "Điểm này vừa được người khác thay đổi; hãy tải lại trang để xem điểm mới.",
            code="score_changed_meanwhile",
        )
    new = points_for(score.criterion, value, score.evidence)
    old = score.points
    reason = normalize_multiline(reason)
    if new != old and not reason:
        raise RuleViolation(
            "Thay đổi điểm cần nêu lý do (đơn vị sẽ thấy lý do này).",
            code="score_change_reason_required",
        )
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
    move = _require_stage(actor, sheet, stage)
    require_atomic()
    field = "head_points" if stage == ScoreStage.HEAD else "reviewer_points"
    for score in sheet.scores.select_for_update().filter(**{f"{field}__isnull": True}):
        setattr(score, field, score.points)
        stamp(score, actor=actor, reason=f"pledges.score.{stage}_agreed")
        score.save(update_fields=[field])
    sheet.status = move.target
    stamp(sheet, actor=actor, reason=f"pledges.score_sheet.{stage}_completed")
    sheet.save(update_fields=["status"])
    return sheet
