"""Pages of a bloc's giao ước and its scoring: parse, call one service, report."""

from __future__ import annotations

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
    CriterionForm,
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
from pledges.workflow import PledgeStatus, ScoreSheetStatus, ScoreStage, ScoreTableStatus
from portal import access
from portal.access import Cap
from portal.documents import outside_flow
from portal.downloads import file_name
from portal.errors import RuleViolation
from portal.excel import set_up_sheet, workbook_bytes
from portal.files import content_response
from portal.models import Bloc, BlocTerm, Unit

# Tasks are linked to commitments while the pledge binds the members.
LINKABLE = (PledgeStatus.SIGNED, PledgeStatus.IN_FORCE)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _pledge(request, pledge_id: int) -> Pledge:
    return get_object_or_404(
        Pledge.objects.visible_to(request.user).select_related("bloc__organiser", "head"),
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
            try:
                pledge = signing.draft_pledge(
                    bloc,
                    actor=request.user,
                    year=year,
                    preamble=data["preamble"],
                    commitments=form.commitment_rows(),
                    ceremony_on=data["ceremony_on"],
                    ceremony_place=data["ceremony_place"],
                    witnesses=data["witnesses"],
                )
            except RuleViolation as refusal:
                messages.error(request, refusal.message)
            else:
                messages.success(request, "Đã soạn giao ước thi đua.")
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
        try:
            signing.amend_pledge(
                pledge,
                actor=request.user,
                reason=data["reason"],
                preamble=data["preamble"],
                commitments=form.commitment_rows([c.pk for c in current]),
                ceremony_on=data["ceremony_on"],
                ceremony_place=data["ceremony_place"],
                witnesses=data["witnesses"],
            )
        except RuleViolation as refusal:
            messages.error(request, refusal.message)
        else:
            messages.success(request, "Đã lưu giao ước.")
            return redirect("pledges:pledge", pledge_id=pledge.pk)
    return render(request, "pledges/covenant/pledge_edit.html", {"pledge": pledge, "form": form})


def _act(request, pledge: Pledge, action: str):
    user = request.user
    if action == "open":
        signing.open_pledge(pledge, actor=user)
        return "Đã mở lấy chữ ký."
    if action == "sign":
        unit = get_object_or_404(
            pledge.members.select_related("unit"), unit_id=request.POST.get("unit")
        ).unit
        scan = request.FILES.get("paper_scan")
        signature = signing.sign_pledge(
            pledge, actor=user, unit=unit, paper_scan=scan.read() if scan else None
        )
        if signature.from_paper:
            return f"Đã nhập chữ ký trên giấy của {unit.name}, kèm bản quét."
        return f"Đã ký giao ước thay mặt {unit.name}."
    if action == "in_force":
        signing.put_pledge_in_force(pledge, actor=user)
        return "Giao ước đã có hiệu lực."
    if action == "issue":
        signing.issue_pledge_document(pledge, actor=user)
        return "Đã ban hành văn bản Giao ước thi đua."
    if action == "draft_signing":
        signing.draft_pledge_document_for_signing(pledge, actor=user)
        return "Đã lập văn bản Giao ước; lãnh đạo các đơn vị lần lượt ký số ngoài cổng."
    if action == "issue_signed":
        document = signing.issue_signed_pledge_document(pledge, actor=user)
        return f"Đã ban hành {document}, giữ nguyên chữ ký số của các đơn vị."
    if action == "close":
        signing.close_pledge_year(pledge, actor=user)
        return "Đã kết thúc năm; trưởng cụm/khối năm sau đã được xác định."
    if action == "next":
        following = signing.draft_next_pledge(pledge, actor=user)
        return following
    if action == "link":
        commitment = get_object_or_404(
            pledge.commitments.filter(withdrawn=False), pk=request.POST.get("commitment")
        )
        task = get_object_or_404(
            RegistrationTask.objects.filter(
                registration__in=Registration.objects.visible_to(user).values("pk")
            ),
            pk=request.POST.get("task"),
        )
        signing.link_task_to_commitment(commitment, actor=user, task=task)
        return "Đã gắn nhiệm vụ với cam kết; tiến độ báo cáo một lần, tính cho cả hai."
    if action == "table":
        scoring.create_score_table(pledge, actor=user)
        return "Đã lập bảng chấm điểm."
    raise RuleViolation("Thao tác không hợp lệ.")


@login_required
@require_POST
def pledge_action(request: HttpRequest, pledge_id: int) -> HttpResponse:
    pledge = _pledge(request, pledge_id)
    try:
        outcome = _act(request, pledge, request.POST.get("action", ""))
    except RuleViolation as refusal:
        messages.error(request, refusal.message)
    else:
        if isinstance(outcome, Pledge):
            messages.success(request, f"Đã soạn giao ước năm {outcome.year} từ giao ước này.")
            return redirect("pledges:pledge", pledge_id=outcome.pk)
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
        try:
            signing.upload_signed_pledge(pledge, actor=request.user, file=form.cleaned_data["file"])
        except RuleViolation as refusal:
            messages.error(request, refusal.message)
        else:
            messages.success(request, "Đã tải lên bản giao ước đã ký; giao ước đã ký đủ.")
    return redirect("pledges:pledge", pledge_id=pledge.pk)


@login_required
def score_table(request: HttpRequest, pledge_id: int) -> HttpResponse:
    pledge = _pledge(request, pledge_id)
    table = get_object_or_404(ScoreTable, pledge=pledge)
    manages = access.can(request.user, Cap.MANAGE_PLEDGE, pledge.head)
    editable = manages and table.status == ScoreTableStatus.DRAFT
    form = CriterionForm(request.POST or None) if editable else None
    if request.method == "POST":
        access.require(request.user, Cap.MANAGE_PLEDGE, pledge.head)
        try:
            if request.POST.get("action") == "publish":
                scoring.publish_score_table(table, actor=request.user)
                messages.success(request, "Đã công bố bảng chấm điểm cho các thành viên.")
                return redirect("pledges:score_table", pledge_id=pledge.pk)
            if request.POST.get("action") == "tie_breakers":
                chosen = request.POST.getlist("criterion")
                by_id = {str(c.pk): c for c in table.criteria.all()}
                scoring.set_tie_breakers(
                    table, actor=request.user, order=[by_id[c] for c in chosen if c in by_id]
                )
                messages.success(request, "Đã lưu thứ tự tiêu chí phụ.")
                return redirect("pledges:score_table", pledge_id=pledge.pk)
            if form is not None and form.is_valid():
                scoring.add_criterion(table, actor=request.user, **form.cleaned_data)
                messages.success(request, "Đã thêm tiêu chí.")
                return redirect("pledges:score_table", pledge_id=pledge.pk)
        except RuleViolation as refusal:
            messages.error(request, refusal.message)
    sheets = table.sheets.filter(round=table.current_round).select_related("unit")
    return render(
        request,
        "pledges/covenant/score_table.html",
        {
            "pledge": pledge,
            "table": table,
            "criteria": table.criteria.all(),
            "tie_breakers": table.tie_breakers.select_related("criterion"),
            "form": form,
            "editable": editable,
            "sheets": sheets,
        },
    )


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
    self_form = None
    if sheet.status == ScoreSheetStatus.DRAFT and access.can(user, Cap.REPORT_PROGRESS, sheet.unit):
        self_form = SelfAssessmentForm(request.POST or None, scores=scores)
    stage = None
    if sheet.status == ScoreSheetStatus.SELF_SUBMITTED and access.can(
        user, Cap.MANAGE_PLEDGE, pledge.head
    ):
        stage = ScoreStage.HEAD
    elif sheet.status == ScoreSheetStatus.HEAD_SCORED and access.can(
        user, Cap.REVIEW_BLOC_SCORES, pledge.bloc.organiser
    ):
        stage = ScoreStage.REVIEWER
    if request.method == "POST":
        try:
            message = _post_sheet(request, sheet, self_form, stage)
        except RuleViolation as refusal:
            messages.error(request, refusal.message)
        else:
            if message:
                messages.success(request, message)
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


def _post_sheet(request, sheet: ScoreSheet, self_form, stage) -> str:
    action = request.POST.get("action")
    if action in ("save", "submit"):
        if self_form is None:
            access.require(request.user, Cap.REPORT_PROGRESS, sheet.unit)
            raise RuleViolation("Phiếu tự chấm đã gửi, không sửa được.")
        if not self_form.is_valid():
            return ""
        scoring.save_self_assessment(
            sheet, actor=request.user, entries=self_form.entries(), submit=action == "submit"
        )
        return "Đã gửi phiếu tự chấm." if action == "submit" else "Đã lưu phiếu tự chấm."
    if stage is None:
        access.require(request.user, Cap.REVIEW_BLOC_SCORES, sheet.table.pledge.bloc.organiser)
        raise RuleViolation("Phiếu chưa đến bước chấm của bạn.")
    if action == "complete":
        scoring.complete_scoring(sheet, actor=request.user, stage=stage)
        return "Đã hoàn thành bước chấm điểm."
    form = ScoreForm(request.POST)
    if not form.is_valid():
        raise RuleViolation("Dữ liệu chấm điểm không hợp lệ.")
    score = get_object_or_404(Score, sheet=sheet, pk=form.cleaned_data["score"])
    scoring.score_criterion(
        score,
        actor=request.user,
        stage=stage,
        value=form.cleaned_data["value"],
        reason=form.cleaned_data["reason"],
        expected_version=form.cleaned_data["version"],
    )
    return f"Đã chấm tiêu chí {score.criterion.position}."


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
        try:
            message = _post_results(request, table, vote_form)
        except RuleViolation as refusal:
            messages.error(request, refusal.message)
        else:
            if message:
                messages.success(request, message)
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


def _post_results(request, table: ScoreTable, vote_form) -> str:
    action = request.POST.get("action")
    user = request.user
    if action == "vote":
        access.require(user, Cap.MANAGE_PLEDGE, table.pledge.head)
        if not vote_form.is_valid():
            return ""
        ranking.record_honour_vote(
            table,
            actor=user,
            ballots_issued=vote_form.cleaned_data["ballots_issued"],
            ballots_valid=vote_form.cleaned_data["ballots_valid"],
            counts=vote_form.counts(),
        )
        return "Đã ghi kết quả bỏ phiếu suy tôn."
    if action == "publish":
        ranking.publish_results(table, actor=user)
        return "Đã công bố kết quả xếp hạng."
    if action == "correct":
        ranking.open_correction_round(table, actor=user, reason=request.POST.get("reason", ""))
        return "Đã mở đợt chấm lại."
    if action == "propose":
        proposals = bloc_proposals.propose_leading_members(table, actor=user)
        return f"Đã đề xuất khen thưởng {len(proposals)} đơn vị dẫn đầu."
    if action == "report":
        ranking.issue_results_report(table, actor=user)
        return "Đã ban hành báo cáo kết quả chấm điểm."
    raise RuleViolation("Thao tác không hợp lệ.")


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
