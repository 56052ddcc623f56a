"""Read-only audit of matching in the admin: shortlist runs, screening flags and decisions."""

from django.contrib import admin

from caseload.admin.base import ReadOnlyAdmin

from .models import ScreeningDecision, ScreeningFlag, ShortlistRun


@admin.register(ShortlistRun)
class ShortlistRunAdmin(ReadOnlyAdmin):
    list_display = [
        "created_at",
        "vacancy",
        "user",
        "concepts_version",
        "ranked_count",
        "knocked_out_count",
    ]
    list_filter = ["concepts_version"]


class ScreeningDecisionInline(admin.TabularInline):
    model = ScreeningDecision
    extra = 0
    can_delete = False
    readonly_fields = ["decision", "justification", "decided_by", "decided_at"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(ScreeningFlag)
class ScreeningFlagAdmin(ReadOnlyAdmin):
    list_display = ["vacancy", "category", "field", "matched_text", "detected_at"]
    list_filter = ["category"]
    inlines = [ScreeningDecisionInline]
