"""One pager for every list: the `trang` query parameter, `settings.LIST_PAGE_SIZE` rows a page.

Every paged list is shown by the one include `portal/_pagination.html`, whose links keep the
page's other query parameters (search, filters, the place in a second list).
"""

from __future__ import annotations

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.functional import cached_property

PAGE_PARAM = "trang"
# A search that matches more rows than this says "more than": its COUNT stops there.
COUNT_CAP = 1000
# A page number past any list (a larger one would overflow the count's LIMIT): the last page.
MAX_PAGE = 100_000
# Below this many rows the joined sort is cheap and the extra ids query would cost more.
ID_FIRST_FROM = 500


class IdFirstPaginator(Paginator):
    """Cuts the page on the ids before joining. The page's ids come from the list's own
    filter and order without its `select_related` joins; then only those rows are fetched with
    the joins (EXPLAIN on 20,000 dossiers: 705 ms joined and sorted, 61 ms for the ids)."""

    def page(self, number) -> Page:
        items = self.object_list
        joins = (
            isinstance(items, QuerySet)
            and not items.query.combinator  # a union cannot be filtered on its ids
            and (items.query.select_related or items._prefetch_related_lookups)
        )
        if not joins or self.count < ID_FIRST_FROM:
            return super().page(number)
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = min(bottom + self.per_page, self.count)
        if top + self.orphans >= self.count:
            top = self.count
        narrow = items.select_related(None).prefetch_related(None)
        ids = list(narrow.values_list("pk", flat=True)[bottom:top])
        rows = {row.pk: row for row in items.filter(pk__in=ids)}
        return self._get_page([rows[pk] for pk in ids if pk in rows], number, self)


class CappedPaginator(IdFirstPaginator):
    """Counts the matches up to `COUNT_CAP` rows, or to the page after the requested one, not
    all of them: a search that matches nearly every unit (2,000, or 20,000 at 10×) counted
    them all on every page. Past the cap the pager offers the next page but no last one, and
    `capped` tells the page to say "more than `limit`"."""

    def __init__(self, object_list, per_page: int, *, wanted: str | None) -> None:
        super().__init__(object_list, per_page)
        try:
            number = min(max(1, int(wanted or 1)), MAX_PAGE)
        except ValueError:
            number = 1
        # The requested page and the next are always inside the count.
        self.limit = max(COUNT_CAP, (number + 1) * per_page)
        self.capped = False

    @cached_property
    def count(self) -> int:
        found = self.object_list.order_by()[: self.limit + 1].count()
        self.capped = found > self.limit
        return found


def page_of_positions(request: HttpRequest, total: int, *, param: str = PAGE_PARAM) -> Page:
    """The requested page over `total` rows a caller reads itself (hand-written SQL): numbered
    like `page_of` (the last page for a number past the end), its `object_list` the range of
    row positions it holds, for the caller's OFFSET and LIMIT."""
    return Paginator(range(total), settings.LIST_PAGE_SIZE).get_page(request.GET.get(param))


def page_of(
    request: HttpRequest,
    items,
    *,
    param: str = PAGE_PARAM,
    count: int | None = None,
    capped: bool = False,
    few: bool = False,
) -> Page:
    """The requested page of `items` (the last one for a number past the end, the first for
    anything else). A page with a second list gives it its own parameter (`trang-co-quan`).
    `count`, when the caller already knows it, saves the paginator its COUNT query; `capped`
    counts no further than `CappedPaginator` does. `few`, for a list that mostly fits on one
    page (the campaigns a user sees): the first page reads its rows and one more, and counts
    only when that one is there."""
    wanted = request.GET.get(param)
    if few and wanted is None and count is None:
        return _first_page(items, settings.LIST_PAGE_SIZE)
    if capped:
        paginator = CappedPaginator(items, settings.LIST_PAGE_SIZE, wanted=wanted)
    else:
        paginator = IdFirstPaginator(items, settings.LIST_PAGE_SIZE)
    if count is not None:
        paginator.count = count  # a cached_property
    return paginator.get_page(wanted)


def _first_page(items: QuerySet, size: int) -> Page:
    # The COUNT of a list shorter than a page is the length of the page: building and planning
    # the COUNT of the campaign list (its scope's EXISTS over the targets) cost as much as its
    # rows (#16). A longer list is counted as before, and its first page kept from this read.
    rows = list(items[: size + 1])
    paginator = Paginator(rows, size) if len(rows) <= size else Paginator(items, size)
    return paginator._get_page(rows[:size], 1, paginator)
