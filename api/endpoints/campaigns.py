"""Campaigns with their documents; the launched ones are public, as the public pages are."""

from __future__ import annotations

import datetime

from django.http import HttpRequest
from ninja import Query, Router, Schema

from api.endpoints.common import ListFilters, filter_list, get_scoped, paginate, user_of
from api.endpoints.documents import DocumentOut, document_out
from campaigns.models import Campaign, CampaignStatus
from portal.models import Unit

router = Router(tags=["Phong trào thi đua"])


class CampaignOut(Schema):
    id: int
    title: str
    theme: str
    kind: str
    status: str
    status_label: str
    issuer_id: int
    issuer_code: str
    issuer_name: str
    starts_on: datetime.date
    ends_on: datetime.date
    registration_due: datetime.date
    final_review_due: datetime.date
    launched_on: datetime.date | None
    items: list[str]
    document: DocumentOut | None


class CampaignPage(Schema):
    items: list[CampaignOut]
    next_cursor: str | None = None


def campaign_out(campaign: Campaign) -> dict:
    document = campaign.document
    return {
        "id": campaign.pk,
        "title": campaign.title,
        "theme": campaign.theme,
        "kind": campaign.kind,
        "status": campaign.status,
        "status_label": campaign.get_status_display(),
        "issuer_id": campaign.issuer_id,
        "issuer_code": campaign.issuer.code,
        "issuer_name": campaign.issuer.name,
        "starts_on": campaign.starts_on,
        "ends_on": campaign.ends_on,
        "registration_due": campaign.registration_due,
        "final_review_due": campaign.final_review_due,
        "launched_on": campaign.launched_on,
        "items": [item.text for item in campaign.items.all()],
        "document": (
            document_out(document) if document is not None and document.status == "issued" else None
        ),
    }


def _campaigns(queryset):
    return queryset.select_related("issuer", "document__issuer").prefetch_related("items")


def _filtered(request, queryset, filters):
    user = user_of(request)
    return filter_list(
        _campaigns(queryset),
        filters,
        user,
        unit_path="issuer__path",
        year_field="starts_on__year",
        date_field="starts_on",
        statuses=CampaignStatus.values,
    )


@router.get("/campaigns", response=CampaignPage, summary="Phong trào trong phạm vi")
def list_campaigns(request: HttpRequest, filters: Query[ListFilters]):
    rows = _filtered(request, Campaign.objects.visible_to(user_of(request)), filters)
    return paginate(rows, filters, campaign_out)


@router.get("/campaigns/{campaign_id}", response=CampaignOut, summary="Một phong trào")
def get_campaign(request: HttpRequest, campaign_id: int):
    campaigns = _campaigns(Campaign.objects.visible_to(user_of(request)))
    return campaign_out(get_scoped(campaigns, pk=campaign_id))


@router.get(
    "/public/campaigns",
    response=CampaignPage,
    auth=None,
    summary="Phong trào đã phát động (công khai, không cần khóa)",
)
def list_public_campaigns(request: HttpRequest, filters: Query[ListFilters]):
    rows = filter_list(
        _campaigns(Campaign.objects.published()),
        filters,
        None,
        units=Unit.objects.all(),
        unit_path="issuer__path",
        year_field="starts_on__year",
        date_field="starts_on",
    )
    return paginate(rows, filters, campaign_out)
