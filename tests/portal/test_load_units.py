import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from vietnam_provinces import ProvinceCode
from vietnam_provinces import Ward as NationalWard

from portal import loaders
from portal.models import CodeScheme, Unit, UnitKind


def run(*args: str) -> str:
    out = StringIO()
    call_command("load_units", *args, stdout=out)
    return out.getvalue()


def history_rows() -> int:
    return Unit.history.count()


@pytest.fixture
def dong_nai(db) -> Unit:
    run("75")
    return Unit.objects.get(code_scheme=CodeScheme.CURRENT, code="75")


def test_loading_dong_nai_creates_the_city_and_its_95_communes_and_wards(dong_nai):
    assert dong_nai.name == "Thành phố Đồng Nai"  # a centrally-run city in the package's data
    assert dong_nai.short_name == "Đồng Nai"
    assert dong_nai.kind == UnitKind.CENTRAL_CITY
    assert (dong_nai.depth, dong_nai.parent_id, dong_nai.abbreviation) == (1, None, "UBND")
    assert dong_nai.valid_from == datetime.date(2025, 7, 1) and dong_nai.valid_to is None

    wards = list(Unit.objects.descendants(dong_nai))
    assert len(wards) == 95
    assert {w.kind for w in wards} == {UnitKind.COMMUNE, UnitKind.WARD}
    assert all(w.parent_id == dong_nai.pk and w.depth == 2 for w in wards)
    assert all(w.path.startswith(dong_nai.path) and len(w.path) == 8 for w in wards)
    assert len({w.path for w in wards}) == 95
    assert all(len(w.code) == 5 and w.code_scheme == CodeScheme.CURRENT for w in wards)
    assert all(w.valid_from == datetime.date(2025, 7, 1) for w in wards)
    expected = {f"{int(w.code):05d}" for w in NationalWard.iter_by_province(ProvinceCode(75))}
    assert {w.code for w in wards} == expected


def test_ward_names_keep_the_type_and_the_short_name_is_the_place_name(dong_nai):
    long_khanh = Unit.objects.get(code_scheme=CodeScheme.CURRENT, code="26080")
    assert (long_khanh.name, long_khanh.short_name) == ("Phường Long Khánh", "Long Khánh")
    assert long_khanh.kind == UnitKind.WARD and long_khanh.abbreviation == "UBND"
    xuan_loc = Unit.objects.get(code_scheme=CodeScheme.CURRENT, code="26425")
    assert (xuan_loc.name, xuan_loc.kind) == ("Xã Xuân Lộc", UnitKind.COMMUNE)
    assert list(Unit.objects.search("phuong long khanh")) == [long_khanh]
    assert long_khanh.issuing_body().issuer_name == "ỦY BAN NHÂN DÂN\nPHƯỜNG LONG KHÁNH"
    assert long_khanh.issuing_body().place_name == "Long Khánh"


def test_second_run_changes_nothing_and_says_so(dong_nai):
    units, rows = Unit.objects.count(), history_rows()
    output = run("75")
    assert "Không có thay đổi" in output
    assert "Xã, phường, đặc khu: tạo mới 0, cập nhật 0, không đổi 95" in output
    assert Unit.objects.count() == units
    assert history_rows() == rows


def test_a_changed_name_is_restored_from_the_catalogue_with_a_history_row(dong_nai):
    ward = Unit.objects.get(code_scheme=CodeScheme.CURRENT, code="26080")
    ward.name = "Phường Long Khánh cũ"
    ward.save()
    output = run("Đồng Nai")
    assert "Xã, phường, đặc khu: tạo mới 0, cập nhật 1, không đổi 94" in output
    ward.refresh_from_db()
    assert ward.name == "Phường Long Khánh"
    assert ward.search_name == "phuong long khanh long khanh"
    assert ward.history.first().history_change_reason == "portal.unit.loaded"


def test_a_ward_closed_locally_stays_closed_on_reload(dong_nai):
    ward = Unit.objects.get(code_scheme=CodeScheme.CURRENT, code="26080")
    ward.valid_to = datetime.date(2026, 12, 31)
    ward.save()
    assert "Không có thay đổi" in run("75")
    ward.refresh_from_db()
    assert ward.valid_to == datetime.date(2026, 12, 31)


def test_legacy_adds_the_three_level_structure_closed_on_30_06_2025(dong_nai):
    output = run("75", "--legacy")
    assert "Quận, huyện, thị xã, thành phố thuộc tỉnh (trước 01/07/2025): tạo mới 22" in output
    old_province = Unit.objects.get(code_scheme=CodeScheme.LEGACY, code="75")
    assert (old_province.name, old_province.kind) == ("Tỉnh Đồng Nai", UnitKind.PROVINCE)
    long_khanh_city = Unit.objects.get(code_scheme=CodeScheme.LEGACY, code="732")
    assert long_khanh_city.name == "Thành phố Long Khánh"
    assert long_khanh_city.kind == UnitKind.PROVINCIAL_CITY
    assert long_khanh_city.parent == old_province
    assert long_khanh_city.valid_to == datetime.date(2025, 6, 30)
    assert not long_khanh_city.is_current
    old_wards = Unit.objects.filter(parent=long_khanh_city)
    assert old_wards.exists()
    assert all(w.depth == 3 and w.valid_to == datetime.date(2025, 6, 30) for w in old_wards)
    assert Unit.objects.current().filter(code_scheme=CodeScheme.LEGACY).count() == 0


def test_legacy_links_todays_units_to_the_units_they_were_formed_from(dong_nai):
    run("75", "--legacy")
    assert set(dong_nai.merged_from.values_list("name", flat=True)) == {
        "Tỉnh Đồng Nai",
        "Tỉnh Bình Phước",
    }
    ward = Unit.objects.get(code_scheme=CodeScheme.CURRENT, code="26080")
    sources = NationalWard.from_code(26080).get_legacy_sources()
    assert sources
    assert set(ward.merged_from.values_list("code", flat=True)) == {
        f"{int(s.code):05d}" for s in sources
    }
    assert all(u.code_scheme == CodeScheme.LEGACY for u in ward.merged_from.all())
    old = ward.merged_from.first()
    assert ward in old.merged_into.all()


def test_second_legacy_run_changes_nothing(dong_nai):
    run("75", "--legacy")
    units, rows = Unit.objects.count(), history_rows()
    links = Unit.merged_from.through.objects.count()
    assert "Không có thay đổi" in run("75", "--legacy")
    assert (Unit.objects.count(), history_rows()) == (units, rows)
    assert Unit.merged_from.through.objects.count() == links


@pytest.mark.parametrize("query", ["xyz", "99", "Hà Tây"])
def test_an_unknown_province_is_refused_with_a_clear_message(db, query):
    with pytest.raises(CommandError, match="tỉnh, thành phố"):
        run(query)
    assert not Unit.objects.exists()


def test_a_province_merged_in_2025_is_refused_with_its_successor_named(db):
    with pytest.raises(CommandError, match="Bình Phước đã sáp nhập vào Thành phố Đồng Nai"):
        run("Bình Phước")


def test_a_province_or_all_must_be_chosen_but_not_both(db):
    with pytest.raises(CommandError, match="--all"):
        run()
    with pytest.raises(CommandError, match="--all"):
        run("75", "--all")


@pytest.mark.parametrize(
    "query",
    ["75", "075", "Đồng Nai", "dong nai", "ĐỒNG NAI", "Đô\u0300ng Nai", "Thành phố Đồng Nai"],
)
def test_provinces_are_found_by_code_or_by_name_ignoring_accents(query):
    assert int(loaders.find_province(query).code) == 75


def test_name_lookup_in_the_command_ignores_accents(db):
    run("ho chi minh")
    hcmc = Unit.objects.get(code_scheme=CodeScheme.CURRENT, code="79")
    assert hcmc.name == "Thành phố Hồ Chí Minh"
    assert Unit.objects.filter(parent=hcmc).count() == 168


def test_small_codes_are_zero_padded_so_levels_do_not_collide(db):
    run("4")  # Cao Bằng is province 04; Hà Nội's Phường Ba Đình is ward 00004
    run("Hà Nội")
    assert Unit.objects.get(code_scheme=CodeScheme.CURRENT, code="04").name == "Tỉnh Cao Bằng"
    assert Unit.objects.get(code_scheme=CodeScheme.CURRENT, code="00004").name == "Phường Ba Đình"


@pytest.mark.parametrize(
    ("raw", "prefix", "expected"),
    [
        ("Phường Long Khánh", "Phường", ("Phường Long Khánh", "Long Khánh")),
        ("xã Bắc Sơn", "Xã", ("Xã Bắc Sơn", "Bắc Sơn")),
        ("Thành Phố Đồng Hới", "Thành phố", ("Thành phố Đồng Hới", "Đồng Hới")),
        ("Phường 12", "Phường", ("Phường 12", "Phường 12")),
        ("Quận 1", "Quận", ("Quận 1", "Quận 1")),
    ],
)
def test_names_get_a_regular_prefix_and_numbered_units_keep_it_as_place_name(raw, prefix, expected):
    assert loaders.split_name(raw, prefix) == expected


def test_all_loads_every_province_commune_and_ward(db):
    output = run("--all")
    assert "Tỉnh, thành phố: tạo mới 34" in output
    assert Unit.objects.filter(depth=1).count() == 34
    assert Unit.objects.filter(depth=2).count() == 3321
    assert Unit.objects.filter(kind=UnitKind.SPECIAL_ZONE).count() == 13
