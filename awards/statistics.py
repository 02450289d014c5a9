"""Award statistics within what a user may see: by kind and level, the shares the launch
directives watch (direct workers vs leaders, women, ethnic minorities), time to decision, a
breakdown per unit, per level and year, and how much of each cap and campaign quota is used.

Counts come from the award history (standing awards, imported ones included); the time from
submission to decision from the dossiers decided in the portal. Every breakdown is one grouped
query, so the page costs the same whatever the number of units or awards.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, Q
from django.db.models.functions import Coalesce, Substr
from django.utils import timezone
from openpyxl import Workbook

from awards.models import AwardForm, AwardRecord, EmulationTitle, Level, Nomination, RecipientKind
from awards.rules import quotas
from awards.rules.rulebook import Rulebook
from campaigns.models import Campaign
from portal import access
from portal.excel import set_up_sheet, workbook_bytes
from portal.models import Unit
from portal.models.units import PATH_STEP

MAJORITY_ETHNICITY = "Kinh"


@dataclass
class Share:
    label: str
    count: int
    total: int

    @property
    def percent(self) -> float:
        return round(self.count * 100 / self.total, 1) if self.total else 0.0


SHARE_LABELS = (
    ("direct", "Người lao động trực tiếp"),
    ("managers", "Lãnh đạo, quản lý"),
    ("women", "Nữ"),
    ("minorities", "Người dân tộc thiểu số"),
)


def _share_counts() -> dict:
    """Aggregates over award records: the individual awards and the watched groups among them."""
    individual = Q(recipient_kind=RecipientKind.INDIVIDUAL)
    return {
        "individuals": Count("pk", filter=individual),
        "direct": Count("pk", filter=individual & Q(person__is_direct_worker=True)),
        "managers": Count("pk", filter=individual & Q(person__is_manager=True)),
        "women": Count("pk", filter=individual & Q(person__gender="female")),
        "minorities": Count("pk", filter=individual & ~Q(person__ethnicity=MAJORITY_ETHNICITY)),
    }


@dataclass
class UnitRow:
    """One unit's awards (its whole subtree): by recipient kind, titles vs forms, shares."""

    name: str
    pk: int | None = None  # set for the child units one may drill down into
    total: int = 0
    individuals: int = 0
    collectives: int = 0
    households: int = 0
    titles: int = 0
    forms: int = 0
    shares: list[Share] = field(default_factory=list)

    def bar(self, largest: int) -> float:
        return round(self.total * 100 / largest, 1) if largest else 0.0


@dataclass
class CapUse:
    """A cap of the rules in force or a campaign quota: its limit, what is used, what is left."""

    source: str  # the article, or the campaign
    item: str
    scope: str  # the unit the cap is counted in
    limit: int
    used: int

    @property
    def remaining(self) -> int:
        return max(self.limit - self.used, 0)

    @property
    def percent_used(self) -> float:
        if not self.limit:
            return 100.0 if self.used else 0.0
        return min(round(self.used * 100 / self.limit, 1), 100.0)


@dataclass
class Report:
    year: int | None
    unit: Unit | None = None  # the unit the per-unit breakdown and the caps are about
    by_item: list[tuple[str, str, str, int]] = field(default_factory=list)
    by_recipient: list[tuple[str, int]] = field(default_factory=list)
    shares: list[Share] = field(default_factory=list)
    decided: int = 0
    mean_days: float | None = None
    median_days: float | None = None
    by_unit: list[UnitRow] = field(default_factory=list)
    levels: list[str] = field(default_factory=list)
    by_level_year: list[tuple[int, list[int]]] = field(default_factory=list)
    caps: list[CapUse] = field(default_factory=list)
    cap_year: int | None = None

    @property
    def total(self) -> int:
        return sum(row[3] for row in self.by_item)

    @property
    def largest_unit(self) -> int:
        return max((row.total for row in self.by_unit), default=0)

    @property
    def units_with_awards(self) -> list[UnitRow]:
        """The page charts these, most awarded first; ~160 wards of which most have none would
        bury the few that count (the Excel export keeps every row)."""
        return sorted((row for row in self.by_unit if row.total), key=lambda row: -row.total)

    @property
    def units_without_awards(self) -> list[UnitRow]:
        return [row for row in self.by_unit if not row.total]


def scope_root(user, unit: Unit | None = None) -> Unit | None:
    """The unit the breakdown is about: the one chosen (if visible), else the user's own root."""
    if unit is not None:
        return Unit.objects.visible_to(user).filter(pk=unit.pk).first()
    if access.sees_everything(user):
        return Unit.objects.filter(parent__isnull=True).order_by("path").first()
    roots = sorted(
        (m.unit for m in access.memberships_of(user)),
        key=lambda u: (len(u.path), u.path),
    )
    return roots[0] if roots else None


def compute(user, *, year: int | None = None, unit: Unit | None = None) -> Report:
    visible = AwardRecord.objects.visible_to(user).standing()
    records = visible.filter(year=year) if year else visible
    report = Report(year=year, unit=scope_root(user, unit))
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
    facts = people.aggregate(**_share_counts())
    total = facts["individuals"]
    report.shares = [Share(label, facts[key], total) for key, label in SHARE_LABELS]
    decided = Nomination.objects.visible_to(user).filter(
        decided_on__isnull=False, submitted_on__isnull=False
    )
    if year:
        decided = decided.filter(year=year)
    report.decided, report.mean_days, report.median_days = _time_to_decision(decided)
    report.levels, report.by_level_year = _by_level_year(records)
    if report.unit is not None:
        report.by_unit = _by_unit(records, report.unit)
        report.cap_year = year or timezone.localdate().year
        report.caps = _rule_caps(visible, report.unit, report.cap_year) + _quota_caps(
            user, report.cap_year
        )
    return report


def _time_to_decision(decided) -> tuple[int, float | None, float | None]:
    """How many dossiers were decided, and the mean and median days from submission to
    decision, worked out in the database (a province has tens of thousands of dossiers)."""
    waited = decided.annotate(
        waited=ExpressionWrapper(F("decided_on") - F("submitted_on"), output_field=DurationField())
    )
    facts = waited.aggregate(count=Count("pk"), mean=Avg("waited"))
    count = facts["count"]
    if not count:
        return 0, None, None
    middle = list(
        waited.order_by("waited").values_list("waited", flat=True)[
            (count - 1) // 2 : count // 2 + 1
        ]
    )
    mean_days = facts["mean"].total_seconds() / 86400
    median_days = sum(d.total_seconds() for d in middle) / len(middle) / 86400
    return count, round(mean_days, 1), float(median_days)


def _subject_path():
    return Coalesce("person__unit__path", "unit__path")


def _by_unit(records, root: Unit) -> list[UnitRow]:
    """The root's child units (each with its subtree) and the root's own awards, in one query."""
    width = len(root.path) + PATH_STEP
    rows = (
        records.filter(
            Q(person__unit__path__startswith=root.path) | Q(unit__path__startswith=root.path)
        )
        .annotate(branch=Substr(_subject_path(), 1, width))
        .values("branch")
        .annotate(
            total=Count("pk"),
            collectives=Count("pk", filter=Q(recipient_kind=RecipientKind.COLLECTIVE)),
            households=Count("pk", filter=Q(recipient_kind=RecipientKind.HOUSEHOLD)),
            titles=Count("pk", filter=Q(title__isnull=False)),
            forms=Count("pk", filter=Q(award_form__isnull=False)),
            **_share_counts(),
        )
    )
    found = {row["branch"]: row for row in rows}
    children = Unit.objects.filter(parent=root).order_by("path").only("name", "path", "valid_to")
    named = [(child.path, child.pk, child.name, child.valid_to is None) for child in children]
    named.insert(0, (root.path, None, f"{root.name} (trực tiếp)", False))
    result = []
    for path, pk, name, always in named:
        row = found.get(path)
        if row is None and not always:
            continue
        row = row or {}
        individuals = row.get("individuals", 0)
        result.append(
            UnitRow(
                name=name,
                pk=pk,
                total=row.get("total", 0),
                individuals=individuals,
                collectives=row.get("collectives", 0),
                households=row.get("households", 0),
                titles=row.get("titles", 0),
                forms=row.get("forms", 0),
                shares=[Share(label, row.get(key, 0), individuals) for key, label in SHARE_LABELS],
            )
        )
    return result


def _by_level_year(records) -> tuple[list[str], list[tuple[int, list[int]]]]:
    """Awards per year (rows) and conferring level (columns), newest year first."""
    rows = records.values("year", "title__level", "award_form__level").annotate(n=Count("pk"))
    levels = list(Level.values)
    table: dict[int, list[int]] = {}
    for row in rows:
        level = row["title__level"] or row["award_form__level"]
        if level not in levels:
            continue
        table.setdefault(row["year"], [0] * len(levels))[levels.index(level)] += row["n"]
    labels = [Level(level).label for level in levels]
    return labels, sorted(table.items(), reverse=True)


def _rule_caps(visible, root: Unit, year: int) -> list[CapUse]:
    """The caps of the rules in force for `root`, counted over the root's subtree in `year`."""
    rules = Rulebook.for_day(timezone.localdate(), root)
    caps = rules.all_caps() if rules is not None else []
    if not caps:
        return []
    in_root = Q(person__unit__path__startswith=root.path) | Q(unit__path__startswith=root.path)
    counts = {
        (row["title_id"], row["award_form_id"]): row["n"]
        for row in visible.filter(in_root, year=year)
        .values("title_id", "award_form_id")
        .annotate(n=Count("pk"))
    }
    titles = dict(EmulationTitle.objects.values_list("pk", "name"))
    forms = dict(AwardForm.objects.values_list("pk", "name"))
    uses = []
    for cap in caps:
        used = counts.get((cap.title_id, cap.award_form_id), 0)
        name = titles[cap.title_id] if cap.title_id else forms[cap.award_form_id]
        if cap.max_count is not None:
            uses.append(CapUse(cap.article, name, root.name, cap.max_count, used))
        if cap.max_percent is not None:
            base = counts.get((cap.base_title_id, None), 0)
            uses.append(CapUse(cap.article, name, root.name, base * cap.max_percent // 100, used))
    return uses


def _quota_caps(user, year: int) -> list[CapUse]:
    """The quotas of the campaigns the user sees that run in `year`."""
    campaigns = Campaign.objects.visible_to(user).filter(
        starts_on__lte=datetime.date(year, 12, 31), ends_on__gte=datetime.date(year, 1, 1)
    )
    return [
        CapUse(
            f"{line.quota.article} ({line.quota.campaign.title})",
            line.quota.item.name,
            line.unit_name,
            line.quota.limit,
            line.used,
        )
        for line in quotas.quota_uses(campaigns, user)
    ]


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
    units = book.create_sheet("Theo đơn vị")
    units.append([f"Đơn vị thuộc: {report.unit.name}" if report.unit else "Đơn vị"])
    units.append(
        [
            "Đơn vị",
            "Tổng số",
            "Cá nhân",
            "Tập thể",
            "Hộ gia đình",
            "Danh hiệu thi đua",
            "Hình thức khen thưởng",
            *(f"{label} (%)" for _, label in SHARE_LABELS),
        ]
    )
    for row in report.by_unit:
        units.append(
            [
                row.name,
                row.total,
                row.individuals,
                row.collectives,
                row.households,
                row.titles,
                row.forms,
                *(share.percent for share in row.shares),
            ]
        )
    levels = book.create_sheet("Theo cấp và năm")
    levels.append(["Năm", *report.levels, "Tổng"])
    for year, counts in report.by_level_year:
        levels.append([year, *counts, sum(counts)])
    caps = book.create_sheet("Giới hạn, chỉ tiêu")
    caps.append([f"Năm {report.cap_year}" if report.cap_year else ""])
    caps.append(["Căn cứ", "Danh hiệu / hình thức", "Phạm vi", "Tối đa", "Đã khen", "Còn lại"])
    for cap in report.caps:
        caps.append([cap.source, cap.item, cap.scope, cap.limit, cap.used, cap.remaining])
    for page, header_row in ((sheet, 1), (shares, 1), (timing, None), (units, 2), (levels, 1)):
        set_up_sheet(page, header_row=header_row)
    set_up_sheet(caps, header_row=2)
    # Unit and village names are user input: the writer stores formula-like text as text.
    return workbook_bytes(book)
