"""`{% small_form_fields form %}` writes what the template loop it replaced wrote (kept below as
the reference), for every state of a field: unbound, bound with values to escape, errors, a
hidden field and one that shows its initial value (#16). An empty form that says it is the same
for everyone (`same_when_empty`) is drawn once and then served as drawn; any other is drawn
every time."""

from django import forms
from django.template import Context, Template

from campaigns.forms import Styled
from pledges.covenants.forms import CriterionForm, PledgeForm, VoteForm
from portal.models import Unit
from portal.templatetags import portal_forms
from portal.templatetags.portal_forms import small_form_fields

FORMER = Template(
    '{% for field in form %}{% if field.is_hidden %}{{ field }}{% else %}<div class="mb-2">'
    '<label class="form-label small mb-0" for="{{ field.id_for_label }}">{{ field.label }}'
    '</label>{{ field }}{% for e in field.errors %}<div class="text-danger small">{{ e }}</div>'
    "{% endfor %}</div>{% endif %}{% endfor %}\n"
)
INCLUDED = Template('{% include "pledges/covenant/_form.html" %}')


class Odd(Styled, forms.Form):
    """Labels and errors to escape, a hidden field, a field showing its initial value."""

    year = forms.IntegerField(label="Năm <b>& “mới”</b>", min_value=2000)
    token = forms.CharField(widget=forms.HiddenInput, initial="<t>")
    kept = forms.CharField(label="Giữ", show_hidden_initial=True, initial='a"b')
    picked = forms.ChoiceField(label="Chọn", choices=[("x", "X & Y"), ("z", "<Z>")])

    def clean(self):
        raise forms.ValidationError("Lỗi <chung> & “riêng”")


def _forms() -> list[forms.BaseForm]:
    units = [Unit(pk=7, name="Phường <A>"), Unit(pk=9, name="Xã “B” & C")]
    return [
        CriterionForm(),
        CriterionForm({"group": "Nhóm <1>", "text": "", "max_points": "-3", "kind": "nope"}),
        CriterionForm(
            {
                "group": "Nhóm & 2",
                "text": "Tiêu chí “một”\n<dòng hai>",
                "kind": "criterion",
                "max_points": "12.5",
                "formula": "manual",
                "evidence_required": "Biên bản",
            }
        ),
        PledgeForm(),
        PledgeForm({"preamble": "<p>", "commitments": "a | b\nc", "ceremony_on": "31/02/2026"}),
        VoteForm(units=units),
        VoteForm({"ballots_issued": "x", "unit_7": "-1", "unit_9": "3"}, units=units),
        Odd(),
        Odd({"year": "1999", "token": '"><script>', "kept": "<k>", "picked": "q"}),
    ]


def test_the_fields_are_written_as_the_template_wrote_them():
    for form in _forms():
        former = FORMER.render(Context({"form": form}))
        assert small_form_fields(form) + "\n" == former
        assert INCLUDED.render(Context({"form": form})) == former


def test_labels_values_and_errors_are_escaped():
    html = small_form_fields(_forms()[-1])
    assert "Năm &lt;b&gt;&amp; “mới”&lt;/b&gt;" in html
    assert "<script>" not in html and "&lt;k&gt;" in html
    assert "q không phải là một trong các lựa chọn" in html


def test_an_empty_form_the_same_for_everyone_is_drawn_once_as_a_new_one_draws():
    portal_forms._forget()
    first = small_form_fields(CriterionForm())
    again = small_form_fields(CriterionForm())
    assert again is first  # served as drawn, not drawn again
    assert first == portal_forms._drawn(CriterionForm())
    # Another prefix names other ids: drawn on its own.
    prefixed = small_form_fields(CriterionForm(prefix="moi"))
    assert 'id="id_moi-group"' in prefixed and prefixed == portal_forms._drawn(
        CriterionForm(prefix="moi")
    )
    assert small_form_fields(CriterionForm()) is first


def test_a_bound_form_one_with_initial_values_or_one_not_marked_is_drawn_every_time():
    portal_forms._forget()
    empty = small_form_fields(CriterionForm())
    bound = small_form_fields(CriterionForm({"group": "Nhóm <9>", "max_points": "-1"}))
    assert "Nhóm &lt;9&gt;" in bound and "text-danger" in bound and "text-danger" not in empty
    started = small_form_fields(CriterionForm(initial={"group": "Nhóm khởi đầu"}))
    assert "Nhóm khởi đầu" in started and "Nhóm khởi đầu" not in empty
    assert small_form_fields(CriterionForm()) is empty
    units = [Unit(pk=7, name="Phường <A>")]
    assert "Phường &lt;A&gt;" in small_form_fields(VoteForm(units=units))
    assert "Xã B" in small_form_fields(VoteForm(units=[Unit(pk=7, name="Xã B")]))
    assert list(portal_forms._EMPTY) == [(CriterionForm, None, "id_%s")]
