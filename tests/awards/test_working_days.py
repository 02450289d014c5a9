"""The dossier clock runs on the official calendar: days off are skipped, làm bù counted."""

from __future__ import annotations

import datetime

from tests.awards.nomination_helpers import submitted


def test_a_dossier_submitted_before_tet_falls_due_after_the_days_off(world, time_machine):
    # Friday 13/02/2026; Tết: Monday 16 to Friday 20/02/2026 off. The reception step has five
    # working days: 23, 24, 25, 26 and 27/02 (without the calendar it would be 20/02).
    time_machine.move_to(datetime.datetime(2026, 2, 13, 9, 0, tzinfo=datetime.UTC), tick=False)
    nomination = submitted(world)
    assert nomination.due_on == datetime.date(2026, 2, 27)
    assert nomination.days_left(datetime.date(2026, 2, 20)) == 5
    assert not nomination.is_overdue(datetime.date(2026, 2, 27))
    assert nomination.is_overdue(datetime.date(2026, 3, 2))
