"""Award statistics within what a user may see: by kind and level, the shares the launch
directives watch (direct workers vs leaders, women, ethnic minorities), time to decision, a
breakdown per unit, per level and year, and how much of each cap and campaign quota is used.

Counts come from the award history (standing awards, imported ones included), summed from
the counts PostgreSQL keeps per branch (`awards.models.tallies.AwardTally`, `AwardUnitTally`):
the rows of the few branches the user sees, or of the chosen unit and its children, whatever
the number of awards (on SQLite, which keeps none, the records are counted). The time from
submission to decision comes from the dossiers decided in the portal.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from openpyxl import Workbook

from awards.models import (
    AwardForm,
    AwardRecord,
    AwardTally,
    AwardUnitTally,
    EmulationTitle,
    Level,
    Nomination,
    RecipientKind,
)
from awards.rules import quotas
from awards.rules.rulebook import Rulebook
from campaigns.models import Campaign
from portal import access
from portal.excel import set_up_sheet, workbook_bytes
from portal.models import Unit

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


SHARE_KEYS = ("direct", "managers", "women", "minorities")
UNIT_KEYS = ("count", "individuals", "collectives", "households", "titles", "forms", *SHARE_KEYS)


def _share_counts() -> dict:
    """Aggregates over award records: the watched groups among the individual awards (the same
    groups `AwardTally` keeps; migration 0024 freezes them)."""
    individual = Q(recipient_kind=RecipientKind.INDIVIDUAL)
    return {
        "direct": Count("pk", filter=individual & Q(person__is_direct_worker=True)),
        "managers": Count("pk", filter=individual & Q(person__is_manager=True)),
        "women": Count("pk", filter=individual & Q(person__gender="female")),
        "minorities": Count("pk", filter=individual & ~Q(person__ethnicity=MAJORITY_ETHNICITY)),
    }


def _kept() -> bool:
    return connection.vendor == "postgresql"  # the tallies' triggers are PostgreSQL's


def _within(roots: list[str] | None, path: str) -> list[str]:
    """The branches whose awards the user sees within the branch at `path`: the branch itself
    when a visible branch holds it, else the visible branches inside it."""
    if roots is None or any(path.startswith(root) for root in roots):
        return [path]
    return [root for root in roots if root.startswith(path)]


def _records_in(paths: list[str]) -> Q:
    condition = Q(pk__in=[])
    for path in paths:
        condition |= Q(person__unit__path__startswith=path) | Q(unit__path__startswith=path)
    return condition


def _item_rows(roots: list[str] | None, year: int | None) -> list[dict]:
    """The standing awards in the branches `roots` (None: everything) per year, recipient kind
    and item (with the item's name and level) and their shares: one grouped query."""
    fields = (
        "year",
        "recipient_kind",
        "title__name",
        "title__level",
        "award_form__name",
        "award_form__level",
    )
    if _kept():
        return _kept_item_rows(roots, year, (*fields, "count", *SHARE_KEYS))
    # SQLite: count the records themselves.
    records = AwardRecord.objects.standing()
    if roots is not None:
        records = records.filter(_records_in(roots))
    if year:
        records = records.filter(year=year)
    return list(records.values(*fields).annotate(count=Count("pk"), **_share_counts()).order_by())


def _kept_item_rows(roots: list[str] | None, year: int | None, keys: tuple) -> list[dict]:
    """`_item_rows` from the kept tallies, written out: building and compiling this one
    grouped query through the ORM cost more than the rest of the statistics page (#16)."""
    params: list = []
    if roots is None:
        where = f"t.path IN (SELECT path FROM {Unit._meta.db_table} WHERE parent_id IS NULL)"
    else:
        where, params = "t.path = ANY(%s)", [roots]
    if year:
        where += " AND t.year = %s"
        params.append(year)
    sql = (
        "SELECT t.year, t.recipient_kind, ti.name, ti.level, f.name, f.level, SUM(t.count), "
        "SUM(t.direct), SUM(t.managers), SUM(t.women), SUM(t.minorities) "
        f"FROM {AwardTally._meta.db_table} t "
        f"LEFT JOIN {EmulationTitle._meta.db_table} ti ON ti.id = t.title_id "
        f"LEFT JOIN {AwardForm._meta.db_table} f ON f.id = t.award_form_id "
        f"WHERE {where} GROUP BY 1, 2, 3, 4, 5, 6"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [dict(zip(keys, row, strict=True)) for row in cursor.fetchall()]


def _branch_rows(paths: list[str], year: int | None) -> dict[str, dict]:
    """For each branch path, its standing awards per recipient kind, titles vs forms and
    shares (all years, or `year`)."""
    if _kept():
        rows = AwardUnitTally.objects.filter(path__in=paths)
        if year:
            rows = rows.filter(year=year)
        sums = {key: Sum(key) for key in UNIT_KEYS}
        return {row["path"]: row for row in rows.values("path").annotate(**sums).order_by()}
    # SQLite: count the records per subject unit (one query), then add them up per branch.
    records = AwardRecord.objects.standing().filter(_records_in(paths))
    if year:
        records = records.filter(year=year)
    per_unit = records.values(subject=Coalesce("person__unit__path", "unit__path")).annotate(
        count=Count("pk"),
        individuals=Count("pk", filter=Q(recipient_kind=RecipientKind.INDIVIDUAL)),
        collectives=Count("pk", filter=Q(recipient_kind=RecipientKind.COLLECTIVE)),
        households=Count("pk", filter=Q(recipient_kind=RecipientKind.HOUSEHOLD)),
        titles=Count("pk", filter=Q(title__isnull=False)),
        forms=Count("pk", filter=Q(award_form__isnull=False)),
        **_share_counts(),
    )
    found: dict[str, dict] = {}
    for row in per_unit.order_by():
        for path in paths:
            if row["subject"].startswith(path):
                sums = found.setdefault(path, dict.fromkeys(UNIT_KEYS, 0))
                for key in UNIT_KEYS:
                    sums[key] += row[key]
    return found


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


def compute(
    user,
    *,
    year: int | None = None,
    unit: Unit | None = None,
    overall: bool = True,
    units: bool = True,
) -> Report:
    """The report; `overall` its sums by item, recipient, share, level and year and the time
    to decision, `units` its breakdown per unit and the caps (the page loads those after)."""
    roots = access.view_roots(user)
    report = Report(year=year, unit=scope_root(user, unit))
    if overall:
        _overall(report, user, roots, year)
    if units and report.unit is not None:
        report.by_unit = _by_unit(roots, report.unit, year)
        report.cap_year = year or timezone.localdate().year
        report.caps = _rule_caps(roots, report.unit, report.cap_year) + _quota_caps(
            user, report.cap_year
        )
    return report


def _overall(report: Report, user, roots: list[str] | None, year: int | None) -> None:
    rows = [] if roots == [] else _item_rows(roots, year)
    items: Counter = Counter()
    kinds: Counter = Counter()
    shares: Counter = Counter()
    levels = list(Level.values)
    table: dict[int, list[int]] = {}
    for row in rows:
        is_title = row["title__name"] is not None
        name = row["title__name"] if is_title else row["award_form__name"]
        level = row["title__level"] if is_title else row["award_form__level"]
        items[(is_title, name, level)] += row["count"]
        kinds[row["recipient_kind"]] += row["count"]
        if row["recipient_kind"] == RecipientKind.INDIVIDUAL:
            shares.update({key: row[key] for key in SHARE_KEYS})
        if level in levels:
            table.setdefault(row["year"], [0] * len(levels))[levels.index(level)] += row["count"]
    for (is_title, name, level), count in sorted(items.items(), key=lambda i: (-i[1], i[0][1])):
        if not count:
            continue
        kind = "Danh hiệu thi đua" if is_title else "Hình thức khen thưởng"
        report.by_item.append((kind, name, Level(level).label if level else "", count))
    report.by_recipient = [(label, kinds.get(value, 0)) for value, label in RecipientKind.choices]
    total = kinds.get(RecipientKind.INDIVIDUAL, 0)
    report.shares = [Share(label, shares[key], total) for key, label in SHARE_LABELS]
    report.levels = [Level(level).label for level in levels]
    report.by_level_year = sorted(
        ((year_, counts) for year_, counts in table.items() if any(counts)), reverse=True
    )
    decided = Nomination.objects.visible_to(user).filter(
        decided_on__isnull=False, submitted_on__isnull=False
    )
    if year:
        decided = decided.filter(year=year)
    report.decided, report.mean_days, report.median_days = _time_to_decision(decided)


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


def _by_unit(roots: list[str] | None, root: Unit, year: int | None) -> list[UnitRow]:
    """The root's child units (each with its subtree) and the root's own awards (the root's
    branch less its children's), within what the user sees: one query for the children, one
    for their kept sums."""
    children = Unit.objects.filter(parent=root).order_by("path").only("name", "path", "valid_to")
    named = [(child.path, child.pk, child.name, child.valid_to is None) for child in children]
    parts = {path: _within(roots, path) for path, *_ in named}
    parts[root.path] = _within(roots, root.path)
    found = _branch_rows(sorted({p for paths in parts.values() for p in paths}), year)

    def sums(path: str) -> dict[str, int]:
        return {
            key: sum((found.get(p) or {}).get(key) or 0 for p in parts[path]) for key in UNIT_KEYS
        }

    branches = {path: sums(path) for path, *_ in named}
    own = sums(root.path)
    for branch in branches.values():
        for key in UNIT_KEYS:
            own[key] -= branch[key]
    result = []
    for path, pk, name, always in [(root.path, None, f"{root.name} (trực tiếp)", False), *named]:
        row = own if pk is None else branches[path]
        if not row["count"] and not always:
            continue
        individuals = row["individuals"]
        result.append(
            UnitRow(
                name=name,
                pk=pk,
                total=row["count"],
                individuals=individuals,
                collectives=row["collectives"],
                households=row["households"],
                titles=row["titles"],
                forms=row["forms"],
                shares=[Share(label, row[key], individuals) for key, label in SHARE_LABELS],
            )
        )
    return result


def _rule_caps(roots: list[str] | None, root: Unit, year: int) -> list[CapUse]:
    """The caps of the rules in force for `root`, counted over the root's subtree in `year`."""
    rules = Rulebook.for_day(timezone.localdate(), root)
    caps = rules.all_caps() if rules is not None else []
    if not caps:
        return []
    paths = _within(roots, root.path)
    if _kept():
        rows = AwardTally.objects.filter(path__in=paths, year=year)
        grouped = rows.values("title_id", "award_form_id").annotate(n=Sum("count"))
    else:
        rows = AwardRecord.objects.standing().filter(_records_in(paths), year=year)
        grouped = rows.values("title_id", "award_form_id").annotate(n=Count("pk"))
    counts = {(row["title_id"], row["award_form_id"]): row["n"] for row in grouped.order_by()}
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
