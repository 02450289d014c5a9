from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from portal import access


@login_required
def home(request: HttpRequest) -> HttpResponse:
    memberships = access.memberships_of(request.user)
    return render(request, "portal/home.html", {"memberships": memberships})


@never_cache
def health(request: HttpRequest) -> HttpResponse:
    """Liveness for container health checks: the app answers and the database responds."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")
