"""The statistics page's filter."""

from __future__ import annotations

from django import forms

from portal.forms import PortalForm


class StatisticsForm(PortalForm):
    year = forms.IntegerField(
        label="Năm thành tích", required=False, min_value=1945, max_value=2100
    )
    # Chosen by following a unit's link in the per-unit table (drill down).
    unit = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
