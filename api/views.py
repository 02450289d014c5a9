"""The unit's API pages: its service tokens (made, shown once, revoked) and its webhooks with
their delivery log."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from api import tokens
from api.forms import TokenForm, WebhookForm
from api.models import ServiceToken, Webhook, WebhookDelivery
from api.webhooks import services as webhook_services
from portal import access
from portal.access import Cap
from portal.models import Unit
from portal.service_calls import REFUSED, attempt, attempt_and_tell

DELIVERY_LOG_ROWS = 100


@login_required
def token_list(request: HttpRequest, unit_id: int) -> HttpResponse:
    unit = get_object_or_404(Unit.objects.visible_to(request.user), pk=unit_id)
    access.require(request.user, Cap.MANAGE_MEMBERSHIPS, unit)
    form = TokenForm(request.POST or None)
    created = None
    if request.method == "POST" and form.is_valid():
        made = attempt(
            form,
            tokens.create_service_token,
            unit,
            actor=request.user,
            name=form.cleaned_data["name"],
            capabilities=form.cleaned_data["capabilities"],
            expires_on=form.cleaned_data["expires_on"],
        )
        if made is not REFUSED:
            created, form = made, TokenForm()
    rows = ServiceToken.objects.filter(unit=unit).select_related("created_by")
    return render(
        request,
        "api/tokens.html",
        {
            "unit": unit,
            "form": form,
            "created": created,
            "tokens": rows,
            "may_make": tokens.may_make_tokens(request.user, unit),
            "labels": tokens.CAP_LABELS,
        },
    )


@login_required
@require_POST
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    token = get_object_or_404(
        ServiceToken.objects.visible_to(request.user).select_related("unit"), pk=token_id
    )
    access.require(request.user, Cap.MANAGE_MEMBERSHIPS, token.unit)
    attempt_and_tell(
        request,
        tokens.revoke_service_token,
        token,
        actor=request.user,
        done=f"Đã thu hồi khóa “{token.name}”.",
    )
    return redirect("api_tokens", unit_id=token.unit_id)


@login_required
def webhook_list(request: HttpRequest, unit_id: int) -> HttpResponse:
    """The unit's webhooks and their delivery log: read by anyone who sees the unit, changed by
    its leader."""
    unit = get_object_or_404(Unit.objects.visible_to(request.user), pk=unit_id)
    may_change = tokens.may_make_tokens(request.user, unit)
    form = WebhookForm(request.POST or None)
    added = None
    if request.method == "POST":
        if not may_change:
            raise access.denied()
        if form.is_valid():
            made = attempt(
                form,
                webhook_services.add_webhook,
                unit,
                actor=request.user,
                url=form.cleaned_data["url"],
                events=form.cleaned_data["events"],
            )
            if made is not REFUSED:
                added, form = made, WebhookForm()
    deliveries = (
        WebhookDelivery.objects.filter(webhook__unit=unit)
        .select_related("webhook", "event")
        .order_by("-pk")[:DELIVERY_LOG_ROWS]
    )
    return render(
        request,
        "api/webhooks.html",
        {
            "unit": unit,
            "form": form,
            "added": added,
            "webhooks": Webhook.objects.filter(unit=unit),
            "deliveries": deliveries,
            "may_change": may_change,
        },
    )


@login_required
@require_POST
def webhook_switch_off(request: HttpRequest, webhook_id: int) -> HttpResponse:
    webhook = get_object_or_404(
        Webhook.objects.visible_to(request.user).select_related("unit"), pk=webhook_id
    )
    attempt_and_tell(
        request,
        webhook_services.switch_off_webhook,
        webhook,
        actor=request.user,
        done=f"Đã tắt webhook {webhook.url}.",
    )
    return redirect("api_webhooks", unit_id=webhook.unit_id)
