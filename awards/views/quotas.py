"""The award quotas of a campaign plan: seen by whoever sees the campaign, edited by whoever
may edit the plan (the services check it)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from awards.forms.quotas import QuotaForm
from awards.models import CampaignQuota
from awards.rules import quotas
from campaigns.models import Campaign
from portal import access
from portal.access import Cap
from portal.models import Unit
from portal.service_calls import REFUSED, attempt_and_tell


def _campaign(request: HttpRequest, campaign_id: int) -> Campaign:
    return get_object_or_404(
        Campaign.objects.visible_to(request.user).select_related("issuer", "document"),
        pk=campaign_id,
    )


def _units(campaign: Campaign):
    return Unit.objects.filter(campaign_targets__campaign=campaign).order_by("path")


@login_required
def campaign_quotas(request: HttpRequest, campaign_id: int) -> HttpResponse:
    campaign = _campaign(request, campaign_id)
    can_edit = access.can(request.user, Cap.MANAGE_CAMPAIGN, campaign.issuer)
    form = QuotaForm(request.POST or None, units=_units(campaign))
    if request.method == "POST":
        access.require(request.user, Cap.MANAGE_CAMPAIGN, campaign.issuer)
        if form.is_valid():
            data = form.cleaned_data
            saved = attempt_and_tell(
                request,
                quotas.set_campaign_quota,
                campaign,
                actor=request.user,
                item=data["item"],
                limit=data["limit"],
                unit=data["unit"],
                basis=data["basis"],
                reason=data["reason"],
                done="Đã lưu chỉ tiêu khen thưởng.",
            )
            if saved is not REFUSED:
                return redirect("awards:campaign_quotas", campaign_id=campaign.pk)
    context = {
        "campaign": campaign,
        "lines": quotas.quota_uses([campaign], request.user),
        "form": form,
        "can_edit": can_edit,
    }
    return render(request, "awards/quotas.html", context)


@login_required
@require_POST
def campaign_quota_remove(request: HttpRequest, quota_id: int) -> HttpResponse:
    quota = get_object_or_404(
        CampaignQuota.objects.filter(campaign__in=Campaign.objects.visible_to(request.user)),
        pk=quota_id,
    )
    attempt_and_tell(
        request,
        quotas.remove_campaign_quota,
        quota,
        actor=request.user,
        reason=request.POST.get("reason", ""),
        done="Đã bỏ chỉ tiêu khen thưởng.",
    )
    return redirect("awards:campaign_quotas", campaign_id=quota.campaign_id)
