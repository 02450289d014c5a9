"""The portal's URLs plus the anchor views that benchmarks compare pages against."""

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import include, path

from portal.models import Unit


def bare(request):
    return HttpResponse("ok")


def plain_list(request):
    """The anchor list: 50 of the rows, select_related, a template extending the base."""
    units = Unit.objects.select_related("parent").order_by("path")
    page = Paginator(units, 50).get_page(request.GET.get("page"))
    return render(request, "bench/plain_list.html", {"page": page})


urlpatterns = [
    path("bench/bare/", bare),
    path("bench/plain-list/", plain_list),
    path("", include("portal.urls")),
]
