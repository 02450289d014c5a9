"""Input parsing for the bloc's giao ước and its scoring. No business rules."""

from __future__ import annotations

from django import forms

from campaigns.forms import LineField, Styled, TextAreaField, date_field
from pledges.covenants.signing import CommitmentInput
from pledges.models import CriterionKind, Formula


class PledgeForm(Styled, forms.Form):
    preamble = TextAreaField(label="Lời mở đầu, căn cứ")
    commitments = TextAreaField(
        label="Các cam kết (mỗi dòng một cam kết; có thể ghi “Nhóm | Nội dung”)",
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    ceremony_on = date_field("Ngày ký kết (dd/mm/yyyy)", required=False)
    ceremony_place = LineField(label="Địa điểm ký kết", required=False)
    witnesses = TextAreaField(label="Đại biểu chứng kiến", required=False)
    reason = TextAreaField(label="Lý do điều chỉnh (khi giao ước đang có hiệu lực)", required=False)

    def commitment_rows(self, existing_ids: list[int] | None = None) -> list[CommitmentInput]:
        """Line i amends the i-th current commitment, so links to it are kept."""
        existing_ids = existing_ids or []
        rows = []
        for line in self.cleaned_data["commitments"].splitlines():
            if not line.strip():
                continue
            group, _, text = line.rpartition("|")
            rows.append(
                CommitmentInput(
                    text=text.strip(),
                    group=group.strip(),
                    id=existing_ids[len(rows)] if len(rows) < len(existing_ids) else None,
                )
            )
        return rows


class ScanForm(Styled, forms.Form):
    file = forms.FileField(label="Bản quét giao ước đã ký (PDF)")


class CriterionForm(Styled, forms.Form):
    # Fixed labels and choices: empty, it is the same for every table and user, drawn once per
    # process (`small_form_fields`, #16).
    same_when_empty = True

    group = LineField(label="Nhóm tiêu chí")
    text = TextAreaField(label="Tiêu chí")
    kind = forms.ChoiceField(label="Loại", choices=CriterionKind.choices)
    max_points = forms.DecimalField(label="Điểm chuẩn", min_value=0, decimal_places=2)
    formula = forms.ChoiceField(label="Cách tính", choices=Formula.choices)
    points_per_item = forms.DecimalField(
        label="Điểm mỗi đơn vị (khi tính theo số lượng)", required=False, decimal_places=2
    )
    evidence_required = TextAreaField(label="Minh chứng bắt buộc", required=False)


class SelfAssessmentForm(Styled, forms.Form):
    """One value and one evidence field per criterion of the sheet."""

    def __init__(self, *args, scores, **kwargs):
        super().__init__(*args, **kwargs)
        self.scores = scores
        for score in scores:
            self.fields[f"value_{score.criterion_id}"] = forms.DecimalField(
                label=str(score.criterion),
                required=False,
                decimal_places=2,
                initial=score.value,
            )
            self.fields[f"evidence_{score.criterion_id}"] = TextAreaField(
                label="Minh chứng", required=False, initial=score.evidence
            )

    def entries(self) -> dict:
        return {
            s.criterion_id: (
                self.cleaned_data[f"value_{s.criterion_id}"],
                self.cleaned_data[f"evidence_{s.criterion_id}"],
            )
            for s in self.scores
        }


class ScoreForm(Styled, forms.Form):
    score = forms.IntegerField(widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput)
    value = forms.DecimalField(label="Kết quả", required=False, decimal_places=2)
    reason = TextAreaField(label="Lý do thay đổi", required=False)


class ReasonForm(Styled, forms.Form):
    reason = TextAreaField(label="Lý do")


class VoteForm(Styled, forms.Form):
    ballots_issued = forms.IntegerField(label="Số phiếu phát ra", min_value=0)
    ballots_valid = forms.IntegerField(label="Số phiếu hợp lệ", min_value=0)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.units = units
        for unit in units:
            self.fields[f"unit_{unit.pk}"] = forms.IntegerField(
                label=f"Phiếu suy tôn {unit.name}", min_value=0, initial=0
            )

    def counts(self) -> dict[int, int]:
        return {u.pk: self.cleaned_data[f"unit_{u.pk}"] for u in self.units}
