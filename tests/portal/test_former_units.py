"""Units closed on 1 July 2025 stay in blocs as history: they join as of a day they existed."""

from __future__ import annotations

import datetime

from portal import services
from portal.models import UnitKind
from tests.factories import make_unit
from tests.refusals import refused


def test_a_bloc_takes_a_closed_unit_as_of_a_day_it_existed(world):
    late = make_unit(world.province, UnitKind.COMMUNE, "Xã Suối Cát", short_name="Suối Cát")
    late.valid_to = datetime.date(2025, 6, 30)
    late.save()
    member = services.add_bloc_member(
        world.bloc, actor=world.leader, unit=late, joined_on=datetime.date(2024, 1, 1)
    )
    assert member.joined_on == datetime.date(2024, 1, 1)


def test_a_closed_unit_joining_without_a_day_or_after_its_closure_is_refused(world):
    late = make_unit(world.province, UnitKind.COMMUNE, "Xã Suối Cát", short_name="Suối Cát")
    late.valid_to = datetime.date(2025, 6, 30)
    late.save()
    with refused("bloc_member_closed"):
        services.add_bloc_member(world.bloc, actor=world.leader, unit=late)
    with refused("bloc_member_closed"):
        services.add_bloc_member(
            world.bloc, actor=world.leader, unit=late, joined_on=datetime.date(2025, 7, 1)
        )
