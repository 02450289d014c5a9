"""The main menu for templates (portal/navigation.py decides what it holds)."""

from django import template

from portal import navigation

register = template.Library()


@register.simple_tag(takes_context=True)
def main_menu(context) -> tuple[navigation.Shown, ...]:
    request = context.get("request")
    return navigation.menu_for(request) if request is not None else ()


@register.inclusion_tag("portal/_breadcrumbs.html", takes_context=True)
def breadcrumbs(context) -> dict:
    """The trail of a detail page that names none of its own: the home page, then the menu
    section whose address the page's address continues ("/khen-thuong/de-nghi/5/" → "Đề nghị
    khen thưởng"), if the user's menu holds one."""
    request = context.get("request")
    return {"trail": navigation.trail_for(request) if request is not None else ()}
