import datetime

import pytest

from portal import services
from portal.models import Unit, UnitKind
from portal.text import fold, normalize_text
from tests.refusals import refused


def test_subtree_is_one_path_prefix_query(world, django_assert_num_queries):
    with django_assert_num_queries(1):
        names = list(Unit.objects.subtree(world.district).values_list("name", flat=True))
    assert names == [
        "Thành phố Long Khánh",
        "Phường Xuân Trung",
        "Phòng Văn hóa - Xã hội",
        "Văn phòng HĐND và UBND",
        "Phường Xuân An",
    ]


def test_children_paths_are_allocated_in_order(world):
    a = services.create_unit(
        world.ward, actor=world.ward_officer, kind=UnitKind.OFFICE, name="Phòng A"
    )
    b = services.create_unit(
        world.ward, actor=world.ward_officer, kind=UnitKind.OFFICE, name="Phòng B"
    )
    assert (
        a.path < b.path and a.path.startswith(world.ward.path) and a.depth == world.ward.depth + 1
    )


def test_agency_creation_is_refused_outside_the_officers_unit(world):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.create_unit(
            world.sibling_ward, actor=world.ward_officer, kind=UnitKind.OFFICE, name="X"
        )


def test_a_village_belongs_only_to_a_commune_level_unit(world):
    with refused("hamlet_parent_invalid"):
        services.create_unit(
            world.province, actor=world.leader, kind=UnitKind.VILLAGE, name="Thôn 1"
        )
    village = services.create_unit(
        world.ward, actor=world.ward_leader, kind=UnitKind.RESIDENTIAL_GROUP, name="Tổ dân phố 3"
    )
    assert village.parent == world.ward


def test_names_are_normalised_to_nfc_and_stripped(world):
    decomposed = "  Phòng  Tư pha\u0301p  "
    unit = services.create_unit(
        world.ward, actor=world.ward_officer, kind=UnitKind.OFFICE, name=decomposed
    )
    assert unit.name == "Phòng Tư pháp"
    assert normalize_text(decomposed) == "Phòng Tư pháp"


@pytest.mark.parametrize(
    "query", ["dong nai", "Đồng Nai", "ĐỒNG NAI", "Đô\u0300ng Nai", "  dong   NAI "]
)
def test_search_ignores_accents_case_and_unicode_form(world, query):
    assert list(Unit.objects.search(query)) == [world.province]


def test_fold_maps_d_with_stroke():
    assert fold("Đắk Lắk") == "dak lak"


def test_closed_unit_keeps_its_records_and_history(world):
    services.close_unit(
        world.ward_office,
        actor=world.ward_leader,
        closed_on=datetime.date(2025, 6, 30),
        reason="Sáp nhập",
    )
    world.ward_office.refresh_from_db()
    assert world.ward_office.valid_to == datetime.date(2025, 6, 30)
    assert not world.ward_office.is_current
    latest = world.ward_office.history.first()
    assert latest.history_user == world.ward_leader
    assert latest.history_change_reason.startswith("portal.unit.closed")
    assert world.ward_office not in Unit.objects.current()


def test_closing_needs_a_reason_and_no_open_children(world):
    with refused("closing_reason_required"):
        services.close_unit(
            world.ward_office,
            actor=world.ward_leader,
            closed_on=datetime.date(2025, 6, 30),
            reason=" ",
        )
    with refused("unit_has_open_children"):
        services.close_unit(
            world.district,
            actor=world.leader,
            closed_on=datetime.date(2025, 6, 30),
            reason="Giải thể cấp huyện",
        )


def test_issuing_body_of_an_administrative_unit(world):
    body = world.province.issuing_body()
    assert body.parent_name == ""
    assert body.issuer_name == "ỦY BAN NHÂN DÂN\nTỈNH ĐỒNG NAI"
    assert body.place_name == "Đồng Nai"
    assert body.issuer_abbreviation == "UBND"


def test_issuing_body_of_an_agency_names_its_parent(world):
    body = world.home_affairs.issuing_body()
    assert body.parent_name == "UBND TỈNH ĐỒNG NAI"
    assert body.issuer_name == "SỞ NỘI VỤ"
    assert body.issuer_abbreviation == "SNV"
    assert body.place_name == "Đồng Nai"


def test_issuing_body_uses_the_name_valid_on_the_date(world):
    import time_machine

    today = datetime.date.today()
    later = datetime.datetime(today.year + 1, 1, 10, 9, tzinfo=datetime.UTC)
    with time_machine.travel(later):
        services.update_unit(world.home_affairs, actor=world.leader, name="Sở Nội vụ và Lao động")
    assert world.home_affairs.issuing_body(today).issuer_name == "SỞ NỘI VỤ"
    renamed = world.home_affairs.issuing_body(datetime.date(today.year + 1, 2, 1))
    assert renamed.issuer_name == "SỞ NỘI VỤ VÀ LAO ĐỘNG"


def test_national_codes_are_unique_within_their_scheme(world):
    with refused("unit_code_taken"):
        services.create_unit(
            None, actor=None, kind=UnitKind.PROVINCE, name="Trùng", code="75", code_scheme="current"
        )


def test_rotation_is_refused_before_anything_is_read_without_the_capability(world):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.rotate_bloc_term(world.bloc, actor=world.outsider, year=2027)
    assert not world.bloc.terms.filter(year=2027).exists()


def test_rotation_moves_the_head_to_the_next_member(world):
    term = services.rotate_bloc_term(world.bloc, actor=world.officer, year=2027)
    assert (term.head, term.deputy) == (world.sibling_ward, world.ward)
