from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from simple_history.admin import SimpleHistoryAdmin

from caseload.access_log import AccessAction, log_access
from caseload.models import (
    AccessLog,
    ActionPlan,
    Client,
    Contact,
    Enrolment,
    ErasureRecord,
    ImportConflict,
    ImportReject,
    ImportRun,
    Referral,
    Team,
    User,
    Vacancy,
    Workshop,
)

from .base import ReadOnlyAdmin


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = [
        "code",
        "name",
        "kind",
        "caseload_norm",
        "caseload_max",
        "admin_minutes_per_client",
    ]
    list_filter = ["kind"]
    search_fields = ["code", "name"]


@admin.register(User)
class StaffAdmin(UserAdmin):
    list_display = ["username", "full_name", "employee_id", "role", "team", "is_active"]
    list_filter = ["role", "team", "is_active", "is_superuser"]
    search_fields = ["username", "full_name", "employee_id", "email"]
    fieldsets = [
        *UserAdmin.fieldsets,
        ("Work & Income", {"fields": ["employee_id", "full_name", "role", "team", "fte"]}),
    ]


class ScopedAdmin(admin.ModelAdmin):
    """Admin lists read clients (and what hangs off them) through visible_to, like every view."""

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)


@admin.register(Client)
class ClientAdmin(SimpleHistoryAdmin, ScopedAdmin):
    list_display = ["client_number", "coach", "status", "intake_date", "exit_date"]
    list_filter = ["status", "gender", "household", "coach__team"]
    search_fields = ["client_number"]
    raw_id_fields = ["coach"]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        self.log_view(request, object_id, response)
        return response

    def history_view(self, request, object_id, extra_context=None):
        response = super().history_view(request, object_id, extra_context)
        self.log_view(request, object_id, response)
        return response

    def log_view(self, request, object_id, response) -> None:
        """A client opened in the admin is a client view like any other (access log)."""
        if response.status_code == 200:
            numbers = (
                self.get_queryset(request)
                .filter(pk=object_id)
                .values_list("client_number", flat=True)
            )
            log_access(request, AccessAction.VIEW_CLIENT, list(numbers))


@admin.register(Contact)
class ContactAdmin(ScopedAdmin):
    list_display = ["contact_id", "client", "employee", "date", "channel", "initiated_by"]
    list_filter = ["channel", "initiated_by"]
    search_fields = ["contact_id", "client__client_number"]
    raw_id_fields = ["client", "employee"]
    date_hierarchy = "date"


@admin.register(ActionPlan)
class ActionPlanAdmin(ScopedAdmin):
    list_display = ["plan_id", "client", "created_date", "review_date", "status"]
    list_filter = ["status"]
    search_fields = ["plan_id", "client__client_number"]
    raw_id_fields = ["client"]


@admin.register(Referral)
class ReferralAdmin(ScopedAdmin):
    list_display = ["referral_id", "client", "vacancy", "date", "outcome", "created_by"]
    list_filter = ["outcome"]
    search_fields = ["referral_id", "client__client_number", "vacancy__vacancy_id"]
    raw_id_fields = ["client", "vacancy", "created_by"]
    # Sending and outcomes go through the coach's confirmation (caseload.matching.services), not the admin.
    readonly_fields = ["outcome", "sent_at", "sent_by"]

    def has_add_permission(self, request):
        return False  # referrals come from the export or a coach's proposal; an added one would have no outcome


@admin.register(Enrolment)
class EnrolmentAdmin(ScopedAdmin):
    list_display = ["enrolment_id", "client", "workshop", "date", "status"]
    list_filter = ["status"]
    raw_id_fields = ["client", "workshop"]


@admin.register(Vacancy)
class VacancyAdmin(admin.ModelAdmin):
    list_display = ["vacancy_id", "title", "employer", "sector", "hours_per_week", "open_until"]
    search_fields = ["vacancy_id", "title", "employer"]
    list_filter = ["sector"]


@admin.register(Workshop)
class WorkshopAdmin(admin.ModelAdmin):
    list_display = ["workshop_id", "title", "theme", "starts_on", "capacity"]
    search_fields = ["workshop_id", "title"]


class ImportRejectInline(admin.TabularInline):
    model = ImportReject
    extra = 0
    can_delete = False
    readonly_fields = ["file", "line", "column", "reason", "row"]

    def has_add_permission(self, request, obj=None):
        return False


class ImportConflictInline(ImportRejectInline):
    model = ImportConflict
    readonly_fields = [
        "file",
        "line",
        "key",
        "column",
        "recorded_value",
        "recorded_at",
        "recorded_by",
        "imported_value",
        "imported_date",
        "kept",
    ]


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
    list_display = ["pk", "source", "started_at", "finished_at", "status"]
    list_filter = ["status"]
    readonly_fields = [
        "source",
        "started_at",
        "finished_at",
        "status",
        "summary",
        "error",
        "started_by",
    ]
    inlines = [ImportConflictInline, ImportRejectInline]

    def has_add_permission(self, request):
        return False


# --- the access log and erasure records, read-only ------------------------------------------------


@admin.register(AccessLog)
class AccessLogAdmin(ReadOnlyAdmin):
    list_display = ["at", "username", "action", "client_number", "path"]
    list_filter = ["action"]
    search_fields = ["=client_number", "=username"]
    date_hierarchy = "at"

    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser


@admin.register(ErasureRecord)
class ErasureRecordAdmin(ReadOnlyAdmin):
    list_display = ["pseudonym", "erased_at", "erased_by", "reason"]
    search_fields = ["=pseudonym"]
