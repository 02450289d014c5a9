"""The portal's URLs plus the anchor views that benchmarks compare pages against.

Served only under tests.bench.settings. The anchors are what a plain hand-written view of the
same rows costs: COUNT plus one page query (`select_related`, `only()`), a minimal template
that does not extend the portal's base; `agg2` is the best plain two-query aggregate.
"""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import include, path
from django.utils import timezone

from awards.models import Nomination
from campaigns.models import Campaign
from pledges.models import RegistrationTask
from portal.models import Unit
from portal.models.units import PATH_STEP


def bare(request):
    return HttpResponse("ok")


def plain_list(request):
    """The former in-process anchor: 50 of the rows, a template extending the base."""
    units = Unit.objects.select_related("parent").order_by("path")
    page = Paginator(units, 50).get_page(request.GET.get("page"))
    return render(request, "bench/plain_list.html", {"page": page})


@login_required
def unit_anchor(request):
    units = (
        Unit.objects.visible_to(request.user)
        .select_related("parent")
        .only("name", "kind", "path", "parent__name")
        .order_by("path")
    )
    page = Paginator(units, 50).get_page(request.GET.get("page"))
    return render(request, "bench/anchor_units.html", {"page": page})


@login_required
def chrome_units(request):
    """The unit anchor's rows through a template that extends the portal's base, as every page
    does: what it costs beyond the anchor is the chrome every page shares."""
    units = (
        Unit.objects.visible_to(request.user)
        .select_related("parent")
        .only("name", "kind", "path", "parent__name")
        .order_by("path")
    )
    page = Paginator(units, 50).get_page(request.GET.get("page"))
    return render(request, "bench/chrome_units.html", {"page": page})


@login_required
def dossier_anchor(request):
    dossiers = (
        Nomination.objects.visible_to(request.user)
        .select_related("title", "person", "proposing_unit")
        .only("status", "due_on", "title__name", "person__full_name", "proposing_unit__name")
        .order_by("due_on", "pk")
    )
    page = Paginator(dossiers, 50).get_page(request.GET.get("page"))
    return render(request, "bench/anchor_dossiers.html", {"page": page})


@login_required
def agg2(request, campaign_id: int):
    """Tasks pre-aggregated per registration's unit (1 query), joined to the branches (1)."""
    campaign = get_object_or_404(Campaign, pk=campaign_id)
    root = campaign.issuer
    today = timezone.localdate()
    per_unit = (
        RegistrationTask.objects.filter(registration__campaign=campaign)
        .values("registration__unit__path")
        .annotate(
            tasks=Count("pk"),
            done=Count("pk", filter=Q(latest_percent__gte=100)),
            overdue=Count("pk", filter=Q(due_on__lt=today, latest_percent__lt=100)),
        )
    )
    branches = {
        unit.path: {"unit": unit, "tasks": 0, "done": 0, "overdue": 0}
        for unit in Unit.objects.filter(parent=root).only("name", "path").order_by("path")
    }
    width = len(root.path) + PATH_STEP
    for row in per_unit:
        branch = branches.get(row["registration__unit__path"][:width])
        if branch is not None:
            for name in ("tasks", "done", "overdue"):
                branch[name] += row[name]
    return render(request, "bench/anchor_agg2.html", {"branches": branches.values()})


urlpatterns = [
    path("bench/bare/", bare),
    path("bench/plain-list/", plain_list),
    path("bench/units/", unit_anchor),
    path("bench/chrome-units/", chrome_units),
    path("bench/dossiers/", dossier_anchor),
    path("bench/agg2/<int:campaign_id>/", agg2),
    path("", include("portal.urls")),
]
