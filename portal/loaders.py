"""Load the national catalogue of administrative units from the `vietnam-provinces` package.

Today's two-level structure (province → commune/ward, in force since 01/07/2025) is loaded under
`CodeScheme.CURRENT`; the pre-July-2025 three-level structure (province → district → commune)
under `CodeScheme.LEGACY`, closed on 30/06/2025 and linked to today's units through
`Unit.merged_from` as the package's conversion tables say.

Codes are stored in the national catalogue's fixed widths (province 2 digits, district 3,
commune 5: "01", "001", "00004"): levels share one code space per scheme, and the package's
bare integers collide across levels (province 4 and ward 4 both exist).

Loading is idempotent: units are matched on (scheme, code), only differing names or kinds are
updated, and dates and parents set by later local decisions are left alone.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction
from simple_history.utils import bulk_create_with_history, bulk_update_with_history
from vietnam_provinces import Province as NationalProvince
from vietnam_provinces import VietNamDivisionType as DivisionType
from vietnam_provinces import Ward as NationalWard
from vietnam_provinces import legacy

from portal.models import CodeScheme, Unit, UnitKind
from portal.models.units import PATH_STEP
from portal.services import next_child_paths
from portal.text import fold

CURRENT_FROM = datetime.date(2025, 7, 1)
LEGACY_UNTIL = datetime.date(2025, 6, 30)
LOAD_REASON = "portal.unit.loaded"
ADMINISTRATIVE_ABBREVIATION = "UBND"

PROVINCE_CODE_WIDTH = 2
DISTRICT_CODE_WIDTH = 3
COMMUNE_CODE_WIDTH = 5

# Division type → (our kind, the name prefix it stands for). The package spells a few prefixes
# irregularly ("xã Bắc Sơn", "Thành Phố Đồng Hới"); names are rebuilt with these prefixes.
CURRENT_TYPES: dict[str, tuple[str, str]] = {
    DivisionType.TINH: (UnitKind.PROVINCE, "Tỉnh"),
    DivisionType.THANH_PHO_TRUNG_UONG: (UnitKind.CENTRAL_CITY, "Thành phố"),
    DivisionType.XA: (UnitKind.COMMUNE, "Xã"),
    DivisionType.PHUONG: (UnitKind.WARD, "Phường"),
    DivisionType.DAC_KHU: (UnitKind.SPECIAL_ZONE, "Đặc khu"),
}
LEGACY_TYPES: dict[str, tuple[str, str]] = {
    legacy.VietNamDivisionType.TINH: (UnitKind.PROVINCE, "Tỉnh"),
    legacy.VietNamDivisionType.THANH_PHO_TRUNG_UONG: (UnitKind.CENTRAL_CITY, "Thành phố"),
    legacy.VietNamDivisionType.HUYEN: (UnitKind.DISTRICT, "Huyện"),
    legacy.VietNamDivisionType.QUAN: (UnitKind.URBAN_DISTRICT, "Quận"),
    legacy.VietNamDivisionType.THI_XA: (UnitKind.TOWN, "Thị xã"),
    legacy.VietNamDivisionType.THANH_PHO: (UnitKind.PROVINCIAL_CITY, "Thành phố"),
    legacy.VietNamDivisionType.XA: (UnitKind.COMMUNE, "Xã"),
    legacy.VietNamDivisionType.PHUONG: (UnitKind.WARD, "Phường"),
    legacy.VietNamDivisionType.THI_TRAN: (UnitKind.TOWNSHIP, "Thị trấn"),
}

LEVEL_PROVINCES = "Tỉnh, thành phố"
LEVEL_COMMUNES = "Xã, phường, đặc khu"
LEVEL_LEGACY_PROVINCES = "Tỉnh, thành phố (trước 01/07/2025)"
LEVEL_LEGACY_DISTRICTS = "Quận, huyện, thị xã, thành phố thuộc tỉnh (trước 01/07/2025)"
LEVEL_LEGACY_COMMUNES = "Xã, phường, thị trấn (trước 01/07/2025)"

# Descriptive fields the package owns; everything else on a loaded unit is the portal's.
SYNCED_FIELDS = ["name", "short_name", "kind", "abbreviation", "search_name"]


class UnknownProvince(LookupError):
    """The query names no province of today's catalogue; the message says so in Vietnamese."""


@dataclass
class LevelCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass
class LoadReport:
    levels: dict[str, LevelCounts] = field(default_factory=dict)
    links_added: int = 0

    @property
    def changed(self) -> bool:
        return self.links_added > 0 or any(c.created or c.updated for c in self.levels.values())

    def lines(self) -> list[str]:
        """The counts as the command prints them, in Vietnamese."""
        lines = [
            f"{label}: tạo mới {c.created}, cập nhật {c.updated}, không đổi {c.unchanged}"
            for label, c in self.levels.items()
        ]
        if self.links_added:
            lines.append(f"Liên kết “hình thành từ” thêm mới: {self.links_added}")
        if not self.changed:
            lines.append("Không có thay đổi.")
        return lines


@dataclass(frozen=True)
class _Spec:
    """One unit as the package describes it."""

    code: str
    kind: str
    name: str
    short_name: str
    parent_code: str | None = None


def padded(code: int, width: int) -> str:
    return str(int(code)).zfill(width)


def split_name(raw: str, prefix: str) -> tuple[str, str]:
    """(full name with the canonical type prefix, proper name used as the place name).

    Decree 30/2020 writes a unit named by a number with its full name as the place name
    ("Phường 12", "Quận 1"), so such names keep their prefix in the short name too.
    """
    raw = " ".join(raw.split())
    proper = raw[len(prefix) :].strip() if raw.casefold().startswith(prefix.casefold()) else raw
    name = f"{prefix} {proper}"
    return name, (name if proper.isdigit() else proper)


def _spec(item, types: dict[str, tuple[str, str]], width: int, parent_code: str | None) -> _Spec:
    kind, prefix = types[item.division_type]
    name, short_name = split_name(item.name, prefix)
    return _Spec(padded(item.code, width), kind, name, short_name, parent_code)


def find_province(query: str) -> NationalProvince:
    """Today's province or centrally-run city named by `query`: a code or a name.

    Names are matched ignoring accents, case, Unicode form and the type prefix, so "75",
    "Đồng Nai", "dong nai" and "Thành phố Đồng Nai" all find the same unit.
    """
    text = " ".join(str(query).split())
    if text.isdigit():
        for province in NationalProvince.iter_all():
            if int(province.code) == int(text):
                return province
        raise UnknownProvince(
            f"Không có tỉnh, thành phố nào mang mã “{text}” trong danh mục hiện hành."
        )
    wanted = _proper_fold(text)
    for province in NationalProvince.iter_all():
        if _proper_fold(province.name) == wanted:
            return province
    raise UnknownProvince(_unknown_name_message(text, wanted))


def _proper_fold(name: str) -> str:
    folded = fold(name)
    for prefix in ("thanh pho ", "tinh ", "tp. ", "tp "):
        if folded.startswith(prefix):
            return folded[len(prefix) :].strip()
    return folded


def _unknown_name_message(text: str, wanted: str) -> str:
    message = f"Không tìm thấy tỉnh, thành phố “{text}” trong danh mục đơn vị hành chính hiện hành."
    for old in legacy.Province.iter_all():
        if _proper_fold(old.name) == wanted:
            successors = NationalProvince.search_from_legacy(code=int(old.code))
            if successors:
                new = successors[0].province
                return (
                    f"{message} {old.name} đã sáp nhập vào {new.name} "
                    f"(mã {padded(new.code, PROVINCE_CODE_WIDTH)}) từ 01/07/2025."
                )
    close = [p for p in NationalProvince.iter_all() if wanted and wanted in _proper_fold(p.name)]
    if close:
        names = ", ".join(f"{p.name} ({padded(p.code, PROVINCE_CODE_WIDTH)})" for p in close)
        return f"{message} Có phải: {names}?"
    return message


def all_provinces() -> list[NationalProvince]:
    return sorted(NationalProvince.iter_all(), key=lambda p: int(p.code))


@transaction.atomic
def load_units(provinces: Iterable[NationalProvince], *, legacy_too: bool = False) -> LoadReport:
    """Create or refresh the given provinces with their communes and wards (and the pre-2025
    structure they came from when `legacy_too`), and link today's units to their sources."""
    provinces = sorted(set(provinces), key=lambda p: int(p.code))
    report = LoadReport()
    current = _load_current(provinces, report)
    legacy_units: dict[str, Unit] = {}
    if legacy_too:
        legacy_units = _load_legacy(provinces, report)
    report.links_added = _link_lineage(provinces, current, legacy_units)
    return report


def _load_current(provinces: list[NationalProvince], report: LoadReport) -> dict[str, Unit]:
    province_specs = [_spec(p, CURRENT_TYPES, PROVINCE_CODE_WIDTH, None) for p in provinces]
    roots = _sync_level(
        province_specs,
        CodeScheme.CURRENT,
        {},
        report.levels.setdefault(LEVEL_PROVINCES, LevelCounts()),
        valid_from=CURRENT_FROM,
        valid_to=None,
    )
    ward_specs = [
        _spec(ward, CURRENT_TYPES, COMMUNE_CODE_WIDTH, padded(p.code, PROVINCE_CODE_WIDTH))
        for p in provinces
        for ward in sorted(NationalWard.iter_by_province(p.code), key=lambda w: int(w.code))
    ]
    wards = _sync_level(
        ward_specs,
        CodeScheme.CURRENT,
        roots,
        report.levels.setdefault(LEVEL_COMMUNES, LevelCounts()),
        valid_from=CURRENT_FROM,
        valid_to=None,
    )
    return {f"p{code}": unit for code, unit in roots.items()} | {
        f"w{code}": unit for code, unit in wards.items()
    }


def _load_legacy(provinces: list[NationalProvince], report: LoadReport) -> dict[str, Unit]:
    sources = {int(old.code): old for p in provinces for old in p.get_legacy_sources()}
    old_provinces = [sources[code] for code in sorted(sources)]
    province_specs = [_spec(p, LEGACY_TYPES, PROVINCE_CODE_WIDTH, None) for p in old_provinces]
    roots = _sync_level(
        province_specs,
        CodeScheme.LEGACY,
        {},
        report.levels.setdefault(LEVEL_LEGACY_PROVINCES, LevelCounts()),
        valid_from=None,
        valid_to=LEGACY_UNTIL,
    )
    districts = [
        district
        for p in old_provinces
        for district in sorted(legacy.District.iter_by_province(p.code), key=lambda d: int(d.code))
    ]
    district_specs = [
        _spec(d, LEGACY_TYPES, DISTRICT_CODE_WIDTH, padded(d.province_code, PROVINCE_CODE_WIDTH))
        for d in districts
    ]
    district_units = _sync_level(
        district_specs,
        CodeScheme.LEGACY,
        roots,
        report.levels.setdefault(LEVEL_LEGACY_DISTRICTS, LevelCounts()),
        valid_from=None,
        valid_to=LEGACY_UNTIL,
    )
    by_district: dict[int, list] = defaultdict(list)
    wanted_districts = {int(d.code) for d in districts}
    for ward in legacy.Ward.iter_all():
        if int(ward.district_code) in wanted_districts:
            by_district[int(ward.district_code)].append(ward)
    commune_specs = [
        _spec(ward, LEGACY_TYPES, COMMUNE_CODE_WIDTH, padded(d.code, DISTRICT_CODE_WIDTH))
        for d in districts
        for ward in sorted(by_district[int(d.code)], key=lambda w: int(w.code))
    ]
    communes = _sync_level(
        commune_specs,
        CodeScheme.LEGACY,
        district_units,
        report.levels.setdefault(LEVEL_LEGACY_COMMUNES, LevelCounts()),
        valid_from=None,
        valid_to=LEGACY_UNTIL,
    )
    return {f"p{code}": unit for code, unit in roots.items()} | {
        f"w{code}": unit for code, unit in communes.items()
    }


def _sync_level(
    specs: list[_Spec],
    scheme: str,
    parents: dict[str, Unit],
    counts: LevelCounts,
    *,
    valid_from: datetime.date | None,
    valid_to: datetime.date | None,
) -> dict[str, Unit]:
    """Make the units of one level match `specs`; return them all by code."""
    codes = [spec.code for spec in specs]
    # Levels of one scheme share a code space but not a width, so codes alone pick the level.
    existing = {u.code: u for u in Unit.objects.filter(code_scheme=scheme, code__in=codes)}
    to_update: list[Unit] = []
    to_create: dict[str | None, list[_Spec]] = defaultdict(list)
    for spec in specs:
        unit = existing.get(spec.code)
        if unit is None:
            to_create[spec.parent_code].append(spec)
            continue
        wanted = {
            "name": spec.name,
            "short_name": spec.short_name,
            "kind": spec.kind,
            "abbreviation": ADMINISTRATIVE_ABBREVIATION,
            "search_name": fold(f"{spec.name} {spec.short_name}"),
        }
        if any(getattr(unit, key) != value for key, value in wanted.items()):
            for key, value in wanted.items():
                setattr(unit, key, value)
            to_update.append(unit)
        else:
            counts.unchanged += 1
    if to_update:
        bulk_update_with_history(
            to_update,
            Unit,
            SYNCED_FIELDS,
            batch_size=500,
            default_change_reason=LOAD_REASON,
        )
        counts.updated += len(to_update)
    new_units = _new_units(to_create, scheme, parents, valid_from=valid_from, valid_to=valid_to)
    if new_units:
        created = bulk_create_with_history(
            new_units, Unit, batch_size=500, default_change_reason=LOAD_REASON
        )
        counts.created += len(created)
        existing.update({unit.code: unit for unit in created})
    return {code: existing[code] for code in codes}


def _new_units(
    to_create: dict[str | None, list[_Spec]],
    scheme: str,
    parents: dict[str, Unit],
    *,
    valid_from: datetime.date | None,
    valid_to: datetime.date | None,
) -> list[Unit]:
    parent_ids = [parents[code].pk for code in to_create if code is not None]
    # Lock the parents so that no one else takes the child paths handed out below.
    locked = Unit.objects.select_for_update().in_bulk(parent_ids)
    units = []
    for parent_code, specs in to_create.items():
        parent = locked[parents[parent_code].pk] if parent_code is not None else None
        paths = next_child_paths(parent, len(specs))
        for spec, path in zip(specs, paths, strict=True):
            units.append(
                Unit(
                    code=spec.code,
                    code_scheme=scheme,
                    name=spec.name,
                    short_name=spec.short_name,
                    abbreviation=ADMINISTRATIVE_ABBREVIATION,
                    kind=spec.kind,
                    parent=parent,
                    path=path,
                    depth=len(path) // PATH_STEP,
                    valid_from=valid_from,
                    valid_to=valid_to,
                    search_name=fold(f"{spec.name} {spec.short_name}"),
                )
            )
    return units


def _link_lineage(
    provinces: list[NationalProvince], current: dict[str, Unit], legacy_units: dict[str, Unit]
) -> int:
    """Record which pre-2025 units each of today's units was formed from.

    Legacy units loaded in an earlier run count too, so `--legacy` for a neighbour later on
    still links the wards it shares.
    """
    pairs: set[tuple[str, str]] = set()
    for province in provinces:
        new_key = f"p{padded(province.code, PROVINCE_CODE_WIDTH)}"
        for old in province.get_legacy_sources():
            pairs.add((new_key, f"p{padded(old.code, PROVINCE_CODE_WIDTH)}"))
        for ward in NationalWard.iter_by_province(province.code):
            new_key = f"w{padded(ward.code, COMMUNE_CODE_WIDTH)}"
            for old in ward.get_legacy_sources():
                pairs.add((new_key, f"w{padded(old.code, COMMUNE_CODE_WIDTH)}"))
    if not pairs:
        return 0
    known = dict(legacy_units)
    missing = {old for _, old in pairs if old not in known}
    if missing:
        for unit in Unit.objects.filter(
            code_scheme=CodeScheme.LEGACY, code__in={key[1:] for key in missing}
        ).only("pk", "code", "path"):
            # A legacy province code and commune code never share a width, so the prefix is safe.
            prefix = "p" if len(unit.code) == PROVINCE_CODE_WIDTH else "w"
            known.setdefault(f"{prefix}{unit.code}", unit)
    Link = Unit.merged_from.through
    wanted = {
        (current[new].pk, known[old].pk) for new, old in pairs if new in current and old in known
    }
    if not wanted:
        return 0
    already = set(
        Link.objects.filter(from_unit_id__in={new for new, _ in wanted}).values_list(
            "from_unit_id", "to_unit_id"
        )
    )
    fresh = sorted(wanted - already)
    Link.objects.bulk_create(
        [Link(from_unit_id=new, to_unit_id=old) for new, old in fresh], batch_size=1000
    )
    return len(fresh)
