"""The chrome of every page: the main menu (portal/navigation.py decides what it holds), the
breadcrumbs, and the parts that depend on nothing but the code."""

from django import template
from django.core.signals import setting_changed
from django.template.loader import get_template
from django.urls import get_script_prefix, get_urlconf
from django.utils.safestring import SafeString

from portal import navigation

register = template.Library()


@register.simple_tag(takes_context=True)
def main_menu(context) -> SafeString:
    """The user's menu as HTML, drawn once per process for each distinct menu."""
    request = context.get("request")
    return navigation.drawn(navigation.menu_for(request) if request is not None else ())


@register.inclusion_tag("portal/_breadcrumbs.html", takes_context=True)
def breadcrumbs(context) -> dict:
    """The trail of a detail page that names none of its own: the home page, then the menu
    section whose address the page's address continues ("/khen-thuong/de-nghi/5/" → "Đề nghị
    khen thưởng"), if the user's menu holds one."""
    request = context.get("request")
    return {"trail": navigation.trail_for(request) if request is not None else ()}


# Partials whose HTML is only addresses of pages and static files, drawn once per process:
# reversing and hashing those addresses again on every page was a fifth of the chrome's time.
_CONSTANT: dict[tuple, SafeString] = {}


@register.simple_tag
def constant_part(name: str) -> SafeString:
    """The HTML of the partial `name`, which must read nothing from a request or a user."""
    key = (name, get_script_prefix(), get_urlconf())
    html = _CONSTANT.get(key)
    if html is None:
        html = _CONSTANT[key] = SafeString(get_template(name).render({}))
    return html


def _forget(**kwargs) -> None:
    # A test that overrides a setting (the URLs, the static files' address) gets fresh parts.
    _CONSTANT.clear()


setting_changed.connect(_forget)
