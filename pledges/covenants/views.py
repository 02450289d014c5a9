"""Pages of a bloc's giao ước and its scoring: parse, call one service, report."""

from __future__ import annotations

import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST
from openpyxl import Workbook
from openpyxl.styles import Font

from pledges.covenants import proposals as bloc_proposals
from pledges.covenants import ranking, scoring, signing
from pledges.covenants.forms import (
    PledgeForm,
    ReasonForm,
    ScanForm,
    ScoreForm,
    SelfAssessmentForm,
    VoteForm,
)
from pledges.models import (
    Pledge,
    RankingEntry,
    Registration,
    RegistrationTask,
    Score,
    ScoreChange,
    ScoreSheet,
    ScoreTable,
)
from pledges.workflow import (
    BY_ANOTHER_STEP,
    PLEDGE,
    SCORE_SHEET,
    PledgeStatus,
    ScoreStage,
)
from portal import access
from portal.access import Cap
from portal.documents import outside_flow
from portal.downloads import file_name
from portal.excel import set_up_sheet, workbook_bytes
from portal.files import content_response
from portal.models import Bloc, BlocTerm, Unit
from portal.service_calls import REFUSED, attempt_and_tell

# Tasks are linked to commitments while the pledge binds the members.
LINKABLE = (PledgeStatus.SIGNED, PledgeStatus.IN_FORCE)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _pledge(request, pledge_id: int, *also: str) -> Pledge:
    return get_object_or_404(
        Pledge.objects.visible_to(request.user).select_related("bloc__organiser", "head", *also),
        pk=pledge_id,
    )


def _table(pledge: Pledge) -> ScoreTable | None:
    return ScoreTable.objects.filter(pledge=pledge).first()


@login_required
def bloc_pledges(request: HttpRequest, bloc_id: int) -> HttpResponse:
    bloc = get_object_or_404(
        Bloc.objects.visible_to(request.user).select_related("organiser"), pk=bloc_id
    )
    # A giao ước belongs to its year — an earlier one is drafted for a former town's blocs.
    asked = request.POST.get("year") or request.GET.get("nam", "")
    year = int(asked) if asked.isdigit() and len(asked) == 4 else timezone.localdate().year
    term = BlocTerm.objects.filter(bloc=bloc, year=year).select_related("head").first()
    may_draft = term is not None and access.can(request.user, Cap.MANAGE_PLEDGE, term.head)
    form = PledgeForm(request.POST or None) if may_draft else None
    if request.method == "POST":
        if term is None:
            raise Http404("Cụm, khối chưa có trưởng cụm/khối năm nay.")
        access.require(request.user, Cap.MANAGE_PLEDGE, term.head)
        if form.is_valid():
            data = form.cleaned_data
            pledge = attempt_and_tell(
                request,
                signing.draft_pledge,
                bloc,
                actor=request.user,
                year=year,
                preamble=data["preamble"],
                commitments=form.commitment_rows(),
                ceremony_on=data["ceremony_on"],
                ceremony_place=data["ceremony_place"],
                witnesses=data["witnesses"],
                done="Đã soạn giao ước thi đua.",
            )
            if pledge is not REFUSED:
                return redirect("pledges:pledge", pledge_id=pledge.pk)
    pledges = bloc.pledges.select_related("head").order_by("-year")
    return render(
        request,
        "pledges/covenant/bloc_pledges.html",
        {
            "bloc": bloc,
            "term": term,
            "pledges": pledges,
            "form": form,
            "year": year,
            # A member ward sees its bloc, not the city that organises it: no link to a 404.
            "organiser_visible": Unit.objects.visible_to(request.user)
            .filter(pk=bloc.organiser_id)
            .exists(),
        },
    )


@login_required
def pledge_detail(request: HttpRequest, pledge_id: int) -> HttpResponse:
    pledge = _pledge(request, pledge_id)
    user = request.user
    members = list(pledge.members.select_related("unit"))
    signatures = {s.unit_id: s for s in pledge.signatures.select_related("signed_by")}
    signable = [
        m.unit
        for m in members
        if m.unit_id not in signatures and access.can(user, Cap.SIGN_PLEDGE, m.unit)
    ]
    # Units whose paper signature only a system administrator records, with the scan.
    paper_only = {u.pk for u in signable if not access.holds_in_unit(user, Cap.SIGN_PLEDGE, u)}
    reporting = [m.unit for m in members if access.can(user, Cap.REPORT_PROGRESS, m.unit)]
    outside = None
    document = pledge.document
    if document is not None and not document.is_issued:
        paper = outside_flow.current_signing(document)
        outside = {
            "document": document,
            "turns": outside_flow.signing_turns(document, paper),
            "next_signer": outside_flow.next_signer(paper, document),
            "may_carry": outside_flow.may_carry(user, document, paper),
        }
    moves = [
        (move, CONFIRMS.get(move.action, "").format(year=pledge.year))
        for move in PLEDGE.buttons(user, pledge, signing.held_on(pledge))
        if move.action not in BY_ANOTHER_STEP
    ]
    linkable = RegistrationTask.objects.filter(registration__unit__in=reporting).select_related(
        "registration__unit"
    )
    return render(
        request,
        "pledges/covenant/pledge_detail.html",
        {
            "pledge": pledge,
            "members": [(m, signatures.get(m.unit_id)) for m in members],
            "missing": signing.missing_signers(pledge),
            "signable": signable if pledge.status == PledgeStatus.OPEN else [],
            "paper_only": paper_only,
            "commitments": pledge.commitments.select_related("content_item").prefetch_related(
                "links__task__registration__unit"
            ),
            "versions": pledge.versions.select_related("created_by"),
            "outside": outside,
            "moves": moves,
            "manages": access.can(user, Cap.MANAGE_PLEDGE, pledge.head),
            "organises": access.can(user, Cap.REVIEW_BLOC_SCORES, pledge.bloc.organiser),
            "table": _table(pledge),
            "scan_form": ScanForm(),
            "linkable": linkable if pledge.status in LINKABLE else [],
            "Status": PledgeStatus,
        },
    )


@login_required
def pledge_edit(request: HttpRequest, pledge_id: int) -> HttpResponse:
    pledge = _pledge(request, pledge_id)
    access.require(request.user, Cap.MANAGE_PLEDGE, pledge.head)
    current = list(pledge.commitments.filter(withdrawn=False))
    lines = "\n".join(f"{c.group} | {c.text}" if c.group else c.text for c in current)
    form = PledgeForm(
        request.POST or None,
        initial={
            "preamble": pledge.preamble,
            "commitments": lines,
            "ceremony_on": pledge.ceremony_on,
            "ceremony_place": pledge.ceremony_place,
            "witnesses": pledge.witnesses,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        amended = attempt_and_tell(
            request,
            signing.amend_pledge,
            pledge,
            actor=request.user,
            reason=data["reason"],
            preamble=data["preamble"],
            commitments=form.commitment_rows([c.pk for c in current]),
            ceremony_on=data["ceremony_on"],
            ceremony_place=data["ceremony_place"],
            witnesses=data["witnesses"],
            done="Đã lưu giao ước.",
        )
        if amended is not REFUSED:
            return redirect("pledges:pledge", pledge_id=pledge.pk)
    return render(request, "pledges/covenant/pledge_edit.html", {"pledge": pledge, "form": form})


def _open(request, pledge: Pledge) -> str:
    signing.open_pledge(pledge, actor=request.user)
    return "Đã mở lấy chữ ký."


def _sign(request, pledge: Pledge) -> str:
    unit = get_object_or_404(
        pledge.members.select_related("unit"), unit_id=request.POST.get("unit")
    ).unit
    scan = request.FILES.get("paper_scan")
    signature = signing.sign_pledge(
        pledge, actor=request.user, unit=unit, paper_scan=scan.read() if scan else None
    )
    if signature.from_paper:
        return f"Đã nhập chữ ký trên giấy của {unit.name}, kèm bản quét."
    return f"Đã ký giao ước thay mặt {unit.name}."


def _put_in_force(request, pledge: Pledge) -> str:
    signing.put_pledge_in_force(pledge, actor=request.user)
    return "Giao ước đã có hiệu lực."


def _issue(request, pledge: Pledge) -> str:
    signing.issue_pledge_document(pledge, actor=request.user)
    return "Đã ban hành văn bản Giao ước thi đua."


def _draft_signing(request, pledge: Pledge) -> str:
    signing.draft_pledge_document_for_signing(pledge, actor=request.user)
    return "Đã lập văn bản Giao ước; lãnh đạo các đơn vị lần lượt ký số ngoài cổng."


def _issue_signed(request, pledge: Pledge) -> str:
    document = signing.issue_signed_pledge_document(pledge, actor=request.user)
    return f"Đã ban hành {document}, giữ nguyên chữ ký số của các đơn vị."


def _close(request, pledge: Pledge) -> str:
    signing.close_pledge_year(pledge, actor=request.user)
    return "Đã kết thúc năm; trưởng cụm/khối năm sau đã được xác định."


def _next(request, pledge: Pledge) -> Pledge:
    return signing.draft_next_pledge(pledge, actor=request.user)


def _link(request, pledge: Pledge) -> str:
    commitment = get_object_or_404(
        pledge.commitments.filter(withdrawn=False), pk=request.POST.get("commitment")
    )
    task = get_object_or_404(
        RegistrationTask.objects.filter(
            registration__in=Registration.objects.visible_to(request.user).values("pk")
        ),
        pk=request.POST.get("task"),
    )
    signing.link_task_to_commitment(commitment, actor=request.user, task=task)
    return "Đã gắn nhiệm vụ với cam kết; tiến độ báo cáo một lần, tính cho cả hai."


def _create_table(request, pledge: Pledge) -> str:
    scoring.create_score_table(pledge, actor=request.user)
    return "Đã lập bảng chấm điểm."


# The service behind each action posted on a giao ước: the moves of its table
# (pledges.workflow.PLEDGE) that a button makes, and the steps beside them.
MOVE_SERVICES = {"open": _open, "in_force": _put_in_force, "close": _close}
PLEDGE_ACTIONS = {
    **MOVE_SERVICES,
    "sign": _sign,
    "issue": _issue,
    "draft_signing": _draft_signing,
    "issue_signed": _issue_signed,
    "next": _next,
    "link": _link,
    "table": _create_table,
}
# What an irreversible move asks before it is sent.
CONFIRMS = {
    "close": "Giao ước năm {year} sẽ kết thúc, không chấm điểm thêm được; trưởng, phó cụm/khối "
    "luân phiên sang năm sau. Kết thúc năm?",
}


@login_required
@require_POST
def pledge_action(request: HttpRequest, pledge_id: int) -> HttpResponse:
    pledge = _pledge(request, pledge_id)
    act = PLEDGE_ACTIONS.get(request.POST.get("action", ""))
    if act is None:
        messages.error(request, "Thao tác không hợp lệ.")
        return redirect("pledges:pledge", pledge_id=pledge.pk)
    outcome = attempt_and_tell(request, act, request, pledge)
    if isinstance(outcome, Pledge):
        messages.success(request, f"Đã soạn giao ước năm {outcome.year} từ giao ước này.")
        return redirect("pledges:pledge", pledge_id=outcome.pk)
    if outcome is not REFUSED:
        messages.success(request, outcome)
    return redirect("pledges:pledge", pledge_id=pledge.pk)


@login_required
@require_POST
def pledge_scan(request: HttpRequest, pledge_id: int) -> HttpResponse:
    pledge = _pledge(request, pledge_id)
    access.require(request.user, Cap.MANAGE_PLEDGE, pledge.head)
    form = ScanForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "Hãy chọn tệp PDF bản giao ước đã ký.")
    else:
        attempt_and_tell(
            request,
            signing.upload_signed_pledge,
            pledge,
            actor=request.user,
            file=form.cleaned_data["file"],
            done="Đã tải lên bản giao ước đã ký; giao ước đã ký đủ.",
        )
    return redirect("pledges:pledge", pledge_id=pledge.pk)


def _sheet(request, scoresheet_id: int) -> ScoreSheet:
    return get_object_or_404(
        ScoreSheet.objects.visible_to(request.user).select_related(
            "unit", "table__pledge__head", "table__pledge__bloc__organiser"
        ),
        pk=scoresheet_id,
    )


@login_required
def score_sheet(request: HttpRequest, scoresheet_id: int) -> HttpResponse:
    """The member's self-assessment, the head's and the reviewer's scoring, and the history
    of every change with its reason: why each score is what it is."""
    sheet = _sheet(request, scoresheet_id)
    user = request.user
    pledge = sheet.table.pledge
    scores = list(
        sheet.scores.select_related("criterion").prefetch_related(
            Prefetch("changes", queryset=ScoreChange.objects.select_related("changed_by"))
        )
    )
    # The stage the user may complete now, from the sheet's table: the member's own
    # self-assessment, or the head's or the reviewer's scoring.
    offered = {row.action: row for row in SCORE_SHEET.buttons(user, sheet, scoring.held_on(sheet))}
    self_form = None
    if ScoreStage.SELF in offered:
        self_form = SelfAssessmentForm(request.POST or None, scores=scores)
    stage = next((offered[s] for s in scoring.SCORING_STAGES if s in offered), None)
    if request.method == "POST":
        call = _sheet_call(request, sheet, self_form, stage)
        if call is not None:
            service, message = call
            if attempt_and_tell(request, service, done=message) is not REFUSED:
                return redirect("pledges:sheet", scoresheet_id=sheet.pk)
    return render(
        request,
        "pledges/covenant/score_sheet.html",
        {
            "sheet": sheet,
            "pledge": pledge,
            "scores": scores,
            "self_form": self_form,
            "stage": stage,
            "self_rows": [
                (s, self_form[f"value_{s.criterion_id}"], self_form[f"evidence_{s.criterion_id}"])
                for s in scores
            ]
            if self_form
            else [],
        },
    )


def _sheet_call(request, sheet: ScoreSheet, self_form, stage):
    """The service a post on the sheet calls and its message, or None when the form is shown
    again with its errors. The services refuse what the sheet's step does not allow."""
    action, user = request.POST.get("action"), request.user
    if action in ("save", "submit"):
        if self_form is not None and not self_form.is_valid():
            return None
        submit = action == "submit"
        entries = self_form.entries() if self_form is not None else {}
        return (
            functools.partial(
                scoring.save_self_assessment, sheet, actor=user, entries=entries, submit=submit
            ),
            "Đã gửi phiếu tự chấm." if submit else "Đã lưu phiếu tự chấm.",
        )
    # No stage of the user's now: the stage the sheet is at is asked for, and refused.
    at = stage.action if stage else (_waiting_stage(sheet) or ScoreStage.REVIEWER)
    if action == "complete":
        return (
            functools.partial(scoring.complete_scoring, sheet, actor=user, stage=at),
            "Đã hoàn thành bước chấm điểm.",
        )
    form = ScoreForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Dữ liệu chấm điểm không hợp lệ.")
        return None
    score = get_object_or_404(Score, sheet=sheet, pk=form.cleaned_data["score"])
    return (
        functools.partial(
            scoring.score_criterion,
            score,
            actor=user,
            stage=at,
            value=form.cleaned_data["value"],
            reason=form.cleaned_data["reason"],
            expected_version=form.cleaned_data["version"],
        ),
        f"Đã chấm tiêu chí {score.criterion.position}.",
    )


def _waiting_stage(sheet: ScoreSheet) -> str | None:
    """The scoring stage the sheet waits for, if any (the table's move from its status)."""
    waiting = SCORE_SHEET.from_status(sheet.status)
    return next((row.action for row in waiting if row.action in scoring.SCORING_STAGES), None)


@login_required
def results(request: HttpRequest, pledge_id: int) -> HttpResponse:
    pledge = _pledge(request, pledge_id)
    table = get_object_or_404(ScoreTable, pledge=pledge)
    user = request.user
    manages = access.can(user, Cap.MANAGE_PLEDGE, pledge.head)
    organises = access.can(user, Cap.REVIEW_BLOC_SCORES, pledge.bloc.organiser)
    units = [m.unit for m in pledge.members.select_related("unit")]
    vote_form = VoteForm(request.POST or None, units=units) if manages else None
    if request.method == "POST":
        call = _results_call(request, table, vote_form)
        if call is not None:
            service, message = call
            outcome = attempt_and_tell(request, service)
            if outcome is not REFUSED:
                messages.success(request, message(outcome) if callable(message) else message)
                return redirect("pledges:results", pledge_id=pledge.pk)
    entries = (
        RankingEntry.objects.filter(table=table)
        .select_related("unit", "sheet")
        .prefetch_related("proposals")
        .order_by("-round", "rank")
    )
    latest = entries[0].round if entries else None
    current = [e for e in entries if e.round == latest]
    return render(
        request,
        "pledges/covenant/results.html",
        {
            "pledge": pledge,
            "table": table,
            "entries": current,
            "earlier": [e for e in entries if e.round != latest],
            "columns": ranking.result_columns(table),
            "ranked": list(zip(current, ranking.result_values(table, current), strict=True)),
            "sheets": table.sheets.filter(round=table.current_round).select_related("unit"),
            "vote": table.votes.filter(round=table.current_round).first(),
            "vote_form": vote_form,
            "manages": manages,
            "organises": organises,
            "reason_form": ReasonForm(),
        },
    )


def _results_call(request, table: ScoreTable, vote_form):
    """The service a post on the results calls and its message, or None when nothing is to
    be called (the vote's form shown again with its errors, or an unknown action)."""
    action = request.POST.get("action")
    user = request.user
    if action == "vote":
        access.require(user, Cap.MANAGE_PLEDGE, table.pledge.head)
        if not vote_form.is_valid():
            return None
        return (
            functools.partial(
                ranking.record_honour_vote,
                table,
                actor=user,
                ballots_issued=vote_form.cleaned_data["ballots_issued"],
                ballots_valid=vote_form.cleaned_data["ballots_valid"],
                counts=vote_form.counts(),
            ),
            "Đã ghi kết quả bỏ phiếu suy tôn.",
        )
    if action == "publish":
        return (
            functools.partial(ranking.publish_results, table, actor=user),
            "Đã công bố kết quả xếp hạng.",
        )
    if action == "correct":
        reason = request.POST.get("reason", "")
        return (
            functools.partial(ranking.open_correction_round, table, actor=user, reason=reason),
            "Đã mở đợt chấm lại.",
        )
    if action == "propose":
        return (
            functools.partial(bloc_proposals.propose_leading_members, table, actor=user),
            lambda proposals: f"Đã đề xuất khen thưởng {len(proposals)} đơn vị dẫn đầu.",
        )
    if action == "report":
        return (
            functools.partial(ranking.issue_results_report, table, actor=user),
            "Đã ban hành báo cáo kết quả chấm điểm.",
        )
    messages.error(request, "Thao tác không hợp lệ.")
    return None


@login_required
def results_export(request: HttpRequest, pledge_id: int) -> HttpResponse:
    pledge = _pledge(request, pledge_id)
    table = get_object_or_404(ScoreTable, pledge=pledge)
    entries = ranking.published_ranking(table)
    book = Workbook()
    sheet = book.active
    sheet.title = "Xếp hạng"
    sheet.append([f"Kết quả chấm điểm thi đua năm {pledge.year} – {pledge.bloc.name}"])
    sheet["A1"].font = Font(bold=True)
    sheet.append(ranking.result_columns(table))
    for row in ranking.result_values(table, entries):
        sheet.append(row)
    criteria = book.create_sheet("Tiêu chí")
    criteria.append(["TC", "Nhóm", "Tiêu chí", "Điểm chuẩn", "Cách tính", "Minh chứng bắt buộc"])
    for c in table.criteria.all():
        criteria.append(
            [
                c.position,
                c.group,
                c.text,
                float(c.max_points),
                c.get_formula_display(),
                c.evidence_required,
            ]
        )
    set_up_sheet(sheet, header_row=2)
    set_up_sheet(criteria, widths=(6, 16, 60, 12, 16, 40))
    return content_response(
        workbook_bytes(book),
        filename=file_name(
            "Xếp hạng thi đua", pledge.bloc.name, str(pledge.year), extension="xlsx"
        ),
        content_type=XLSX,
    )


@login_required
def organiser_blocs(request: HttpRequest, unit_id: int) -> HttpResponse:
    """The organising unit's blocs side by side: this year's pledge, its status and leader."""
    unit = get_object_or_404(Unit.objects.visible_to(request.user), pk=unit_id)
    asked = request.GET.get("nam", "")
    year = int(asked) if asked.isdigit() and len(asked) == 4 else timezone.localdate().year
    blocs = (
        Bloc.objects.visible_to(request.user)
        .filter(organiser=unit)
        .prefetch_related(
            Prefetch(
                "pledges",
                queryset=Pledge.objects.filter(year=year).select_related("head", "score_table"),
                to_attr="this_year",
            )
        )
        .order_by("name")
    )
    rows = []
    for bloc in blocs:
        pledge = bloc.this_year[0] if bloc.this_year else None
        table = getattr(pledge, "score_table", None) if pledge else None
        leader = ranking.published_ranking(table)[:1] if table else []
        rows.append({"bloc": bloc, "pledge": pledge, "leader": leader[0] if leader else None})
    return render(
        request, "pledges/covenant/organiser_blocs.html", {"unit": unit, "year": year, "rows": rows}
    )
