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
