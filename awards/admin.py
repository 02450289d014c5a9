"""System administrators amend the catalogue and rule sets here; every change keeps history."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from awards.models import (
    AgendaItem,
    AnnualRating,
    AuthorityRule,
    AwardDecision,
    AwardForm,
    AwardRecord,
    AwardTally,
    AwardUnitTally,
    Ballot,
    BaseSalary,
    Batch,
    CampaignQuota,
    CapRule,
    CentralDecision,
    ClearanceRequest,
    CollectiveRule,
    CouncilSeat,
    CouncilSession,
    CriterionOpinion,
    Discipline,
    EmulationTitle,
    Evidence,
    Freeze,
    GeneralRule,
    HistoryImport,
    Initiative,
    LegalBasis,
    MoneyRule,
    Nomination,
    NominationBranchTally,
    NominationEvent,
    NominationTally,
    PartyOpinionRule,
    PrerequisiteRule,
    PublicComment,
    PublicCommentRule,
    RuleSet,
    StepLimit,
    VoteRule,
)
from portal.admin import NoWritesMixin


class CatalogueAdmin(SimpleHistoryAdmin):
    list_display = ("name", "abbreviation", "code", "level", "legal_article", "is_unverified")
    list_filter = ("level", "is_unverified", "is_active")
    search_fields = ("name", "code", "abbreviation")
    ordering = ("position",)


admin.site.register(EmulationTitle, CatalogueAdmin)
admin.site.register(AwardForm, CatalogueAdmin)


class RuleInline(admin.TabularInline):
    extra = 0
    autocomplete_fields = ("title", "award_form")


class AuthorityInline(RuleInline):
    model = AuthorityRule


class MoneyInline(RuleInline):
    model = MoneyRule


class VoteInline(RuleInline):
    model = VoteRule


class CapInline(RuleInline):
    model = CapRule
    autocomplete_fields = ("title", "award_form", "base_title")


class PrerequisiteInline(RuleInline):
    model = PrerequisiteRule
    autocomplete_fields = ("title", "award_form", "ref_title", "ref_form")


class CollectiveInline(RuleInline):
    model = CollectiveRule
    autocomplete_fields = ("title", "award_form", "ref_title")


class GeneralInline(admin.TabularInline):
    model = GeneralRule
    extra = 0


class PublicCommentInline(RuleInline):
    model = PublicCommentRule


class PartyOpinionInline(RuleInline):
    model = PartyOpinionRule


class StepLimitInline(admin.TabularInline):
    model = StepLimit
    extra = 0


@admin.register(RuleSet)
class RuleSetAdmin(SimpleHistoryAdmin):
    list_display = ("name", "legal_basis", "valid_from", "valid_to", "scope_unit", "is_unverified")
    list_filter = ("is_unverified",)
    search_fields = ("name", "legal_basis")
    raw_id_fields = ("scope_unit",)
    inlines = (
        GeneralInline,
        AuthorityInline,
        MoneyInline,
        VoteInline,
        PrerequisiteInline,
        CollectiveInline,
        CapInline,
        PublicCommentInline,
        PartyOpinionInline,
        StepLimitInline,
    )


@admin.register(BaseSalary)
class BaseSalaryAdmin(SimpleHistoryAdmin):
    list_display = ("amount", "valid_from", "legal_basis", "is_unverified")


@admin.register(LegalBasis)
class LegalBasisAdmin(SimpleHistoryAdmin):
    list_display = ("citation", "role", "valid_from", "valid_to", "scope_unit", "is_unverified")
    list_filter = ("role", "is_unverified")
    search_fields = ("citation",)
    raw_id_fields = ("scope_unit",)


class RuleAdmin(SimpleHistoryAdmin):
    list_display = ("__str__", "rule_set", "article", "is_unverified")
    list_filter = ("rule_set", "is_unverified")
    autocomplete_fields = ("title", "award_form")


for rule_model in (
    AuthorityRule,
    MoneyRule,
    VoteRule,
    CapRule,
    PrerequisiteRule,
    CollectiveRule,
    PublicCommentRule,
    PartyOpinionRule,
):
    admin.site.register(rule_model, RuleAdmin)


@admin.register(StepLimit)
class StepLimitAdmin(SimpleHistoryAdmin):
    list_display = ("step", "ad_hoc", "working_days", "rule_set", "article", "is_unverified")
    list_filter = ("rule_set", "ad_hoc", "is_unverified")


@admin.register(GeneralRule)
class GeneralRuleAdmin(SimpleHistoryAdmin):
    list_display = ("code", "rule_set", "enabled", "severity", "article", "is_unverified")
    list_filter = ("rule_set", "code", "is_unverified")


@admin.register(AwardRecord)
class AwardRecordAdmin(SimpleHistoryAdmin):
    list_display = ("__str__", "year", "basis_kind", "decision_number", "decision_date", "source")
    list_filter = ("basis_kind", "source", "recipient_kind", "year")
    search_fields = ("decision_number", "person__full_name", "unit__name", "household_name")
    raw_id_fields = ("person", "unit", "decision_issuer", "title", "award_form")


class SubjectAdmin(SimpleHistoryAdmin):
    raw_id_fields = ("person", "unit")
    search_fields = ("person__full_name", "unit__name")


@admin.register(AnnualRating)
class AnnualRatingAdmin(SubjectAdmin):
    list_display = ("__str__", "year", "rating", "source")
    list_filter = ("rating", "year")


@admin.register(Discipline)
class DisciplineAdmin(SubjectAdmin):
    list_display = ("__str__", "level", "effective_from", "effective_to")
    list_filter = ("level",)


@admin.register(Freeze)
class FreezeAdmin(SubjectAdmin):
    list_display = ("__str__", "kind", "started_on", "ended_on")
    list_filter = ("kind",)


@admin.register(Initiative)
class InitiativeAdmin(SubjectAdmin):
    list_display = ("name", "level", "year", "used_by")
    list_filter = ("level",)
    raw_id_fields = ("person", "unit", "used_by")


@admin.register(HistoryImport)
class HistoryImportAdmin(SimpleHistoryAdmin):
    """Uploads of award history: read only, the import job is their only writer."""

    list_display = ("original_name", "unit", "uploaded_by", "created_at", "imported_at")
    raw_id_fields = ("unit", "uploaded_by", "job")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class WorkflowRecordAdmin(NoWritesMixin, SimpleHistoryAdmin):
    """Dossiers, sessions and decisions move only through the workflow services; the admin
    shows them and their history but does not edit them."""


@admin.register(Nomination)
class NominationAdmin(WorkflowRecordAdmin):
    list_display = ("__str__", "year", "status", "proposing_unit", "handling_unit", "due_on")
    list_filter = ("status", "year")
    search_fields = ("person__full_name", "household_name", "unit__name")


for workflow_model in (
    Batch,
    Evidence,
    NominationEvent,
    PublicComment,
    CouncilSession,
    CouncilSeat,
    AgendaItem,
    Ballot,
    AwardDecision,
    CentralDecision,
    CriterionOpinion,
    ClearanceRequest,
):
    admin.site.register(workflow_model, WorkflowRecordAdmin)


@admin.register(CampaignQuota)
class CampaignQuotaAdmin(SimpleHistoryAdmin):
    """Officials set quotas on the campaign's page; here system administrators can correct them."""

    list_display = ("campaign", "title", "award_form", "unit", "limit", "basis")
    raw_id_fields = ("campaign", "unit")
    autocomplete_fields = ("title", "award_form")


@admin.register(NominationBranchTally)
class NominationBranchTallyAdmin(NoWritesMixin, admin.ModelAdmin):
    """Read-only: PostgreSQL's triggers keep these counts (migration 0023), never a person."""

    list_display = ("path", "count", "own")
    search_fields = ("path",)


@admin.register(NominationTally)
class NominationTallyAdmin(NoWritesMixin, admin.ModelAdmin):
    """Read-only: PostgreSQL's triggers keep these counts (migration 0021), never a person."""

    list_display = ("handling_unit", "status", "year", "count")
    list_filter = ("status", "year")


class ReadOnlyTallyAdmin(NoWritesMixin, admin.ModelAdmin):
    """Read-only: PostgreSQL's triggers keep these sums (migration 0024), never a person."""

    list_filter = ("year",)
    search_fields = ("path",)


@admin.register(AwardTally)
class AwardTallyAdmin(ReadOnlyTallyAdmin):
    list_display = ("path", "year", "title", "award_form", "recipient_kind", "count")


@admin.register(AwardUnitTally)
class AwardUnitTallyAdmin(ReadOnlyTallyAdmin):
    list_display = ("path", "year", "count", "individuals", "collectives", "households")
