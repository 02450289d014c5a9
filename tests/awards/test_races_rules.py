"""Races on the awards services that lock a row before a rule's check: quotas and clearance.

PostgreSQL only (tests/races.py): two callers at the same instant, one outcome. How a lock-free
variant of each was shown to fail: docs/testing.md.
"""

from __future__ import annotations

import datetime

import pytest

from awards.models import CampaignQuota, ClearanceRequest, ClearanceStatus, EmulationTitle
from awards.procedure import clearance
from awards.rules import quotas
from campaigns import services as campaign_services
from portal.errors import RuleViolation
from tests.awards.nomination_helpers import TODAY, received
from tests.campaign_fixtures import _documents_off_disk, city, make_campaign
from tests.races import at_once, kinds, needs_row_locks, race

# The campaign world's fixtures, used here by name (pytest finds them in this module).
__all__ = ["_documents_off_disk", "city"]

pytestmark = race


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(TODAY, tick=False)


def test_one_quota_set_twice_at_once_is_one_quota(city):
    """Without the campaign's lock both callers find no quota and both insert one."""
    needs_row_locks()
    plan = campaign_services.launch_campaign(
        make_campaign(city.district, city.city_officer), actor=city.city_leader
    )
    ldtt = EmulationTitle.objects.get(code="lao-dong-tien-tien")

    def set_to(limit):
        return lambda: quotas.set_campaign_quota(
            plan, actor=city.city_officer, item=ldtt, limit=limit, reason="Mục V Kế hoạch"
        )

    outcomes = at_once(set_to(2), set_to(3))
    assert kinds(outcomes) == ["won", "won"]
    quota = CampaignQuota.objects.get(campaign=plan)
    assert quota.limit in {2, 3}
    reasons = sorted(h.history_change_reason.split(":")[0] for h in quota.history.all())
    assert reasons == ["awards.quota.changed", "awards.quota.set"]


def test_an_answer_and_a_withdrawal_at_once_one_wins(world):
    """Without the request's lock both see it pending: answered and withdrawn, both recorded."""
    needs_row_locks()
    nomination = received(world)
    request = clearance.request_clearance(
        [nomination],
        actor=world.reviewer,
        body_name="Ủy ban Kiểm tra Thị ủy Long Khánh",
        subject="việc chấp hành pháp luật.",
        due_on=datetime.date(2026, 3, 9),
    )
    outcomes = at_once(
        lambda: clearance.record_clearance_answer(
            request, actor=world.reviewer, verdict="agreed", text=""
        ),
        lambda: clearance.withdraw_clearance(request, actor=world.reviewer, reason="Nhầm."),
    )
    assert kinds(outcomes) == ["RuleViolation", "won"]
    winner = next(o for o in outcomes if not isinstance(o, Exception))
    status = ClearanceRequest.objects.get(pk=request.pk).status
    assert status == winner.status
    assert status in {ClearanceStatus.AGREED, ClearanceStatus.WITHDRAWN}
    assert (
        nomination.events.filter(action__startswith="clearance_")
        .exclude(action="clearance_requested")
        .count()
        == 1
    )
    refused = next(o for o in outcomes if isinstance(o, RuleViolation))
    assert "Ủy ban Kiểm tra Thị ủy Long Khánh" in refused.message or "Chỉ rút" in refused.message
