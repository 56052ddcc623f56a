"""Team manager dashboard: figures per coach, capacity, what-if reassignment, trends, export."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dashboards.models import Reassignment

from .charts import team_trend_figure
from .exports import overview_csv_response, overview_xlsx_response
from .forms import ReassignForm
from .selectors import (
    capacity_preview,
    capacity_settings,
    reader_picks_team,
    recent_reassignments,
    team_for_user,
    team_overview,
    team_totals,
    team_trend,
    todays_coach_figures,
)
from .services import reassign_clients, undo_reassignment


def team_url(name: str, team, user, **query) -> str:
    """A team page URL, carrying ?team= for a reader who sees more than one team."""
    if reader_picks_team(user):
        query = {"team": team.pk, **query}
    return reverse(name) + ("?" + urlencode(query, doseq=True) if query else "")


@require_GET
def team_dashboard(request):
    team = team_for_user(request.user, request.GET.get("team"))
    rows = team_overview(request.user, team)
    figures = todays_coach_figures()
    trend = team_trend(team)
    return render(
        request,
        "dashboards/team_dashboard.html",
        {
            "team": team,
            "rows": rows,
            "totals": team_totals(request.user, rows, figures),
            "overloaded": [row for row in rows if row.capacity.overloaded],
            "capacity": capacity_settings(),
            "trend": trend,
            "trend_figure": team_trend_figure(trend) if trend else None,
            "reassignments": recent_reassignments(team),
            "export_csv": team_url("team_export_csv", team, request.user),
            "export_xlsx": team_url("team_export_xlsx", team, request.user),
            "reassign_url": team_url("team_reassign", team, request.user),
            "team_query": f"team={team.pk}" if reader_picks_team(request.user) else "",
        },
    )


@require_GET
def team_export_csv(request):
    team = team_for_user(request.user, request.GET.get("team"))
    return overview_csv_response(team, team_overview(request.user, team))


@require_GET
def team_export_xlsx(request):
    team = team_for_user(request.user, request.GET.get("team"))
    return overview_xlsx_response(team, team_overview(request.user, team))


@require_http_methods(["GET", "POST"])
def team_reassign(request):
    """GET: choose clients and a target coach, preview the effect (writes nothing).
    POST: save the reassignment (logged, reversible)."""
    team = team_for_user(request.user, request.GET.get("team") or request.POST.get("team"))
    preview = None
    if request.method == "POST":
        form = ReassignForm(request.POST, user=request.user, team=team)
        if form.is_valid():
            try:
                reassign_clients(
                    request.user,
                    team,
                    form.cleaned_data["from_coach"],
                    form.cleaned_data["to_coach"],
                    [client.pk for client in form.cleaned_data["clients"]],
                )
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(
                    request, _("Reassignment saved. You can undo it from the team page.")
                )
                return redirect(team_url("team_dashboard", team, request.user))
    elif "to_coach" in request.GET:
        form = ReassignForm(request.GET, user=request.user, team=team)
        if form.is_valid():
            preview = capacity_preview(request.user, team, form)
    else:
        form = ReassignForm(
            initial={"from_coach": request.GET.get("from_coach")}, user=request.user, team=team
        )
    return render(
        request,
        "dashboards/team_reassign.html",
        {
            "team": team,
            "form": form,
            "preview": preview,
            "team_query": team.pk if reader_picks_team(request.user) else "",
            "back_url": team_url("team_dashboard", team, request.user),
        },
    )


@require_POST
def team_reassignment_undo(request, pk):
    team = team_for_user(request.user, request.POST.get("team"))
    try:
        reassignment = Reassignment.objects.get(pk=pk, team=team)
    except Reassignment.DoesNotExist as exc:
        raise Http404("No reassignment found") from exc
    try:
        undo_reassignment(request.user, reassignment)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("Reassignment undone: the clients are back with their previous coach.")
        )
    return redirect(team_url("team_dashboard", team, request.user))
