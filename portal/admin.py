from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from simple_history.admin import SimpleHistoryAdmin

from portal.models import (
    Bloc,
    BlocMember,
    BlocTerm,
    Membership,
    OfficialDocument,
    Person,
    Register,
    Unit,
    User,
)


def superusers_only(request) -> bool:
    """The Django admin is for system administrators only, not for staff officials."""
    return request.user.is_active and request.user.is_superuser


admin.site.has_permission = superusers_only
admin.site.site_header = "Quản trị Cổng thi đua – khen thưởng"
admin.site.site_title = "Quản trị"


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
class OfficialDocumentAdmin(SimpleHistoryAdmin):
    """Read-only: documents are drafted and issued through the portal's services only."""

    list_display = ("__str__", "issuer", "status", "issued_on", "verification_code")
    list_filter = ("kind", "status")
    search_fields = ("number", "summary", "verification_code")
    raw_id_fields = ("issuer",)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
