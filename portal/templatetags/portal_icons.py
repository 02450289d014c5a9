"""`{% icon "bell" %}`: an icon of the SVG sprite static/icons.svg (a few hundred bytes, where
the Bootstrap Icons font cost 134 KB for five icons). Decorative: the control carries the name."""

from django import template
from django.templatetags.static import static
from django.utils.html import format_html

register = template.Library()


@register.simple_tag
def icon(name: str) -> str:
    return format_html(
        '<svg class="icon" aria-hidden="true" focusable="false"><use href="{}#{}"></use></svg>',
        static("icons.svg"),
        name,
    )
