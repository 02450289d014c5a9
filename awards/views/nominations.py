"""Pages of a dossier (the sender's list, drafting, the dossier page and its actions). Thin:
parse a form, call one service, show the message. The other pages of the workflow import the
shared lookups from here.

Every list starts from `visible_to(user)`; every detail is `get_object_or_404(...visible_to)`
(404 outside the scope), and the services answer 403 inside the scope without the right.
"""

from __future__ import annotations

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from awards import row_html, workflow
from awards.forms.clearance import ClearanceForm
from awards.forms.nominations import (
    CheckForm,
    EvidenceForm,
    JustificationForm,
    NominationForm,
    OptionalReasonForm,
    SignedReportForm,
    SignerForm,
    signers_of,
)
from awards.listing import page_by_ids, sender_listing
from awards.models.nominations import Nomination
from awards.procedure import (
    appraisal,
    approval,
    central,
    clearance,
    criteria,
    drafting,
    proposals,
    public_comment,
    submission,
)
from awards.transitions import unit_on
from awards.workflow import EDITABLE
from pledges.models import Pledge, UnitReview
from portal import access
from portal.access import Cap
from portal.models import Unit
from portal.params import record_ids
from portal.service_calls import REFUSED, attempt_and_tell

RELATED = (
    "person__unit",
    "unit",
    "title",
    "award_form",
    "proposing_unit",
    "handling_unit",
    "conferring_unit",
)

SENDER_ROW = ("person", "unit", "title", "award_form", "handling_unit")
# The columns the sender's rows read (`awards.row_html.sender_rows`).
SENDER_COLUMNS = (
    "person__full_name",
    "unit__name",
    "household_name",
    "title__name",
    "award_form__name",
    "year",
    "handling_unit__name",
    "status",
    "due_on",
    "limit_article",
    "step_started_on",
    "last_reason",
)


def nomination_or_404(request: HttpRequest, nomination_id: int) -> Nomination:
    return get_object_or_404(
        Nomination.objects.visible_to(request.user).select_related(
            *RELATED, "batch__submission", "central_decision"
        ),
        pk=nomination_id,
    )


@login_required
def nomination_list(request: HttpRequest) -> HttpResponse:
    """The sender's dossiers: where each is, why, and by when."""
    user = request.user
    access.require_anywhere(user, Cap.PROPOSE_AWARDS)
    listing = sender_listing(user)
    # What a row shows (recipient, item, where it is): fewer joins and columns than RELATED.
    fetch = Nomination.objects.select_related(*SENDER_ROW).only(*SENDER_COLUMNS)
    page = page_by_ids(request, listing.rows, fetch, listing.total())
    units = access.units_where(user, Cap.PROPOSE_AWARDS)
    context = {
        "page": page,
        "rows": row_html.sender_rows(page, timezone.localdate(), EDITABLE),
        "units": units,
        # The list's form submits for its first unit: that unit's leaders sign.
        "signer_form": SignerForm(units=units[:1]),
    }
    return render(request, "awards/nominations/list.html", context)


@login_required
@require_POST
def review_nominations(request: HttpRequest, review_id: int) -> HttpResponse:
    """Turn a submitted review's pending award proposals into draft nominations."""
    review = get_object_or_404(UnitReview.objects.visible_to(request.user), pk=review_id)
    access.require(request.user, Cap.PROPOSE_AWARDS, review.unit)
    created = attempt_and_tell(
        request, proposals.nominate_review_proposals, review, actor=request.user
    )
    if created is REFUSED:
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
    created = attempt_and_tell(
        request, proposals.nominate_bloc_proposals, pledge, actor=request.user
    )
    if created is REFUSED:
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
        nomination = attempt_and_tell(
            request,
            drafting.create_nomination,
            unit,
            actor=request.user,
            item=data["item"],
            year=data["year"],
            basis_kind=data["basis_kind"],
            person=data["person"],
            unit=collective,
            household_name=data["household_name"] if collective else "",
            initiatives=data["initiatives"],
            done="Đã lưu dự thảo hồ sơ; xem kết quả kiểm tra điều kiện.",
            **form.report(),
        )
        if nomination is not REFUSED:
            return redirect("awards:nomination_detail", nomination_id=nomination.pk)
    return render(request, "awards/nominations/form.html", {"form": form, "unit": unit})


@login_required
def nomination_edit(request: HttpRequest, nomination_id: int) -> HttpResponse:
    nomination = nomination_or_404(request, nomination_id)
    access.require(request.user, Cap.PROPOSE_AWARDS, nomination.proposing_unit)
    initial = {
        key: getattr(nomination, key)
        for key in ("year", "basis_kind", *drafting.REPORT_FIELDS, "household_name")
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
        saved = attempt_and_tell(
            request,
            drafting.update_nomination,
            nomination,
            actor=request.user,
            initiatives=form.cleaned_data["initiatives"],
            justifications=justification.values(),
            done="Đã lưu; kết quả kiểm tra điều kiện được cập nhật.",
            **form.report(),
        )
        if saved is not REFUSED:
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
    nomination = nomination_or_404(request, nomination_id)
    form = EvidenceForm(request.POST, request.FILES)
    report = SignedReportForm(request.POST, request.FILES)
    if "signed_report" in request.FILES and report.is_valid():
        attempt_and_tell(
            request,
            drafting.attach_signed_report,
            nomination,
            actor=request.user,
            file=report.cleaned_data["signed_report"],
        )
    elif form.is_valid():
        attempt_and_tell(
            request, drafting.add_evidence, nomination, actor=request.user, **form.cleaned_data
        )
    else:
        messages.error(request, "Minh chứng cần mô tả và một tệp hoặc đường dẫn hợp lệ.")
    return redirect("awards:nomination_detail", nomination_id=nomination.pk)


@login_required
def batch_submit(request: HttpRequest, unit_id: int) -> HttpResponse:
    """Submit the ticked drafts of a unit under one Tờ trình (a POST from the list)."""
    unit = get_object_or_404(Unit.objects.visible_to(request.user), pk=unit_id)
    if request.method != "POST":
        return redirect("awards:nomination_list")
    form = SignerForm(request.POST, units=[unit])
    chosen = Nomination.objects.visible_to(request.user).filter(
        pk__in=record_ids(request.POST.getlist("nomination")),
        proposing_unit__path__startswith=unit.path,
    )
    if not form.is_valid():
        messages.error(request, "Người ký tờ trình phải là lãnh đạo đơn vị đang giữ chức vụ.")
        return redirect("awards:nomination_list")
    batch = attempt_and_tell(
        request,
        submission.submit_batch,
        list(chosen),
        actor=request.user,
        sender=unit,
        **form.cleaned_data,
    )
    if batch is not REFUSED:
        messages.success(request, f"Đã trình {batch.nominations.count()} hồ sơ kèm tờ trình.")
    return redirect("awards:nomination_list")


def _available(user, nomination: Nomination) -> list:
    """The buttons this user may press on this dossier now: the table's, each on the unit of
    its side (`unit_on`, as the service requires it), those this page carries out."""
    offered = workflow.TABLE.buttons(user, nomination, partial(unit_on, nomination))
    # Public comment is held at one level only; elsewhere the button would only be refused.
    return [
        row
        for row in offered
        if row.action in ACTION_CALLS
        and (row.action != "open_comment" or public_comment.comment_rule(nomination) is not None)
    ]


@login_required
def nomination_detail(request: HttpRequest, nomination_id: int) -> HttpResponse:
    nomination = nomination_or_404(request, nomination_id)
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
        "clearance_form": ClearanceForm(
            units=clearance_bodies(request.user), leaders=signers_of([nomination.handling_unit])
        ),
    }
    if any(t.action == "check" for t in context["actions"]):
        context["check_form"] = CheckForm(
            criteria=criteria.criteria_for(nomination, clearances=clearances)
        )
    return render(request, "awards/nominations/detail.html", context)


def clearance_bodies(user):
    """The units a reviewer may pick as the body asked: those the reviewer can see."""
    return Unit.objects.current().filter(access.unit_scope(user, "path")).order_by("path")


ACTION_CALLS = {
    "recall": lambda n, user, reason: submission.recall_nomination(n, actor=user, reason=reason),
    "receive": lambda n, user, reason: appraisal.receive_nomination(n, actor=user),
    "return": lambda n, user, reason: appraisal.return_nomination(n, actor=user, reason=reason),
    "open_comment": lambda n, user, reason: public_comment.open_public_comment(n, actor=user),
    "check": lambda n, user, reason: appraisal.check_nomination(n, actor=user, opinion=reason),
    "approve": lambda n, user, reason: approval.approve_nomination(n, actor=user, reason=reason),
    "reject": lambda n, user, reason: approval.reject_nomination(n, actor=user, reason=reason),
    "fast_track": lambda n, user, reason: approval.fast_track_nomination(
        n, actor=user, reason=reason
    ),
    "central_return": lambda n, user, reason: central.record_central_return(
        n, actor=user, reason=reason
    ),
    "return_to_sender": lambda n, user, reason: central.return_to_sender(
        n, actor=user, reason=reason
    ),
}


LABELS = {row.action: row.label for row in workflow.TABLE}


@login_required
@require_POST
def nomination_action(request: HttpRequest, nomination_id: int, action: str) -> HttpResponse:
    nomination = nomination_or_404(request, nomination_id)
    if action not in ACTION_CALLS:
        raise Http404
    if action == "check":
        return _check(request, nomination)
    form = OptionalReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    attempt_and_tell(
        request,
        ACTION_CALLS[action],
        nomination,
        request.user,
        reason,
        done=f"Đã thực hiện: {LABELS[action]}.",
    )
    return redirect("awards:nomination_detail", nomination_id=nomination.pk)


def _check(request: HttpRequest, nomination: Nomination) -> HttpResponse:
    """Thẩm định xong: the opinion and the verdict per criterion as the page sent them."""
    form = CheckForm(request.POST, criteria=criteria.criteria_for(nomination))
    if not form.is_valid():
        messages.error(request, "Kết luận thẩm định không hợp lệ.")
    else:
        attempt_and_tell(
            request,
            appraisal.check_nomination,
            nomination,
            actor=request.user,
            opinion=form.cleaned_data["reason"],
            verdicts=form.verdicts(),
            done=f"Đã thực hiện: {LABELS['check']}.",
        )
    return redirect("awards:nomination_detail", nomination_id=nomination.pk)
