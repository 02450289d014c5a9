"""Input parsing for the portal pages: types, formats and text hygiene only, no business rules."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils import timezone

from portal.models import (
    AGENCY_KINDS,
    COMMUNE_KINDS,
    SETTLEMENT_KINDS,
    BlocKind,
    Gender,
    Role,
    RotationRule,
    Unit,
    UnitKind,
    User,
)
from portal.text import normalize_multiline, normalize_text

DATE_PLACEHOLDER = "dd/mm/yyyy"


class PortalFormMixin:
    """Every text input stripped and normalised to NFC before validation; Bootstrap widgets.

    Normalising the bound data (not only cleaned_data) means validation sees what will be
    stored, and a form shown again after an error holds the user's input as it will be saved.
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.is_bound:
            data = self.data.copy()
            for name, form_field in self.fields.items():
                key = self.add_prefix(name)
                if not isinstance(form_field, forms.CharField) or key not in data:
                    continue
                if isinstance(form_field.widget, forms.PasswordInput):
                    continue
                clean = (
                    normalize_multiline
                    if isinstance(form_field.widget, forms.Textarea)
                    else normalize_text
                )
                if hasattr(data, "setlist"):
                    data.setlist(key, [clean(value) for value in data.getlist(key)])
                else:
                    data[key] = clean(data[key])
            self.data = data
        for form_field in self.fields.values():
            widget = form_field.widget
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs.setdefault("class", css)
            if isinstance(form_field, forms.DateField):
                widget.attrs.setdefault("placeholder", DATE_PLACEHOLDER)


class PortalForm(PortalFormMixin, forms.Form):
    pass


def date_field(label: str, *, required: bool = True) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        widget=forms.DateInput(format="%d/%m/%Y", attrs={"inputmode": "numeric"}),
        help_text="Ngày/tháng/năm, ví dụ 30/06/2025.",
    )


class UnitLookupField(forms.CharField):
    """One unit typed by its code or name, found within `queryset` (set by the form).

    A select of every unit a province user may pick carried 2,000 options (20,000 at national
    scale) on each load (#16); typing the name works without script and reads as one labelled
    text box. The code, then the exact name, then a unique part of the name (with or without
    accents) finds the unit; several matches ask for more of the name or the code.
    """

    SHOWN = 5

    def __init__(self, *, queryset=None, **kwargs) -> None:
        kwargs.setdefault("max_length", 255)
        super().__init__(**kwargs)
        self.queryset = queryset if queryset is not None else Unit.objects.none()

    def clean(self, value) -> Unit | None:
        text = super().clean(value)
        if not text:
            return None
        for narrowed in (
            self.queryset.filter(code=text),
            self.queryset.filter(name__iexact=text),
            self.queryset.search(text),
        ):
            found = list(narrowed.select_related("parent").order_by("path")[: self.SHOWN + 1])
            if len(found) == 1:
                return found[0]
            if found:
                names = "; ".join(_told_apart(unit) for unit in found[: self.SHOWN])
                more = " …" if len(found) > self.SHOWN else ""
                raise forms.ValidationError(
                    f"Có nhiều đơn vị khớp “{text}”: {names}{more}. "
                    "Gõ đầy đủ tên hoặc nhập mã đơn vị."
                )
        raise forms.ValidationError(f"Không tìm thấy đơn vị “{text}” trong phạm vi được chọn.")


def _told_apart(unit: Unit) -> str:
    """A unit named so the user can tell it from its namesakes: its code, else its parent."""
    if unit.code:
        return f"{unit.name} (mã {unit.code})"
    return f"{unit.name} thuộc {unit.parent.name}" if unit.parent else unit.name


class UnitSearchForm(PortalForm):
    q = forms.CharField(label="Tìm đơn vị", required=False, max_length=100)
    cu = forms.BooleanField(label="Hiện cả đơn vị đã giải thể, sáp nhập", required=False)


class UnitForm(PortalForm):
    kind = forms.ChoiceField(label="Loại")
    name = forms.CharField(label="Tên đơn vị", max_length=255)
    short_name = forms.CharField(
        label="Tên riêng",
        max_length=255,
        required=False,
        help_text="Không kèm loại đơn vị; dùng làm địa danh.",
    )
    abbreviation = forms.CharField(
        label="Viết tắt trong ký hiệu văn bản",
        max_length=30,
        required=False,
        help_text="Ví dụ: UBND, SNV, VHXH.",
    )
    code = forms.CharField(label="Mã đơn vị", max_length=20, required=False)
    address = forms.CharField(label="Địa chỉ", max_length=255, required=False)
    phone = forms.CharField(label="Điện thoại", max_length=50, required=False)
    email = forms.EmailField(label="Thư điện tử", required=False)

    def __init__(self, *args, parent: Unit | None = None, unit: Unit | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if unit is not None:
            # The kind and place in the tree of an existing unit are not edited here.
            del self.fields["kind"]
            if unit.is_administrative:
                self.fields["code"].disabled = True
                self.fields["code"].help_text = "Mã theo danh mục hành chính quốc gia."
            return
        kinds = set(AGENCY_KINDS)
        if parent is not None and parent.kind in COMMUNE_KINDS:
            kinds |= SETTLEMENT_KINDS
        self.fields["kind"].choices = [(k.value, k.label) for k in UnitKind if k in kinds]


class UnitCloseForm(PortalForm):
    closed_on = date_field("Ngày giải thể, sáp nhập")
    reason = forms.CharField(
        label="Lý do", max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )


class BlocForm(PortalForm):
    kind = forms.ChoiceField(label="Loại", choices=BlocKind.choices)
    name = forms.CharField(label="Tên cụm, khối", max_length=255)
    description = forms.CharField(
        label="Mô tả", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class BlocUpdateForm(BlocForm):
    rotation_rule = forms.ChoiceField(
        label="Cách luân phiên trưởng cụm/khối", choices=RotationRule.choices
    )
    is_active = forms.BooleanField(label="Đang hoạt động", required=False)


class BlocMemberForm(PortalForm):
    unit = forms.ModelChoiceField(label="Đơn vị thành viên", queryset=Unit.objects.none())
    joined_on = date_field("Tham gia từ ngày", required=False)

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = candidates


class BlocLeaveForm(PortalForm):
    left_on = date_field("Rời cụm, khối từ ngày")


def current_year() -> int:
    return timezone.localdate().year


class BlocTermForm(PortalForm):
    year = forms.IntegerField(label="Năm", min_value=2000, max_value=2100, initial=current_year)
    head = forms.ModelChoiceField(label="Trưởng cụm/khối", queryset=Unit.objects.none())
    deputy = forms.ModelChoiceField(
        label="Phó cụm/khối", queryset=Unit.objects.none(), required=False
    )

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["head"].queryset = members
        self.fields["deputy"].queryset = members


class BlocRotateForm(PortalForm):
    year = forms.IntegerField(
        label="Năm",
        min_value=2000,
        max_value=2100,
        widget=forms.NumberInput(
            attrs={"class": "form-control form-control-sm", "style": "max-width: 7rem"}
        ),
    )


class PersonForm(PortalForm):
    full_name = forms.CharField(label="Họ và tên", max_length=150)
    gender = forms.ChoiceField(label="Giới tính", choices=Gender.choices)
    birth_year = forms.IntegerField(
        label="Năm sinh", min_value=1900, max_value=2100, required=False
    )
    ethnicity = forms.CharField(label="Dân tộc", max_length=50, initial="Kinh")
    position = forms.CharField(label="Chức vụ", max_length=150, required=False)
    is_manager = forms.BooleanField(label="Là lãnh đạo, quản lý", required=False)
    is_direct_worker = forms.BooleanField(label="Là người lao động trực tiếp", required=False)


class PersonMoveForm(PortalForm):
    to_unit = forms.ModelChoiceField(label="Chuyển đến đơn vị", queryset=Unit.objects.none())

    def __init__(self, *args, destinations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_unit"].queryset = destinations


class MembershipForm(PortalForm):
    username = forms.CharField(
        label="Tên đăng nhập của tài khoản",
        max_length=150,
        help_text="Tài khoản đã có trên cổng; quản trị hệ thống cấp tài khoản mới.",
    )
    role = forms.ChoiceField(label="Vai trò", choices=Role.choices)

    def clean_username(self) -> User:
        username = self.cleaned_data["username"]
        user = User.objects.filter(username__iexact=username, is_active=True).first()
        if user is None:
            raise forms.ValidationError("Không có tài khoản đang hoạt động với tên đăng nhập này.")
        return user


class ConfirmForm(PortalForm):
    """A POST with nothing to fill in (e.g. revoking a role): the button is the input."""


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "Tên đăng nhập hoặc mật khẩu không đúng. Lưu ý: mật khẩu phân biệt "
        "chữ hoa, chữ thường; đăng nhập sai nhiều lần tài khoản sẽ bị tạm khóa.",
        "inactive": "Tài khoản này đã bị khóa. Hãy liên hệ quản trị hệ thống.",
    }
