"""Working days skip weekends and the official days off, and count compensatory Saturdays."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from portal import calendar
from portal.models import Holiday, HolidayKind

D = datetime.date
pytestmark = pytest.mark.django_db


def test_a_limit_crossing_tet_2026_skips_the_five_days_off():
    # Friday 13/02/2026; the Tết days off are Monday 16 to Friday 20/02/2026.
    assert calendar.add_working_days(D(2026, 2, 13), 1) == D(2026, 2, 23)
    assert calendar.add_working_days(D(2026, 2, 13), 5) == D(2026, 2, 27)
    assert calendar.working_days_between(D(2026, 2, 13), D(2026, 2, 23)) == 1


def test_a_limit_crossing_30_4_and_1_5_skips_both_days():
    # Wednesday 29/04/2026: Thursday 30/04 and Friday 01/05 are off, then the weekend.
    assert calendar.add_working_days(D(2026, 4, 29), 1) == D(2026, 5, 4)
    assert calendar.working_days_between(D(2026, 4, 29), D(2026, 5, 8)) == 5


def test_the_compensatory_saturday_counts_and_the_swapped_friday_does_not():
    # 2025: Saturday 26/04 is worked in exchange for Friday 02/05.
    assert calendar.is_working_day(D(2025, 4, 26))
    assert not calendar.is_working_day(D(2025, 5, 2))
    # Friday 25/04/2025 + 1 working day is that Saturday; + 2 is Monday 28/04.
    assert calendar.add_working_days(D(2025, 4, 25), 1) == D(2025, 4, 26)
    assert calendar.add_working_days(D(2025, 4, 25), 2) == D(2025, 4, 28)
    # From Tuesday 29/04 the next working day is Monday 05/05 (30/04, 01/05, 02/05 off).
    assert calendar.add_working_days(D(2025, 4, 29), 1) == D(2025, 5, 5)


def test_a_limit_crossing_the_year_end_skips_new_year():
    # Wednesday 31/12/2025 → Thursday 01/01/2026 is off → Friday 02/01/2026.
    assert calendar.add_working_days(D(2025, 12, 31), 1) == D(2026, 1, 2)
    assert calendar.working_days_between(D(2025, 12, 30), D(2026, 1, 5)) == 3


def test_a_limit_crossing_a_month_end_without_holidays_counts_weekdays_only():
    # Thursday 29/01/2026 + 3 working days: Friday 30/01, Monday 02/02, Tuesday 03/02.
    assert calendar.add_working_days(D(2026, 1, 29), 3) == D(2026, 2, 3)
    assert calendar.working_days_between(D(2026, 2, 3), D(2026, 1, 29)) == -3


def test_a_substitute_day_off_after_a_sunday_holiday_is_skipped():
    # Giỗ Tổ 2026 falls on Sunday 26/04; Monday 27/04 is the day off in lieu.
    assert not calendar.is_working_day(D(2026, 4, 27))
    assert calendar.add_working_days(D(2026, 4, 24), 1) == D(2026, 4, 28)


def test_an_administrators_new_holiday_is_seen_at_once_and_its_removal_too():
    day = D(2026, 11, 24)  # a Tuesday; e.g. a day off decided later in the year
    assert calendar.is_working_day(day)
    holiday = Holiday.objects.create(
        date=day, name="Ngày Văn hóa Việt Nam", kind=HolidayKind.DAY_OFF
    )
    assert not calendar.is_working_day(day)
    assert calendar.add_working_days(D(2026, 11, 23), 1) == D(2026, 11, 25)
    holiday.delete()
    assert calendar.is_working_day(day)


def test_the_calendar_is_read_once_then_served_from_the_cache(django_assert_num_queries):
    with django_assert_num_queries(1):
        calendar.add_working_days(D(2026, 1, 1), 40)
        calendar.working_days_between(D(2025, 1, 1), D(2027, 12, 31))
        calendar.is_working_day(D(2027, 2, 10))


def test_the_seeded_days_are_marked_for_checking_against_the_governments_notice():
    seeded = Holiday.objects.filter(date__year__in=[2025, 2026, 2027])
    assert seeded.count() >= 30
    assert not seeded.filter(is_unverified=False).exists()


def test_only_system_administrators_edit_the_holidays_in_the_admin_with_history(client, world):
    holiday = Holiday.objects.get(date=D(2026, 9, 1))
    url = reverse("admin:portal_holiday_change", args=[holiday.pk])
    client.force_login(world.officer)
    assert client.get(url).status_code == 302  # sent to the admin login
    client.force_login(world.admin)
    response = client.post(
        url,
        {
            "date": "2026-09-01",
            "name": "Quốc khánh (ngày liền kề)",
            "kind": "day_off",
            "basis": "Thông báo của Chính phủ",
            "is_unverified": "",
        },
    )
    assert response.status_code == 302
    holiday.refresh_from_db()
    assert not holiday.is_unverified
    assert holiday.history.latest().history_user == world.admin


def test_a_compensatory_working_day_on_a_weekday_is_refused_as_a_typo():
    holiday = Holiday(date=D(2026, 5, 4), name="Làm bù", kind=HolidayKind.WORKING_DAY)
    with pytest.raises(ValidationError, match="thứ Bảy hoặc Chủ nhật"):
        holiday.full_clean()
