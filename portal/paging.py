"""One pager for every list: the `trang` query parameter, `settings.LIST_PAGE_SIZE` rows a page.

Every paged list is shown by the one include `portal/_pagination.html`, whose links keep the
page's other query parameters (search, filters, the place in a second list).
"""

from __future__ import annotations

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.http import HttpRequest

PAGE_PARAM = "trang"


def page_of(
    request: HttpRequest, items, *, param: str = PAGE_PARAM, count: int | None = None
) -> Page:
    """The requested page of `items` (the last one for a number past the end, the first for
    anything else). A page with a second list gives it its own parameter (`trang-co-quan`).
    `count`, when the caller already knows it, saves the paginator its COUNT query."""
    paginator = Paginator(items, settings.LIST_PAGE_SIZE)
    if count is not None:
        paginator.count = count  # a cached_property
    return paginator.get_page(request.GET.get(param))
