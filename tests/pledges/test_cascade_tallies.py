"""The cascade's kept per-branch counts (pledges.models.tallies) are never stale: after every
kind of write they equal a recount of the registrations, targets and follow-up campaigns, and
the figures read from them equal those counted from the subtree, on any date (#16)."""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from campaigns import services as campaign_services
from campaigns.models import Campaign, CampaignTarget
from campaigns.workflow import CampaignStatus
from pledges import cascade, services
from pledges.models import (
    CascadeDayTally,
    CascadeTally,
    Measure,
    Registration,
    RegistrationTask,
)
from pledges.workflow import REGISTERED, RegistrationStatus
from portal.models import Unit
from portal.models.units import PATH_STEP
from tests.campaign_fixtures import days, registered, task_row
from tests.races import at_once, needs_row_locks, race

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL keeps the counts; SQLite keeps none"
)


def _branches(path: str):
    """Each prefix of a unit path with the prefix above it: the branches a row counts in."""
    for end in range(PATH_STEP, len(path) + 1, PATH_STEP):
        yield path[:end], path[: end - PATH_STEP]


def _recount() -> tuple[dict, dict]:
    branches: dict = defaultdict(lambda: [0] * 5)
    dated: dict = defaultdict(lambda: [0] * 3)
    for campaign, path in CampaignTarget.objects.values_list("campaign_id", "unit__path"):
        for key in _branches(path):
            branches[campaign, *key][0] += 1
    for row in Registration.objects.values(
        "campaign_id", "unit__path", "status", "is_late", "open_due_on", "last_reported_on"
    ):
        accepted = row["status"] == RegistrationStatus.ACCEPTED
        for key in _branches(row["unit__path"]):
            counts = branches[row["campaign_id"], *key]
            counts[1] += row["status"] in REGISTERED
            counts[2] += accepted
            counts[3] += row["is_late"]
            if row["open_due_on"] is not None:
                dated[row["campaign_id"], *key, row["open_due_on"]][0] += 1
                dated[row["campaign_id"], *key, row["open_due_on"]][1] += accepted
            if row["last_reported_on"] is not None:
                dated[row["campaign_id"], *key, row["last_reported_on"]][2] += 1
    follow_ups = Campaign.objects.filter(parent__isnull=False).exclude(
        status=CampaignStatus.CANCELLED
    )
    for campaign, path in follow_ups.values_list("parent_id", "issuer__path"):
        for key in _branches(path):
            branches[campaign, *key][4] += 1
    return (
        {key: counts for key, counts in branches.items() if any(counts)},
        {key: counts for key, counts in dated.items() if any(counts)},
    )


def _kept() -> tuple[dict, dict]:
    branches = {
        (campaign, path, parent): list(counts)
        for campaign, path, parent, *counts in CascadeTally.objects.values_list(
            "campaign_id",
            "path",
            "parent",
            "targets",
            "registered",
            "accepted",
            "late",
            "follow_ups",
        )
    }
    dated = {
        (campaign, path, parent, day): list(counts)
        for campaign, path, parent, day, *counts in CascadeDayTally.objects.values_list(
            "campaign_id", "path", "parent", "day", "due", "accepted_due", "reported"
        )
    }
    assert all(any(counts) for counts in dated.values()), "a dated row left at zero"
    return {key: counts for key, counts in branches.items() if any(counts)}, dated


def _assert_kept() -> None:
    assert _kept() == _recount()


def _assert_figures_as_counted(campaign: Campaign) -> None:
    """On several dates, from every unit of the campaign's tree: what the page reads from the
    kept counts is what it counted from the subtree before them."""
    for shift in (-40, -1, 0, 1, 30, 91, 400):
        today = timezone.localdate() + datetime.timedelta(days=shift)
        start, end, _ = cascade.current_period(campaign, today)
        for root in Unit.objects.filter(path__startswith=campaign.issuer.path):
            dates = dict(campaign=campaign, root=root, today=today, start=start, end=end)
            assert cascade.kept_figures(**dates) == cascade.counted_figures(**dates), (root, shift)


def _report(world, task, **fields):
    fields.setdefault("reported_on", days(0))
    fields.setdefault("narrative", "Đã xây dựng các mô hình tại khu phố.")
    return services.report_progress(task, actor=world.ward_officer, **fields)


def _bulk_registrations(
    campaign: Campaign, due_on: datetime.date, *, besides: Unit
) -> list[Registration]:
    """A bulk load past the services, as the seeds and imports write: registrations of the
    targets other than `besides`, a task each, then their summaries recounted."""
    registrations = Registration.objects.bulk_create(
        Registration(campaign=campaign, unit=target.unit, status=RegistrationStatus.SUBMITTED)
        for target in campaign.targets.select_related("unit").exclude(unit=besides)
    )
    RegistrationTask.objects.bulk_create(
        RegistrationTask(
            registration=registration,
            content_item=campaign.items.first(),
            description="Nhiệm vụ",
            measure=Measure.NUMBER,
            target_value=Decimal(10),
            unit_of_measure="mô hình",
            due_on=due_on,
            responsible="Cán bộ",
            last_reported_on=days(-2),
        )
        for registration in registrations
    )
    services.recount_task_summaries(Registration.objects.filter(campaign=campaign))
    return registrations


def test_every_kind_of_write_keeps_the_counts_equal_to_a_recount(city, city_campaign):
    campaign = city_campaign
    _assert_kept()  # the launch resolved the targets
    assert CascadeTally.objects.filter(campaign=campaign, targets__gt=0).exists()

    registration = services.start_registration(campaign, actor=city.ward_officer, unit=city.ward)
    _assert_kept()
    services.set_registration_tasks(
        registration,
        actor=city.ward_officer,
        tasks=[task_row(1, due_on=days(20)), task_row(2, due_on=days(40))],
    )
    _assert_kept()
    _assert_figures_as_counted(campaign)
    services.submit_registration(registration, actor=city.ward_officer)
    _assert_kept()
    services.approve_registration(registration, actor=city.ward_leader)
    services.return_registration(registration, actor=city.city_officer, reason="Bổ sung chỉ tiêu")
    _assert_kept()
    services.amend_registration(registration, actor=city.ward_officer)
    _assert_kept()
    services.submit_registration(registration, actor=city.ward_officer)
    services.approve_registration(registration, actor=city.ward_leader)
    services.accept_registration(registration, actor=city.city_officer)
    _assert_kept()
    first = registration.tasks.order_by("position").first()
    _report(city, first, value=Decimal(4), reported_on=days(-3))
    _assert_kept()
    _report(city, first, value=Decimal(10))  # met: its due date leaves the counts
    _assert_kept()
    _assert_figures_as_counted(campaign)

    others = _bulk_registrations(campaign, due_on=days(20), besides=city.ward)
    assert others
    _assert_kept()
    Registration.objects.filter(pk=others[0].pk).update(
        status=RegistrationStatus.ACCEPTED, is_late=True
    )
    _assert_kept()
    _assert_figures_as_counted(campaign)
    RegistrationTask.objects.filter(registration=others[0]).delete()
    services.recount_task_summaries(Registration.objects.filter(pk=others[0].pk))
    _assert_kept()
    Registration.objects.filter(pk=others[-1].pk).delete()
    _assert_kept()

    follow_up = campaign_services.create_follow_up_campaign(
        campaign, actor=city.ward_officer, issuer=city.ward
    )
    _assert_kept()
    assert CascadeTally.objects.get(campaign=campaign, path=city.ward.path).follow_ups == 1
    campaign_services.cancel_campaign(follow_up, actor=city.ward_leader, reason="Trùng lặp")
    _assert_kept()
    CampaignTarget.objects.filter(campaign=campaign, unit=city.ward_office).delete()
    _assert_kept()
    _assert_figures_as_counted(campaign)


def test_the_page_reads_the_figures_it_counted_before(client, city, city_campaign):
    """The whole page, read through the kept counts, against the same page counted the former
    way (the `counted_figures` fallback), from the city and from the ward."""
    registration = registered(city, city_campaign)
    _report(city, registration.tasks.order_by("position").first(), value=Decimal(4))
    _bulk_registrations(city_campaign, due_on=days(-5), besides=city.ward)
    for root in (city.district, city.ward):
        today = timezone.localdate()
        kept = cascade.build(city_campaign, root=root, today=today)
        counted = cascade.build_with(cascade.counted_figures, city_campaign, root=root, today=today)
        assert kept == counted
        assert kept.totals["overdue"] > 0 or root == city.ward


@race
def test_writes_at_once_on_one_branch_keep_the_counts(city, city_campaign):
    """Two transactions move the same dated row at once: one empties it (its last registration
    due that day meets its task, and the row is deleted), the other adds to it."""
    needs_row_locks()
    registration = registered(city, city_campaign)
    (other,) = _bulk_registrations(city_campaign, due_on=days(60), besides=city.ward)[:1]
    first, second = registration.tasks.order_by("position")
    _report(city, second, done=True)
    due = Registration.objects.get(pk=registration.pk).open_due_on
    assert CascadeDayTally.objects.filter(path=city.district.path, day=due, due=1).exists()

    def move_other():
        RegistrationTask.objects.filter(registration=other).update(due_on=due)
        services.recount_task_summaries(Registration.objects.filter(pk=other.pk))

    outcomes = at_once(lambda: _report(city, first, value=Decimal(10)), move_other)
    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    _assert_kept()
    assert CascadeDayTally.objects.get(path=city.district.path, day=due).due == 1


def test_a_write_of_one_counted_column_alone_and_a_truncate_keep_the_counts(city, city_campaign):
    """Each counted column moved alone (an UPDATE counts only the rows whose counted columns
    moved, so each must be among those compared), then the tables emptied by TRUNCATE, which
    carries no rows to its statement trigger."""
    others = _bulk_registrations(city_campaign, due_on=days(20), besides=city.ward)
    campaign_services.create_follow_up_campaign(
        city_campaign, actor=city.ward_officer, issuer=city.ward
    )
    assert CascadeTally.objects.filter(follow_ups__gt=0).exists()
    Registration.objects.filter(pk=others[0].pk).update(is_late=True)
    _assert_kept()
    Registration.objects.filter(pk=others[0].pk).update(unit=city.ward)
    _assert_kept()
    target = CampaignTarget.objects.get(campaign=city_campaign, unit=city.ward_office)
    CampaignTarget.objects.filter(pk=target.pk).update(unit=city.home_affairs)
    _assert_kept()
    Registration.objects.filter(pk=others[-1].pk).update(status=RegistrationStatus.ACCEPTED)
    assert CascadeTally.objects.filter(accepted__gt=0, late__gt=0).exists()
    with connection.cursor() as cursor:
        # The inserts' deferred key checks run now: a table with pending checks cannot be
        # truncated in the same transaction.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("TRUNCATE pledges_registration CASCADE")
    _assert_kept()
    assert not CascadeDayTally.objects.exists()
    assert CascadeTally.objects.filter(targets__gt=0).exists()
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE campaigns_campaigntarget CASCADE")
    _assert_kept()
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("TRUNCATE campaigns_campaign CASCADE")
    _assert_kept()
