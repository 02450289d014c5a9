import io

from campaigns import demo as campaigns_demo
from campaigns.models import Campaign
from campaigns.workflow import CampaignStatus
from pledges import demo as pledges_demo
from pledges.models import AwardProposal, ProgressReport, Registration


def _load_all() -> str:
    out = io.StringIO()
    campaigns_demo.load(stdout=out)
    pledges_demo.load(stdout=out)
    return out.getvalue()


def test_demo_launches_a_province_campaign_with_follow_ups_and_registrations(world):
    _load_all()
    campaign = campaigns_demo.demo_campaign()
    assert campaign.status == CampaignStatus.LAUNCHED
    assert campaign.document.is_issued
    assert campaign.document.number_and_symbol.startswith("01/KH-")
    follow_ups = Campaign.objects.filter(parent=campaign)
    assert follow_ups.count() == 3  # the city and its two wards; one stays a draft
    assert follow_ups.filter(status=CampaignStatus.LAUNCHED).count() == 2
    registrations = Registration.objects.filter(campaign=campaign)
    assert registrations.count() == 2
    assert ProgressReport.objects.filter(task__registration__campaign=campaign).exists()
    assert AwardProposal.objects.pending().exists()


def test_a_second_run_adds_nothing(world):
    _load_all()
    counts = (Campaign.objects.count(), Registration.objects.count())
    output = _load_all()
    assert "không có thay đổi" in output
    assert (Campaign.objects.count(), Registration.objects.count()) == counts
