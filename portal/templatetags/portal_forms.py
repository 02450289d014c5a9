"""Form tags.

`{{ form.field|row_label:n }}`: a field of a repeated form row, named for screen readers.
A table of formset rows shows each column's label once, in its header; a screen reader
reaching the third row's input hears nothing. The widget gets an aria-label of the field's
label and the row's number ("Nhiệm vụ, dòng 3").

`{% small_form_fields form %}`: the fields of a compact form (the giao ước pages' forms), each
label, widget and errors, as the template loop `pledges/covenant/_form.html` wrote them. That
loop paid the template engine a dozen lookups a field (the score table's criterion form: seven
fields on every view of a draft table, #16); `tests/portal/test_form_tags.py` holds the two
equal. An empty form whose class sets `same_when_empty` (fixed labels and choices, nothing read
from a request, a user or a record) is drawn once per process: the criterion form took 0.7 ms
to draw on every view of a draft score table (#16)."""

from django import template
from django.core.signals import setting_changed
from django.forms import BaseForm, BoundField
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.filter
def row_label(field: BoundField, row: int) -> str:
    return field.as_widget(attrs={"aria-label": f"{field.label}, dòng {row}"})


def _field(field: BoundField) -> str:
    # str(field) is what `{{ field }}` writes: the widget, and its initial value when shown.
    if field.is_hidden:
        return str(field)
    errors = "".join(
        f'<div class="text-danger small">{conditional_escape(e)}</div>' for e in field.errors
    )
    return (
        f'<div class="mb-2"><label class="form-label small mb-0" '
        f'for="{conditional_escape(field.id_for_label)}">{conditional_escape(field.label)}</label>'
        f"{field}{errors}</div>"
    )


# The empty forms drawn so far, by class and what else names their fields' ids.
_EMPTY: dict[tuple, SafeString] = {}


def _drawn(form: BaseForm) -> SafeString:
    return mark_safe("".join(_field(field) for field in form))  # every value escaped above


@register.simple_tag
def small_form_fields(form: BaseForm) -> SafeString:
    if form.is_bound or form.initial or not getattr(form, "same_when_empty", False):
        return _drawn(form)
    key = (type(form), form.prefix, form.auto_id)
    html = _EMPTY.get(key)
    if html is None:
        html = _EMPTY[key] = _drawn(form)
    return html


def _forget(**kwargs) -> None:
    # A test that overrides a setting (the language, number formats) gets freshly drawn forms.
    _EMPTY.clear()


setting_changed.connect(_forget)
