"""What a report says, measured on the small world of March 2026 (tests/reports/conftest.py)."""

import datetime
from decimal import Decimal

import pytest
import time_machine

from awards.models import Nomination
from awards.workflow import OPEN, Status
from campaigns import services as campaign_services
from reports.figures import compute
from reports.periods import PeriodKind, period_containing
from tests.awards.nomination_helpers import TODAY
from tests.campaign_fixtures import make_campaign

from .conftest import MARCH

pytestmark = pytest.mark.django_db


def test_the_wards_report_counts_its_own_subtree_and_names_its_office_as_laggard(active):
    w = active
    figures = compute(w.ward, MARCH)

    [campaign] = figures.campaigns
    assert campaign.title == w.campaign.title
    assert campaign.issuer == "Thành phố Long Khánh"
    # Xuân Trung and its two offices are targets; only Xuân Trung registered.
    assert (campaign.targets, campaign.registered, campaign.accepted) == (3, 1, 1)
    assert campaign.registration_rate == Decimal("33.3")
    assert campaign.reported == 1
    # Task 1 at 5/10 = 50 %, task 2 (a milestone) at 0 %.
    assert (campaign.tasks, campaign.tasks_done, campaign.average) == (2, 0, Decimal("25.0"))
    assert figures.progress_rate == Decimal("25.0")
    assert [(lag.unit, lag.reasons) for lag in figures.laggards] == [
        ("Phòng Văn hóa - Xã hội", ["chưa đăng ký thi đua"]),
        ("Văn phòng HĐND và UBND", ["chưa đăng ký thi đua"]),
    ]


def test_the_citys_report_adds_the_sibling_ward_and_its_rates(active):
    w = active
    figures = compute(w.district, MARCH)

    assert figures.targets == 4
    assert figures.registered == 1
    assert figures.registration_rate == Decimal("25.0")
    assert sorted(lag.unit for lag in figures.laggards) == [
        "Phòng Văn hóa - Xã hội",
        "Phường Xuân An",
        "Văn phòng HĐND và UBND",
    ]
    # The sibling ward's own report sees only itself.
    sibling = compute(w.sibling_ward, MARCH)
    assert [lag.unit for lag in sibling.laggards] == ["Phường Xuân An"]
    assert sibling.registration_rate == Decimal("0")


def test_a_ward_that_stops_reporting_and_misses_a_deadline_becomes_a_laggard(active):
    w = active
    w.registration.tasks.filter(position=2).update(due_on=MARCH.start)
    april = period_containing(PeriodKind.MONTH, datetime.date(2026, 4, 1))

    figures = compute(w.ward, april)

    reasons = {lag.unit: lag.reasons for lag in figures.laggards}
    assert reasons["Phường Xuân Trung"] == [
        "có nhiệm vụ quá hạn chưa hoàn thành",
        "không báo cáo tiến độ trong kỳ",
    ]


def test_nominations_are_counted_by_step_with_time_in_step_and_overdue(active):
    w = active
    figures = compute(w.ward, MARCH)

    steps = {row.step: row for row in figures.steps}
    assert steps[Status.SUBMITTED.label].count == 1
    assert steps[Status.RECEIVED.label].count == 1
    assert Status.ISSUED.label not in steps  # decided: no longer in a step
    expected_overdue = Nomination.objects.filter(
        status__in=OPEN, due_on__lt=MARCH.end, proposing_unit=w.ward
    ).count()
    assert figures.overdue_count == expected_overdue
    assert len(figures.overdue_nominations) == expected_overdue
    # Started on 02/03, still there on 31/03: 29 days, between 7 and 30.
    submitted = steps[Status.SUBMITTED.label]
    assert (submitted.recent, submitted.middle, submitted.stale) == (0, 1, 0)
    assert submitted.oldest_days == 29
    assert figures.decided_in_period == 1


def test_decisions_issued_in_the_period_are_listed_with_their_award_count(active):
    w = active
    figures = compute(w.ward, MARCH)

    [decision] = figures.decisions
    document = w.issued.decision.document
    assert decision.number == document.number_and_symbol
    assert decision.issued_on == document.issued_on
    assert decision.awards == 1
    # Not in another month, and not in the sibling ward's report.
    february = period_containing(PeriodKind.MONTH, datetime.date(2026, 2, 1))
    assert compute(w.ward, february).decisions == []
    assert compute(w.sibling_ward, MARCH).decisions == []


def test_the_query_count_does_not_grow_with_the_subtree(active, django_assert_max_num_queries):
    from portal.models import UnitKind
    from tests.factories import make_unit

    w = active
    with django_assert_max_num_queries(12) as small:
        compute(w.province, MARCH)
    # Ten more wards, targets of a second campaign, none registered: ten more laggards.
    for number in range(10):
        make_unit(w.district, UnitKind.WARD, f"Phường Thêm {number}")
    with time_machine.travel(TODAY, tick=False):
        campaign_services.launch_campaign(
            make_campaign(w.district, w.city_officer), actor=w.city_leader
        )
    with django_assert_max_num_queries(len(small.captured_queries)):
        figures = compute(w.province, MARCH)
    assert len(figures.campaigns) == 2
    assert len(figures.laggards) == 3 + 14


def test_pledges_of_blocs_in_the_subtree_show_signature_and_scoring_status(world):
    from django.utils import timezone

    from portal import services as portal_services
    from tests import sweep

    world.ward_bloc = portal_services.create_bloc(
        world.ward, actor=world.ward_leader, kind="bloc", name="Khối các phòng, ban Xuân Trung"
    )
    portal_services.add_bloc_member(
        world.ward_bloc, actor=world.ward_leader, unit=world.ward_office
    )
    sweep._pledge_records(world)
    pledge = world.ward_pledge
    pledge.refresh_from_db()
    this_year = period_containing(PeriodKind.YEAR, timezone.localdate())

    [row] = compute(world.ward, this_year).pledges

    assert (row.bloc, row.year, row.head) == (
        "Khối các phòng, ban Xuân Trung",
        this_year.start.year,
        "Phường Xuân Trung",
    )
    assert row.status == pledge.get_status_display()
    assert row.members == 2
    assert row.table_status == pledge.score_table.get_status_display()
    assert row.sheets == pledge.score_table.sheets.count() > 0
    assert row.sheets_submitted == 0
    # The province sees it (organised in its subtree); the sibling ward does not.
    assert len(compute(world.province, this_year).pledges) == 1
    assert compute(world.sibling_ward, this_year).pledges == []
