"""Award statistics within what a user may see: by kind and level, the shares the launch
directives watch (direct workers vs leaders, women, ethnic minorities), and time to decision.

Counts come from the award history (standing awards, imported ones included); the time from
submission to decision from the dossiers decided in the portal.
"""

from __future__ import annotations

import io
from collections import Counter
from dataclasses import dataclass, field
from statistics import mean, median

from django.db.models import Count, Q
from openpyxl import Workbook

from .models import AwardRecord, Level, Nomination, RecipientKind

MAJORITY_ETHNICITY = "Kinh"


@dataclass
class Share:
    label: str
    count: int
    total: int

    @property
    def percent(self) -> float:
        return round(self.count * 100 / self.total, 1) if self.total else 0.0


@dataclass
class Report:
    year: int | None
    by_item: list[tuple[str, str, str, int]] = field(default_factory=list)
    by_recipient: list[tuple[str, int]] = field(default_factory=list)
    shares: list[Share] = field(default_factory=list)
    decided: int = 0
    mean_days: float | None = None
    median_days: float | None = None

    @property
    def total(self) -> int:
        return sum(row[3] for row in self.by_item)


def compute(user, *, year: int | None = None) -> Report:
    records = AwardRecord.objects.visible_to(user).standing()
    if year:
        records = records.filter(year=year)
    report = Report(year=year)
    rows = (
        records.values("title__name", "title__level", "award_form__name", "award_form__level")
        .annotate(n=Count("pk"))
        .order_by("-n")
    )
    for row in rows:
        is_title = row["title__name"] is not None
        name = row["title__name"] if is_title else row["award_form__name"]
        level = row["title__level"] if is_title else row["award_form__level"]
        kind = "Danh hiệu thi đua" if is_title else "Hình thức khen thưởng"
        report.by_item.append((kind, name, Level(level).label if level else "", row["n"]))
    kinds = Counter(dict(records.values_list("recipient_kind").annotate(n=Count("pk"))))
    report.by_recipient = [(label, kinds.get(value, 0)) for value, label in RecipientKind.choices]
    people = records.filter(recipient_kind=RecipientKind.INDIVIDUAL)
    facts = people.aggregate(
        total=Count("pk"),
        direct=Count("pk", filter=Q(person__is_direct_worker=True)),
        managers=Count("pk", filter=Q(person__is_manager=True)),
        women=Count("pk", filter=Q(person__gender="female")),
        minorities=Count("pk", filter=~Q(person__ethnicity=MAJORITY_ETHNICITY)),
    )
    total = facts["total"]
    report.shares = [
        Share("Người lao động trực tiếp", facts["direct"], total),
        Share("Lãnh đạo, quản lý", facts["managers"], total),
        Share("Nữ", facts["women"], total),
        Share("Người dân tộc thiểu số", facts["minorities"], total),
    ]
    decided = Nomination.objects.visible_to(user).filter(
        decided_on__isnull=False, submitted_on__isnull=False
    )
    if year:
        decided = decided.filter(year=year)
    days = [(d - s).days for s, d in decided.values_list("submitted_on", "decided_on")]
    report.decided = len(days)
    if days:
        report.mean_days = round(mean(days), 1)
        report.median_days = float(median(days))
    return report


def workbook(report: Report) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Theo hình thức"
    sheet.append(["Loại", "Danh hiệu / hình thức", "Cấp", "Số lượng"])
    for row in report.by_item:
        sheet.append(list(row))
    sheet.append(["", "Tổng cộng", "", report.total])
    shares = book.create_sheet("Tỉ lệ")
    shares.append(["Nhóm", "Số cá nhân", "Trên tổng số cá nhân", "Tỉ lệ (%)"])
    for share in report.shares:
        shares.append([share.label, share.count, share.total, share.percent])
    shares.append([])
    shares.append(["Đối tượng", "Số lượng"])
    for label, count in report.by_recipient:
        shares.append([label, count])
    timing = book.create_sheet("Thời gian xử lý")
    timing.append(["Số hồ sơ đã có quyết định", report.decided])
    timing.append(["Bình quân (ngày, từ khi trình đến quyết định)", report.mean_days])
    timing.append(["Trung vị (ngày)", report.median_days])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
