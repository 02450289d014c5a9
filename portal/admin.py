from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from simple_history.admin import SimpleHistoryAdmin

from portal import services
from portal.errors import RuleViolation
from portal.models import (
    Bloc,
    BlocMember,
    BlocTerm,
    Digest,
    DocumentCopy,
    Holiday,
    Job,
    Membership,
    Notification,
    NotificationPreference,
    OfficialDocument,
    OutsideSigning,
    Person,
    Post,
    Register,
    Reminder,
    Unit,
    User,
)


def superusers_only(request) -> bool:
    """The Django admin is for system administrators only, not for staff officials."""
    return request.user.is_active and request.user.is_superuser


admin.site.has_permission = superusers_only
admin.site.site_header = "Quản trị Cổng thi đua – khen thưởng"
admin.site.site_title = "Quản trị"


class NoWritesMixin:
    """Shown in the admin, never written there: these rows are made and moved by their services
    or kept by PostgreSQL's triggers, and an edit by hand would bypass both."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(User)
class PortalUserAdmin(UserAdmin, SimpleHistoryAdmin):
    fieldsets = (*UserAdmin.fieldsets, ("Cổng thi đua", {"fields": ("full_name",)}))
    list_display = ("username", "full_name", "email", "is_active", "is_superuser")
    search_fields = ("username", "full_name", "email")


@admin.register(Unit)
class UnitAdmin(SimpleHistoryAdmin):
    list_display = ("name", "code", "kind", "parent", "valid_from", "valid_to")
    list_filter = ("kind", "code_scheme")
    search_fields = ("name", "code", "search_name")
    raw_id_fields = ("parent",)
    filter_horizontal = ("merged_from",)
    readonly_fields = ("path", "depth")


class BlocMemberInline(admin.TabularInline):
    model = BlocMember
    raw_id_fields = ("unit",)
    extra = 0


class BlocTermInline(admin.TabularInline):
    model = BlocTerm
    raw_id_fields = ("head", "deputy")
    extra = 0


@admin.register(Bloc)
class BlocAdmin(SimpleHistoryAdmin):
    list_display = ("name", "kind", "organiser", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("name",)
    raw_id_fields = ("organiser",)
    inlines = (BlocMemberInline, BlocTermInline)


@admin.register(BlocMember)
class BlocMemberAdmin(SimpleHistoryAdmin):
    list_display = ("bloc", "unit", "position", "joined_on", "left_on")
    raw_id_fields = ("bloc", "unit")


@admin.register(BlocTerm)
class BlocTermAdmin(SimpleHistoryAdmin):
    list_display = ("bloc", "year", "head", "deputy")
    raw_id_fields = ("bloc", "head", "deputy")


@admin.register(Person)
class PersonAdmin(SimpleHistoryAdmin):
    list_display = ("full_name", "gender", "birth_year", "position", "unit")
    search_fields = ("full_name", "search_name")
    list_filter = ("gender", "is_manager", "is_direct_worker")
    raw_id_fields = ("unit", "user")


POST_FIELDS = ("person", "unit", "rank", "title", "starts_on", "ends_on")


class PostAdminForm(forms.ModelForm):
    """The admin checks a post with the service's rules (one head at a time, ordered dates)."""

    class Meta:
        model = Post
        fields = POST_FIELDS

    def clean(self):
        cleaned = super().clean()
        if not self.errors:
            try:
                services.check_post(
                    Post(pk=self.instance.pk, **{name: cleaned.get(name) for name in POST_FIELDS})
                )
            except RuleViolation as error:
                raise forms.ValidationError(error.message) from error
        return cleaned


@admin.register(Post)
class PostAdmin(SimpleHistoryAdmin):
    """Leadership posts: who signs a unit's papers on which day (portal/documents/signers.py)."""

    list_display = ("person", "title", "rank", "unit", "starts_on", "ends_on")
    search_fields = ("person__full_name", "title", "unit__name")
    list_filter = ("rank",)
    raw_id_fields = ("person", "unit")
    form = PostAdminForm


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ("user", "unit", "role")
    list_filter = ("role",)
    raw_id_fields = ("user", "unit")


@admin.register(Register)
class RegisterAdmin(SimpleHistoryAdmin):
    """Registers are configured here: a shared series, wider padding, numbering a giao ước."""

    list_display = ("name", "issuer", "kind", "padding", "type_abbreviation")
    list_filter = ("kind",)
    raw_id_fields = ("issuer",)


@admin.register(OfficialDocument)
class OfficialDocumentAdmin(NoWritesMixin, SimpleHistoryAdmin):
    """Read-only: documents are drafted and issued through the portal's services only."""

    list_display = ("__str__", "issuer", "status", "issued_on", "verification_code")
    list_filter = ("kind", "status")
    search_fields = ("number", "summary", "verification_code")
    raw_id_fields = ("issuer",)


@admin.register(DocumentCopy)
class DocumentCopyAdmin(NoWritesMixin, SimpleHistoryAdmin):
    """Read-only: a copy is made, numbered and frozen by its service (portal.documents.copies)."""

    list_display = ("__str__", "issuer", "original", "made_on", "verification_code")
    list_filter = ("kind",)
    search_fields = ("number", "verification_code")
    raw_id_fields = ("issuer", "original", "copied_from", "signer")


@admin.register(OutsideSigning)
class OutsideSigningAdmin(NoWritesMixin, SimpleHistoryAdmin):
    """Read-only: a paper signed outside the portal moves through its services only (its
    history shows who confirmed a certificate in another name, and why)."""

    list_display = ("__str__", "countersigned", "confirmed_by")
    raw_id_fields = ("document",)


class OperationalAdmin(admin.ModelAdmin):
    """Outbox rows, digests, notifications and jobs: looked at, never edited by hand (the
    workers move them by conditional updates; an edit here would bypass the claims)."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Reminder)
class ReminderAdmin(OperationalAdmin):
    # A row's state is its digest's (none: waiting).
    list_display = [
        "remind_on",
        "kind",
        "title",
        "recipient",
        "digest__status",
        "overdue",
        "escalated",
    ]
    list_filter = ["digest__status", "kind", "overdue", "escalated", "legal_deadline", "remind_on"]
    list_select_related = ["recipient", "digest"]
    raw_id_fields = ["recipient", "unit", "digest"]


@admin.register(Digest)
class DigestAdmin(OperationalAdmin):
    list_display = [
        "day",
        "user",
        "status",
        "item_count",
        "emailed",
        "notified",
        "muted",
        "attempts",
    ]
    list_filter = ["status", "day"]
    list_select_related = ["user"]
    raw_id_fields = ["user"]


@admin.register(Notification)
class NotificationAdmin(OperationalAdmin):
    list_display = ["created_at", "user", "kind", "title", "read_at"]
    list_filter = ["kind"]
    list_select_related = ["user"]
    raw_id_fields = ["user", "digest"]


@admin.register(Job)
class JobAdmin(OperationalAdmin):
    list_display = ["pk", "kind", "unit", "created_by", "status", "progress_done", "attempts"]
    list_filter = ["status", "kind"]
    list_select_related = ["unit", "created_by"]
    raw_id_fields = ["unit", "created_by"]


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(SimpleHistoryAdmin):
    list_display = ["user", "digest_hour", "mute_email", "mute_inbox"]
    raw_id_fields = ["user"]


@admin.register(Holiday)
class HolidayAdmin(SimpleHistoryAdmin):
    """The seeded days are computed by the Labour Code's rules: verify each year's rows against
    the Government's annual notice (Thông báo nghỉ lễ, Tết) and untick "chưa đối chiếu"."""

    list_display = ("date", "name", "kind", "is_unverified")
    list_filter = ("kind", "is_unverified")
    search_fields = ("name",)
    date_hierarchy = "date"
