"""The statistics page and its Excel export, within what the user may see."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from awards import statistics
from awards.forms.statistics import StatisticsForm
from portal.downloads import attach
from portal.models import Unit
from portal.paging import page_of


def _statistics(request: HttpRequest) -> tuple[StatisticsForm, statistics.Report]:
    form = StatisticsForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    unit = None
    if data.get("unit"):
        unit = get_object_or_404(Unit.objects.visible_to(request.user), pk=data["unit"])
    return form, statistics.compute(request.user, year=data.get("year"), unit=unit)


@login_required
def statistics_page(request: HttpRequest) -> HttpResponse:
    form, report = _statistics(request)
    # A province has ~160 districts: the chart and its table show 50 a page (most awarded
    # first, bars on the scale of the largest of all); the Excel export keeps every row.
    units = page_of(request, report.units_with_awards)
    return render(
        request,
        "awards/nominations/statistics.html",
        {"form": form, "report": report, "units": units},
    )


@login_required
def statistics_export(request: HttpRequest) -> HttpResponse:
    content = statistics.workbook(_statistics(request)[1])
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    attach(response, "Thống kê khen thưởng.xlsx")
    return response
