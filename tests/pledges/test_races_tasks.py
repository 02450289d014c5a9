"""Races on a registration's tasks and on a draft campaign's edit: two callers at once.

PostgreSQL only (tests/races.py); how a lock-free variant was shown to fail: docs/testing.md.
Each lock-free failure here depends on which caller commits last, so each test runs several
rounds: a round that happens to commit in the harmless order cannot hide the fault in all.
"""

from __future__ import annotations

from decimal import Decimal

from campaigns import services as campaign_services
from campaigns.models import Campaign
from campaigns.workflow import CampaignStatus
from pledges import services
from pledges.models import RegistrationTask
from portal.errors import RuleViolation
from tests.campaign_fixtures import days, make_campaign, registered
from tests.pledges.test_task_summary import _kept, _recount
from tests.races import at_once, kinds, needs_row_locks, race

pytestmark = race

ROUNDS = 3


def _report(world, task, on, **fields):
    return lambda: services.report_progress(
        task, actor=world.ward_officer, reported_on=on, narrative="Đã triển khai.", **fields
    )


def test_two_reports_of_one_task_at_once_leave_the_later_as_its_latest(city, city_campaign):
    """Without the task's lock both reports read the task before either writes, both pass the
    "is it the latest?" check, and the one committed last wins even when it is the earlier."""
    needs_row_locks()
    registration = registered(city, city_campaign)
    number, milestone = registration.tasks.order_by("position")
    for round_ in range(ROUNDS):
        earlier, later = days(-10 + 2 * round_), days(-9 + 2 * round_)
        outcomes = at_once(
            _report(city, number, earlier, value=Decimal(round_)),
            _report(city, number, later, value=Decimal(round_ + 5)),
            _report(city, milestone, earlier, done=round_ % 2 == 0),
            _report(city, milestone, later, done=round_ % 2 == 1),
        )
        assert kinds(outcomes) == ["won"] * 4
        number_now, milestone_now = (
            RegistrationTask.objects.get(pk=t.pk) for t in (number, milestone)
        )
        assert (number_now.last_reported_on, number_now.latest_value) == (
            later,
            Decimal(round_ + 5),
        ), f"round {round_}"
        assert (milestone_now.last_reported_on, milestone_now.latest_done) == (
            later,
            round_ % 2 == 1,
        ), f"round {round_}"
        assert _kept(registration) == _recount(registration)


def test_two_tasks_reported_at_once_leave_the_registrations_summary_true(city, city_campaign):
    """Without the registration's lock each recount reads the tasks as they were when its
    statement began, missing the other task's report committed meanwhile: the kept summary
    (the latest report, the earliest open due date) is stale."""
    needs_row_locks()
    registration = registered(city, city_campaign)
    number, milestone = registration.tasks.order_by("position")
    for round_ in range(ROUNDS):
        outcomes = at_once(
            _report(city, number, days(-10 + 2 * round_), value=Decimal(round_)),
            _report(city, milestone, days(-9 + 2 * round_), done=False),
        )
        assert kinds(outcomes) == ["won", "won"]
        assert _kept(registration) == _recount(registration), f"round {round_}"
        # The other order of dates next: whichever task is reported later, the summary follows.
        outcomes = at_once(
            _report(city, number, days(-8 + 2 * round_), value=Decimal(round_)),
            _report(city, milestone, days(-9 + 2 * round_), done=False),
        )
        assert kinds(outcomes) == ["won", "won"]
        assert _kept(registration) == _recount(registration), f"round {round_}, other order"


def test_a_draft_edited_while_it_is_launched_stays_launched(city):
    """Without the draft's lock the edit reads the draft, the launch moves it, and the edit's
    save writes the whole row back: the launched campaign is a draft again. With it, the edit
    either comes first (the plan launched is the edited one) or is refused in Vietnamese."""
    needs_row_locks()
    for round_ in range(ROUNDS):
        draft = make_campaign(city.district, city.city_officer)
        theme = f"Chủ đề sửa lần {round_ + 1}"
        outcomes = at_once(
            lambda draft=draft: campaign_services.launch_campaign(draft, actor=city.city_leader),
            lambda draft=draft, theme=theme: campaign_services.update_campaign(
                draft, actor=city.city_officer, theme=theme
            ),
        )
        campaign = Campaign.objects.get(pk=draft.pk)
        assert campaign.status == CampaignStatus.LAUNCHED, f"round {round_}"
        assert (
            campaign.history.filter(
                history_change_reason__startswith="campaigns.campaign.launched"
            ).count()
            == 1
        )
        if kinds(outcomes) == ["RuleViolation", "won"]:
            refused = next(o for o in outcomes if isinstance(o, RuleViolation))
            assert refused.message == "Chỉ sửa được phong trào đang ở trạng thái dự thảo."
            assert campaign.theme != theme
        else:
            assert kinds(outcomes) == ["won", "won"], outcomes
            assert campaign.theme == theme
