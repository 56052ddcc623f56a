"""Admin for the dashboards' records: the reassignment log is read-only (it is an audit trail)."""

from django.contrib import admin

from caseload.admin.base import ReadOnlyAdmin
from dashboards.models import Reassignment, TeamWeeklySnapshot


@admin.register(Reassignment)
class ReassignmentAdmin(ReadOnlyAdmin):
    list_display = ["performed_at", "team", "from_coach", "to_coach", "performed_by", "reverses"]
    list_filter = ["team"]


@admin.register(TeamWeeklySnapshot)
class TeamWeeklySnapshotAdmin(ReadOnlyAdmin):
    list_display = [
        "iso_week",
        "team",
        "coach",
        "active_caseload",
        "contact_overdue",
        "missing_key_fields",
        "exited_to_work",
    ]
    list_filter = ["team", "iso_week"]
