"""Input parsing for registrations, progress and unit reviews. No business rules."""

from __future__ import annotations

from django import forms

from campaigns.forms import LineField, Styled, TextAreaField, date_field
from campaigns.models import ReviewKind
from pledges.models import ExemplarKind, Measure, ProposedAward, Title
from pledges.reviews import ExemplarInput, ProposalInput
from pledges.services import TaskInput
from pledges.workflow import REGISTRATION, RegistrationStatus
from portal.models import Person, Unit


class StartUnitSearchForm(Styled, forms.Form):
    """Narrows the start form's choice of units when there are more than it lists."""

    don_vi = LineField(
        label="Tìm đơn vị chưa đăng ký",
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": "Tên hoặc mã đơn vị"}),
    )


class RegistrationFilterForm(Styled, forms.Form):
    q = LineField(
        label="Tìm đơn vị",
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "Tên đơn vị (có dấu hoặc không dấu)"}),
    )
    status = forms.ChoiceField(
        label="Trạng thái",
        choices=[("", "Mọi trạng thái"), *RegistrationStatus.choices],
        required=False,
    )


class UnitChoiceForm(Styled, forms.Form):
    unit = forms.ModelChoiceField(label="Đơn vị", queryset=Unit.objects.none())

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class ReviewOpenForm(UnitChoiceForm):
    kind = forms.ChoiceField(label="Loại báo cáo", choices=ReviewKind.choices)


class TaskForm(Styled, forms.Form):
    item_number = forms.TypedChoiceField(label="Nội dung", coerce=int)
    description = TextAreaField(label="Nhiệm vụ", widget=forms.Textarea(attrs={"rows": 2}))
    measure = forms.ChoiceField(label="Loại chỉ tiêu", choices=Measure.choices)
    target_value = forms.DecimalField(
        label="Chỉ tiêu", required=False, localize=True, max_digits=14, decimal_places=2
    )
    unit_of_measure = LineField(label="Đơn vị tính", required=False, max_length=50)
    due_on = date_field("Hạn hoàn thành")
    responsible = LineField(label="Người phụ trách", max_length=150)

    def __init__(self, *args, items=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item_number"].choices = [
            (item.number, f"{item.number}. {item.text[:60]}") for item in items
        ]

    def as_input(self) -> TaskInput:
        data = self.cleaned_data
        return TaskInput(
            item_number=data["item_number"],
            description=data["description"],
            measure=data["measure"],
            target_value=data["target_value"],
            unit_of_measure=data["unit_of_measure"],
            due_on=data["due_on"],
            responsible=data["responsible"],
        )


TaskFormSet = forms.formset_factory(TaskForm, extra=2, can_delete=True)


class TitleForm(Styled, forms.Form):
    title = forms.ChoiceField(label="Danh hiệu", choices=Title.choices)
    person = forms.ModelChoiceField(
        label="Cá nhân (để trống với danh hiệu tập thể)",
        queryset=Person.objects.none(),
        required=False,
    )

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        if people is not None:
            self.fields["person"].queryset = people


TitleFormSet = forms.formset_factory(TitleForm, extra=1, can_delete=True)


class RegistrationTransitionForm(Styled, forms.Form):
    action = forms.ChoiceField(choices=[(a, a) for a in REGISTRATION.actions()])
    reason = LineField(label="Lý do", required=False)


class ImportForm(Styled, forms.Form):
    file = forms.FileField(label="Tệp Excel (.xlsx)")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else []


class ProgressForm(Styled, forms.Form):
    reported_on = date_field("Ngày báo cáo")
    value = forms.DecimalField(
        label="Kết quả đạt được", required=False, localize=True, max_digits=14, decimal_places=2
    )
    done = forms.TypedChoiceField(
        label="Đã hoàn thành?",
        choices=[("", "—"), ("1", "Đã hoàn thành"), ("0", "Chưa hoàn thành")],
        coerce=lambda value: value == "1",
        empty_value=None,
        required=False,
    )
    narrative = TextAreaField(label="Diễn giải kết quả")
    links = TextAreaField(label="Đường dẫn minh chứng (mỗi dòng một)", required=False)
    files = MultipleFileField(
        label="Tệp minh chứng (PDF, ảnh, Word/Excel/PowerPoint; tối đa 10 MB mỗi tệp)",
        required=False,
    )


class UnitReviewForm(Styled, forms.Form):
    self_assessment = TextAreaField(
        label="Tự đánh giá kết quả thực hiện", widget=forms.Textarea(attrs={"rows": 6})
    )
    strengths = TextAreaField(label="Ưu điểm", required=False)
    shortcomings = TextAreaField(label="Hạn chế, nguyên nhân", required=False)


class ExemplarForm(Styled, forms.Form):
    kind = forms.ChoiceField(label="Loại", choices=ExemplarKind.choices)
    name = LineField(label="Tên tập thể, cá nhân, mô hình", max_length=255)
    description = TextAreaField(label="Mô tả", widget=forms.Textarea(attrs={"rows": 2}))

    def as_input(self) -> ExemplarInput:
        data = self.cleaned_data
        return ExemplarInput(kind=data["kind"], name=data["name"], description=data["description"])


class ProposalForm(Styled, forms.Form):
    award = forms.ChoiceField(label="Hình thức đề nghị", choices=ProposedAward.choices)
    unit = forms.ModelChoiceField(label="Tập thể", queryset=Unit.objects.none(), required=False)
    person = forms.ModelChoiceField(label="Cá nhân", queryset=Person.objects.none(), required=False)
    achievement = TextAreaField(
        label="Tóm tắt thành tích", widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, units=None, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        if units is not None:
            self.fields["unit"].queryset = units
        if people is not None:
            self.fields["person"].queryset = people

    def as_input(self) -> ProposalInput:
        data = self.cleaned_data
        return ProposalInput(
            award=data["award"],
            achievement=data["achievement"],
            unit=data["unit"],
            person=data["person"],
        )


ExemplarFormSet = forms.formset_factory(ExemplarForm, extra=1, can_delete=True)
ProposalFormSet = forms.formset_factory(ProposalForm, extra=1, can_delete=True)


def kept(formset) -> list:
    """The filled-in, not deleted forms of a valid formset."""
    initial = set(map(id, formset.initial_forms))
    return [
        form
        for form in formset
        if (id(form) in initial or form.has_changed()) and not form.cleaned_data.get("DELETE")
    ]
