"""Organisation tree pages: the home page, the unit browser and unit pages, agencies."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Exists, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from portal import access, forms, services
from portal.access import Cap
from portal.background.todo import todo_for
from portal.health import checks as health_checks
from portal.history import history_entries
from portal.models import (
    COMMUNE_KINDS,
    BlocMember,
    Unit,
)
from portal.models.units import valid_on_q
from portal.service_calls import REFUSED, attempt
from portal.views.common import (
    BLOCS_PREVIEW,
    HISTORY_PREVIEW,
    PEOPLE_PREVIEW,
    children_pages,
    children_totals,
    form_page,
    history_page,
    page_of,
    posted,
    require_unit_record,
    unit_permissions,
    visible_unit,
    with_child_counts,
)


@login_required
@require_safe
def home(request: HttpRequest) -> HttpResponse:
    roles = [
        {"membership": m, "can": unit_permissions(request.user, m.unit)}
        for m in access.memberships_of(request.user)
    ]
    todo = todo_for(request.user, timezone.localdate())
    return render(request, "portal/home.html", {"roles": roles, "todo": todo})


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
        found = (
            visible.search(query)
            .only("name", "kind", "code", "valid_to")
            .annotate(parent_name=F("parent__name"))
            .order_by("name", "path")
        )
        if not include_closed:
            found = found.filter(valid_on_q(timezone.localdate()))
        # Nearly every unit matches a common word: the count stops at the cap (#16).
        context["page"] = page_of(request, found, capped=True)
    else:
        context["roots"] = with_child_counts(Unit.objects.scope_roots(request.user), include_closed)
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


# Few units were merged: whether this one was comes with the unit (and so do its children's
# totals), and only then the lineage's names are read. Annotated once a process: resolving
# the three subqueries cost as much CPU a request as running the query (#16); each request
# chains its own copy.
UNIT_PAGE_UNITS = Unit.objects.annotate(
    merged=Exists(
        Unit.merged_from.through.objects.filter(
            Q(from_unit=OuterRef("pk")) | Q(to_unit=OuterRef("pk"))
        )
    ),
    **children_totals(),
)


@login_required
@require_safe
def unit_detail(request: HttpRequest, unit_id: int) -> HttpResponse:
    unit = visible_unit(request, unit_id, UNIT_PAGE_UNITS)
    can = unit_permissions(request.user, unit)
    administrative_children, agency_children = children_pages(request, unit)
    lineage = (
        Unit.merged_from.through.objects.filter(Q(from_unit=unit) | Q(to_unit=unit))
        .select_related("from_unit", "to_unit")
        .only("from_unit_id", "to_unit_id", "from_unit__name", "to_unit__name")
        if unit.merged
        else []
    )
    context = {
        "unit": unit,
        "can": can,
        # A root has no ancestors: no query to build for them.
        "ancestors": [(a, access.can(request.user, Cap.VIEW, a)) for a in unit.ancestors()]
        if unit.parent_id
        else [],
        "administrative_children": administrative_children,
        # Communes have no administrative units below them, only their villages.
        "is_commune": unit.kind in COMMUNE_KINDS,
        "agency_children": agency_children,
        "merged_from": [row.to_unit for row in lineage if row.from_unit_id == unit.pk],
        "merged_into": [row.from_unit for row in lineage if row.to_unit_id == unit.pk],
    }
    return render(request, "portal/unit_detail.html", context)


@login_required
@require_safe
def unit_details(request: HttpRequest, unit_id: int) -> HttpResponse:
    """The unit page's secondary sections (blocs, roles, people, history): htmx loads them
    after the page, so the page itself runs only the queries of its unit and child lists (#16);
    without JavaScript, the page's link opens them as a page of their own."""
    unit = visible_unit(request, unit_id)
    can = unit_permissions(request.user, unit)
    people = list(unit.people.order_by("full_name")[: PEOPLE_PREVIEW + 1])
    # A province organises hundreds of blocs: the section shows the first ones and links to the
    # organiser's bloc page; each count is a subquery run for the rows shown only.
    seated = BlocMember.objects.filter(bloc=OuterRef("pk"), left_on__isnull=True)
    blocs = list(
        unit.blocs.order_by("name").annotate(
            member_count=Coalesce(
                Subquery(seated.values("bloc").annotate(n=Count("pk")).values("n")), 0
            )
        )[: BLOCS_PREVIEW + 1]
    )
    context = {
        "unit": unit,
        "can": can,
        "organised_blocs": blocs[:BLOCS_PREVIEW],
        "more_blocs": len(blocs) > BLOCS_PREVIEW,
        # Blocs the unit sits in are visible to whoever sees the unit (Bloc.visible_to).
        "seats": unit.bloc_seats.select_related("bloc__organiser").order_by("bloc__name"),
        "memberships": unit.memberships.select_related("user").order_by("role", "user__full_name"),
        "people": people[:PEOPLE_PREVIEW],
        "more_people": len(people) > PEOPLE_PREVIEW,
        "history": history_entries(unit.history.all(), 0, HISTORY_PREVIEW)
        if can["history"]
        else None,
    }
    # A history restore asks for the whole page even though htmx sends it.
    partial = request.htmx and not request.htmx.history_restore_request
    template = "portal/_unit_details.html" if partial else "portal/unit_details.html"
    response = render(request, template, context)
    patch_vary_headers(response, ("HX-Request",))
    return response


@login_required
@require_safe
def unit_history(request: HttpRequest, unit_id: int) -> HttpResponse:
    unit = visible_unit(request, unit_id)
    access.require(request.user, Cap.VIEW_HISTORY, unit)
    return history_page(request, unit, title=f"Lịch sử thay đổi – {unit.name}")


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
        "page": page_of(request, people),
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


@never_cache
def health(request: HttpRequest) -> HttpResponse:
    """For container health checks: one line per check (database, Redis and beat when Redis is
    configured), and 503 when any of them is down."""
    results = health_checks()
    lines = [f"{check.name}: {'ok' if check.ok else 'LỖI'} ({check.detail})" for check in results]
    status = 200 if all(check.ok for check in results) else 503
    body = ("ok" if status == 200 else "lỗi") + "\n" + "\n".join(lines) + "\n"
    return HttpResponse(body, status=status, content_type="text/plain; charset=utf-8")
