"""The campaign and registration forms draw their plain widgets in Python
(`portal.widget_html`): the markup must be Django's, byte for byte, whatever the widget's
state (values to escape, numbers, choices chosen, groups, errors)."""

import datetime

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates

from campaigns.forms import CampaignFilterForm, LineField, Styled, TextAreaField, date_field
from pledges.covenants.forms import CriterionForm
from pledges.forms import RegistrationFilterForm, StartUnitSearchForm, UnitChoiceForm
from portal.models import Unit
from portal.widget_html import RENDERER, QuickWidgets

DJANGO = DjangoTemplates()


class EveryWidget(Styled, forms.Form):
    text = LineField(label="Tên <đơn vị>", required=False, max_length=20)
    number = forms.IntegerField(label="Năm", min_value=2000, max_value=2100)
    amount = forms.DecimalField(label="Số tiền", required=False)
    email = forms.EmailField(label="Thư", required=False)
    hidden = forms.CharField(widget=forms.HiddenInput, required=False)
    day = date_field("Ngày", required=False)
    ticked = forms.BooleanField(label="Đồng ý", required=False)
    notes = TextAreaField(label="Ghi chú", required=False)
    kind = forms.ChoiceField(label="Loại", choices=[("", "Mọi loại"), ("a", "A & B"), ("b", "B")])
    years = forms.TypedChoiceField(
        label="Năm", coerce=int, choices=[(2024, 2024), (2025, 2025)], required=False
    )
    grouped = forms.ChoiceField(
        label="Nhóm",
        choices=[("Cấp tỉnh", [("p", "Tỉnh")]), ("Cấp xã", [("w", "Phường"), ("c", "Xã")])],
        required=False,
    )
    many = forms.MultipleChoiceField(
        label="Nhiều", choices=[("x", "X"), ("y", "Y")], required=False
    )
    off = forms.CharField(label="Khóa", disabled=True, required=False, initial="cố định")


BOUND = {
    "text": 'Phường "Xuân" <Trung> & Co',
    "number": "20x5",
    "amount": "1234.5",
    "hidden": "<h>",
    "day": "05/12/2026",
    "ticked": "on",
    "notes": "Dòng 1 <b>\nDòng 2 & 3",
    "kind": "a",
    "years": "2025",
    "grouped": "c",
    "many": ["x", "y"],
}


def _pairs(make):
    quick, django = make(RENDERER), make(DJANGO)
    assert quick.renderer is RENDERER and django.renderer is DJANGO
    return [(str(quick[name]), str(django[name])) for name in quick.fields]


@pytest.mark.parametrize("data", [None, BOUND, {"number": "", "kind": "zzz", "ticked": ""}])
def test_every_plain_widget_is_drawn_as_django_draws_it(data):
    def make(renderer):
        form = EveryWidget(data, renderer=renderer, initial={"day": datetime.date(2026, 1, 2)})
        form.is_valid()  # errors too: a field with an error carries aria-invalid
        return form

    for quick, django in _pairs(make):
        assert quick == django


@pytest.mark.django_db
def test_the_list_pages_forms_are_drawn_as_django_draws_them(city):
    units = Unit.objects.filter(pk__in=[city.ward.pk, city.district.pk])
    makers = [
        lambda r: CampaignFilterForm({"q": "a<b", "year": "2025", "kind": "thematic"}, renderer=r),
        lambda r: CampaignFilterForm(None, renderer=r),
        lambda r: RegistrationFilterForm({"q": "Xuân", "status": "draft"}, renderer=r),
        lambda r: StartUnitSearchForm({"don_vi": '"x"'}, renderer=r),
        lambda r: UnitChoiceForm(units=units, renderer=r),
        lambda r: UnitChoiceForm({"unit": city.ward.pk}, units=units, renderer=r),
        lambda r: CriterionForm(None, renderer=r),
    ]
    for make in makers:
        for quick, django in _pairs(make):
            assert quick == django


def test_plain_widgets_skip_the_template_engine(monkeypatch):
    def no_templates(self, template_name):
        raise AssertionError(f"template {template_name} loaded")

    monkeypatch.setattr(QuickWidgets, "get_template", no_templates)
    form = EveryWidget(BOUND)
    for name in ("text", "number", "day", "ticked", "notes", "kind", "grouped", "many"):
        assert str(form[name])
    assert Styled.default_renderer is RENDERER
