"""Pages of the background machinery: the notification centre (the bell, the list, marking
as read, digest settings) and background jobs (the list, the progress bar polled by htmx,
result and retry)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from portal import access
from portal.access import Cap
from portal.background import jobs, notifications
from portal.background.forms import ExportUnitsForm, NotificationPreferenceForm
from portal.files import file_response
from portal.models import Job, JobStatus, Notification, Unit
from portal.paging import page_of
from portal.service_calls import REFUSED, attempt_and_tell

# The notification centre


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    visible = Notification.objects.visible_to(request.user)
    page = page_of(request, visible)
    return render(
        request,
        "portal/notifications/list.html",
        {"page": page, "unread": visible.unread().count()},
    )


@login_required
def notification_bell(request: HttpRequest) -> HttpResponse:
    unread = Notification.objects.visible_to(request.user).unread().count()
    return render(request, "portal/notifications/_bell.html", {"unread": unread})


@login_required
@require_POST
def notification_read(request: HttpRequest, notification_id: int) -> HttpResponse:
    notification = get_object_or_404(
        Notification.objects.visible_to(request.user), pk=notification_id
    )
    notifications.mark_notification_read(notification, actor=request.user)
    target = notification.url
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("notification_list")


@login_required
@require_POST
def notification_read_all(request: HttpRequest) -> HttpResponse:
    count = notifications.mark_all_notifications_read(request.user, actor=request.user)
    messages.success(request, f"Đã đánh dấu {count} thông báo là đã đọc.")
    return redirect("notification_list")


@login_required
def notification_preferences(request: HttpRequest) -> HttpResponse:
    current = notifications.preferences_of(request.user)
    form = NotificationPreferenceForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        saved = attempt_and_tell(
            request,
            notifications.update_notification_preferences,
            request.user,
            actor=request.user,
            done="Đã lưu cài đặt thông báo.",
            **form.cleaned_data,
        )
        if saved is not REFUSED:
            return redirect("notification_preferences")
    return render(request, "portal/notifications/preferences.html", {"form": form})


# Background jobs


def _units_for_export(user):
    """The units at the root of the user's grants (every province for an administrator)."""
    if access.sees_everything(user):
        return Unit.objects.filter(depth=1)
    return Unit.objects.filter(pk__in=[unit.pk for unit in access.units_where(user, Cap.VIEW)])


@login_required
def job_list(request: HttpRequest) -> HttpResponse:
    page = page_of(
        request, Job.objects.visible_to(request.user).select_related("unit", "created_by")
    )
    form = ExportUnitsForm(units=_units_for_export(request.user))
    return render(
        request,
        "portal/jobs/list.html",
        {"page": page, "jobs": [(job, jobs.label_of(job)) for job in page], "form": form},
    )


@login_required
@require_POST
def job_export_units(request: HttpRequest) -> HttpResponse:
    form = ExportUnitsForm(request.POST, units=_units_for_export(request.user))
    if not form.is_valid():
        messages.error(request, "Hãy chọn một đơn vị trong phạm vi của bạn.")
        return redirect("job_list")
    job = attempt_and_tell(
        request,
        jobs.start_job,
        form.cleaned_data["unit"],
        actor=request.user,
        kind=jobs.EXPORT_UNITS_KIND,
    )
    if job is REFUSED:
        return redirect("job_list")
    job.refresh_from_db()
    if jobs.waiting_for_queue(job):
        messages.warning(request, jobs.QUEUE_DOWN)
    return redirect("job_detail", job_id=job.pk)


def _context(request: HttpRequest, job: Job) -> dict:
    return {
        "job": job,
        "label": jobs.label_of(job),
        "waiting_for_queue": jobs.waiting_for_queue(job),
        "queue_down": jobs.QUEUE_DOWN,
        "may_retry": job.status == JobStatus.FAILED
        and (job.created_by_id == request.user.pk or access.sees_everything(request.user)),
    }


@login_required
def job_detail(request: HttpRequest, job_id: int) -> HttpResponse:
    job = get_object_or_404(Job.objects.visible_to(request.user).select_related("unit"), pk=job_id)
    return render(request, "portal/jobs/detail.html", _context(request, job))


@login_required
def job_progress(request: HttpRequest, job_id: int) -> HttpResponse:
    job = get_object_or_404(Job.objects.visible_to(request.user).select_related("unit"), pk=job_id)
    return render(request, "portal/jobs/_progress.html", _context(request, job))


@login_required
def job_result(request: HttpRequest, job_id: int) -> HttpResponse:
    job = get_object_or_404(Job.objects.visible_to(request.user), pk=job_id)
    # A failed job may keep a file explaining the failure (e.g. an import's rows with errors).
    if not job.is_finished or not job.result_file:
        messages.info(request, "Công việc chưa có tệp kết quả.")
        return redirect("job_detail", job_id=job.pk)
    # Storage keeps the job's name with its spaces as underscores ("Danh_sách_đơn_vị…"); each
    # job has a folder of its own, so the name is never suffixed against a collision.
    stored = job.result_file.name.rsplit("/", 1)[-1]
    return file_response(job.result_file, filename=stored.replace("_", " "))


@login_required
@require_POST
def job_retry(request: HttpRequest, job_id: int) -> HttpResponse:
    job = get_object_or_404(Job.objects.visible_to(request.user), pk=job_id)
    retried = attempt_and_tell(request, jobs.retry_job, job, actor=request.user)
    if retried is REFUSED:
        return redirect("job_detail", job_id=job.pk)
    job = retried
    job.refresh_from_db()
    if jobs.waiting_for_queue(job):
        messages.warning(request, jobs.QUEUE_DOWN)
    else:
        messages.success(request, "Đã đưa công việc vào hàng đợi để chạy lại.")
    return redirect("job_detail", job_id=job.pk)
