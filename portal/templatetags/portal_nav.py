"""The chrome of every page: the main menu (portal/navigation.py decides what it holds), the
breadcrumbs, and the parts that depend on nothing but the code."""

from django import template
from django.core.signals import setting_changed
from django.template.loader import get_template
from django.urls import get_script_prefix, get_urlconf
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe

from portal import navigation

register = template.Library()


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


# The navigation bar is the same for every user but for three holes: the menu, the name and
# the logout form's CSRF field. It is drawn once per process with markers in the holes and cut
# there; a page then only joins the pieces (its three addresses, the bell and the template's
# nodes cost a third of a millisecond a page, more than the rest of the base template).
_HOLES = ("menu", "full_name", "csrf_input")
_MARK = "\x00hole\x00"
_NAVBAR: dict[tuple, tuple[str, ...]] = {}


def _navbar_pieces(signed_in: bool) -> tuple[str, ...]:
    key = (signed_in, get_script_prefix(), get_urlconf())
    pieces = _NAVBAR.get(key)
    if pieces is None:
        marks = {hole: mark_safe(_MARK) for hole in _HOLES}
        html = get_template("portal/_navbar.html").render({"signed_in": signed_in, **marks})
        pieces = _NAVBAR[key] = tuple(html.split(_MARK))
        if len(pieces) != (len(_HOLES) + 1 if signed_in else 1):
            raise RuntimeError("portal/_navbar.html must show each of its holes exactly once")
    return pieces


@register.simple_tag(takes_context=True)
def navbar(context) -> SafeString:
    """The navigation bar (portal/_navbar.html): the brand alone for a visitor; for a user, their
    menu (navigation.menu_for), their name and the logout form."""
    request = context.get("request")
    user = context.get("user")
    if request is None or user is None or not user.is_authenticated:
        return SafeString(_navbar_pieces(False)[0])
    head, *rest = _navbar_pieces(True)
    token = context.get("csrf_token")
    filled = (
        navigation.drawn(navigation.menu_for(request)),
        conditional_escape(user.get_full_name()),
        # What {% csrf_token %} draws.
        format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', token)
        if token and token != "NOTPROVIDED"
        else "",
    )
    joined = "".join(hole + piece for hole, piece in zip(filled, rest, strict=True))
    return SafeString(head + joined)


def _forget(**kwargs) -> None:
    # A test that overrides a setting (the URLs, the static files' address) gets fresh parts.
    _CONSTANT.clear()
    _NAVBAR.clear()


setting_changed.connect(_forget)
