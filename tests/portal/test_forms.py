"""Text hygiene of the portal forms: what the user typed is stored stripped and in NFC."""

from __future__ import annotations

import unicodedata

from django import forms
from django.http import QueryDict

from portal.forms import BlocForm, PersonForm, PortalForm, UnitCloseForm, UnitSearchForm
from portal.text import normalize_multiline

DECOMPOSED = unicodedata.normalize("NFD", "Nguyễn Thị Hồng")


class LoginLikeForm(PortalForm):
    name = forms.CharField()
    secret = forms.CharField(widget=forms.PasswordInput, strip=False)


def test_one_line_text_is_stripped_collapsed_and_composed():
    form = PersonForm({"full_name": f"  {DECOMPOSED}   ", "gender": "female", "ethnicity": "Kinh"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["full_name"] == "Nguyễn Thị Hồng"
    assert unicodedata.is_normalized("NFC", form.cleaned_data["full_name"])


def test_blank_text_is_a_missing_value():
    form = BlocForm({"kind": "cluster", "name": " \u00a0 ", "description": ""})
    assert not form.is_valid()
    assert "name" in form.errors


def test_multiline_text_keeps_its_line_breaks():
    form = BlocForm({"kind": "cluster", "name": "Cụm 1", "description": " Dòng  1 \r\n\r\nDòng 2 "})
    assert form.is_valid()
    assert form.cleaned_data["description"] == "Dòng 1\n\nDòng 2"
    assert normalize_multiline(None) == ""


def test_passwords_are_left_exactly_as_typed():
    form = LoginLikeForm({"name": " a ", "secret": " mật khẩu  "})
    assert form.is_valid()
    assert form.cleaned_data["secret"] == " mật khẩu  "


def test_a_redisplayed_form_shows_the_normalised_input():
    data = QueryDict(mutable=True)
    data.update({"full_name": f" {DECOMPOSED} ", "gender": "x"})
    form = PersonForm(data)
    assert not form.is_valid()
    assert form["full_name"].value() == "Nguyễn Thị Hồng"
    assert data["full_name"] == f" {DECOMPOSED} "  # the request's own data is not touched


def test_prefixed_forms_are_normalised_too():
    form = UnitSearchForm({"tim-q": f" {DECOMPOSED} "}, prefix="tim")
    assert form.is_valid()
    assert form.cleaned_data["q"] == "Nguyễn Thị Hồng"


def test_dates_are_read_day_first():
    form = UnitCloseForm({"closed_on": "01/07/2025", "reason": "Sáp nhập"})
    assert form.is_valid()
    assert form.cleaned_data["closed_on"].isoformat() == "2025-07-01"
    assert form.fields["closed_on"].widget.attrs["placeholder"] == "dd/mm/yyyy"


def test_widgets_carry_bootstrap_classes():
    form = PersonForm()
    assert form.fields["full_name"].widget.attrs["class"] == "form-control"
    assert form.fields["gender"].widget.attrs["class"] == "form-select"
    assert form.fields["is_manager"].widget.attrs["class"] == "form-check-input"
