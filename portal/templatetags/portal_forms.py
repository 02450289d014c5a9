"""`{{ form.field|row_label:n }}`: a field of a repeated form row, named for screen readers.

A table of formset rows shows each column's label once, in its header; a screen reader
reaching the third row's input hears nothing. The widget gets an aria-label of the field's
label and the row's number ("Nhiệm vụ, dòng 3")."""

from django import template
from django.forms import BoundField

register = template.Library()


@register.filter
def row_label(field: BoundField, row: int) -> str:
    return field.as_widget(attrs={"aria-label": f"{field.label}, dòng {row}"})
