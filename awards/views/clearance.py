"""Pages of the requests for other bodies' opinions (xin ý kiến cơ quan liên quan).

The asking level's Nội vụ writes them (from the dossier page or the queue's bulk action) and
records paper replies; the officers and leaders of a body that is a unit of the portal see the
requests addressed to it and answer them. Scoped by `ClearanceRequest.objects.visible_to`.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from awards.forms.clearance import ClearanceAnswerForm, ClearanceForm
from awards.forms.nominations import ReasonForm, signers_of
from awards.models import ClearanceRequest, ClearanceStatus, Nomination
from awards.procedure import clearance as service
from awards.views.nominations import RELATED, clearance_bodies
from portal import access
from portal.access import Cap
from portal.paging import page_of
from portal.params import record_ids
from portal.service_calls import REFUSED, attempt_and_tell

NOMINEES = ("nominations__person", "nominations__unit", "nominations__title")
NOMINEES_MORE = ("nominations__award_form", "nominations__proposing_unit")


def _askable(user):
    """Dossiers under check at the levels where `user` is Nội vụ."""
    return (
        Nomination.objects.visible_to(user)
        .filter(access.cap_scope(user, Cap.REVIEW_NOMINATIONS, "handling_unit__path"))
        .filter(status__in=service.ASKABLE)
        .select_related(*RELATED)
    )


@login_required
def clearance_create(request: HttpRequest) -> HttpResponse:
    """One Công văn to one body about the dossiers chosen (on the dossier page or the queue)."""
    wanted = request.POST.getlist("nomination") or request.GET.getlist("nomination")
    chosen = list(_askable(request.user).filter(pk__in=record_ids(wanted)))
    form = ClearanceForm(
        request.POST or None,
        units=clearance_bodies(request.user),
        # The Công văn is the dossiers' level's: its leaders sign.
        leaders=signers_of([chosen[0].handling_unit if chosen else None]),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        created = attempt_and_tell(
            request,
            service.request_clearance,
            chosen,
            actor=request.user,
            body_unit=data["body_unit"],
            body_name=data["body_name"],
            subject=data["subject"],
            due_on=data["due_on"],
            signer=data["signer"],
            denied_too=True,
        )
        if created is not REFUSED:
            messages.success(
                request,
                f"Đã gửi {created.letter} xin ý kiến {created.body_name} "
                f"(hạn {created.due_on:%d/%m/%Y}).",
            )
            return redirect("awards:clearance_detail", clearance_id=created.pk)
    return render(request, "awards/clearances/form.html", {"form": form, "chosen": chosen})


@login_required
def clearance_list(request: HttpRequest) -> HttpResponse:
    """Requests awaiting the answer of the user's unit, and those the user's levels sent."""
    user = request.user
    access.require_anywhere(user, Cap.REVIEW_NOMINATIONS, Cap.ANSWER_CLEARANCE)
    today = timezone.localdate()
    base = (
        ClearanceRequest.objects.visible_to(user)
        .select_related("asking_unit", "body_unit", "letter")
        .prefetch_related(*NOMINEES, *NOMINEES_MORE)
    )
    to_answer = base.filter(
        access.cap_scope(user, Cap.ANSWER_CLEARANCE, "body_unit__path"),
        status=ClearanceStatus.PENDING,
    ).order_by("due_on", "pk")
    sent = base.filter(access.cap_scope(user, Cap.REVIEW_NOMINATIONS, "asking_unit__path"))
    if request.GET.get("cho") == "1":
        sent = sent.filter(status=ClearanceStatus.PENDING)
    page = page_of(request, sent.order_by("-sent_on", "-pk"))
    context = {
        "to_answer": page_of(request, to_answer, param="trang-cho-tra-loi"),
        "page": page,
        "today": today,
        "only_pending": request.GET.get("cho") == "1",
        "query": "cho=1" if request.GET.get("cho") == "1" else "",
    }
    return render(request, "awards/clearances/list.html", context)


def _clearance(request: HttpRequest, clearance_id: int) -> ClearanceRequest:
    return get_object_or_404(
        ClearanceRequest.objects.visible_to(request.user).select_related(
            "asking_unit", "body_unit", "letter", "answered_by", "created_by"
        ),
        pk=clearance_id,
    )


@login_required
def clearance_detail(request: HttpRequest, clearance_id: int) -> HttpResponse:
    item = _clearance(request, clearance_id)
    user = request.user
    context = {
        "clearance": item,
        "today": timezone.localdate(),
        "nominations": item.nominations.select_related(*RELATED),
        "can_answer": item.is_pending and access.may_answer_clearance(user, item),
        "can_withdraw": item.is_pending
        and access.can(user, Cap.REVIEW_NOMINATIONS, item.asking_unit),
        "sees_dossiers": access.can(user, Cap.REVIEW_NOMINATIONS, item.asking_unit),
        "answer_form": ClearanceAnswerForm(),
        "withdraw_form": ReasonForm(),
    }
    return render(request, "awards/clearances/detail.html", context)


@login_required
@require_POST
def clearance_answer(request: HttpRequest, clearance_id: int) -> HttpResponse:
    item = _clearance(request, clearance_id)
    form = ClearanceAnswerForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "; ".join(e for errors in form.errors.values() for e in errors))
        return redirect("awards:clearance_detail", clearance_id=item.pk)
    data = form.cleaned_data
    attempt_and_tell(
        request,
        service.record_clearance_answer,
        item,
        actor=request.user,
        verdict=data["verdict"],
        text=data["text"],
        file=data["file"],
        answered_on=data["answered_on"],
        done="Đã ghi nhận ý kiến trả lời.",
    )
    return redirect("awards:clearance_detail", clearance_id=item.pk)


@login_required
@require_POST
def clearance_withdraw(request: HttpRequest, clearance_id: int) -> HttpResponse:
    item = _clearance(request, clearance_id)
    form = ReasonForm(request.POST)
    attempt_and_tell(
        request,
        service.withdraw_clearance,
        item,
        actor=request.user,
        reason=form.cleaned_data["reason"] if form.is_valid() else "",
        done="Đã rút văn bản xin ý kiến.",
    )
    return redirect("awards:clearance_detail", clearance_id=item.pk)
