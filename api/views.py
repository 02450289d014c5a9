"""The unit leader's pages: the unit's service tokens (made, shown once, revoked)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from api import tokens
from api.forms import TokenForm
from api.models import ServiceToken
from portal import access
from portal.access import Cap
from portal.errors import RuleViolation
from portal.models import Unit


@login_required
def token_list(request: HttpRequest, unit_id: int) -> HttpResponse:
    unit = get_object_or_404(Unit.objects.visible_to(request.user), pk=unit_id)
    access.require(request.user, Cap.MANAGE_MEMBERSHIPS, unit)
    form = TokenForm(request.POST or None)
    created = None
    if request.method == "POST" and form.is_valid():
        try:
            created = tokens.create_service_token(
                unit,
                actor=request.user,
                name=form.cleaned_data["name"],
                capabilities=form.cleaned_data["capabilities"],
                expires_on=form.cleaned_data["expires_on"],
            )
        except RuleViolation as error:
            form.add_error(None, error.message)
        else:
            form = TokenForm()
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
    try:
        tokens.revoke_service_token(token, actor=request.user)
    except RuleViolation as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"Đã thu hồi khóa “{token.name}”.")
    return redirect("api_tokens", unit_id=token.unit_id)
