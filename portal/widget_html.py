"""Draws the plain widgets of the list pages' forms in Python (#16): campaigns, registrations,
nominations, the Nội vụ queue.

Django draws every widget through its template engine: an `<input>` is three templates, a
`<select>` one more per option. On the list pages that is the biggest piece of each page's own
work (a filter bar of five fields: 3 ms; the registration start form's 50 units: 5 ms, where
the whole plain list of 50 units costs 11 ms). `QuickWidgets` writes the same markup, byte for
byte, for the widget templates below and hands every other template (file inputs, checkbox
lists, error lists, a custom option template) to Django's own renderer.
`tests/campaigns/test_widget_html.py` holds the two outputs equal.
"""

from __future__ import annotations

from django.forms.renderers import DjangoTemplates
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

WIDGETS = "django/forms/widgets/"
INPUTS = frozenset(
    WIDGETS + name
    for name in (
        "input.html",
        "text.html",
        "number.html",
        "email.html",
        "url.html",
        "password.html",
        "hidden.html",
        "search.html",
        "tel.html",
        "date.html",
        "datetime.html",
        "time.html",
        "checkbox.html",
    )
)
SELECT = WIDGETS + "select.html"
OPTION = WIDGETS + "select_option.html"
TEXTAREA = WIDGETS + "textarea.html"


def _text(value) -> str:
    """`{{ value }}`: a number or date as the template would localize it, then escaped."""
    if not isinstance(value, str):
        value = str(localize(value))
    return conditional_escape(value)


def _attrs(attrs: dict) -> str:
    """`attrs.html`: ` name="value"`, a bare name for True, nothing for False."""
    out = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            out.append(f" {conditional_escape(name)}")
        else:
            out.append(f' {conditional_escape(name)}="{conditional_escape(str(value))}"')
    return "".join(out)


def _input(widget: dict) -> str:
    value = widget["value"]
    shown = "" if value is None else f' value="{conditional_escape(str(value))}"'
    return (
        f'<input type="{conditional_escape(widget["type"])}" '
        f'name="{conditional_escape(widget["name"])}"{shown}{_attrs(widget["attrs"])}>'
    )


def _select(widget: dict) -> str | None:
    out = [f'<select name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            out.append(f'\n  <optgroup label="{_text(group_name)}">')
        for option in options:
            if option["template_name"] != OPTION:
                return None
            out.append(
                f'\n  <option value="{conditional_escape(str(option["value"]))}"'
                f"{_attrs(option['attrs'])}>{_text(option['label'])}</option>\n"
            )
        if group_name:
            out.append("\n  </optgroup>")
    out.append("\n</select>")
    return "".join(out)


def _textarea(widget: dict) -> str:
    value = widget["value"]
    return (
        f'<textarea name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>\n'
        f"{_text(value) if value else ''}</textarea>"
    )


class QuickWidgets(DjangoTemplates):
    """Django's renderer, with the plain widgets written directly."""

    def render(self, template_name, context, request=None) -> SafeString | str:
        widget = context.get("widget")
        html = None
        if widget is not None:
            if template_name in INPUTS:
                html = _input(widget)
            elif template_name == SELECT:
                html = _select(widget)
            elif template_name == TEXTAREA:
                html = _textarea(widget)
        if html is None:
            return super().render(template_name, context, request)
        return mark_safe(html)  # every value above went through conditional_escape


RENDERER = QuickWidgets()
