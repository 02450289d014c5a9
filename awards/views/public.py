"""Public pages (no sign-in): only what the law allows to publish — the dossiers open for
comment and the published decisions.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from awards.forms.public import PublicCommentForm
from awards.models import AwardDecision, DecisionStatus, Nomination
from awards.procedure import public_comment
from portal.paging import page_of
from portal.params import record_id
from portal.security import rate_limit
from portal.service_calls import REFUSED, attempt_and_tell


def _commentable():
    return (
        Nomination.objects.under_public_comment(timezone.localdate())
        .select_related("person", "unit", "title", "award_form", "handling_unit")
        .order_by("comment_closes_on", "pk")
    )


@rate_limit("public_comment", methods=("POST",))
def public_comments(request: HttpRequest) -> HttpResponse:
    """Nominees under public comment, each with its comment form (no sign-in needed)."""
    form = PublicCommentForm(request.POST or None)
    if request.method == "POST":
        nomination = get_object_or_404(
            _commentable(), pk=record_id(request.POST.get("nomination")) or 0
        )
        if form.is_valid():
            added = attempt_and_tell(
                request,
                public_comment.add_public_comment,
                nomination,
                done="Cảm ơn, ý kiến của bạn đã được ghi vào hồ sơ.",
                **form.cleaned_data,
            )
            if added is not REFUSED:
                return redirect(reverse("awards:public_comments"))
        else:
            messages.error(request, "Cần ghi họ tên và nội dung góp ý.")
    page = page_of(request, _commentable())
    return render(request, "awards/public/comments.html", {"page": page, "form": form})


def public_decisions(request: HttpRequest) -> HttpResponse:
    rows = AwardDecision.objects.published().select_related("unit", "document")
    page = page_of(request, rows.order_by("-published_at"))
    return render(request, "awards/public/decisions.html", {"page": page})


@rate_limit("verify_lookup")
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
