"""The statistics page, its breakdown per unit and its Excel export, within what the user may
see."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.cache import patch_vary_headers

from awards import row_html, statistics
from awards.forms.statistics import StatisticsForm
from portal.downloads import attach
from portal.models import Unit
from portal.paging import page_of


def _statistics(request: HttpRequest, **parts: bool) -> tuple[StatisticsForm, statistics.Report]:
    form = StatisticsForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    unit = None
    if data.get("unit"):
        unit = get_object_or_404(Unit.objects.visible_to(request.user), pk=data["unit"])
    report = statistics.compute(request.user, year=data.get("year"), unit=unit, **parts)
    return form, report


@login_required
def statistics_page(request: HttpRequest) -> HttpResponse:
    # The breakdown per unit and the caps (five of the page's queries, and most of its HTML)
    # load after the page through htmx, or by their link without JavaScript (#16).
    form, report = _statistics(request, units=False)
    context = {
        "form": form,
        "report": report,
        "query": request.GET.urlencode(),
        # Its three loops drawn in Python, a third of the page's template time (#16).
        "item_rows": row_html.item_rows(report.by_item),
        "share_bars": row_html.share_bars(report.shares),
        "level_year_rows": row_html.level_year_rows(report.by_level_year),
    }
    return render(request, "awards/nominations/statistics.html", context)


@login_required
def statistics_units(request: HttpRequest) -> HttpResponse:
    """The awards per child unit of the chosen unit, and the caps and quotas used."""
    form, report = _statistics(request, overall=False)
    # A province has ~160 districts: the chart and its table show 50 a page (most awarded
    # first, bars on the scale of the largest of all); the Excel export keeps every row.
    context = {
        "form": form,
        "report": report,
        "units": page_of(request, report.units_with_awards),
        "share_labels": [label for _, label in statistics.SHARE_LABELS],
    }
    # A history restore asks for the whole page even though htmx sends it.
    partial = request.htmx and not request.htmx.history_restore_request
    template = "awards/nominations/_statistics_units.html"
    if not partial:
        template = "awards/nominations/statistics_units.html"
    response = render(request, template, context)
    patch_vary_headers(response, ("HX-Request",))
    return response


@login_required
def statistics_export(request: HttpRequest) -> HttpResponse:
    content = statistics.workbook(_statistics(request)[1])
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    attach(response, "Thống kê khen thưởng.xlsx")
    return response
