"""Pages of the organisation tree: browse and search units, and manage what officials may manage.

Every page starts from `visible_to(user)`: outside the user's scope the answer is 404; inside
it, a page that needs a capability answers 403 without it. Writes go through portal.services.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_POST, require_safe

from portal import access, forms, services
from portal.access import Cap
from portal.errors import RuleViolation
from portal.history import history_entries
from portal.models import (
    ADMINISTRATIVE_KINDS,
    AGENCY_KINDS,
    COMMUNE_KINDS,
    SETTLEMENT_KINDS,
    Bloc,
    BlocMember,
    Membership,
    Person,
    Unit,
)
from portal.models.units import valid_on_q

PAGE_SIZE = 25
PEOPLE_PREVIEW = 20
HISTORY_PREVIEW = 10
REFUSED = object()


def attempt(form, service, *args, **kwargs):
    """Call one service; a refused business rule becomes a form error and the input stays."""
    try:
        return service(*args, **kwargs)
    except RuleViolation as error:
        form.add_error(None, error.message)
        return REFUSED


def posted(request: HttpRequest):
    """The POST data to bind a form to, even when empty (a confirmation has no fields)."""
    return request.POST if request.method == "POST" else None


def form_page(request: HttpRequest, form, *, title: str, back: str, **extra) -> HttpResponse:
    context = {"form": form, "title": title, "back": back, "submit": "Lưu", **extra}
    return render(request, "portal/form_page.html", context)


def visible_unit(request: HttpRequest, unit_id: int) -> Unit:
    return get_object_or_404(
        Unit.objects.visible_to(request.user).select_related("parent"), pk=unit_id
    )


def unit_permissions(user, unit: Unit) -> dict[str, bool]:
    """What the page may offer on `unit`; the services check the same rules again."""
    may_edit = access.can_manage_unit_record(user, unit)
    return {
        "add_units": unit.is_current and access.can(user, Cap.MANAGE_AGENCIES, unit),
        "edit": may_edit,
        "close": may_edit and unit.valid_to is None,
        "blocs": unit.is_current and access.can(user, Cap.MANAGE_BLOCS, unit),
        "people": access.can(user, Cap.MANAGE_PEOPLE, unit),
        "memberships": access.can(user, Cap.MANAGE_MEMBERSHIPS, unit),
        "history": access.can(user, Cap.VIEW_HISTORY, unit),
    }


def require_unit_record(user, unit: Unit) -> None:
    if not access.can_manage_unit_record(user, unit):
        raise PermissionDenied("Bạn không có quyền sửa hoặc giải thể đơn vị này.")


def with_child_counts(units: QuerySet, include_closed: bool) -> QuerySet:
    """Units with how many (open) children each has: administrative units first, then villages,
    then agencies, each in tree order (for loaded units, the order of the national list)."""
    if not include_closed:
        units = units.filter(valid_on_q(timezone.localdate()))
    counted = Q() if include_closed else valid_on_q(timezone.localdate(), "children__")
    return units.annotate(
        child_count=Count("children", filter=counted, distinct=True),
        group=Case(
            When(kind__in=ADMINISTRATIVE_KINDS, then=Value(0)),
            When(kind__in=SETTLEMENT_KINDS, then=Value(1)),
            default=Value(2),
            output_field=IntegerField(),
        ),
    ).order_by("group", "path")


def page_of(request: HttpRequest, items, size: int = PAGE_SIZE):
    return Paginator(items, size).get_page(request.GET.get("trang"))


@login_required
@require_safe
def home(request: HttpRequest) -> HttpResponse:
    roles = [
        {"membership": m, "can": unit_permissions(request.user, m.unit)}
        for m in access.memberships_of(request.user)
    ]
    return render(request, "portal/home.html", {"roles": roles})


@login_required
@require_safe
def unit_browser(request: HttpRequest) -> HttpResponse:
    """The tree from the user's own units down, or the search results when a query is given."""
    search = forms.UnitSearchForm(request.GET)
    search.is_valid()
    query = search.cleaned_data.get("q", "")
    include_closed = search.cleaned_data.get("cu", False)
    visible = Unit.objects.visible_to(request.user)
    context = {"search": search, "query": query, "include_closed": include_closed}
    if query:
        found = visible.search(query).select_related("parent").order_by("name", "path")
        if not include_closed:
            found = found.filter(valid_on_q(timezone.localdate()))
        context["page"] = page_of(request, found)
    else:
        # A user's roots: visible units whose parent they cannot see.
        context["roots"] = with_child_counts(visible.exclude(parent__in=visible), include_closed)
    # A history restore asks for the whole page even though htmx sends it.
    partial = request.htmx and not request.htmx.history_restore_request
    template = "portal/_unit_results.html" if partial else "portal/unit_browser.html"
    response = render(request, template, context)
    patch_vary_headers(response, ("HX-Request",))
    return response


@login_required
@require_safe
def unit_children(request: HttpRequest, unit_id: int) -> HttpResponse:
    unit = visible_unit(request, unit_id)
    include_closed = request.GET.get("cu") == "on"
    children = with_child_counts(unit.children.all(), include_closed)
    context = {"nodes": children, "include_closed": include_closed}
    return render(request, "portal/_unit_tree.html", context)


@login_required
@require_safe
def unit_detail(request: HttpRequest, unit_id: int) -> HttpResponse:
    unit = visible_unit(request, unit_id)
    can = unit_permissions(request.user, unit)
    children = list(with_child_counts(unit.children.all(), include_closed=True))
    lineage = Unit.merged_from.through.objects.filter(
        Q(from_unit=unit) | Q(to_unit=unit)
    ).select_related("from_unit", "to_unit")
    people = list(unit.people.order_by("full_name")[: PEOPLE_PREVIEW + 1])
    context = {
        "unit": unit,
        "can": can,
        "ancestors": [(a, access.can(request.user, Cap.VIEW, a)) for a in unit.ancestors()],
        "administrative_children": [c for c in children if not c.is_agency],
        # Communes have no administrative units below them, only their villages.
        "is_commune": unit.kind in COMMUNE_KINDS,
        "agency_children": [c for c in children if c.is_agency],
        "merged_from": [row.to_unit for row in lineage if row.from_unit_id == unit.pk],
        "merged_into": [row.from_unit for row in lineage if row.to_unit_id == unit.pk],
        "organised_blocs": unit.blocs.annotate(
            member_count=Count("members", filter=Q(members__left_on__isnull=True))
        ),
        # Blocs the unit sits in are visible to whoever sees the unit (Bloc.visible_to).
        "seats": unit.bloc_seats.select_related("bloc__organiser").order_by("bloc__name"),
        "memberships": unit.memberships.select_related("user").order_by("role", "user__full_name"),
        "people": people[:PEOPLE_PREVIEW],
        "more_people": len(people) > PEOPLE_PREVIEW,
        "history": history_entries(unit.history.all(), 0, HISTORY_PREVIEW)
        if can["history"]
        else None,
    }
    return render(request, "portal/unit_detail.html", context)


@login_required
@require_safe
def unit_history(request: HttpRequest, unit_id: int) -> HttpResponse:
    unit = visible_unit(request, unit_id)
    access.require(request.user, Cap.VIEW_HISTORY, unit)
    return _history_page(request, unit, title=f"Lịch sử thay đổi – {unit.name}")


def _history_page(request: HttpRequest, record, *, title: str) -> HttpResponse:
    page = page_of(request, record.history.all())
    entries = (
        history_entries(record.history.all(), page.start_index() - 1, page.end_index())
        if page.paginator.count
        else []
    )
    context = {"record": record, "page": page, "entries": entries, "title": title}
    return render(request, "portal/history_page.html", context)


@login_required
@require_safe
def unit_people(request: HttpRequest, unit_id: int) -> HttpResponse:
    unit = visible_unit(request, unit_id)
    search = forms.UnitSearchForm(request.GET)
    search.is_valid()
    query = search.cleaned_data.get("q", "")
    people = unit.people.search(query).order_by("full_name")
    context = {
        "unit": unit,
        "query": query,
        "page": page_of(request, people, 50),
        "can": unit_permissions(request.user, unit),
    }
    return render(request, "portal/unit_people.html", context)


@login_required
def unit_create(request: HttpRequest, unit_id: int) -> HttpResponse:
    parent = visible_unit(request, unit_id)
    access.require(request.user, Cap.MANAGE_AGENCIES, parent)
    form = forms.UnitForm(posted(request), parent=parent)
    if form.is_valid():
        fields = dict(form.cleaned_data)
        unit = attempt(
            form,
            services.create_unit,
            parent,
            actor=request.user,
            kind=fields.pop("kind"),
            name=fields.pop("name"),
            **fields,
        )
        if unit is not REFUSED:
            messages.success(request, f"Đã thêm “{unit.name}”.")
            return redirect("unit_detail", unit_id=unit.pk)
    return form_page(
        request,
        form,
        title=(
            f"Thêm cơ quan, thôn, tổ dân phố thuộc {parent.name}"
            if parent.kind in COMMUNE_KINDS
            else f"Thêm cơ quan, tổ chức thuộc {parent.name}"
        ),
        back=reverse("unit_detail", args=[parent.pk]),
    )


@login_required
def unit_update(request: HttpRequest, unit_id: int) -> HttpResponse:
    unit = visible_unit(request, unit_id)
    require_unit_record(request.user, unit)
    initial = {name: getattr(unit, name) for name in services.UNIT_FIELDS}
    form = forms.UnitForm(posted(request), initial=initial, unit=unit)
    if form.is_valid():
        saved = attempt(form, services.update_unit, unit, actor=request.user, **form.cleaned_data)
        if saved is not REFUSED:
            messages.success(request, "Đã lưu thông tin đơn vị.")
            return redirect("unit_detail", unit_id=unit.pk)
    return form_page(
        request,
        form,
        title=f"Sửa thông tin {unit.name}",
        back=reverse("unit_detail", args=[unit.pk]),
    )


@login_required
def unit_close(request: HttpRequest, unit_id: int) -> HttpResponse:
    unit = visible_unit(request, unit_id)
    require_unit_record(request.user, unit)
    form = forms.UnitCloseForm(posted(request))
    if form.is_valid():
        closed = attempt(
            form,
            services.close_unit,
            unit,
            actor=request.user,
            closed_on=form.cleaned_data["closed_on"],
            reason=form.cleaned_data["reason"],
        )
        if closed is not REFUSED:
            messages.success(request, f"Đã ghi nhận giải thể, sáp nhập “{unit.name}”.")
            return redirect("unit_detail", unit_id=unit.pk)
    return form_page(
        request,
        form,
        title=f"Giải thể, sáp nhập {unit.name}",
        back=reverse("unit_detail", args=[unit.pk]),
        intro="Đơn vị không bị xóa: hồ sơ và lịch sử được giữ nguyên, "
        "đơn vị chỉ không còn hiệu lực từ sau ngày này.",
        submit="Xác nhận",
        danger=True,
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
