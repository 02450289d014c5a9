"""The campaign page shows its plan's award quotas; the campaigns app does not know awards, so
its template reads them through this tag."""

from __future__ import annotations

from django import template

from awards.rules import quotas
from portal import access
from portal.access import Cap

register = template.Library()


@register.inclusion_tag("awards/_campaign_quotas.html", takes_context=True)
def campaign_quotas(context, campaign) -> dict:
    user = context["request"].user
    return {
        "campaign": campaign,
        "lines": quotas.quota_uses([campaign], user),
        "can_manage": access.can(user, Cap.MANAGE_CAMPAIGN, campaign.issuer),
    }
