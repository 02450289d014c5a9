"""Campaign quotas: set by whoever may edit the campaign plan, read by the eligibility check.

A quota caps how many of one item the awards under a campaign may give to each proposing unit
(or to one named unit). `quota_for(nomination)` turns the binding row into the checker's
`Quota`: its limit, how many were already awarded under the campaign to the proposing unit
(dossiers with an issued or published decision), and the plan it comes from. Dossiers still
moving are counted by the check itself (`check_quota`), beside the one being judged.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count

from awards.models import CampaignQuota, Item, Nomination, item_filter
from awards.rules.eligibility import Quota
from awards.workflow import Status
from campaigns.models import Campaign
from campaigns.workflow import CampaignStatus
from portal import access
from portal.access import Cap
from portal.audit import stamp
from portal.errors import RuleViolation
from portal.models import Unit
from portal.text import normalize_text, vietnamese_key

# An award counts as made under the plan once its decision is signed.
AWARDED = frozenset({Status.ISSUED, Status.PUBLISHED})
FINISHED = frozenset({CampaignStatus.CLOSED, CampaignStatus.CANCELLED})


def _ensure_editable(campaign: Campaign, actor, reason: str) -> None:
    access.require(actor, Cap.MANAGE_CAMPAIGN, campaign.issuer)
    if campaign.status in FINISHED:
        raise RuleViolation(
            f"Phong trào đã {campaign.get_status_display().lower()}; không sửa chỉ tiêu khen "
            "thưởng nữa.",
            code="quota_campaign_finished",
        )
    if campaign.status != CampaignStatus.DRAFT and not reason:
        raise RuleViolation(
            "Kế hoạch đã phát động: cần ghi lý do (văn bản điều chỉnh) khi sửa chỉ tiêu.",
            code="quota_change_reason_required",
        )


def set_campaign_quota(
    campaign: Campaign,
    *,
    actor,
    item: Item,
    limit: int,
    unit: Unit | None = None,
    basis: str = "",
    reason: str = "",
) -> CampaignQuota:
    """Set (or change) the cap on `item` under `campaign`, for `unit` or every proposing unit."""
    reason, basis = normalize_text(reason), normalize_text(basis)
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().select_related("issuer").get(pk=campaign.pk)
        _ensure_editable(campaign, actor, reason)
        if limit < 0:
            raise RuleViolation("Số lượng tối đa không được âm.", code="quota_negative")
        if unit is not None and not campaign.issuer.contains(unit):
            raise RuleViolation(
                f"“{unit}” không trực thuộc đơn vị phát động.", code="unit_out_of_scope"
            )
        quota = CampaignQuota.objects.filter(
            item_filter(item), campaign=campaign, unit=unit
        ).first() or CampaignQuota(campaign=campaign, unit=unit)
        quota.item = item
        quota.limit = limit
        quota.basis = basis
        code = "awards.quota.changed" if quota.pk else "awards.quota.set"
        stamp(quota, actor=actor, reason=f"{code}: {reason}" if reason else code)
        quota.save()
    return quota


def remove_campaign_quota(quota: CampaignQuota, *, actor, reason: str = "") -> None:
    reason = normalize_text(reason)
    with transaction.atomic():
        quota = CampaignQuota.objects.select_for_update().get(pk=quota.pk)
        campaign = Campaign.objects.select_related("issuer").get(pk=quota.campaign_id)
        _ensure_editable(campaign, actor, reason)
        code = "awards.quota.removed"
        stamp(quota, actor=actor, reason=f"{code}: {reason}" if reason else code)
        quota.delete()


def awarded_count(campaign_id: int, item: Item, proposing_unit: Unit) -> int:
    return Nomination.objects.filter(
        item_filter(item),
        campaign_id=campaign_id,
        proposing_unit=proposing_unit,
        status__in=AWARDED,
    ).count()


def quota_for(nomination: Nomination) -> Quota | None:
    """The campaign plan's ceiling on the dossier's item for its proposing unit, if any."""
    if not nomination.campaign_id:
        return None
    row = (
        CampaignQuota.objects.filter(item_filter(nomination.item), campaign=nomination.campaign_id)
        .for_proposer(nomination.proposing_unit)
        .select_related("campaign__document")
        .first()
    )
    if row is None:
        return None
    return Quota(
        limit=row.limit,
        used=awarded_count(nomination.campaign_id, nomination.item, nomination.proposing_unit),
        source=row.article,
    )


@dataclass(frozen=True)
class QuotaUse:
    quota: CampaignQuota
    unit_name: str
    used: int

    @property
    def remaining(self) -> int:
        return max(self.quota.limit - self.used, 0)


def quota_uses(campaigns, user) -> list[QuotaUse]:
    """Each quota of `campaigns` with the awards already made against it, per proposing unit
    that `user` may see (a ward sees its own use of the city's quota, not its neighbours').

    A quota for every unit shows one line per unit that has used some of it (or one line when
    none has). Two queries whatever the number of quotas and units.
    """
    quotas = list(
        CampaignQuota.objects.filter(campaign__in=campaigns).select_related(
            "campaign__document", "unit", "title", "award_form"
        )
    )
    if not quotas:
        return []
    used = (
        Nomination.objects.filter(campaign__in={q.campaign_id for q in quotas}, status__in=AWARDED)
        .values(
            "campaign_id", "title_id", "award_form_id", "proposing_unit_id", "proposing_unit__name"
        )
        .annotate(n=Count("pk"))
    )
    counts: dict[tuple, list[tuple[int, str, int]]] = {}
    for row in used:
        key = (row["campaign_id"], row["title_id"], row["award_form_id"])
        counts.setdefault(key, []).append(
            (row["proposing_unit_id"], row["proposing_unit__name"], row["n"])
        )
    named = {(q.campaign_id, q.title_id, q.award_form_id, q.unit_id) for q in quotas if q.unit_id}
    lines: list[QuotaUse] = []
    for quota in quotas:
        rows = counts.get((quota.campaign_id, quota.title_id, quota.award_form_id), [])
        if quota.unit_id:
            used_here = sum(n for unit_id, _, n in rows if unit_id == quota.unit_id)
            lines.append(QuotaUse(quota, quota.unit.name, used_here))
            continue
        # The quota for every unit binds the units without a quota of their own.
        own = [
            (unit_id, name, n)
            for unit_id, name, n in rows
            if (quota.campaign_id, quota.title_id, quota.award_form_id, unit_id) not in named
        ]
        if not own:
            lines.append(QuotaUse(quota, "Mỗi đơn vị đề nghị", 0))
        lines.extend(
            QuotaUse(quota, name, n)
            for _, name, n in sorted(own, key=lambda r: vietnamese_key(r[1]))
        )
    return lines
