"""People and roles: persons of a unit, and who holds which role where."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_safe

from portal import access, forms, services
from portal.access import Cap
from portal.history import history_entries
from portal.models import (
    Membership,
    Person,
    Unit,
)
from portal.service_calls import REFUSED, attempt
from portal.views.common import (
    HISTORY_PREVIEW,
    form_page,
    posted,
    visible_unit,
)


def visible_person(request: HttpRequest, person_id: int) -> Person:
    return get_object_or_404(
        Person.objects.visible_to(request.user).select_related("unit__parent", "user"),
        pk=person_id,
    )


@login_required
def person_create(request: HttpRequest, unit_id: int) -> HttpResponse:
    unit = visible_unit(request, unit_id)
    access.require(request.user, Cap.MANAGE_PEOPLE, unit)
    form = forms.PersonForm(posted(request))
    if form.is_valid():
        person = attempt(
            form, services.create_person, unit, actor=request.user, **form.cleaned_data
        )
        if person is not REFUSED:
            messages.success(request, f"Đã thêm “{person.full_name}”.")
            return redirect("person_detail", person_id=person.pk)
    return form_page(
        request,
        form,
        title=f"Thêm cá nhân thuộc {unit.name}",
        back=reverse("unit_detail", args=[unit.pk]),
    )


@login_required
@require_safe
def person_detail(request: HttpRequest, person_id: int) -> HttpResponse:
    person = visible_person(request, person_id)
    context = {
        "person": person,
        "may_manage": access.can(request.user, Cap.MANAGE_PEOPLE, person.unit),
        "history": history_entries(person.history.all(), 0, HISTORY_PREVIEW)
        if access.can(request.user, Cap.VIEW_HISTORY, person.unit)
        else None,
    }
    return render(request, "portal/person_detail.html", context)


@login_required
def person_update(request: HttpRequest, person_id: int) -> HttpResponse:
    person = visible_person(request, person_id)
    access.require(request.user, Cap.MANAGE_PEOPLE, person.unit)
    initial = {name: getattr(person, name) for name in services.PERSON_FIELDS}
    form = forms.PersonForm(posted(request), initial=initial)
    if form.is_valid():
        saved = attempt(
            form, services.update_person, person, actor=request.user, **form.cleaned_data
        )
        if saved is not REFUSED:
            messages.success(request, "Đã lưu thông tin cá nhân.")
            return redirect("person_detail", person_id=person.pk)
    return form_page(
        request,
        form,
        title=f"Sửa thông tin {person.full_name}",
        back=reverse("person_detail", args=[person.pk]),
    )


@login_required
def person_move(request: HttpRequest, person_id: int) -> HttpResponse:
    person = visible_person(request, person_id)
    access.require(request.user, Cap.MANAGE_PEOPLE, person.unit)
    destinations = (
        Unit.objects.filter(access.cap_scope(request.user, Cap.MANAGE_PEOPLE))
        .current()
        .exclude(pk=person.unit_id)
        .order_by("path")
    )
    form = forms.PersonMoveForm(posted(request), destinations=destinations)
    if form.is_valid():
        moved = attempt(
            form,
            services.move_person,
            person,
            actor=request.user,
            to_unit=form.cleaned_data["to_unit"],
        )
        if moved is not REFUSED:
            messages.success(request, f"Đã chuyển {person.full_name} đến {moved.unit.name}.")
            return redirect("person_detail", person_id=person.pk)
    return form_page(
        request,
        form,
        title=f"Chuyển đơn vị công tác của {person.full_name}",
        back=reverse("person_detail", args=[person.pk]),
        intro=f"Đơn vị hiện tại: {person.unit.name}. Hồ sơ thi đua, khen thưởng của cá nhân "
        "được giữ nguyên khi chuyển.",
    )


@login_required
def membership_grant(request: HttpRequest, unit_id: int) -> HttpResponse:
    unit = visible_unit(request, unit_id)
    access.require(request.user, Cap.MANAGE_MEMBERSHIPS, unit)
    form = forms.MembershipForm(posted(request))
    if form.is_valid():
        granted = attempt(
            form,
            services.grant_membership,
            unit,
            actor=request.user,
            user=form.cleaned_data["username"],
            role=form.cleaned_data["role"],
        )
        if granted is not REFUSED:
            messages.success(request, f"Đã phân quyền: {granted}.")
            return redirect("unit_detail", unit_id=unit.pk)
    return form_page(
        request,
        form,
        title=f"Phân quyền tại {unit.name}",
        back=reverse("unit_detail", args=[unit.pk]),
    )


@login_required
def membership_revoke(request: HttpRequest, membership_id: int) -> HttpResponse:
    membership = get_object_or_404(
        Membership.objects.visible_to(request.user).select_related("unit", "user"),
        pk=membership_id,
    )
    access.require(request.user, Cap.MANAGE_MEMBERSHIPS, membership.unit)
    form = forms.ConfirmForm(posted(request))
    if form.is_valid():
        revoked = attempt(form, services.revoke_membership, membership, actor=request.user)
        if revoked is not REFUSED:
            messages.success(request, f"Đã thu hồi quyền: {membership}.")
            return redirect("unit_detail", unit_id=membership.unit_id)
    return form_page(
        request,
        form,
        title="Thu hồi quyền",
        back=reverse("unit_detail", args=[membership.unit_id]),
        intro=f"Thu hồi vai trò “{membership.get_role_display()}” của "
        f"{membership.user.get_full_name()} tại {membership.unit.name}?",
        submit="Thu hồi",
        danger=True,
    )
