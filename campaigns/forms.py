"""Input parsing for campaign pages: types, dd/mm/yyyy dates, NFC text. No business rules."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from campaigns.models import CampaignKind, LaunchForm, TargetMode
from campaigns.services import BasisInput, split_items
from campaigns.workflow import TABLE, CampaignStatus
from portal.models import Bloc, Post, Unit, UnitKind
from portal.text import normalize_text
from portal.widget_html import RENDERER

DATE_FORMATS = ["%d/%m/%Y"]


class LineField(forms.CharField):
    """One line of text, stripped and NFC-normalised."""

    def to_python(self, value):
        return normalize_text(super().to_python(value))


class TextAreaField(forms.CharField):
    """Several lines: each line stripped and NFC-normalised, line breaks kept."""

    widget = forms.Textarea(attrs={"rows": 3})

    def to_python(self, value):
        value = super().to_python(value)
        return "\n".join(normalize_text(line) for line in value.splitlines()).strip()


class DateInput(forms.DateInput):
    def __init__(self, **kwargs):
        super().__init__(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy"}, **kwargs)


class Styled:
    """Bootstrap classes on every widget, so templates render fields without filters; the
    plain widgets drawn in Python (`portal.widget_html`), not through the template engine."""

    default_renderer = RENDERER

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.CheckboxSelectMultiple):
                continue
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs.setdefault("class", css)


def date_field(label: str, *, required: bool = True) -> forms.DateField:
    return forms.DateField(
        label=label, required=required, input_formats=DATE_FORMATS, widget=DateInput()
    )


class CampaignFilterForm(Styled, forms.Form):
    q = LineField(
        label="Tìm kiếm",
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "Tên, chủ đề (gõ có dấu hoặc không dấu)"}),
    )
    year = forms.IntegerField(
        label="Năm",
        required=False,
        min_value=2000,
        max_value=2100,
        widget=forms.NumberInput(attrs={"placeholder": "Năm"}),
    )
    # Typed, not a dropdown: a province's issuers are every unit that ever launched a campaign
    # (thousands at national scale), so the page would carry them all on every load (#16).
    issuer = LineField(
        label="Đơn vị phát động",
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": "Đơn vị phát động: tên hoặc mã"}),
    )
    kind = forms.ChoiceField(
        label="Loại", choices=[("", "Mọi loại phong trào"), *CampaignKind.choices], required=False
    )
    status = forms.ChoiceField(
        label="Trạng thái",
        choices=[("", "Mọi trạng thái"), *CampaignStatus.choices],
        required=False,
    )


class CampaignForm(Styled, forms.Form):
    issuer = forms.ModelChoiceField(label="Đơn vị phát động", queryset=Unit.objects.none())
    title = LineField(label="Tên phong trào", max_length=500)
    theme = LineField(label="Chủ đề, khẩu hiệu", max_length=500, required=False)
    kind = forms.ChoiceField(label="Loại phong trào", choices=CampaignKind.choices)
    launch_form = forms.ChoiceField(label="Hình thức phát động", choices=LaunchForm.choices)
    starts_on = date_field("Bắt đầu")
    ends_on = date_field("Kết thúc")
    registration_due = date_field("Hạn đăng ký thi đua")
    midterm_review_due = date_field("Hạn sơ kết", required=False)
    final_review_due = date_field("Hạn tổng kết")
    summary = LineField(
        label="Trích yếu",
        required=False,
        help_text="Để trống: “Về việc phát động …” (Chỉ thị) hoặc “Phát động …” (Kế hoạch);"
        " sửa tự do sau khi lưu.",
    )
    referenced_campaigns = TextAreaField(
        label="Phong trào được phát động, tiếp tục",
        required=False,
        help_text="Mỗi dòng một tên phong trào, ghi đúng như văn bản.",
    )
    preamble = TextAreaField(
        label="Phần mở đầu",
        required=False,
        help_text="In nguyên văn, mỗi dòng một đoạn. Chỉ thị lồng căn cứ vào đây (không có khối"
        " “Căn cứ”). Để trống: hệ thống đề xuất một đoạn để sửa.",
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    purpose = TextAreaField(
        label="Mục đích, yêu cầu",
        required=False,
        help_text="Tiêu đề phần (ví dụ “I. MỤC ĐÍCH, YÊU CẦU”) do người soạn tự ghi.",
    )
    items = TextAreaField(
        label="Nội dung thi đua",
        help_text="Mỗi dòng một nội dung, hoặc các nội dung cách nhau một dòng trống. Nhãn"
        " (“1.”, “a)”, “Thứ nhất,”, “-”) ghi ngay đầu nội dung; hệ thống không tự đánh số.",
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    solutions = TextAreaField(label="Giải pháp", required=False)
    organisation = TextAreaField(label="Tổ chức thực hiện", required=False)
    rewards = TextAreaField(label="Khen thưởng", required=False)
    closing = TextAreaField(label="Phần kết", required=False)
    award_forms = TextAreaField(
        label="Hình thức khen thưởng dự kiến", required=False, help_text="Mỗi dòng một hình thức."
    )
    asks_for_titles = forms.BooleanField(label="Yêu cầu đăng ký danh hiệu thi đua", required=False)
    target_mode = forms.ChoiceField(label="Đối tượng thi đua", choices=TargetMode.choices)
    target_kinds = forms.MultipleChoiceField(
        label="Loại đơn vị tham gia",
        choices=UnitKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    target_blocs = forms.ModelMultipleChoiceField(
        label="Cụm, khối tham gia", queryset=Bloc.objects.none(), required=False
    )
    target_list = forms.ModelMultipleChoiceField(
        label="Danh sách đơn vị tham gia", queryset=Unit.objects.none(), required=False
    )

    def __init__(self, *args, issuers, units, blocs, fixed_issuer: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["issuer"].queryset = issuers
        self.fields["issuer"].disabled = fixed_issuer
        self.fields["target_list"].queryset = units
        self.fields["target_blocs"].queryset = blocs

    def item_lines(self) -> list[str]:
        return split_items(self.cleaned_data["items"])

    def campaign_fields(self) -> dict:
        data = dict(self.cleaned_data)
        for key in ("issuer", "items", "target_blocs", "target_list"):
            data.pop(key)
        data["referenced_campaigns"] = [
            line for line in data["referenced_campaigns"].splitlines() if line
        ]
        return data


class BasisForm(Styled, forms.Form):
    text = LineField(
        label="Trích dẫn nguyên văn",
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "Hoặc ghi nguyên văn căn cứ"}),
    )
    type_word = LineField(
        label="Loại văn bản",
        max_length=60,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "Quyết định, Luật…", "list": "basis-types"}),
    )
    document_number = LineField(
        label="Số, ký hiệu",
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "1234/QĐ-UBND"}),
    )
    issued_on = date_field("Ngày ban hành", required=False)
    issuer_name = LineField(
        label="Cơ quan ban hành",
        max_length=255,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "Cơ quan ban hành"}),
    )
    summary = LineField(
        label="Trích yếu",
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "Trích yếu"}),
    )

    def as_input(self) -> BasisInput:
        data = self.cleaned_data
        return BasisInput(
            document_number=data.get("document_number", ""),
            issuer_name=data.get("issuer_name", ""),
            summary=data.get("summary", ""),
            issued_on=data.get("issued_on"),
            type_word=data.get("type_word", ""),
            text=data.get("text", ""),
        )


# One empty row; "Thêm căn cứ" (htmx) adds as many as the plan cites.
BasisFormSet = forms.formset_factory(BasisForm, extra=1, max_num=200, absolute_max=200)


class SignerPostField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Post) -> str:
        return f"{obj.person.full_name} – {obj.title}"


class LaunchDocumentForm(Styled, forms.Form):
    """Who signs is chosen among the issuer's leaders on their posts; the capacity and the
    position print from the post (portal/documents/signers.py), never a typed name."""

    signer_post = SignerPostField(
        label="Người ký",
        queryset=Post.objects.none(),
        required=False,
        empty_label="Người đứng đầu đơn vị (mặc định)",
        help_text="Thẩm quyền ký (TM., KT., …) và chức vụ in theo chức vụ của người được chọn.",
    )
    recipients = TextAreaField(label="Nơi nhận", help_text="Mỗi dòng một nơi nhận.")

    def __init__(self, *args, issuer: Unit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["signer_post"].queryset = (
            Post.objects.held_on(timezone.localdate())
            .filter(unit=issuer)
            .select_related("person")
            .order_by("rank", "person__full_name")
        )

    def recipient_lines(self) -> list[str]:
        return [line for line in self.cleaned_data["recipients"].splitlines() if line]

    def signer(self):
        post = self.cleaned_data.get("signer_post")
        return post.person if post is not None else None


class TransitionForm(Styled, forms.Form):
    action = forms.ChoiceField(choices=[(a, a) for a in TABLE.actions()])
    signed_on = date_field("Ngày ký văn bản phát động", required=False)
    recorded_document = forms.IntegerField(required=False)
    reason = LineField(label="Lý do", required=False)
    held_on = date_field("Ngày tổ chức", required=False)
    summary = TextAreaField(label="Kết quả", required=False)


class FollowUpForm(Styled, forms.Form):
    issuer = forms.ModelChoiceField(label="Đơn vị phát động tiếp", queryset=Unit.objects.none())

    def __init__(self, *args, issuers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["issuer"].queryset = issuers
