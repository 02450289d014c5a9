"""Input forms of a dossier and its steps: types, formats, NFC; no business rules."""

from __future__ import annotations

from collections.abc import Iterable

from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone

from awards.forms.fields import item_choices, item_from_choice
from awards.models import BasisKind, Initiative, Item, Verdict
from awards.procedure.drafting import REPORT_FIELDS
from campaigns.models import Campaign
from portal import uploads
from portal.documents import signers
from portal.forms import PortalForm, date_field
from portal.models import Person, Unit
from portal.uploads import clean_upload
from portal.widget_html import RENDERER


class NominationForm(PortalForm):
    """The dossier: who, for what, on which basis, and the achievement report."""

    person = forms.ModelChoiceField(label="Cá nhân", queryset=Person.objects.none(), required=False)
    collective = forms.ModelChoiceField(
        label="Tập thể (hoặc địa bàn của hộ gia đình)", queryset=Unit.objects.none(), required=False
    )
    household_name = forms.CharField(label="Tên hộ gia đình", max_length=255, required=False)
    item = forms.ChoiceField(label="Danh hiệu / hình thức khen thưởng")
    year = forms.IntegerField(label="Năm thành tích", min_value=1945, max_value=2100)
    basis_kind = forms.ChoiceField(label="Loại khen thưởng", choices=BasisKind.choices)
    basis_reference = forms.CharField(
        label="Đợt, chuyên đề, sự việc đột xuất", max_length=255, required=False
    )
    campaign = forms.ModelChoiceField(
        label="Phong trào thi đua", queryset=Campaign.objects.none(), required=False
    )
    report_position = forms.CharField(label="Chức vụ, đơn vị công tác", required=False)
    report_duties = forms.CharField(
        label="Chức năng, nhiệm vụ được giao",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    report_achievements = forms.CharField(
        label="Thành tích đạt được (số liệu cụ thể)", widget=forms.Textarea(attrs={"rows": 5})
    )
    report_initiatives = forms.CharField(
        label="Sáng kiến, giải pháp, đề tài",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    report_past_awards = forms.CharField(
        label="Danh hiệu, hình thức đã được khen (năm, số quyết định)",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    unit_council_on = date_field("Ngày họp Hội đồng TĐKT đơn vị", required=False)
    unit_council_members = forms.IntegerField(
        label="Số thành viên Hội đồng", min_value=1, required=False
    )
    unit_council_yes = forms.IntegerField(label="Số phiếu đồng ý", min_value=0, required=False)
    initiatives = forms.ModelMultipleChoiceField(
        label="Sáng kiến được công nhận làm căn cứ",
        queryset=Initiative.objects.none(),
        required=False,
    )

    def __init__(self, *args, proposing_unit: Unit, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = Person.objects.filter(
            unit__path__startswith=proposing_unit.path, is_active=True
        ).select_related("unit")
        self.fields["collective"].queryset = Unit.objects.subtree(proposing_unit)
        self.fields["item"].choices = item_choices()
        # Campaigns the unit took part in (targeted) or launched itself or below.
        self.fields["campaign"].queryset = (
            Campaign.objects.filter(
                Q(targets__unit=proposing_unit) | Q(issuer__path__startswith=proposing_unit.path)
            )
            .distinct()
            .order_by("-starts_on", "title")
        )
        self.fields["initiatives"].queryset = Initiative.objects.filter(
            person__unit__path__startswith=proposing_unit.path
        ) | Initiative.objects.filter(unit__path__startswith=proposing_unit.path)

    def clean_item(self) -> Item:
        return item_from_choice(self.cleaned_data["item"])

    def clean(self):
        data = super().clean()
        if bool(data.get("person")) == bool(data.get("collective")):
            raise forms.ValidationError("Chọn một cá nhân, hoặc một tập thể / địa bàn của hộ.")
        return data

    def report(self) -> dict:
        return {key: self.cleaned_data[key] for key in REPORT_FIELDS}


class JustificationForm(PortalForm):
    """One text per soft finding, keyed by its code."""

    def __init__(self, *args, findings: list[dict], current: dict, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for finding in findings:
            if finding["severity"] != "soft":
                continue
            self.fields[f"j_{finding['code']}"] = forms.CharField(
                label=finding["message"],
                widget=forms.Textarea(attrs={"rows": 2}),
                required=False,
                initial=current.get(finding["code"], ""),
            )

    def values(self) -> dict[str, str]:
        return {name[2:]: value for name, value in self.cleaned_data.items()}


class EvidenceForm(PortalForm):
    description = forms.CharField(label="Mô tả minh chứng", max_length=255)
    file = forms.FileField(label="Tệp", required=False)
    link = forms.URLField(label="Hoặc đường dẫn", required=False, assume_scheme="https")

    def clean_file(self):
        return clean_upload(self.cleaned_data["file"], allowed=uploads.EVIDENCE)


class SignedReportForm(PortalForm):
    signed_report = forms.FileField(label="Báo cáo thành tích đã ký (PDF)")

    def clean_signed_report(self):
        return clean_upload(self.cleaned_data["signed_report"], allowed=uploads.PDF_ONLY)


def signers_of(units: Iterable[Unit | None]) -> QuerySet[Person]:
    """Who may sign the paper of one of `units` today (None: no unit yet, nobody)."""
    chosen = [unit for unit in units if unit is not None]
    if not chosen:
        return Person.objects.none()
    return signers.possible_signers(chosen, timezone.localdate())


class SignerForm(PortalForm):
    """Who signs: a leader of the issuing unit on the day, or by default its head (a deputy
    when the head is among the awardees); the capacity printed follows from the post. The
    choices are the issuing unit's leaders only, a handful at any scale (#16)."""

    # Drawn on every load of the sender's list: its widget in Python (#16).
    default_renderer = RENDERER
    signer = forms.ModelChoiceField(
        label="Người ký",
        queryset=Person.objects.none(),
        required=False,
        empty_label="Lãnh đạo đơn vị (mặc định)",
    )

    def __init__(self, *args, units: Iterable[Unit | None], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["signer"].queryset = signers_of(units)


class ReasonForm(PortalForm):
    reason = forms.CharField(label="Lý do / ý kiến", widget=forms.Textarea(attrs={"rows": 2}))


class OptionalReasonForm(PortalForm):
    reason = forms.CharField(
        label="Ý kiến", widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class CheckForm(PortalForm):
    """Thẩm định: the overall opinion and a verdict (with a note) per criterion, pre-filled
    with what the eligibility engine and the bodies asked found."""

    reason = forms.CharField(
        label="Ý kiến", widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args, criteria, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for criterion in criteria:
            self.fields[f"verdict_{criterion.code}"] = forms.ChoiceField(
                label=criterion.label,
                choices=Verdict.choices,
                initial=criterion.suggested,
                required=False,
            )
            self.fields[f"note_{criterion.code}"] = forms.CharField(
                label="Ghi chú", max_length=2000, required=False
            )

    def rows(self) -> list[tuple]:
        return [(c, self[f"verdict_{c.code}"], self[f"note_{c.code}"]) for c in self.criteria]

    def verdicts(self) -> dict[str, tuple[str, str]] | None:
        """The reviewer's verdicts; None when the page sent none (confirm the pre-filled)."""
        data = self.cleaned_data
        given = {
            c.code: (data[f"verdict_{c.code}"], data[f"note_{c.code}"])
            for c in self.criteria
            if f"verdict_{c.code}" in self.data
        }
        return given or None
