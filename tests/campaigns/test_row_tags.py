"""The list rows' tags (`campaigns/templatetags/campaign_rows.py`) write what `{% url %}` and the
former status include wrote."""

import pytest
from django.template import Context, Template
from django.urls import reverse, set_script_prefix

from campaigns.templatetags.campaign_rows import campaign_status, id_url
from campaigns.workflow import CampaignStatus

ROUTES = [
    ("campaigns:detail", "campaign_id"),
    ("pledges:detail", "registration_id"),
    ("pledges:review", "review_id"),
]


@pytest.mark.parametrize(("name", "kwarg"), ROUTES)
@pytest.mark.parametrize("pk", [1, 7, 42, 918273645, 10**12])
def test_id_url_is_the_reversed_address(name, kwarg, pk):
    assert id_url(name, pk) == reverse(name, kwargs={kwarg: pk})


def test_id_url_follows_the_script_prefix():
    try:
        set_script_prefix("/cong-thong-tin/")
        assert id_url("pledges:detail", 5) == reverse("pledges:detail", args=[5])
        assert id_url("pledges:detail", 5).startswith("/cong-thong-tin/")
    finally:
        set_script_prefix("/")
    assert id_url("pledges:detail", 5) == reverse("pledges:detail", args=[5])


def test_the_status_badge_by_status():
    badges = {
        CampaignStatus.DRAFT: "text-bg-secondary",
        CampaignStatus.CANCELLED: "text-bg-dark",
        CampaignStatus.CLOSED: "text-bg-light border",
        CampaignStatus.LAUNCHED: "text-bg-success",
        CampaignStatus.IN_PROGRESS: "text-bg-success",
    }
    for status, css in badges.items():
        assert campaign_status(status, status.label) == (
            f'<span class="badge {css}">{status.label}</span>'
        )
    drawn = Template("{% load campaign_rows %}{% campaign_status s l %}").render(
        Context({"s": "draft", "l": "<Dự thảo>"})
    )
    assert drawn == '<span class="badge text-bg-secondary">&lt;Dự thảo&gt;</span>'
