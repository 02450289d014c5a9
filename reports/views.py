"""Pages of the periodic reports: lists (a unit's, with its subtree), a report, its files, the
"Tạo lại báo cáo" button and the unit's cadence. Scoped like every page: 404 outside."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from portal import access
from portal.access import Cap
from portal.background import jobs
from portal.files import file_response
from portal.service_calls import REFUSED, attempt, attempt_and_tell
from portal.views.common import form_page, page_of, posted, visible_unit
from reports import services
from reports.forms import ScheduleForm
from reports.models import PeriodicReport, kinds_of
from reports.periods import PeriodKind


def _reports(request: HttpRequest):
    return PeriodicReport.objects.visible_to(request.user).select_related("unit")


def _filtered(request: HttpRequest, reports):
    kind = request.GET.get("ky", "")
    if kind in PeriodKind.values:
        reports = reports.filter(kind=kind)
    return reports, kind


@login_required
def report_list(request: HttpRequest) -> HttpResponse:
    reports, kind = _filtered(request, _reports(request))
    return render(
        request,
        "reports/list.html",
        {"page": page_of(request, reports), "kind": kind, "kinds": PeriodKind.choices},
    )


@login_required
def unit_reports(request: HttpRequest, unit_id: int) -> HttpResponse:
    unit = visible_unit(request, unit_id)
    subtree = request.GET.get("truc-thuoc") == "1"
    reports = _reports(request)
    reports = (
        reports.filter(unit__path__startswith=unit.path) if subtree else reports.filter(unit=unit)
    )
    reports, kind = _filtered(request, reports)
    return render(
        request,
        "reports/list.html",
        {
            "unit": unit,
            "subtree": subtree,
            "page": page_of(request, reports),
            "kind": kind,
            "kinds": PeriodKind.choices,
            "cadence": [PeriodKind(k).label for k in kinds_of(unit)],
            "may_configure": access.can(request.user, Cap.CONFIGURE_REPORTS, unit),
        },
    )


def _visible_report(request: HttpRequest, report_id: int) -> PeriodicReport:
    return get_object_or_404(_reports(request), pk=report_id)


@login_required
def report_detail(request: HttpRequest, report_id: int) -> HttpResponse:
    report = _visible_report(request, report_id)
    return render(
        request,
        "reports/detail.html",
        {
            "report": report,
            "may_regenerate": access.can(request.user, Cap.GENERATE_REPORTS, report.unit),
        },
    )


def _download(report: PeriodicReport, field, *, content_type: str) -> HttpResponse:
    if not field:
        raise Http404("Báo cáo chưa có tệp.")
    extension = field.name.rsplit(".", 1)[-1]
    return file_response(field, filename=report.download_name(extension), content_type=content_type)


@login_required
def report_pdf(request: HttpRequest, report_id: int) -> HttpResponse:
    report = _visible_report(request, report_id)
    return _download(report, report.pdf, content_type="application/pdf")


@login_required
def report_xlsx(request: HttpRequest, report_id: int) -> HttpResponse:
    report = _visible_report(request, report_id)
    return _download(
        report,
        report.xlsx,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


@login_required
@require_POST
def report_regenerate(request: HttpRequest, report_id: int) -> HttpResponse:
    report = _visible_report(request, report_id)
    job = attempt_and_tell(request, services.start_regeneration, report, actor=request.user)
    if job is REFUSED:
        return redirect("reports:detail", report_id=report.pk)
    job.refresh_from_db()
    if jobs.waiting_for_queue(job):
        messages.warning(request, jobs.QUEUE_DOWN)
    return redirect("job_detail", job_id=job.pk)


@login_required
def unit_schedule(request: HttpRequest, unit_id: int) -> HttpResponse:
    unit = visible_unit(request, unit_id)
    access.require(request.user, Cap.CONFIGURE_REPORTS, unit)
    form = ScheduleForm(posted(request), initial={"kinds": list(kinds_of(unit))})
    if form.is_valid():
        saved = attempt(
            form,
            services.set_report_schedule,
            unit,
            actor=request.user,
            kinds=form.cleaned_data["kinds"],
        )
        if saved is not REFUSED:
            messages.success(request, "Đã lưu lịch báo cáo định kỳ.")
            return redirect("reports:unit_list", unit_id=unit.pk)
    return form_page(
        request,
        form,
        title=f"Lịch báo cáo định kỳ của {unit.name}",
        back=reverse("reports:unit_list", args=[unit.pk]),
        intro="Báo cáo được lập tự động sau 0 giờ ngày đầu kỳ mới, gửi lãnh đạo đơn vị và "
        "cơ quan Nội vụ cấp trên.",
    )
