"""System administrators' view of registrations and reviews."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from pledges.models import (
    AwardProposal,
    BlocAwardProposal,
    CascadeDayTally,
    CascadeTally,
    Commitment,
    CommitmentTask,
    Criterion,
    Evidence,
    Exemplar,
    HonourVote,
    Pledge,
    PledgeMember,
    PledgeSignature,
    PledgeVersion,
    ProgressReport,
    RankingEntry,
    RegisteredTitle,
    Registration,
    RegistrationTask,
    Score,
    ScoreChange,
    ScoreSheet,
    ScoreTable,
    TieBreaker,
    UnitReview,
)
from portal.admin import NoWritesMixin


class TaskInline(admin.TabularInline):
    model = RegistrationTask
    extra = 0
    raw_id_fields = ("content_item",)


class TitleInline(admin.TabularInline):
    model = RegisteredTitle
    extra = 0
    raw_id_fields = ("person",)


@admin.register(Registration)
class RegistrationAdmin(SimpleHistoryAdmin):
    list_display = ("unit", "campaign", "status", "is_late", "first_submitted_at")
    list_filter = ("status", "is_late")
    search_fields = ("unit__name",)
    raw_id_fields = ("campaign", "unit")
    readonly_fields = ("status", "is_late", "first_submitted_at", "accepted_at")
    inlines = [TaskInline, TitleInline]


class EvidenceInline(admin.TabularInline):
    model = Evidence
    extra = 0
    readonly_fields = ("original_name", "content_type", "size")


@admin.register(ProgressReport)
class ProgressReportAdmin(SimpleHistoryAdmin):
    list_display = ("task", "reported_on", "percent")
    raw_id_fields = ("task", "period", "reported_by")
    inlines = [EvidenceInline]


class ExemplarInline(admin.TabularInline):
    model = Exemplar
    extra = 0
    raw_id_fields = ("person",)


class ProposalInline(admin.TabularInline):
    model = AwardProposal
    extra = 0
    raw_id_fields = ("unit", "person")


@admin.register(UnitReview)
class UnitReviewAdmin(SimpleHistoryAdmin):
    list_display = ("unit", "campaign", "kind", "status", "submitted_at")
    list_filter = ("kind", "status")
    raw_id_fields = ("campaign", "unit", "registration")
    inlines = [ExemplarInline, ProposalInline]


@admin.register(RegistrationTask)
class RegistrationTaskAdmin(SimpleHistoryAdmin):
    list_display = ("registration", "position", "description", "latest_percent", "due_on")
    raw_id_fields = ("registration", "content_item")


@admin.register(RegisteredTitle)
class RegisteredTitleAdmin(SimpleHistoryAdmin):
    list_display = ("registration", "title", "person")
    raw_id_fields = ("registration", "person")


@admin.register(Evidence)
class EvidenceAdmin(SimpleHistoryAdmin):
    list_display = ("original_name", "content_type", "size", "report")
    raw_id_fields = ("report",)


@admin.register(Exemplar)
class ExemplarAdmin(SimpleHistoryAdmin):
    list_display = ("name", "kind", "review")
    raw_id_fields = ("review", "person")


@admin.register(AwardProposal)
class AwardProposalAdmin(SimpleHistoryAdmin):
    list_display = ("award", "unit", "person", "status", "nomination_id")
    list_filter = ("status", "award")
    raw_id_fields = ("review", "unit", "person")


class ReadOnlyAdmin(NoWritesMixin, SimpleHistoryAdmin):
    """Giao ước of blocs: read-only for administrators; every change goes through
    pledges.covenants."""


@admin.register(Pledge)
class PledgeAdmin(ReadOnlyAdmin):
    list_display = ("bloc", "year", "head", "status", "version")
    list_filter = ("status", "year")
    search_fields = ("bloc__name",)


@admin.register(ScoreSheet)
class ScoreSheetAdmin(ReadOnlyAdmin):
    list_display = ("unit", "table", "round", "status", "total")
    list_filter = ("status", "round")


@admin.register(BlocAwardProposal)
class BlocAwardProposalAdmin(ReadOnlyAdmin):
    list_display = ("unit", "award", "status", "nomination_id")
    list_filter = ("status", "award")


for _model in (
    PledgeMember,
    Commitment,
    CommitmentTask,
    PledgeVersion,
    PledgeSignature,
    ScoreTable,
    Criterion,
    TieBreaker,
    Score,
    ScoreChange,
    RankingEntry,
    HonourVote,
):
    admin.site.register(_model, ReadOnlyAdmin)


class KeptCountAdmin(NoWritesMixin, admin.ModelAdmin):
    """Read-only: PostgreSQL's triggers keep these counts (migration 0006), never a person."""

    search_fields = ("path",)
    list_filter = ("campaign",)


@admin.register(CascadeTally)
class CascadeTallyAdmin(KeptCountAdmin):
    list_display = ("campaign", "path", "targets", "registered", "accepted", "late", "follow_ups")


@admin.register(CascadeDayTally)
class CascadeDayTallyAdmin(KeptCountAdmin):
    list_display = ("campaign", "path", "day", "due", "accepted_due", "reported")
