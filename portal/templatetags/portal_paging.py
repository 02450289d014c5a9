"""Pager links that keep the page's other query parameters (search, filters, other lists)."""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def page_query(context, number: int, param: str = "trang") -> str:
    """The current query string with `param` set to `number` (a page may page two lists)."""
    params = context["request"].GET.copy()
    params[param] = number
    return f"?{params.urlencode()}"
