"""Input forms of the official-documents pages: parsing and NFC normalisation only."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from portal import uploads
from portal.models import DocumentKind, Post, SignerCapacity, Unit
from portal.models.documents import Circulation, Secrecy, Urgency
from portal.text import normalize_text
from portal.uploads import clean_upload

DATE_INPUT = ["%d/%m/%Y"]


class PostChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Post) -> str:
        return f"{obj.person.full_name} – {obj.title}, {obj.unit.name}"


def _lines(value: str) -> list[str]:
    return [line for line in (normalize_text(x) for x in (value or "").splitlines()) if line]


class DraftForm(forms.Form):
    kind = forms.ChoiceField(label="Loại văn bản", choices=DocumentKind.choices)
    issuer = forms.ModelChoiceField(label="Đơn vị ban hành", queryset=Unit.objects.none())
    title = forms.CharField(
        label="Tên loại in trên văn bản",
        required=False,
        help_text="Để trống: tên loại theo Nghị định 30 (ví dụ KẾ HOẠCH).",
    )
    summary = forms.CharField(
        label="Trích yếu", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    addressees = forms.CharField(
        label="Kính gửi (mỗi dòng một nơi)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    body = forms.CharField(
        label="Nội dung (mỗi dòng một đoạn)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 12}),
    )
    secrecy = forms.ChoiceField(label="Độ mật", choices=Secrecy.choices, required=False)
    urgency = forms.ChoiceField(label="Độ khẩn", choices=Urgency.choices, required=False)
    circulation = forms.ChoiceField(
        label="Phạm vi lưu hành", choices=Circulation.choices, required=False
    )
    signer_post = PostChoiceField(
        label="Người ký",
        queryset=Post.objects.none(),
        required=False,
        empty_label="Người đứng đầu đơn vị (mặc định)",
        help_text="Lãnh đạo đang giữ chức vụ tại đơn vị ban hành; thẩm quyền ký (TM., KT., "
        "Q., TL., TUQ.) và chức vụ in theo chức vụ của người được chọn.",
    )
    recipients = forms.CharField(
        label="Nơi nhận (mỗi dòng một nơi; dòng cuối “Lưu: VT, …”)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    drafting_unit = forms.CharField(
        label="Đơn vị soạn thảo (viết tắt, in ở dòng “Lưu: VT, …”)", required=False, max_length=20
    )
    archive_copies = forms.IntegerField(
        label="Số bản lưu", required=False, min_value=1, max_value=99
    )
    drafter_mark = forms.CharField(label="Ký hiệu người soạn thảo", required=False, max_length=20)
    issued_copies = forms.IntegerField(
        label="Số bản phát hành", required=False, min_value=1, max_value=100000
    )

    def __init__(self, *args, issuers=None, **kwargs):
        super().__init__(*args, **kwargs)
        issuers = issuers if issuers is not None else Unit.objects.none()
        self.fields["issuer"].queryset = issuers
        # The leaders holding a post today in a unit the author may write for.
        self.fields["signer_post"].queryset = (
            Post.objects.held_on(timezone.localdate())
            .filter(unit__in=issuers)
            .select_related("person", "unit")
            .order_by("unit__name", "rank", "person__full_name")
        )

    def clean(self):
        data = super().clean()
        data["title"] = normalize_text(data.get("title"))
        data["summary"] = "\n".join(_lines(data.get("summary", "")))
        for key in ("addressees", "recipients"):
            data[key] = _lines(data.get(key, ""))
        data["body"] = "\n".join(_lines(data.get("body", "")))
        post, issuer = data.get("signer_post"), data.get("issuer")
        if post is not None and issuer is not None and post.unit_id != issuer.pk:
            self.add_error(
                "signer_post",
                f"{post.person.full_name} không giữ chức vụ lãnh đạo tại {issuer.name}; "
                "hãy chọn người ký trong lãnh đạo của đơn vị ban hành.",
            )
        return data

    def draft_fields(self) -> dict:
        """The draft's fields; the signature block is resolved from the posts by the engine."""
        data = dict(self.cleaned_data)
        data.pop("kind", None)
        data.pop("issuer", None)
        post = data.pop("signer_post", None)
        data["signer"] = post.person if post is not None else None
        data["sign_from_posts"] = True
        return data


class RecordForm(forms.Form):
    """ "Nhập văn bản đã ban hành": a paper signed outside the portal, with its scan."""

    kind = forms.ChoiceField(label="Loại văn bản", choices=DocumentKind.choices)
    issuer = forms.ModelChoiceField(label="Đơn vị ban hành", queryset=Unit.objects.none())
    number_and_symbol = forms.CharField(
        label="Số, ký hiệu",
        help_text="Ghi đúng như trên văn bản, ví dụ 12/CT-UBND, 01/2024/QĐ-UBND hoặc 12-CT/TW.",
    )
    issued_on = forms.DateField(label="Ngày ban hành (dd/mm/yyyy)", input_formats=DATE_INPUT)
    title = forms.CharField(
        label="Tên loại in trên văn bản",
        required=False,
        help_text="Để trống: tên loại theo Nghị định 30 (ví dụ KẾ HOẠCH).",
    )
    summary = forms.CharField(label="Trích yếu", widget=forms.Textarea(attrs={"rows": 2}))
    body = forms.CharField(
        label="Nội dung (mỗi dòng một đoạn, không bắt buộc)",
        required=False,
        help_text="Có nội dung thì dàn trang lại được văn bản theo Nghị định 30.",
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    # A paper signed outside is recorded as it is printed: its signer is typed, as on it.
    signer_capacity = forms.ChoiceField(
        label="Thẩm quyền ký", choices=SignerCapacity.choices, required=False
    )
    signer_authority = forms.CharField(label="Thay mặt / ký thay cho", required=False)
    signer_position = forms.CharField(
        label="Chức vụ người ký (mỗi dòng một chức danh)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    signer_name = forms.CharField(label="Họ tên người ký", required=False)
    recipients = forms.CharField(
        label="Nơi nhận (mỗi dòng một nơi, không bắt buộc)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    scan = forms.FileField(label="Bản quét văn bản đã ký (PDF)")

    def __init__(self, *args, issuers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["issuer"].queryset = issuers if issuers is not None else Unit.objects.none()

    def clean_scan(self):
        return clean_upload(self.cleaned_data["scan"], allowed=uploads.PDF_ONLY)

    def record_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "number_and_symbol": normalize_text(data["number_and_symbol"]),
            "issued_on": data["issued_on"],
            "title": normalize_text(data["title"]),
            "summary": "\n".join(_lines(data["summary"])),
            "signer_capacity": data["signer_capacity"],
            "signer_authority": normalize_text(data["signer_authority"]),
            "signer_position": "\n".join(_lines(data["signer_position"])),
            "signer_name": normalize_text(data["signer_name"]),
            "recipients": _lines(data["recipients"]),
            "body": "\n".join(_lines(data["body"])),
            "scan": data["scan"].read(),
        }


class IssueForm(forms.Form):
    issued_on = forms.DateField(
        label="Ngày ban hành (dd/mm/yyyy)", required=False, input_formats=DATE_INPUT
    )


class VerifyUploadForm(forms.Form):
    file = forms.FileField(label="Tệp PDF cần kiểm tra")

    def clean_file(self):
        return clean_upload(self.cleaned_data["file"], allowed=uploads.PDF_ONLY)
