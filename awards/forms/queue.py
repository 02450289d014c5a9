"""Forms of Nội vụ's queue: the filter, the bulk action, the central level's paper."""

from __future__ import annotations

from django import forms

from awards.models import CentralAuthority, CentralResult
from awards.workflow import Status
from portal import uploads
from portal.forms import PortalForm, date_field
from portal.uploads import clean_upload
from portal.widget_html import RENDERER

# The queue's default is what still needs the reviewer; this choice also lists finished ones.
ALL_STEPS = "tat-ca"


class QueueFilterForm(PortalForm):
    # Its widgets and the bulk form's are drawn in Python on every load of the queue (#16).
    default_renderer = RENDERER
    status = forms.ChoiceField(
        label="Bước",
        choices=[("", "Đang chờ xử lý"), (ALL_STEPS, "Tất cả, kể cả đã xong"), *Status.choices],
        required=False,
    )
    year = forms.IntegerField(label="Năm", required=False, min_value=1945, max_value=2100)
    q = forms.CharField(label="Tìm tên", required=False, max_length=100)
    overdue = forms.BooleanField(label="Chỉ hồ sơ quá hạn", required=False)


class BulkForm(PortalForm):
    default_renderer = RENDERER
    action = forms.ChoiceField(label="Thao tác")
    reason = forms.CharField(label="Lý do / ý kiến chung", required=False, max_length=2000)
    session = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, actions: dict[str, str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = list(actions.items())


class CentralDecisionForm(PortalForm):
    """A paper from the central level, as it arrived at the province."""

    number = forms.CharField(label="Số, ký hiệu (ví dụ 123/QĐ-TTg)", max_length=50)
    signed_on = date_field("Ngày ký")
    authority = forms.ChoiceField(label="Cơ quan, người ký", choices=CentralAuthority.choices)
    result = forms.ChoiceField(label="Kết quả", choices=CentralResult.choices)
    reason = forms.CharField(
        label="Lý do (bắt buộc khi không chấp thuận)",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    file = forms.FileField(label="Bản chụp văn bản (PDF)", required=False)

    def clean_file(self):
        return clean_upload(self.cleaned_data["file"], allowed=uploads.PDF_ONLY)
