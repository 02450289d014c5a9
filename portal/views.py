from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from portal import access


@login_required
def home(request: HttpRequest) -> HttpResponse:
    memberships = access.memberships_of(request.user)
    return render(request, "portal/home.html", {"memberships": memberships})
