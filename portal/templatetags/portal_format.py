"""Template filters for how officials read things."""

import datetime

from django import template

register = template.Library()


@register.filter
def vi_duration(value: datetime.timedelta | None) -> str:
    """A duration in Vietnamese words: "30 phút", "1 giờ 30 phút"."""
    if not value:
        return ""
    minutes = max(1, round(value.total_seconds() / 60))
    hours, minutes = divmod(minutes, 60)
    parts = [f"{hours} giờ"] if hours else []
    if minutes:
        parts.append(f"{minutes} phút")
    return " ".join(parts)


# The attribute names of a certificate's subject as pyHanko writes them ("Common Name: …,
# Organization: …"), in Vietnamese for the verification page.
SUBJECT_NAMES = {
    "Common Name": "Tên",
    "Organizational Unit": "Bộ phận",
    "Organization": "Tổ chức",
    "Locality": "Địa phương",
    "State/Province": "Tỉnh/thành phố",
    "Country": "Quốc gia",
    "Email Address": "Thư điện tử",
    "Serial Number": "Số hiệu",
    "Title": "Chức danh",
}


@register.filter
def certificate_subject(value: str | None) -> str:
    """ "Common Name: Sở Nội vụ, Country: VN" → "Tên: Sở Nội vụ, Quốc gia: VN"."""
    text = value or ""
    for english, vietnamese in SUBJECT_NAMES.items():
        text = text.replace(f"{english}: ", f"{vietnamese}: ")
    return text
