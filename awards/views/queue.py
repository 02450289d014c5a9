"""Nội vụ's queue of dossiers with its bulk actions, and the central level's outcomes."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from awards import row_html
from awards.forms.queue import BulkForm, CentralDecisionForm, QueueFilterForm
from awards.listing import page_by_ids, queue_listing
from awards.models import CouncilSession, Nomination
from awards.procedure import bulk, central, council, decisions, submission
from awards.views.nominations import RELATED
from awards.workflow import Status
from portal import access
from portal.access import Cap
from portal.paging import page_of
from portal.params import record_ids
from portal.service_calls import REFUSED, attempt_and_tell

SESSION_CHOICES = 20
# What a row of the queue shows (recipient, item, proposer): fewer joins to plan (#16).
QUEUE_ROW = ("person", "unit", "title", "award_form", "proposing_unit")
# The columns those rows read (`awards.row_html.queue_rows`), the sessions' choice the handling
# unit: a dossier's reports and justifications stay in the database.
QUEUE_COLUMNS = (
    "recipient_kind",
    "person__full_name",
    "unit__name",
    "household_name",
    "title__name",
    "award_form__name",
    "year",
    "proposing_unit__name",
    "handling_unit",
    "status",
    "due_on",
    "limit_article",
    "step_started_on",
    "findings",
)
QUEUE_ACTIONS = {
    **bulk.BULK_ACTIONS,
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
    filters = QueueFilterForm(request.GET or None)
    listing = queue_listing(user, filters.cleaned_data if filters.is_valid() else None)
    rows = listing.rows.select_related(*RELATED)
    results = None
    bulk = BulkForm(request.POST or None, actions=QUEUE_ACTIONS)
    if request.method == "POST" and bulk.is_valid():
        asked = set(request.POST.getlist("nomination"))
        chosen = list(rows.filter(pk__in=record_ids(asked)))
        if len(chosen) < len(asked):
            messages.warning(
                request,
                f"{len(asked) - len(chosen)} hồ sơ đã chọn không còn trong danh sách chờ "
                "(đã được xử lý hoặc trả lại) nên không được thực hiện.",
            )
        results = _run_bulk(request, bulk.cleaned_data, chosen)
        if isinstance(results, HttpResponse):
            return results
    # The page joins only what its rows show; the bulk actions above keep every relation.
    page = page_by_ids(
        request,
        listing.rows,
        Nomination.objects.select_related(*QUEUE_ROW).only(*QUEUE_COLUMNS),
        listing.total(),
    )
    today = timezone.localdate()
    # A dossier goes only on its own level's council (`council.put_on_agenda`): the sessions
    # offered are the open ones of the levels handling this page's rows, not every open
    # session in the subtree (334 at national scale) (#16).
    sessions = (
        CouncilSession.objects.visible_to(user)
        .filter(status="open", unit_id__in={row.handling_unit_id for row in page})
        .filter(access.cap_scope(user, Cap.REVIEW_NOMINATIONS, "unit__path"))
    )
    context = {
        "page": page,
        "filters": filters,
        "bulk": bulk,
        "results": results,
        "rows": row_html.queue_rows(page, today),
        # Newest first and a handful at most: a level has one or two open sessions.
        "sessions": sessions.select_related("unit").order_by("-held_on", "-pk")[:SESSION_CHOICES],
        "query": request.GET.urlencode(),
    }
    return render(request, "awards/nominations/queue.html", context)


def _run_bulk(request: HttpRequest, data: dict, chosen: list[Nomination]):
    """Per-row results for the per-dossier actions; one message for the batch ones."""
    action = data["action"]
    if not chosen:
        messages.error(request, "Chưa chọn hồ sơ nào.")
        return None
    if action == "clearance":
        query = urlencode([("nomination", n.pk) for n in chosen])
        return redirect(f"{reverse('awards:clearance_create')}?{query}")
    result = attempt_and_tell(request, _apply_bulk, request, action, chosen, data, denied_too=True)
    return None if result is REFUSED else result


def _apply_bulk(request: HttpRequest, action: str, chosen: list[Nomination], data: dict):
    if action in bulk.BULK_ACTIONS:
        return bulk.bulk_apply(action, chosen, actor=request.user, reason=data["reason"])
    if action == "agenda":
        session = get_object_or_404(
            CouncilSession.objects.visible_to(request.user), pk=data["session"] or 0
        )
        return bulk.bulk_call(
            chosen, lambda n: council.put_on_agenda(n, actor=request.user, session=session)
        )
    if action == "forward":
        batch = submission.forward_batch(chosen, actor=request.user)
        messages.success(request, f"Đã trình cấp trên kèm {batch.submission}.")
    elif action == "central":
        batch = central.send_to_central(chosen, actor=request.user)
        messages.success(request, f"Đã trình Trung ương kèm {batch.submission}.")
    else:
        decision = decisions.draft_decision(chosen, actor=request.user)
        messages.success(request, "Đã dự thảo quyết định.")
        return redirect("awards:decision_detail", decision_id=decision.pk)
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
        asked = record_ids(request.POST.getlist("nomination"))
        chosen = list(rows.filter(pk__in=asked))
        if not chosen:
            messages.error(request, "Chưa chọn hồ sơ nào.")
        else:
            data = form.cleaned_data
            results = attempt_and_tell(
                request,
                central.record_central_decision,
                chosen,
                actor=request.user,
                number=data["number"],
                signed_on=data["signed_on"],
                authority=data["authority"],
                result=data["result"],
                reason=data["reason"],
                file=data["file"],
            )
            if results is REFUSED:
                results = None
    page = page_of(request, rows)
    context = {
        "page": page,
        "form": form,
        "results": results,
        "today": timezone.localdate(),
        "query": request.GET.urlencode(),
    }
    return render(request, "awards/nominations/central.html", context)
