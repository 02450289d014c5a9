"""Campaign pages: thin views that parse a form, call one service and report the outcome."""

from __future__ import annotations

import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from campaigns import documents as launch_document
from campaigns import services, workflow
from campaigns.forms import (
    BasisFormSet,
    CampaignFilterForm,
    CampaignForm,
    FollowUpForm,
    LaunchDocumentForm,
    TransitionForm,
)
from campaigns.models import Campaign, CampaignTarget
from campaigns.workflow import CampaignStatus
from portal import access, documents
from portal.access import Cap
from portal.downloads import file_name
from portal.files import file_response
from portal.models import Bloc, DocumentStatus, OfficialDocument, Unit
from portal.paging import page_of
from portal.security import rate_limit
from portal.service_calls import REFUSED, attempt_and_tell


def _visible(user):
    return Campaign.objects.visible_to(user)


@login_required
def campaign_list(request: HttpRequest) -> HttpResponse:
    campaigns = _visible(request.user).listed()
    form = CampaignFilterForm(request.GET or None)
    if form.is_valid():
        data = form.cleaned_data
        campaigns = campaigns.search(data["q"])
        if data["year"]:
            campaigns = campaigns.filter(starts_on__year=data["year"])
        if data["issuer"]:
            # A subquery, not a list: the filter costs no query of its own at any scale.
            campaigns = campaigns.filter(issuer__in=Unit.objects.search(data["issuer"]))
        if data["kind"]:
            campaigns = campaigns.filter(kind=data["kind"])
        if data["status"]:
            campaigns = campaigns.filter(status=data["status"])
    page = page_of(request, campaigns, few=True)
    can_create = bool(access.units_where(request.user, Cap.MANAGE_CAMPAIGN)) or (
        access.sees_everything(request.user)
    )
    template = "campaigns/_campaign_rows.html" if request.htmx else "campaigns/campaign_list.html"
    return render(request, template, {"form": form, "page": page, "can_create": can_create})


def _issuer_choices(user):
    # Units closed in 2025 stay in the list: they run their past campaigns as history.
    if access.sees_everything(user):
        return Unit.objects.administrative()
    ids = [unit.pk for unit in access.units_where(user, Cap.MANAGE_CAMPAIGN)]
    return Unit.objects.filter(pk__in=ids)


def _campaign_form(request, *, campaign: Campaign | None):
    issuers = _issuer_choices(request.user)
    visible_units = Unit.objects.visible_to(request.user).current()
    initial = None
    if campaign is not None:
        initial = {
            field: getattr(campaign, field)
            for field in (
                "title",
                "theme",
                "kind",
                "launch_form",
                "starts_on",
                "ends_on",
                "registration_due",
                "midterm_review_due",
                "final_review_due",
                "summary",
                "preamble",
                "purpose",
                "solutions",
                "organisation",
                "rewards",
                "closing",
                "award_forms",
                "asks_for_titles",
                "target_mode",
                "target_kinds",
            )
        }
        initial["issuer"] = campaign.issuer
        written = [item.as_written() for item in campaign.items.all()]
        # Items of several paragraphs are set apart by blank lines, as the author entered them.
        initial["items"] = ("\n\n" if any("\n" in w for w in written) else "\n").join(written)
        initial["referenced_campaigns"] = "\n".join(campaign.referenced_campaigns)
        initial["target_blocs"] = list(campaign.target_blocs.all())
        initial["target_list"] = list(campaign.target_list.all())
    form = CampaignForm(
        request.POST or None,
        initial=initial,
        issuers=issuers if campaign is None else Unit.objects.filter(pk=campaign.issuer_id),
        units=visible_units,
        blocs=Bloc.objects.visible_to(request.user),
        fixed_issuer=campaign is not None,
    )
    bases_initial = (
        [
            {
                "text": b.text,
                "type_word": b.type_word,
                "document_number": b.document_number,
                "issued_on": b.issued_on,
                "issuer_name": b.issuer_name,
                "summary": b.summary,
            }
            for b in campaign.bases.all()
        ]
        if campaign is not None
        else None
    )
    bases = BasisFormSet(request.POST or None, initial=bases_initial, prefix="bases")
    return form, bases


@login_required
def campaign_create(request: HttpRequest) -> HttpResponse:
    if not (
        access.units_where(request.user, Cap.MANAGE_CAMPAIGN)
        or access.sees_everything(request.user)
    ):
        raise PermissionDenied("Bạn không có quyền soạn phong trào thi đua.")
    form, bases = _campaign_form(request, campaign=None)
    if request.method == "POST" and form.is_valid() and bases.is_valid():
        campaign = attempt_and_tell(
            request,
            services.create_campaign,
            form.cleaned_data["issuer"],
            actor=request.user,
            items=form.item_lines(),
            bases=[b.as_input() for b in bases],
            target_blocs=form.cleaned_data["target_blocs"],
            target_list=form.cleaned_data["target_list"],
            done="Đã lưu dự thảo phong trào.",
            **form.campaign_fields(),
        )
        if campaign is not REFUSED:
            return redirect("campaigns:detail", campaign_id=campaign.pk)
    return render(
        request, "campaigns/campaign_form.html", {"form": form, "bases": bases, "campaign": None}
    )


@login_required
def campaign_edit(request: HttpRequest, campaign_id: int) -> HttpResponse:
    campaign = get_object_or_404(_visible(request.user).select_related("issuer"), pk=campaign_id)
    access.require(request.user, Cap.MANAGE_CAMPAIGN, campaign.issuer)
    form, bases = _campaign_form(request, campaign=campaign)
    if request.method == "POST" and form.is_valid() and bases.is_valid():
        saved = attempt_and_tell(
            request,
            services.update_campaign,
            campaign,
            actor=request.user,
            items=form.item_lines(),
            bases=[b.as_input() for b in bases],
            target_blocs=form.cleaned_data["target_blocs"],
            target_list=form.cleaned_data["target_list"],
            done="Đã lưu thay đổi.",
            **form.campaign_fields(),
        )
        if saved is not REFUSED:
            return redirect("campaigns:detail", campaign_id=campaign.pk)
    return render(
        request,
        "campaigns/campaign_form.html",
        {"form": form, "bases": bases, "campaign": campaign},
    )


@login_required
def basis_row(request: HttpRequest) -> HttpResponse:
    """One more empty căn cứ row for the campaign form (htmx), numbered after the rows shown."""
    try:
        index = int(request.GET.get("bases-TOTAL_FORMS", "0"))
    except ValueError:
        index = 0
    index = max(0, min(index, 199))
    form = BasisFormSet(prefix="bases").empty_form
    form.prefix = f"bases-{index}"
    return render(
        request, "campaigns/_basis_row.html", {"b": form, "index": index, "total": index + 1}
    )


@login_required
def campaign_detail(request: HttpRequest, campaign_id: int) -> HttpResponse:
    campaign = get_object_or_404(
        _visible(request.user).select_related("issuer", "parent", "document", "launched_by"),
        pk=campaign_id,
    )
    user = request.user
    moves = workflow.TABLE.buttons(user, campaign, campaign.issuer)
    my_target_units = [
        target.unit
        for target in CampaignTarget.objects.filter(campaign=campaign)
        .filter(access.unit_scope(user, "unit__path"))
        .select_related("unit")
        if access.can(user, Cap.MANAGE_CAMPAIGN, target.unit)
        or access.can(user, Cap.SUBMIT_REGISTRATION, target.unit)
        or access.can(user, Cap.REPORT_PROGRESS, target.unit)
    ]
    context = {
        "campaign": campaign,
        "items": campaign.items.all(),
        "bases": campaign.bases.all(),
        "reviews": campaign.reviews.all(),
        "periods": campaign.periods.all(),
        "follow_ups": _visible(user).filter(parent=campaign).select_related("issuer"),
        "target_count": campaign.targets.count(),
        "moves": moves,
        "can_manage": access.can(user, Cap.MANAGE_CAMPAIGN, campaign.issuer),
        "is_draft": campaign.status == CampaignStatus.DRAFT,
        "my_target_units": my_target_units,
        "follow_up_form": FollowUpForm(
            issuers=Unit.objects.filter(
                pk__in=[u.pk for u in my_target_units if access.can(user, Cap.MANAGE_CAMPAIGN, u)]
            )
        ),
        "running": campaign.status in workflow.RUNNING,
        "recorded_documents": OfficialDocument.objects.filter(
            issuer=campaign.issuer, is_recorded=True, kind=launch_document.document_kind(campaign)
        ).order_by("-issued_on")[:50]
        if campaign.status == CampaignStatus.DRAFT
        else [],
        "today": timezone.localdate(),
    }
    return render(request, "campaigns/campaign_detail.html", context)


@login_required
def campaign_document(request: HttpRequest, campaign_id: int) -> HttpResponse:
    """Draft the launching Kế hoạch/Chỉ thị (signer, recipients) before previewing it."""
    campaign = get_object_or_404(_visible(request.user).select_related("issuer"), pk=campaign_id)
    access.require(request.user, Cap.MANAGE_CAMPAIGN, campaign.issuer)
    draft = campaign.document
    initial = {
        "recipients": "Thường trực Hội đồng Thi đua – Khen thưởng\nCác đơn vị tham gia phong trào"
    }
    if draft is not None:
        initial = {
            "signer_post": documents.signer_post_of(draft),
            "recipients": "\n".join(r for r in draft.recipients if not r.startswith("Lưu")),
        }
    form = LaunchDocumentForm(request.POST or None, initial=initial, issuer=campaign.issuer)
    if request.method == "POST" and form.is_valid():
        drafted = attempt_and_tell(
            request,
            services.prepare_launch_document,
            campaign,
            actor=request.user,
            signer=form.signer(),
            recipients=form.recipient_lines(),
            done="Đã soạn văn bản phát động. Hãy xem trước trước khi phát động.",
        )
        if drafted is not REFUSED:
            return redirect("campaigns:detail", campaign_id=campaign.pk)
    return render(request, "campaigns/document_form.html", {"campaign": campaign, "form": form})


@login_required
def campaign_preview(request: HttpRequest, campaign_id: int) -> HttpResponse:
    """The draft (watermarked) or issued PDF of the launching document."""
    campaign = get_object_or_404(_visible(request.user).select_related("document"), pk=campaign_id)
    if campaign.document is None:
        raise Http404("Phong trào chưa có văn bản phát động.")
    if campaign.document.is_issued and campaign.document.pdf:
        return file_response(
            campaign.document.pdf,
            content_type="application/pdf",
            filename=file_name(
                "Văn bản phát động",
                campaign.document.number_and_symbol or campaign.title,
                extension="pdf",
            ),
        )
    access.require(request.user, Cap.MANAGE_CAMPAIGN, campaign.issuer)
    pdf = documents.render_preview(campaign.document)
    return HttpResponse(pdf, content_type="application/pdf")


def _launch(campaign: Campaign, actor, data: dict) -> None:
    recorded = None
    if data["recorded_document"]:
        recorded = get_object_or_404(
            OfficialDocument.objects.visible_to(actor), pk=data["recorded_document"]
        )
    services.launch_campaign(
        campaign, actor=actor, launched_on=data["signed_on"], document=recorded
    )


def _review(record, campaign: Campaign, actor, data: dict) -> None:
    record(campaign, actor=actor, held_on=data["held_on"], summary=data["summary"])


# The service behind each action of the campaign table (campaigns.workflow.TABLE).
MOVE_SERVICES = {
    "launch": _launch,
    "cancel": lambda c, actor, data: services.cancel_campaign(
        c, actor=actor, reason=data["reason"]
    ),
    "close_registration": lambda c, actor, data: services.close_registration(c, actor=actor),
    "start": lambda c, actor, data: services.start_campaign(c, actor=actor),
    "midterm_review": functools.partial(_review, services.record_midterm_review),
    "final_review": functools.partial(_review, services.record_final_review),
    "close": lambda c, actor, data: services.close_campaign(c, actor=actor),
}


@login_required
@require_POST
def campaign_transition(request: HttpRequest, campaign_id: int) -> HttpResponse:
    campaign = get_object_or_404(_visible(request.user), pk=campaign_id)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Yêu cầu không hợp lệ; kiểm tra ngày (dd/mm/yyyy) và nội dung.")
        return redirect("campaigns:detail", campaign_id=campaign.pk)
    data, actor = form.cleaned_data, request.user
    action = data["action"]
    target = CampaignStatus(workflow.TABLE.target_of(action))
    attempt_and_tell(
        request,
        MOVE_SERVICES[action],
        campaign,
        actor,
        data,
        done=f"Phong trào đã chuyển sang “{target.label}”.",
    )
    return redirect("campaigns:detail", campaign_id=campaign.pk)


@login_required
@require_POST
def campaign_follow_up(request: HttpRequest, campaign_id: int) -> HttpResponse:
    campaign = get_object_or_404(_visible(request.user), pk=campaign_id)
    form = FollowUpForm(request.POST, issuers=Unit.objects.visible_to(request.user))
    if not form.is_valid():
        messages.error(request, "Hãy chọn đơn vị phát động tiếp.")
        return redirect("campaigns:detail", campaign_id=campaign.pk)
    follow_up = attempt_and_tell(
        request,
        services.create_follow_up_campaign,
        campaign,
        actor=request.user,
        issuer=form.cleaned_data["issuer"],
        done="Đã tạo dự thảo phong trào tiếp nối; hãy rà soát và chỉnh sửa.",
    )
    if follow_up is REFUSED:
        return redirect("campaigns:detail", campaign_id=campaign.pk)
    return redirect("campaigns:edit", campaign_id=follow_up.pk)


@rate_limit("verify_lookup")
def public_document(request: HttpRequest, code: str) -> HttpResponse:
    """The issued Kế hoạch/Chỉ thị of a launched campaign, for everyone (no login), by the
    verification code printed on it."""
    campaign = get_object_or_404(
        Campaign.objects.published().select_related("document"),
        document__verification_code=code.upper(),
        document__status=DocumentStatus.ISSUED,
    )
    document = campaign.document
    if not document.pdf:
        raise Http404("Văn bản chưa có tệp PDF.")
    return file_response(
        document.pdf,
        content_type="application/pdf",
        filename=f"{document.number_and_symbol.replace('/', '-')}.pdf",
    )
