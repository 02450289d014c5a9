"""Cluster and bloc pages: members, yearly head and deputy, rotation."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from portal import access, forms, services
from portal.access import Cap
from portal.history import history_entries
from portal.models import (
    ADMINISTRATIVE_KINDS,
    AGENCY_KINDS,
    Bloc,
    BlocMember,
    Unit,
)
from portal.service_calls import REFUSED, attempt
from portal.views.common import (
    HISTORY_PREVIEW,
    form_page,
    posted,
    visible_unit,
)


@login_required
def bloc_create(request: HttpRequest, unit_id: int) -> HttpResponse:
    organiser = visible_unit(request, unit_id)
    access.require(request.user, Cap.MANAGE_BLOCS, organiser)
    form = forms.BlocForm(posted(request))
    if form.is_valid():
        bloc = attempt(
            form, services.create_bloc, organiser, actor=request.user, **form.cleaned_data
        )
        if bloc is not REFUSED:
            messages.success(request, f"Đã thành lập “{bloc.name}”.")
            return redirect("bloc_detail", bloc_id=bloc.pk)
    return form_page(
        request,
        form,
        title=f"Thành lập cụm, khối thi đua do {organiser.name} tổ chức",
        back=reverse("unit_detail", args=[organiser.pk]),
    )


def visible_bloc(request: HttpRequest, bloc_id: int) -> Bloc:
    return get_object_or_404(
        Bloc.objects.visible_to(request.user).select_related("organiser"), pk=bloc_id
    )


def managed_bloc(request: HttpRequest, bloc_id: int) -> Bloc:
    bloc = visible_bloc(request, bloc_id)
    access.require(request.user, Cap.MANAGE_BLOCS, bloc.organiser)
    return bloc


@login_required
@require_safe
def bloc_detail(request: HttpRequest, bloc_id: int) -> HttpResponse:
    bloc = visible_bloc(request, bloc_id)
    may_manage = access.can(request.user, Cap.MANAGE_BLOCS, bloc.organiser)
    may_see_history = access.can(request.user, Cap.VIEW_HISTORY, bloc.organiser)
    terms = list(bloc.terms.select_related("head", "deputy"))
    # A bloc is seen by its members too; link only to the units the user may open.
    members = [
        (member, access.can(request.user, Cap.VIEW, member.unit))
        for member in bloc.members.select_related("unit").order_by("-left_on", "position")
    ]
    context = {
        "bloc": bloc,
        "organiser_visible": access.can(request.user, Cap.VIEW, bloc.organiser),
        "members": members,
        "terms": terms,
        "may_manage": may_manage,
        "rotate_form": forms.BlocRotateForm(
            initial={"year": (terms[0].year + 1) if terms else timezone.localdate().year}
        ),
        "history": history_entries(bloc.history.all(), 0, HISTORY_PREVIEW)
        if may_see_history
        else None,
    }
    return render(request, "portal/bloc_detail.html", context)


@login_required
def bloc_update(request: HttpRequest, bloc_id: int) -> HttpResponse:
    bloc = managed_bloc(request, bloc_id)
    initial = {
        name: getattr(bloc, name)
        for name in ("kind", "name", "description", "rotation_rule", "is_active")
    }
    form = forms.BlocUpdateForm(posted(request), initial=initial)
    if form.is_valid():
        saved = attempt(form, services.update_bloc, bloc, actor=request.user, **form.cleaned_data)
        if saved is not REFUSED:
            messages.success(request, "Đã lưu cụm, khối.")
            return redirect("bloc_detail", bloc_id=bloc.pk)
    return form_page(
        request, form, title=f"Sửa {bloc.name}", back=reverse("bloc_detail", args=[bloc.pk])
    )


@login_required
def bloc_member_add(request: HttpRequest, bloc_id: int) -> HttpResponse:
    bloc = managed_bloc(request, bloc_id)
    candidates = (
        Unit.objects.descendants(bloc.organiser)
        .current()
        .filter(kind__in=ADMINISTRATIVE_KINDS | AGENCY_KINDS)
        .exclude(bloc_seats__bloc=bloc)
        .order_by("name")
    )
    form = forms.BlocMemberForm(posted(request), candidates=candidates)
    if form.is_valid():
        member = attempt(
            form, services.add_bloc_member, bloc, actor=request.user, **form.cleaned_data
        )
        if member is not REFUSED:
            messages.success(request, f"Đã thêm “{member.unit.name}” vào {bloc.name}.")
            return redirect("bloc_detail", bloc_id=bloc.pk)
    return form_page(
        request,
        form,
        title=f"Thêm thành viên {bloc.name}",
        back=reverse("bloc_detail", args=[bloc.pk]),
    )


@login_required
def bloc_member_remove(request: HttpRequest, bloc_member_id: int) -> HttpResponse:
    member = get_object_or_404(
        BlocMember.objects.visible_to(request.user).select_related("bloc__organiser", "unit"),
        pk=bloc_member_id,
    )
    access.require(request.user, Cap.MANAGE_BLOCS, member.bloc.organiser)
    form = forms.BlocLeaveForm(posted(request))
    if form.is_valid():
        left = attempt(
            form,
            services.remove_bloc_member,
            member,
            actor=request.user,
            left_on=form.cleaned_data["left_on"],
        )
        if left is not REFUSED:
            messages.success(request, f"“{member.unit.name}” đã rời {member.bloc.name}.")
            return redirect("bloc_detail", bloc_id=member.bloc_id)
    return form_page(
        request,
        form,
        title=f"{member.unit.name} rời {member.bloc.name}",
        back=reverse("bloc_detail", args=[member.bloc_id]),
        submit="Xác nhận",
        danger=True,
    )


@login_required
def bloc_term_set(request: HttpRequest, bloc_id: int) -> HttpResponse:
    bloc = managed_bloc(request, bloc_id)
    members = Unit.objects.filter(bloc_seats__bloc=bloc, bloc_seats__left_on__isnull=True).order_by(
        "bloc_seats__position"
    )
    form = forms.BlocTermForm(posted(request), members=members)
    if form.is_valid():
        term = attempt(form, services.set_bloc_term, bloc, actor=request.user, **form.cleaned_data)
        if term is not REFUSED:
            messages.success(request, f"Đã phân công trưởng, phó {bloc.name} năm {term.year}.")
            return redirect("bloc_detail", bloc_id=bloc.pk)
    return form_page(
        request,
        form,
        title=f"Trưởng, phó {bloc.name}",
        back=reverse("bloc_detail", args=[bloc.pk]),
    )


@login_required
@require_POST
def bloc_rotate(request: HttpRequest, bloc_id: int) -> HttpResponse:
    bloc = managed_bloc(request, bloc_id)
    form = forms.BlocRotateForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Năm luân phiên không hợp lệ.")
        return redirect("bloc_detail", bloc_id=bloc.pk)
    term = attempt(
        form, services.rotate_bloc_term, bloc, actor=request.user, year=form.cleaned_data["year"]
    )
    if term is REFUSED:
        messages.error(request, " ".join(form.non_field_errors()))
    else:
        messages.success(
            request,
            f"Năm {term.year}: trưởng {term.head.name}, phó "
            f"{term.deputy.name if term.deputy else '—'}.",
        )
    return redirect("bloc_detail", bloc_id=bloc.pk)
