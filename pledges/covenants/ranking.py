"""The ranking of a bloc's year: the suy tôn vote, the ordered tie-break, the published
(frozen) results, correction rounds, and the results as a table and a Báo cáo."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.formats import number_format

from pledges.covenants.scoring import locked_table, new_sheet
from pledges.covenants.signing import locked_pledge, require_pledge_move, set_pledge_status
from pledges.models import (
    HonourVote,
    RankingEntry,
    Score,
    ScoreSheet,
    ScoreTable,
    TieBreaker,
)
from pledges.workflow import (
    PledgeStatus,
    ScoreSheetStatus,
    ScoreTableStatus,
)
from portal import access, documents
from portal.access import Cap
from portal.audit import stamp
from portal.documents import signers
from portal.errors import RuleViolation
from portal.models import DocumentKind, Person
from portal.text import normalize_multiline

ZERO = Decimal(0)


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
    table = locked_table(table)
    access.require(actor, Cap.MANAGE_PLEDGE, table.pledge.head)
    if table.status != ScoreTableStatus.PUBLISHED:
        raise RuleViolation(
            "Chỉ bỏ phiếu suy tôn trong đợt chấm điểm đang mở.", code="vote_round_closed"
        )
    if HonourVote.objects.filter(table=table, round=table.current_round).exists():
        raise RuleViolation(
            "Kết quả bỏ phiếu của đợt này đã được ghi.", code="vote_already_recorded"
        )
    members = set(table.pledge.members.values_list("unit_id", flat=True))
    counts = {int(k): int(v) for k, v in counts.items()}
    if not set(counts) <= members or any(v < 0 for v in counts.values()):
        raise RuleViolation(
            "Số phiếu chỉ ghi cho các đơn vị tham gia giao ước.", code="vote_for_non_member"
        )
    if not 0 <= ballots_valid <= ballots_issued:
        raise RuleViolation(
            "Số phiếu hợp lệ không được lớn hơn số phiếu phát ra.",
            code="ballots_valid_exceed_issued",
        )
    if sum(counts.values()) > ballots_valid:
        raise RuleViolation(
            "Tổng số phiếu suy tôn vượt số phiếu hợp lệ.", code="votes_exceed_valid"
        )
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
    table = locked_table(table)
    pledge = table.pledge
    access.require(actor, Cap.REVIEW_BLOC_SCORES, pledge.bloc.organiser)
    if table.status == ScoreTableStatus.DRAFT:
        raise RuleViolation("Bảng chấm điểm chưa công bố.", code="score_table_not_published")
    round_ = table.current_round
    if RankingEntry.objects.filter(table=table, round=round_).exists():
        raise RuleViolation("Kết quả đợt chấm này đã được công bố.", code="round_already_published")
    sheets = list(
        table.sheets.filter(round=round_).select_related("unit").prefetch_related("scores")
    )
    pending = [s.unit.name for s in sheets if s.status != ScoreSheetStatus.REVIEWED]
    if pending:
        raise RuleViolation(
            "Chưa thẩm định xong phiếu của: " + ", ".join(pending) + ".", code="sheets_not_reviewed"
        )
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
    # The pledge as read with the table is not held by the table's lock: an amendment (or
    # another move) may change it meanwhile. Lock it, then read its status and score it.
    pledge = locked_pledge(pledge)
    if pledge.status == PledgeStatus.IN_FORCE:
        move = require_pledge_move(actor, pledge, "score")
        set_pledge_status(pledge, move, actor=actor, reason="pledges.pledge.scored")
    return entries


@transaction.atomic
def open_correction_round(table: ScoreTable, *, actor, reason: str) -> ScoreTable:
    """Published results never change; a correction is a new round that starts from the
    published scores, is re-scored by the reviewer (each change with its reason) and is
    published again, with the earlier round kept."""
    table = locked_table(table)
    access.require(actor, Cap.REVIEW_BLOC_SCORES, table.pledge.bloc.organiser)
    reason = normalize_multiline(reason)
    if not reason:
        raise RuleViolation("Cần nêu lý do.", code="reason_required")
    if table.status != ScoreTableStatus.LOCKED:
        raise RuleViolation(
            "Chỉ chấm lại khi kết quả đã được công bố.", code="correction_before_results"
        )
    previous = table.current_round
    table.current_round += 1
    table.status = ScoreTableStatus.PUBLISHED
    stamp(table, actor=actor, reason="pledges.score_table.correction_opened")
    table.save(update_fields=["current_round", "status"])
    for old in table.sheets.filter(round=previous).prefetch_related("scores"):
        sheet = new_sheet(
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


def result_values(table: ScoreTable, entries: Sequence[RankingEntry]) -> list[list]:
    """The ranking as rows of values: place, unit, each criterion's points, total, votes.
    Numbers stay numbers: pages localise them ("83,00"), workbooks store them as numbers."""
    criteria = list(table.criteria.all())
    points = {
        (s.sheet_id, s.criterion_id): s.points
        for s in Score.objects.filter(sheet__in=[e.sheet_id for e in entries])
    }
    return [
        [
            entry.rank,
            entry.unit.name,
            *(points.get((entry.sheet_id, c.pk), ZERO) for c in criteria),
            entry.total,
            entry.votes,
        ]
        for entry in entries
    ]


def result_rows(table: ScoreTable, entries: Sequence[RankingEntry]) -> list[list[str]]:
    """The same rows as text for a document's table, numbers written the Vietnamese way."""
    return [
        [value if isinstance(value, str) else number_format(value) for value in row]
        for row in result_values(table, entries)
    ]


def result_columns(table: ScoreTable) -> list[str]:
    criteria = [f"TC {c.position}" for c in table.criteria.all()]
    return ["Hạng", "Đơn vị", *criteria, "Tổng điểm", "Phiếu suy tôn"]


@transaction.atomic
def issue_results_report(table: ScoreTable, *, actor, signer: Person | None = None):
    """The published ranking as a Báo cáo of the head unit (score table PDF), signed for that
    unit by its leader on the day ("TM. ỦY BAN NHÂN DÂN / CHỦ TỊCH" for a ward): the head
    unit reports as the bloc's head, its paper carries its own capacity."""
    table = locked_table(table)
    pledge = table.pledge
    access.require(actor, Cap.MANAGE_PLEDGE, pledge.head)
    entries = published_ranking(table)
    if not entries:
        raise RuleViolation("Chưa có kết quả xếp hạng đã công bố.", code="ranking_not_published")
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
                    f"Thực hiện Giao ước thi đua năm {pledge.year}, {pledge.head.name}, đơn vị "
                    f"Trưởng {pledge.bloc.name}, báo cáo "
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
        **signers.signature(pledge.head, timezone.localdate(), person=signer).draft_fields(),
        recipients=[f"Các đơn vị thuộc {pledge.bloc.name}", str(pledge.bloc.organiser), "Lưu: VT"],
    )
    document = documents.issue_document(document, actor=actor)
    table.report = document
    stamp(table, actor=actor, reason="pledges.score_table.report_issued")
    table.save(update_fields=["report"])
    return document
