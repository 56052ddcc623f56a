"""The work coach dashboard: the caseload at a glance, every figure linked to its list."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from caseload import legend
from caseload.access_log import AccessAction, log_access
from caseload.models import Role
from caseload.selectors import coaches_visible_to

from . import selectors, services
from .charts import horizontal_bars
from .figures import thresholds
from .forms import SavedViewForm
from .models import SavedView

DASHBOARD_ROLES = {Role.WORK_COACH, Role.QUALITY_OFFICER, Role.TEAM_MANAGER}


def characteristic_chart(table):
    rows = [*table.values, table.unknown]
    return horizontal_bars(
        table.label,
        [row.label for row in rows],
        [row.count for row in rows],
        unknown_label=table.unknown.label,
    )


@require_GET
def coach_dashboard(request):
    user = request.user
    if not (user.is_superuser or user.role in DASHBOARD_ROLES):
        raise PermissionDenied
    coach = selectors.dashboard_coach(user, request.GET.get("coach"))
    base = QueryDict(mutable=True)
    if coach is not None:
        base["coach"] = str(coach.pk)
    data = selectors.coach_dashboard(user, base, request.GET)
    # The to-do list names clients: like any list of clients, it is logged (one insert).
    log_access(request, AccessAction.LIST, (row.client_number for row in data["todo"]))
    charted = [
        table
        for table in data["characteristics"]
        if table.name in ("age_band", "participation_step")
    ]
    charts = [
        {
            "id": "chart-monitoring",
            "table": "monitoring-heading",
            "title": _("Monitoring"),
            "figure": horizontal_bars(
                _("Monitoring"),
                [m.label for m in data["monitoring"]],
                [m.count for m in data["monitoring"]],
            ),
        },
        *(
            {
                "id": f"chart-{table.name}",
                "table": f"characteristic-{table.name}",
                "title": table.label,
                "figure": characteristic_chart(table),
            }
            for table in charted
        ),
    ]
    for chart in charts:
        chart["data_id"] = f"{chart['id']}-data"
    return render(
        request,
        "dashboards/coach_dashboard.html",
        {
            **data,
            "charts": charts,
            "coach": coach,
            "coaches": None if user.role == Role.WORK_COACH else coaches_visible_to(user),
            "thresholds": thresholds(request.GET),
            "base_query": base.urlencode(),
            "legend_entries": legend_entries(data),
        },
    )


def legend_entries(data) -> list:
    """The definitions of everything on the page, once each, in page order."""
    keys = [item.definition for item in (*data["overview"], *data["monitoring"])]
    for table in (data["last_contact"], *data["characteristics"]):
        keys += [
            table.definition,
            *(item.definition for item in table.values),
            table.unknown.definition,
        ]
    keys.append("todo")
    return [legend.get(key) for key in dict.fromkeys(keys)]


# --- saved views of the client list ------------------------------------------------------------


def client_list_url(query: str) -> str:
    return reverse("caseload:client_list") + (f"?{query}" if query else "")


@require_POST
def saved_view_save(request):
    form = SavedViewForm(request.POST)
    query = request.POST.get("query", "")
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else field
            messages.error(request, f"{label}: {' '.join(errors)}")
        return redirect(client_list_url(query))
    view = services.save_view(request.user, form.cleaned_data["name"], form.cleaned_data["query"])
    messages.success(request, _("View “%(name)s” saved.") % {"name": view.name})
    return redirect(client_list_url(view.query))


@require_GET
def saved_view_open(request, pk):
    view = get_object_or_404(SavedView.objects.owned_by(request.user), pk=pk)
    return redirect(client_list_url(view.query))


@require_POST
def saved_view_delete(request, pk):
    view = get_object_or_404(SavedView.objects.owned_by(request.user), pk=pk)
    services.delete_view(view)
    messages.success(request, _("View “%(name)s” deleted.") % {"name": view.name})
    return redirect(client_list_url(request.POST.get("query", "")))
