"""Forms of the requests for other bodies' opinions: asking, answering."""

from __future__ import annotations

from django import forms

from awards.models import ClearanceStatus
from portal import uploads
from portal.forms import PortalForm, UnitLookupField, date_field
from portal.models import Person
from portal.uploads import clean_upload


class ClearanceForm(PortalForm):
    body_unit = UnitLookupField(
        label="Cơ quan được hỏi (đơn vị trong cổng)",
        required=False,
        help_text="Gõ tên hoặc mã đơn vị, có dấu hay không dấu đều được.",
    )
    body_name = forms.CharField(
        label="hoặc tên cơ quan ngoài cổng (trả lời bằng văn bản giấy)",
        max_length=255,
        required=False,
    )
    subject = forms.CharField(
        label="Nội dung xin ý kiến",
        widget=forms.Textarea(attrs={"rows": 2}),
        initial="việc chấp hành chủ trương, chính sách của Đảng, pháp luật của Nhà nước "
        "của các tập thể, cá nhân có tên trong danh sách.",
    )
    due_on = date_field("Hạn trả lời (để trống: theo quy định)", required=False)
    signer = forms.ModelChoiceField(
        label="Người ký",
        queryset=Person.objects.none(),
        required=False,
        empty_label="Lãnh đạo đơn vị (mặc định)",
    )

    def __init__(self, *args, units, leaders, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["body_unit"].queryset = units
        self.fields["signer"].queryset = leaders


class ClearanceAnswerForm(PortalForm):
    verdict = forms.ChoiceField(
        label="Kết quả",
        choices=[(s.value, s.label) for s in (ClearanceStatus.AGREED, ClearanceStatus.OBJECTION)],
    )
    text = forms.CharField(
        label="Nội dung trả lời", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    file = forms.FileField(label="Văn bản trả lời (PDF)", required=False, max_length=255)
    answered_on = date_field("Ngày trả lời (để trống: hôm nay)", required=False)

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        return clean_upload(upload, allowed=uploads.PDF_ONLY)
