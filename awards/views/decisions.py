"""Pages of the award decisions: the draft, signing, publishing, revoking, printing certificates."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from awards.forms.nominations import ReasonForm, SignerForm
from awards.models import AwardDecision
from awards.paperwork import certificates
from awards.procedure import decisions
from awards.views.nominations import RELATED, fail
from portal import access
from portal.access import Cap
from portal.background import jobs
from portal.errors import RuleViolation
from portal.paging import page_of


@login_required
def decision_list(request: HttpRequest) -> HttpResponse:
    rows = AwardDecision.objects.visible_to(request.user).select_related("unit", "document")
    page = page_of(request, rows)
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
        "page": page_of(request, rows),
        "print_job": print_job,
        "print_label": jobs.label_of(print_job) if print_job else "",
        "can_sign": access.can(request.user, Cap.DECIDE_AWARDS, decision.unit),
        "can_print": access.can(request.user, Cap.REVIEW_NOMINATIONS, decision.unit),
        "reason_form": ReasonForm(),
        "signer_form": SignerForm(
            initial={"signer": decision.document.signer_id}, units=[decision.unit]
        ),
    }
    return render(request, "awards/nominations/decision.html", context)


@login_required
@require_POST
def decision_act(request: HttpRequest, decision_id: int, step: str) -> HttpResponse:
    decision = _decision(request, decision_id)
    try:
        if step == "nguoi-ky":
            signer = SignerForm(request.POST, units=[decision.unit])
            if not signer.is_valid():
                raise RuleViolation("Người ký phải là lãnh đạo đơn vị đang giữ chức vụ.")
            decisions.set_decision_signer(decision, actor=request.user, **signer.cleaned_data)
            messages.success(request, "Đã cập nhật người ký.")
        elif step == "ky":
            decisions.issue_decision(decision, actor=request.user)
            messages.success(request, "Đã ký ban hành quyết định và ghi nhận khen thưởng.")
        elif step == "cong-bo":
            decisions.publish_decision(decision, actor=request.user)
            messages.success(request, "Đã công bố trên trang công khai.")
        elif step == "in-bang":
            job = certificates.print_certificates(decision, actor=request.user)
            job.refresh_from_db()
            if jobs.waiting_for_queue(job):
                messages.warning(request, jobs.QUEUE_DOWN)
            return redirect("job_detail", job_id=job.pk)
        elif step == "huy-bo":
            reason = ReasonForm(request.POST)
            signer = SignerForm(request.POST, units=[decision.unit])
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
        fail(request, error)
    return redirect("awards:decision_detail", decision_id=decision.pk)
