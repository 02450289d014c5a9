"""Pages of the award decisions: the draft, signing, publishing, revoking, printing certificates."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import F
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from awards import row_html
from awards.forms.nominations import ReasonForm, SignerForm
from awards.models import AwardDecision
from awards.paperwork import certificates
from awards.procedure import decisions
from awards.views.nominations import RELATED
from awards.workflow import DECISION_TABLE
from portal import access
from portal.access import Cap
from portal.background import jobs
from portal.errors import RuleViolation
from portal.paging import page_of
from portal.service_calls import REFUSED, attempt_and_tell

# What a row of the list reads (`awards.row_html.decision_rows`), as plain values: fifty
# model instances with their unit and document cost more than the rest of the view, and
# without `select_related` the page is one joined query at any size, not ids then rows (#16).
DECISION_COLUMNS = {
    "unit_name": F("unit__name"),
    "document_kind": F("document__kind"),
    "document_number": F("document__number"),
    "document_symbol": F("document__symbol"),
    "document_summary": F("document__summary"),
}


@login_required
def decision_list(request: HttpRequest) -> HttpResponse:
    rows = AwardDecision.objects.visible_to(request.user)
    # Counted without the document joined for the values.
    columns = rows.values("pk", "kind", "status", **DECISION_COLUMNS)
    page = page_of(request, columns, count=rows.count())
    context = {"page": page, "rows": row_html.decision_rows(page)}
    return render(request, "awards/nominations/decisions.html", context)


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
        "page": page_of(request, rows),
        "print_job": print_job,
        "print_label": jobs.label_of(print_job) if print_job else "",
        # The decision's own moves this user may make now (the table's), then the other steps.
        "moves": {
            row.action for row in DECISION_TABLE.buttons(request.user, decision, decision.unit)
        },
        "can_sign": access.can(request.user, Cap.DECIDE_AWARDS, decision.unit),
        "can_print": access.can(request.user, Cap.REVIEW_NOMINATIONS, decision.unit),
        "reason_form": ReasonForm(),
        "signer_form": SignerForm(
            initial={"signer": decision.document.signer_id}, units=[decision.unit]
        ),
    }
    return render(request, "awards/nominations/decision.html", context)


def _set_signer(decision: AwardDecision, user, post) -> None:
    signer = SignerForm(post, units=[decision.unit])
    if not signer.is_valid():
        raise RuleViolation(
            "Người ký phải là lãnh đạo đơn vị đang giữ chức vụ.", code="signer_not_offered"
        )
    decisions.set_decision_signer(decision, actor=user, **signer.cleaned_data)


# The service behind each action of the decision table (awards.workflow.DECISION_TABLE), and
# the message when it is done; the page posts an action by its slug in the URL.
MOVE_SERVICES = {
    "set_signer": _set_signer,
    "issue": lambda decision, user, post: decisions.issue_decision(decision, actor=user),
    "publish": lambda decision, user, post: decisions.publish_decision(decision, actor=user),
}
DONE = {
    "set_signer": "Đã cập nhật người ký.",
    "issue": "Đã ký ban hành quyết định và ghi nhận khen thưởng.",
    "publish": "Đã công bố trên trang công khai.",
}
SLUGS = {"nguoi-ky": "set_signer", "ky": "issue", "cong-bo": "publish"}


def _print_certificates(request: HttpRequest, decision: AwardDecision) -> HttpResponse:
    job = attempt_and_tell(request, certificates.print_certificates, decision, actor=request.user)
    if job is REFUSED:
        return redirect("awards:decision_detail", decision_id=decision.pk)
    job.refresh_from_db()
    if jobs.waiting_for_queue(job):
        messages.warning(request, jobs.QUEUE_DOWN)
    return redirect("job_detail", job_id=job.pk)


def _revoke(request: HttpRequest, decision: AwardDecision) -> HttpResponse:
    """Hủy bỏ: a new numbered decision revokes this one's awards."""
    reason = ReasonForm(request.POST)
    signer = SignerForm(request.POST, units=[decision.unit])
    if not (reason.is_valid() and signer.is_valid()):
        messages.error(request, "Cần lý do hủy bỏ và người ký.")
        return redirect("awards:decision_detail", decision_id=decision.pk)
    revocation = attempt_and_tell(
        request,
        decisions.revoke_awards,
        list(decision.nominations.all()),
        actor=request.user,
        reason=reason.cleaned_data["reason"],
        **signer.cleaned_data,
    )
    if revocation is REFUSED:
        return redirect("awards:decision_detail", decision_id=decision.pk)
    return redirect("awards:decision_detail", decision_id=revocation.pk)


# The steps on an issued decision that are not moves of its own: they print its certificates,
# or revoke its awards by another decision.
OTHER_STEPS = {"in-bang": _print_certificates, "huy-bo": _revoke}


@login_required
@require_POST
def decision_act(request: HttpRequest, decision_id: int, step: str) -> HttpResponse:
    decision = _decision(request, decision_id)
    if step in OTHER_STEPS:
        return OTHER_STEPS[step](request, decision)
    action = SLUGS.get(step)
    if action is None:
        raise Http404
    attempt_and_tell(
        request, MOVE_SERVICES[action], decision, request.user, request.POST, done=DONE[action]
    )
    return redirect("awards:decision_detail", decision_id=decision.pk)
