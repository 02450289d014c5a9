"""System administrators' view of campaigns (officials work in the portal's own pages)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from campaigns.models import (
    Campaign,
    CampaignTarget,
    ContentItem,
    LaunchNotice,
    LegalBasis,
    ReportingPeriod,
    Review,
)


class ContentItemInline(admin.TabularInline):
    model = ContentItem
    extra = 0


class LegalBasisInline(admin.TabularInline):
    model = LegalBasis
    extra = 0


class ReportingPeriodInline(admin.TabularInline):
    model = ReportingPeriod
    extra = 0


@admin.register(Campaign)
class CampaignAdmin(SimpleHistoryAdmin):
    list_display = ("title", "issuer", "kind", "status", "starts_on", "ends_on")
    list_filter = ("status", "kind", "launch_form")
    search_fields = ("title", "search_text")
    raw_id_fields = ("issuer", "parent", "document", "launched_by")
    filter_horizontal = ("target_blocs",)
    readonly_fields = ("status", "launched_on", "launched_by")
    inlines = [ContentItemInline, LegalBasisInline, ReportingPeriodInline]


@admin.register(Review)
class ReviewAdmin(SimpleHistoryAdmin):
    list_display = ("campaign", "kind", "held_on")
    raw_id_fields = ("campaign", "recorded_by")


@admin.register(ContentItem)
class ContentItemAdmin(SimpleHistoryAdmin):
    list_display = ("campaign", "number", "text")
    raw_id_fields = ("campaign",)


@admin.register(LegalBasis)
class LegalBasisAdmin(SimpleHistoryAdmin):
    list_display = ("campaign", "document_number", "issuer_name")
    raw_id_fields = ("campaign",)


@admin.register(CampaignTarget)
class CampaignTargetAdmin(SimpleHistoryAdmin):
    list_display = ("campaign", "unit")
    raw_id_fields = ("campaign", "unit")


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(SimpleHistoryAdmin):
    list_display = ("campaign", "name", "starts_on", "ends_on")
    raw_id_fields = ("campaign",)


@admin.register(LaunchNotice)
class LaunchNoticeAdmin(SimpleHistoryAdmin):
    list_display = ("campaign", "user", "sent_at")
    raw_id_fields = ("campaign", "user")
