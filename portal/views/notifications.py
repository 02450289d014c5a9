"""The notification centre: the bell, the list, marking as read, and digest settings."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from portal import notifications
from portal.errors import RuleViolation
from portal.forms import NotificationPreferenceForm
from portal.models import Notification


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    visible = Notification.objects.visible_to(request.user)
    page = Paginator(visible, 20).get_page(request.GET.get("page"))
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
        try:
            notifications.update_notification_preferences(
                request.user, actor=request.user, **form.cleaned_data
            )
        except RuleViolation as error:
            messages.error(request, error.message)
        else:
            messages.success(request, "Đã lưu cài đặt thông báo.")
            return redirect("notification_preferences")
    return render(request, "portal/notifications/preferences.html", {"form": form})
