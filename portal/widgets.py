"""Two things every form field of the portal gets, admin's included, installed at start-up.

- A select's blank option reads "— Chọn —" instead of Django's "---------". Django writes the
  dashes in default arguments (model fields' `get_choices`, `ModelChoiceField.empty_label`),
  bound when its modules load, so no setting reaches them; the select widget is where every
  form's options pass.
- A field's widget carries its label as `aria-label` unless the template gave it one. Many pages
  show a field bare (`{{ form.status }}` in a filter bar, a row of a table) and its <label> was
  never written: screen readers then announced "combo box" and nothing else. Where a <label>
  exists it names the same words, so nothing is said twice.
"""

from __future__ import annotations

from django.forms import BoundField
from django.forms.widgets import ChoiceWidget

BLANK_LABEL = "— Chọn —"


def install() -> None:
    if getattr(ChoiceWidget.create_option, "portal_installed", False):
        return
    create_option = ChoiceWidget.create_option
    build_widget_attrs = BoundField.build_widget_attrs

    def with_vietnamese_blank(self, name, value, label, *args, **kwargs):
        if label == "---------" and value in ("", None):
            label = BLANK_LABEL
        return create_option(self, name, value, label, *args, **kwargs)

    def with_accessible_name(self, attrs, widget=None):
        attrs = build_widget_attrs(self, attrs, widget)
        widget = widget or self.field.widget
        named = {"aria-label", "aria-labelledby"} & (set(attrs) | set(widget.attrs))
        if self.label and not widget.is_hidden and not named:
            attrs["aria-label"] = str(self.label)
        return attrs

    with_vietnamese_blank.portal_installed = True
    ChoiceWidget.create_option = with_vietnamese_blank
    BoundField.build_widget_attrs = with_accessible_name
