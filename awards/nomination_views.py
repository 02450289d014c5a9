"""Pages of the nomination workflow. Thin: parse a form, call one service, show the message.

Every list starts from `visible_to(user)`; every detail is `get_object_or_404(...visible_to)`
(404 outside the scope), and the services answer 403 inside the scope without the right.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Case, Q, Value, When
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from pledges.models import Pledge, UnitReview
from portal import access
from portal.access import Cap
from portal.background import jobs
from portal.errors import RuleViolation
from portal.models import Unit, User
from portal.text import fold

from . import appraisal, central, clearance, council, decisions, proposals, statistics
from . import nominations as flow
from .models import (
    AgendaItem,
    AwardDecision,
    Choice,
    CouncilSeat,
    CouncilSession,
    DecisionStatus,
    Nomination,
)
from .nomination_forms import (
    ALL_STEPS,
    BulkForm,
    CentralDecisionForm,
    CheckForm,
    ClearanceForm,
    CloseSessionForm,
    EvidenceForm,
    JustificationForm,
    NominationForm,
    OptionalReasonForm,
    PublicCommentForm,
    QueueFilterForm,
    ReasonForm,
    SessionForm,
    SignedReportForm,
    SignerForm,
    StatisticsForm,
)
from .workflow import EDITABLE, OPEN, TRANSITIONS, Status, allowed_actions

QUEUE_PAGE = 50
RELATED = (
    "person__unit",
    "unit",
    "title",
    "award_form",
    "proposing_unit",
    "handling_unit",
    "conferring_unit",
)


def _nomination(request: HttpRequest, nomination_id: int) -> Nomination:
    return get_object_or_404(
        Nomination.objects.visible_to(request.user).select_related(
            *RELATED, "batch__submission", "central_decision"
        ),
        pk=nomination_id,
    )


def _fail(request: HttpRequest, error: RuleViolation) -> None:
    messages.error(request, str(error))


# ---------------------------------------------------------------------------------------------
# The sender


@login_required
def nomination_list(request: HttpRequest) -> HttpResponse:
    """The sender's dossiers: where each is, why, and by when."""
    user = request.user
    access.require_anywhere(user, Cap.PROPOSE_AWARDS)
    rows = (
        Nomination.objects.visible_to(user)
        .filter(access.cap_scope(user, Cap.PROPOSE_AWARDS, "proposing_unit__path"))
        .select_related(*RELATED)
        # What the sender must act on comes first, then what is under way; a year's hundreds of
        # finished dossiers go last rather than burying them.
        .annotate(
            stage=Case(
                When(status__in=EDITABLE, then=Value(0)),
                When(status__in=OPEN, then=Value(1)),
                default=Value(2),
            )
        )
        .order_by("stage", "-created_at", "-pk")
    )
    page = Paginator(rows, QUEUE_PAGE).get_page(request.GET.get("trang"))
    context = {
        "page": page,
        "today": timezone.localdate(),
        "units": access.units_where(user, Cap.PROPOSE_AWARDS),
        "signer_form": SignerForm(initial={"signer_name": user.get_full_name()}),
        "editable": EDITABLE,
    }
    return render(request, "awards/nominations/list.html", context)


@login_required
@require_POST
def review_nominations(request: HttpRequest, review_id: int) -> HttpResponse:
    """Turn a submitted review's pending award proposals into draft nominations."""
    review = get_object_or_404(UnitReview.objects.visible_to(request.user), pk=review_id)
    access.require(request.user, Cap.PROPOSE_AWARDS, review.unit)
    try:
        created = proposals.nominate_review_proposals(review, actor=request.user)
    except RuleViolation as error:
        _fail(request, error)
        return redirect("pledges:review", review_id=review.pk)
    return _drafted(request, created)


def _drafted(request: HttpRequest, created: list) -> HttpResponse:
    """After proposals became drafts: say how many, and show them in the sender's list."""
    if created:
        messages.success(request, f"Đã tạo {len(created)} hồ sơ đề nghị khen thưởng (dự thảo).")
    else:
        messages.info(request, "Không còn đề xuất nào chờ chuyển thành hồ sơ.")
    return redirect("awards:nomination_list")


@login_required
@require_POST
def bloc_nominations(request: HttpRequest, pledge_id: int) -> HttpResponse:
    """Turn a bloc's proposals from its published ranking into the organiser's nominations."""
    pledge = get_object_or_404(Pledge.objects.visible_to(request.user), pk=pledge_id)
    try:
        created = proposals.nominate_bloc_proposals(pledge, actor=request.user)
    except RuleViolation as error:
        _fail(request, error)
        return redirect("pledges:results", pledge_id=pledge.pk)
    return _drafted(request, created)


@login_required
def nomination_create(request: HttpRequest, unit_id: int) -> HttpResponse:
    unit = get_object_or_404(Unit.objects.visible_to(request.user), pk=unit_id)
    access.require(request.user, Cap.PROPOSE_AWARDS, unit)
    form = NominationForm(
        request.POST or None,
        proposing_unit=unit,
        initial={"year": timezone.localdate().year - 1, "basis_kind": "yearly"},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        collective = data["collective"]
        try:
            nomination = flow.create_nomination(
                unit,
                actor=request.user,
                item=data["item"],
                year=data["year"],
                basis_kind=data["basis_kind"],
                person=data["person"],
                unit=collective,
                household_name=data["household_name"] if collective else "",
                initiatives=data["initiatives"],
                **form.report(),
            )
        except RuleViolation as error:
            _fail(request, error)
        else:
            messages.success(request, "Đã lưu dự thảo hồ sơ; xem kết quả kiểm tra điều kiện.")
            return redirect("awards:nomination_detail", nomination_id=nomination.pk)
    return render(request, "awards/nominations/form.html", {"form": form, "unit": unit})


@login_required
def nomination_edit(request: HttpRequest, nomination_id: int) -> HttpResponse:
    nomination = _nomination(request, nomination_id)
    access.require(request.user, Cap.PROPOSE_AWARDS, nomination.proposing_unit)
    initial = {
        key: getattr(nomination, key)
        for key in ("year", "basis_kind", *flow.REPORT_FIELDS, "household_name")
    }
    initial |= {
        "person": nomination.person_id,
        "collective": nomination.unit_id,
        "item": f"{'title' if nomination.title_id else 'form'}-{nomination.item.pk}",
        "initiatives": list(nomination.initiatives.all()),
    }
    form = NominationForm(
        request.POST or None, proposing_unit=nomination.proposing_unit, initial=initial
    )
    justification = JustificationForm(
        request.POST or None, findings=nomination.findings, current=nomination.justifications
    )
    if request.method == "POST" and form.is_valid() and justification.is_valid():
        try:
            flow.update_nomination(
                nomination,
                actor=request.user,
                initiatives=form.cleaned_data["initiatives"],
                justifications=justification.values(),
                **form.report(),
            )
        except RuleViolation as error:
            _fail(request, error)
        else:
            messages.success(request, "Đã lưu; kết quả kiểm tra điều kiện được cập nhật.")
            return redirect("awards:nomination_detail", nomination_id=nomination.pk)
    context = {
        "form": form,
        "justification": justification,
        "nomination": nomination,
        "unit": nomination.proposing_unit,
    }
    return render(request, "awards/nominations/form.html", context)


@login_required
@require_POST
def nomination_evidence(request: HttpRequest, nomination_id: int) -> HttpResponse:
    nomination = _nomination(request, nomination_id)
    form = EvidenceForm(request.POST, request.FILES)
    report = SignedReportForm(request.POST, request.FILES)
    if "signed_report" in request.FILES and report.is_valid():
        try:
            flow.attach_signed_report(
                nomination, actor=request.user, file=report.cleaned_data["signed_report"]
            )
        except RuleViolation as error:
            _fail(request, error)
    elif form.is_valid():
        try:
            flow.add_evidence(nomination, actor=request.user, **form.cleaned_data)
        except RuleViolation as error:
            _fail(request, error)
    else:
        messages.error(request, "Minh chứng cần mô tả và một tệp hoặc đường dẫn hợp lệ.")
    return redirect("awards:nomination_detail", nomination_id=nomination.pk)


@login_required
def batch_submit(request: HttpRequest, unit_id: int) -> HttpResponse:
    """Submit the ticked drafts of a unit under one Tờ trình (a POST from the list)."""
    unit = get_object_or_404(Unit.objects.visible_to(request.user), pk=unit_id)
    if request.method != "POST":
        return redirect("awards:nomination_list")
    form = SignerForm(request.POST)
    chosen = Nomination.objects.visible_to(request.user).filter(
        pk__in=request.POST.getlist("nomination"), proposing_unit__path__startswith=unit.path
    )
    if not form.is_valid():
        messages.error(request, "Cần ghi người ký và chức vụ trên tờ trình.")
        return redirect("awards:nomination_list")
    try:
        batch = flow.submit_batch(
            list(chosen), actor=request.user, sender=unit, **form.cleaned_data
        )
    except RuleViolation as error:
        _fail(request, error)
    else:
        messages.success(request, f"Đã trình {batch.nominations.count()} hồ sơ kèm tờ trình.")
    return redirect("awards:nomination_list")


def _available(user, nomination: Nomination) -> list:
    """The buttons this user may press on this dossier now."""
    result = []
    for transition in allowed_actions(nomination.status):
        if transition.action not in ACTION_CALLS:
            continue
        # Public comment is held at one level only; elsewhere the button would only be refused.
        if transition.action == "open_comment" and flow.comment_rule(nomination) is None:
            continue
        unit = (
            nomination.proposing_unit
            if transition.cap is Cap.PROPOSE_AWARDS
            else nomination.handling_unit
        )
        if unit is not None and access.can(user, transition.cap, unit):
            result.append(transition)
    return result


@login_required
def nomination_detail(request: HttpRequest, nomination_id: int) -> HttpResponse:
    nomination = _nomination(request, nomination_id)
    today = timezone.localdate()
    clearances = list(
        nomination.clearances.select_related("letter", "answered_by").order_by("sent_on", "pk")
    )
    can_review = nomination.handling_unit is not None and access.can(
        request.user, Cap.REVIEW_NOMINATIONS, nomination.handling_unit
    )
    context = {
        "nomination": nomination,
        "today": today,
        "days_left": nomination.days_left(today),
        "overdue": nomination.is_overdue(today),
        "events": nomination.events.select_related("actor", "unit", "document"),
        "evidence": nomination.evidence.all(),
        "comments": nomination.public_comments.all(),
        "initiatives": nomination.initiatives.all(),
        "actions": _available(request.user, nomination),
        "can_edit": nomination.status in EDITABLE
        and access.can(request.user, Cap.PROPOSE_AWARDS, nomination.proposing_unit),
        "evidence_form": EvidenceForm(),
        "report_form": SignedReportForm(),
        "reason_form": OptionalReasonForm(),
        "justifications": nomination.justifications,
        "criterion_opinions": nomination.criterion_opinions.select_related("recorded_by"),
        "clearances": clearances,
        "can_review": can_review,
        "can_ask": can_review and nomination.status in clearance.ASKABLE,
        "clearance_form": ClearanceForm(units=_clearance_bodies(request.user)),
    }
    if any(t.action == "check" for t in context["actions"]):
        context["check_form"] = CheckForm(
            criteria=appraisal.criteria_for(nomination, clearances=clearances)
        )
    return render(request, "awards/nominations/detail.html", context)


def _clearance_bodies(user):
    """The units a reviewer may pick as the body asked: those the reviewer can see."""
    return Unit.objects.current().filter(access.unit_scope(user, "path")).order_by("path")


ACTION_CALLS = {
    "recall": lambda n, user, reason: flow.recall_nomination(n, actor=user, reason=reason),
    "receive": lambda n, user, reason: flow.receive_nomination(n, actor=user),
    "return": lambda n, user, reason: flow.return_nomination(n, actor=user, reason=reason),
    "open_comment": lambda n, user, reason: flow.open_public_comment(n, actor=user),
    "check": lambda n, user, reason: flow.check_nomination(n, actor=user, opinion=reason),
    "approve": lambda n, user, reason: flow.approve_nomination(n, actor=user, reason=reason),
    "reject": lambda n, user, reason: flow.reject_nomination(n, actor=user, reason=reason),
    "fast_track": lambda n, user, reason: flow.fast_track_nomination(n, actor=user, reason=reason),
    "central_return": lambda n, user, reason: central.record_central_return(
        n, actor=user, reason=reason
    ),
    "return_to_sender": lambda n, user, reason: central.return_to_sender(
        n, actor=user, reason=reason
    ),
}


@login_required
@require_POST
def nomination_action(request: HttpRequest, nomination_id: int, action: str) -> HttpResponse:
    nomination = _nomination(request, nomination_id)
    if action not in ACTION_CALLS:
        raise Http404
    if action == "check":
        return _check(request, nomination)
    form = OptionalReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        ACTION_CALLS[action](nomination, request.user, reason)
    except RuleViolation as error:
        _fail(request, error)
    else:
        messages.success(request, f"Đã thực hiện: {TRANSITIONS[action].label}.")
    return redirect("awards:nomination_detail", nomination_id=nomination.pk)


def _check(request: HttpRequest, nomination: Nomination) -> HttpResponse:
    """Thẩm định xong: the opinion and the verdict per criterion as the page sent them."""
    form = CheckForm(request.POST, criteria=appraisal.criteria_for(nomination))
    if not form.is_valid():
        _fail(request, RuleViolation("Kết luận thẩm định không hợp lệ."))
    else:
        try:
            flow.check_nomination(
                nomination,
                actor=request.user,
                opinion=form.cleaned_data["reason"],
                verdicts=form.verdicts(),
            )
        except RuleViolation as error:
            _fail(request, error)
        else:
            messages.success(request, f"Đã thực hiện: {TRANSITIONS['check'].label}.")
    return redirect("awards:nomination_detail", nomination_id=nomination.pk)


# ---------------------------------------------------------------------------------------------
# Nội vụ: the queue and its bulk actions

QUEUE_ACTIONS = {
    **flow.BULK_ACTIONS,
    "agenda": "Đưa vào phiên họp Hội đồng (chọn phiên)",
    "forward": "Trình cấp trên (một tờ trình)",
    "central": "Trình Trung ương (một tờ trình)",
    "decision": "Dự thảo quyết định khen thưởng (một quyết định)",
    "clearance": "Xin ý kiến cơ quan liên quan (một công văn)",
}


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    """Dossiers waiting at the levels where the user is Nội vụ, filtered and paginated."""
    user = request.user
    access.require_anywhere(user, Cap.REVIEW_NOMINATIONS)
    rows = (
        Nomination.objects.visible_to(user)
        .filter(access.cap_scope(user, Cap.REVIEW_NOMINATIONS, "handling_unit__path"))
        .exclude(status__in=EDITABLE)
        .select_related(*RELATED)
        .order_by("due_on", "pk")
    )
    filters = QueueFilterForm(request.GET or None)
    status = filters.cleaned_data["status"] if filters.is_valid() else ""
    if not status:
        rows = rows.filter(status__in=OPEN)
    elif status != ALL_STEPS:
        rows = rows.filter(status=status)
    if filters.is_valid():
        data = filters.cleaned_data
        if data["year"]:
            rows = rows.filter(year=data["year"])
        if data["q"]:
            folded = fold(data["q"])
            rows = rows.filter(
                Q(person__search_name__contains=folded) | Q(household_name__icontains=data["q"])
            )
        if data["overdue"]:
            rows = rows.overdue(timezone.localdate())
    results = None
    bulk = BulkForm(request.POST or None, actions=QUEUE_ACTIONS)
    if request.method == "POST" and bulk.is_valid():
        asked = set(request.POST.getlist("nomination"))
        chosen = list(rows.filter(pk__in=[pk for pk in asked if pk.isdigit()]))
        if len(chosen) < len(asked):
            messages.warning(
                request,
                f"{len(asked) - len(chosen)} hồ sơ đã chọn không còn trong danh sách chờ "
                "(đã được xử lý hoặc trả lại) nên không được thực hiện.",
            )
        results = _run_bulk(request, bulk.cleaned_data, chosen)
        if isinstance(results, HttpResponse):
            return results
    page = Paginator(rows, QUEUE_PAGE).get_page(request.GET.get("trang"))
    sessions = (
        CouncilSession.objects.visible_to(user)
        .filter(status="open")
        .filter(access.cap_scope(user, Cap.REVIEW_NOMINATIONS, "unit__path"))
    )
    context = {
        "page": page,
        "filters": filters,
        "bulk": bulk,
        "results": results,
        "today": timezone.localdate(),
        "sessions": sessions.select_related("unit"),
        "query": request.GET.urlencode(),
    }
    return render(request, "awards/nominations/queue.html", context)


def _run_bulk(request: HttpRequest, data: dict, chosen: list[Nomination]):
    """Per-row results for the per-dossier actions; one message for the batch ones."""
    action, reason = data["action"], data["reason"]
    if not chosen:
        messages.error(request, "Chưa chọn hồ sơ nào.")
        return None
    if action == "clearance":
        query = urlencode([("nomination", n.pk) for n in chosen])
        return redirect(f"{reverse('awards:clearance_create')}?{query}")
    try:
        if action in flow.BULK_ACTIONS:
            return flow.bulk_apply(action, chosen, actor=request.user, reason=reason)
        if action == "agenda":
            session = get_object_or_404(
                CouncilSession.objects.visible_to(request.user), pk=data["session"] or 0
            )
            return flow.bulk_call(
                chosen, lambda n: council.put_on_agenda(n, actor=request.user, session=session)
            )
        if action == "forward":
            batch = flow.forward_batch(chosen, actor=request.user)
            messages.success(request, f"Đã trình cấp trên kèm {batch.submission}.")
        elif action == "central":
            batch = central.send_to_central(chosen, actor=request.user)
            messages.success(request, f"Đã trình Trung ương kèm {batch.submission}.")
        else:
            decision = decisions.draft_decision(chosen, actor=request.user)
            messages.success(request, "Đã dự thảo quyết định.")
            return redirect("awards:decision_detail", decision_id=decision.pk)
    except (RuleViolation, PermissionDenied) as error:
        messages.error(request, str(error))
    return None


@login_required
def central_outcomes(request: HttpRequest) -> HttpResponse:
    """Dossiers sent to the central level from the user's province, and the form recording the
    paper that came back for the ticked ones (per-row results)."""
    user = request.user
    rows = (
        Nomination.objects.visible_to(user)
        .filter(access.cap_scope(user, Cap.REVIEW_NOMINATIONS, "handling_unit__path"))
        .filter(status=Status.SENT_TO_CENTRAL)
        .select_related(*RELATED, "batch__submission")
        .order_by("step_started_on", "pk")
    )
    form = CentralDecisionForm(request.POST or None, request.FILES or None)
    results = None
    if request.method == "POST" and form.is_valid():
        asked = [pk for pk in request.POST.getlist("nomination") if pk.isdigit()]
        chosen = list(rows.filter(pk__in=asked))
        if not chosen:
            messages.error(request, "Chưa chọn hồ sơ nào.")
        else:
            data = form.cleaned_data
            try:
                results = central.record_central_decision(
                    chosen,
                    actor=request.user,
                    number=data["number"],
                    signed_on=data["signed_on"],
                    authority=data["authority"],
                    result=data["result"],
                    reason=data["reason"],
                    file=data["file"],
                )
            except RuleViolation as error:
                _fail(request, error)
    page = Paginator(rows, QUEUE_PAGE).get_page(request.GET.get("trang"))
    context = {
        "page": page,
        "form": form,
        "results": results,
        "today": timezone.localdate(),
        "query": request.GET.urlencode(),
    }
    return render(request, "awards/nominations/central.html", context)


# ---------------------------------------------------------------------------------------------
# Council


@login_required
def session_list(request: HttpRequest) -> HttpResponse:
    # For the council's secretariat (Nội vụ) and its voting members; others have no use for it.
    access.require_anywhere(request.user, Cap.REVIEW_NOMINATIONS, Cap.VOTE_IN_COUNCIL)
    sessions = CouncilSession.objects.visible_to(request.user).select_related("unit")
    units = access.units_where(request.user, Cap.REVIEW_NOMINATIONS)
    return render(
        request,
        "awards/nominations/sessions.html",
        {"sessions": Paginator(sessions, 30).get_page(request.GET.get("trang")), "units": units},
    )


@login_required
def session_create(request: HttpRequest, unit_id: int) -> HttpResponse:
    unit = get_object_or_404(Unit.objects.visible_to(request.user), pk=unit_id)
    access.require(request.user, Cap.REVIEW_NOMINATIONS, unit)
    candidates = User.objects.filter(
        memberships__unit__path__in=[*unit.ancestor_paths(), unit.path], is_active=True
    ).distinct()
    form = SessionForm(request.POST or None, candidates=candidates)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            session = council.create_session(
                unit,
                actor=request.user,
                title=data["title"],
                held_on=data["held_on"],
                quorum_percent=data["quorum_percent"],
                members=[(user, "Ủy viên") for user in data["members"]],
            )
        except RuleViolation as error:
            _fail(request, error)
        else:
            return redirect("awards:session_detail", session_id=session.pk)
    return render(request, "awards/nominations/session_form.html", {"form": form, "unit": unit})


@login_required
def session_detail(request: HttpRequest, session_id: int) -> HttpResponse:
    session = get_object_or_404(
        CouncilSession.objects.visible_to(request.user).select_related("unit", "minutes"),
        pk=session_id,
    )
    seats = list(session.seats.select_related("user"))
    my_seat = next((s for s in seats if s.user_id == request.user.pk), None)
    items = list(
        session.items.select_related(
            "nomination__person__unit",
            "nomination__unit",
            "nomination__title",
            "nomination__award_form",
        ).prefetch_related("ballots")
    )
    mine = {}
    for item in items:
        for ballot in item.ballots.all():
            if my_seat and ballot.seat_id == my_seat.pk:
                mine[item.pk] = ballot
    context = {
        "session": session,
        "seats": seats,
        "present": sum(1 for s in seats if s.present),
        "items": items,
        "my_seat": my_seat,
        "mine": mine,
        "is_secretary": access.can(request.user, Cap.REVIEW_NOMINATIONS, session.unit),
        "close_form": CloseSessionForm(),
        "choices": [(Choice.YES, Choice.YES.label), (Choice.NO, Choice.NO.label)],
    }
    return render(request, "awards/nominations/session.html", context)


@login_required
@require_POST
def session_act(request: HttpRequest, session_id: int, step: str) -> HttpResponse:
    """Votes, written ballots, recusals, attendance and closing: one service each."""
    session = get_object_or_404(CouncilSession.objects.visible_to(request.user), pk=session_id)
    user, post = request.user, request.POST
    try:
        if step == "dong":
            form = CloseSessionForm(post)
            if not form.is_valid():
                raise RuleViolation("Cần họ tên Chủ tịch Hội đồng và Thư ký.")
            council.close_session(session, actor=user, **form.cleaned_data)
            messages.success(request, "Đã kết thúc phiên họp, lập biên bản.")
        elif step == "co-mat":
            seat = get_object_or_404(CouncilSeat, session=session, pk=post.get("seat") or 0)
            council.set_attendance(seat, actor=user, present=post.get("present") == "1")
        else:
            item = get_object_or_404(AgendaItem, session=session, pk=post.get("item") or 0)
            if step == "bo-phieu":
                council.cast_vote(item, actor=user, choice=post.get("choice", ""))
            elif step == "phieu-van-ban":
                seat = get_object_or_404(CouncilSeat, session=session, pk=post.get("seat") or 0)
                council.record_written_vote(
                    item, actor=user, seat=seat, choice=post.get("choice", "")
                )
            elif step == "xung-dot":
                council.declare_conflict(item, actor=user, reason=post.get("reason", ""))
            else:
                raise Http404
    except RuleViolation as error:
        _fail(request, error)
    return redirect("awards:session_detail", session_id=session.pk)


# ---------------------------------------------------------------------------------------------
# Decisions


@login_required
def decision_list(request: HttpRequest) -> HttpResponse:
    rows = AwardDecision.objects.visible_to(request.user).select_related("unit", "document")
    page = Paginator(rows, 30).get_page(request.GET.get("trang"))
    return render(request, "awards/nominations/decisions.html", {"page": page})


def _decision(request: HttpRequest, decision_id: int) -> AwardDecision:
    return get_object_or_404(
        AwardDecision.objects.visible_to(request.user).select_related(
            "unit", "document", "certificates_job"
        ),
        pk=decision_id,
    )


@login_required
def decision_detail(request: HttpRequest, decision_id: int) -> HttpResponse:
    decision = _decision(request, decision_id)
    rows = decision.nominations.select_related(*RELATED).order_by("pk")
    print_job = decision.certificates_job
    if decision.kind == "revocation":
        rows = decision.revoked_nominations.select_related(*RELATED).order_by("pk")
    context = {
        "decision": decision,
        # The actions come first; a 300-awardee list follows, 50 a page.
        "page": Paginator(rows, QUEUE_PAGE).get_page(request.GET.get("trang")),
        "print_job": print_job,
        "print_label": jobs.label_of(print_job) if print_job else "",
        "can_sign": access.can(request.user, Cap.DECIDE_AWARDS, decision.unit),
        "can_print": access.can(request.user, Cap.REVIEW_NOMINATIONS, decision.unit),
        "reason_form": ReasonForm(),
        "signer_form": SignerForm(initial={"signer_name": decision.document.signer_name}),
    }
    return render(request, "awards/nominations/decision.html", context)


@login_required
@require_POST
def decision_act(request: HttpRequest, decision_id: int, step: str) -> HttpResponse:
    decision = _decision(request, decision_id)
    try:
        if step == "nguoi-ky":
            signer = SignerForm(request.POST)
            if not signer.is_valid():
                raise RuleViolation("Cần họ tên và chức vụ người ký.")
            decisions.set_decision_signer(decision, actor=request.user, **signer.cleaned_data)
            messages.success(request, "Đã cập nhật người ký.")
        elif step == "ky":
            decisions.issue_decision(decision, actor=request.user)
            messages.success(request, "Đã ký ban hành quyết định và ghi nhận khen thưởng.")
        elif step == "cong-bo":
            decisions.publish_decision(decision, actor=request.user)
            messages.success(request, "Đã công bố trên trang công khai.")
        elif step == "in-bang":
            job = decisions.print_certificates(decision, actor=request.user)
            job.refresh_from_db()
            if jobs.waiting_for_queue(job):
                messages.warning(request, jobs.QUEUE_DOWN)
            return redirect("job_detail", job_id=job.pk)
        elif step == "huy-bo":
            reason, signer = ReasonForm(request.POST), SignerForm(request.POST)
            if not (reason.is_valid() and signer.is_valid()):
                raise RuleViolation("Cần lý do hủy bỏ và người ký.")
            revocation = decisions.revoke_awards(
                list(decision.nominations.all()),
                actor=request.user,
                reason=reason.cleaned_data["reason"],
                **signer.cleaned_data,
            )
            return redirect("awards:decision_detail", decision_id=revocation.pk)
        else:
            raise Http404
    except RuleViolation as error:
        _fail(request, error)
    return redirect("awards:decision_detail", decision_id=decision.pk)


# ---------------------------------------------------------------------------------------------
# Public pages (no sign-in): only what the law allows to publish


def _commentable():
    return (
        Nomination.objects.under_public_comment(timezone.localdate())
        .select_related("person", "unit", "title", "award_form", "handling_unit")
        .order_by("comment_closes_on", "pk")
    )


def public_comments(request: HttpRequest) -> HttpResponse:
    """Nominees under public comment, each with its comment form (no sign-in needed)."""
    form = PublicCommentForm(request.POST or None)
    if request.method == "POST":
        nomination = get_object_or_404(_commentable(), pk=request.POST.get("nomination") or 0)
        if form.is_valid():
            try:
                flow.add_public_comment(nomination, **form.cleaned_data)
            except RuleViolation as error:
                _fail(request, error)
            else:
                messages.success(request, "Cảm ơn, ý kiến của bạn đã được ghi vào hồ sơ.")
                return redirect(reverse("awards:public_comments"))
        else:
            messages.error(request, "Cần ghi họ tên và nội dung góp ý.")
    page = Paginator(_commentable(), 30).get_page(request.GET.get("trang"))
    return render(request, "awards/public/comments.html", {"page": page, "form": form})


def public_decisions(request: HttpRequest) -> HttpResponse:
    rows = AwardDecision.objects.published().select_related("unit", "document")
    page = Paginator(rows.order_by("-published_at"), 30).get_page(request.GET.get("trang"))
    return render(request, "awards/public/decisions.html", {"page": page})


def public_decision(request: HttpRequest, code: str) -> HttpResponse:
    """A published decision by its verification code, the same code printed on the paper."""
    decision = get_object_or_404(
        AwardDecision.objects.published().select_related("unit", "document"),
        document__verification_code=code,
    )
    rows = decision.nominations.select_related("person__unit", "unit", "title", "award_form")
    if decision.kind == "revocation":
        rows = decision.revoked_nominations.select_related(
            "person__unit", "unit", "title", "award_form"
        )
    return render(
        request,
        "awards/public/decision.html",
        {"decision": decision, "rows": rows.order_by("pk"), "status": DecisionStatus},
    )


# ---------------------------------------------------------------------------------------------
# Statistics


def _statistics(request: HttpRequest) -> tuple[StatisticsForm, statistics.Report]:
    form = StatisticsForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    unit = None
    if data.get("unit"):
        unit = get_object_or_404(Unit.objects.visible_to(request.user), pk=data["unit"])
    return form, statistics.compute(request.user, year=data.get("year"), unit=unit)


@login_required
def statistics_page(request: HttpRequest) -> HttpResponse:
    form, report = _statistics(request)
    return render(request, "awards/nominations/statistics.html", {"form": form, "report": report})


@login_required
def statistics_export(request: HttpRequest) -> HttpResponse:
    content = statistics.workbook(_statistics(request)[1])
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="thong-ke-khen-thuong.xlsx"'
    return response
