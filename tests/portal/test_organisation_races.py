"""Races on the organisation's services (portal/services.py): a unit closed or edited, a person
edited, by two callers at the same instant.

PostgreSQL only (tests/races.py); how a lock-free variant was shown to fail: docs/testing.md.
Each service saves the row it read: without the row's lock, the caller that saves last writes
back what it read before the other's change. Each test runs several rounds, since the harmful
order is one of two.
"""

from __future__ import annotations

from django.utils import timezone

from portal import services
from portal.errors import RuleViolation
from portal.models import Person, Unit, UnitKind
from tests.races import at_once, kinds, needs_row_locks, race

pytestmark = race

ROUNDS = 3


def _office(world, name: str) -> Unit:
    return services.create_unit(
        world.ward, actor=world.ward_officer, kind=UnitKind.OFFICE, name=name
    )


def test_a_unit_closed_twice_at_once_is_closed_once(world):
    needs_row_locks()
    today = timezone.localdate()
    for round_ in range(ROUNDS):
        office = _office(world, f"Tổ công tác số {round_ + 1}")

        def close(reason, office=office):
            return lambda: services.close_unit(
                office, actor=world.ward_officer, closed_on=today, reason=reason
            )

        outcomes = at_once(close("Sáp nhập"), close("Giải thể"))
        assert kinds(outcomes) == ["RuleViolation", "won"], f"round {round_}"
        refused = next(o for o in outcomes if isinstance(o, RuleViolation))
        assert refused.message == f"Đơn vị đã đóng từ ngày {today:%d/%m/%Y}."
        closes = office.history.filter(history_change_reason__startswith="portal.unit.closed")
        assert closes.count() == 1


def test_a_unit_edited_while_it_is_closed_stays_closed_with_the_edit(world):
    """Without the unit's lock the edit reads the open unit and saves it whole after the close:
    the closed unit is open again."""
    needs_row_locks()
    today = timezone.localdate()
    for round_ in range(ROUNDS):
        office = _office(world, f"Tổ công tác số {round_ + 1}")
        outcomes = at_once(
            lambda office=office: services.close_unit(
                office, actor=world.ward_officer, closed_on=today, reason="Sáp nhập"
            ),
            lambda office=office: services.update_unit(
                office, actor=world.ward_officer, phone="0251 3870 000"
            ),
        )
        assert kinds(outcomes) == ["won", "won"]
        office = Unit.objects.get(pk=office.pk)
        assert office.valid_to == today, f"round {round_}"
        assert office.phone == "0251 3870 000", f"round {round_}"


def test_a_person_edited_four_times_at_once_keeps_every_edit(world):
    """Four corrections of four fields of one person's record at the same instant: without the
    person's lock a later save writes back the others' fields as it read them."""
    needs_row_locks()
    edits = {
        "position": "Trưởng khu phố",
        "birth_year": 1980,
        "ethnicity": "Hoa",
        "full_name": "Nguyễn Văn Sửa",
    }
    for round_ in range(ROUNDS):
        person = services.create_person(
            world.ward, actor=world.ward_officer, full_name=f"Nguyễn Văn Số {round_ + 1}"
        )
        outcomes = at_once(
            *(
                lambda person=person, key=key, value=value: services.update_person(
                    person, actor=world.ward_officer, **{key: value}
                )
                for key, value in edits.items()
            )
        )
        assert kinds(outcomes) == ["won"] * 4
        person = Person.objects.get(pk=person.pk)
        assert {key: getattr(person, key) for key in edits} == edits, f"round {round_}"
