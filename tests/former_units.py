"""A district closed by the 2025 reorganisation, its communes of the time and their successor."""

from __future__ import annotations

import datetime
from types import SimpleNamespace

from portal.access import Role
from portal.models import Bloc, BlocMember, UnitKind
from tests.factories import make_member, make_person, make_post, make_unit

CLOSED_ON = datetime.date(2025, 6, 30)


def former_district(world) -> SimpleNamespace:
    """Huyện Xuân Lộc until 30/06/2025 with Xã Xuân Hiệp and Thị trấn Gia Ray; since
    01/07/2025 Xã Xuân Lộc, formed from both communes; a cluster the district organised."""
    f = SimpleNamespace()
    f.district = make_unit(
        world.province,
        UnitKind.DISTRICT,
        "Huyện Xuân Lộc",
        short_name="Xuân Lộc",
        abbreviation="UBND",
        code="736",
        code_scheme="legacy",
    )
    f.commune = make_unit(f.district, UnitKind.COMMUNE, "Xã Xuân Hiệp", short_name="Xuân Hiệp")
    f.township = make_unit(f.district, UnitKind.TOWNSHIP, "Thị trấn Gia Ray", short_name="Gia Ray")
    f.bloc = Bloc.objects.create(organiser=f.district, kind="cluster", name="Cụm thi đua số 2")
    BlocMember.objects.create(
        bloc=f.bloc, unit=f.commune, position=1, joined_on=datetime.date(2020, 1, 1)
    )
    BlocMember.objects.create(
        bloc=f.bloc, unit=f.township, position=2, joined_on=datetime.date(2020, 1, 1)
    )
    f.leader = make_member(f.district, Role.LEADER, "ct_xuanloc", "Võ Văn Huyện")
    f.officer = make_member(f.district, Role.OFFICER, "cb_xuanloc", "Trần Thị Huyện")
    # The district's chairman until its dissolution signs its past papers.
    f.chair = make_person(f.district, "Võ Văn Huyện", gender="male", is_manager=True, user=f.leader)
    make_post(f.district, f.chair, ends_on=CLOSED_ON)
    for unit in (f.commune, f.township, f.district):
        unit.valid_to = CLOSED_ON
        unit.save()
    f.successor = make_unit(
        world.province,
        UnitKind.COMMUNE,
        "Xã Xuân Lộc",
        short_name="Xuân Lộc",
        valid_from=CLOSED_ON + datetime.timedelta(days=1),
    )
    f.successor.merged_from.set([f.commune, f.township])
    return f
