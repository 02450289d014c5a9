"""The main menu for templates (portal/navigation.py decides what it holds)."""

from django import template

from portal import navigation

register = template.Library()


@register.simple_tag(takes_context=True)
def main_menu(context) -> tuple[navigation.Shown, ...]:
    request = context.get("request")
    return navigation.menu_for(request) if request is not None else ()
