"""Team manager dashboard: figures per coach, capacity, what-if reassignment, trends, export."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from caseload.models import Channel
from caseload.selectors import teams_visible_to
from dashboards.models import Reassignment

from .charts import caseload_norm_figure, caseload_norm_rows, team_trend_figure
from .exports import chart_csv_response, overview_csv_response, overview_xlsx_response
from .forms import ClientChooserFilterSet, ReassignForm
from .selectors import (
    capacity_preview,
    capacity_settings,
    reader_picks_team,
    recent_reassignments,
    team_balance,
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


def chart_separators() -> str:
    """Plotly's number separators for the active language: decimal, then thousands."""
    return formats.get_format("DECIMAL_SEPARATOR") + formats.get_format("THOUSAND_SEPARATOR")


@require_GET
def team_dashboard(request):
    team = team_for_user(request.user, request.GET.get("team"))
    rows = team_overview(request.user, team)
    figures = todays_coach_figures()
    trend = team_trend(team)
    caseload_data = caseload_norm_rows(rows)
    return render(
        request,
        "dashboards/team_dashboard.html",
        {
            "team": team,
            "teams": teams_visible_to(request.user) if reader_picks_team(request.user) else None,
            "rows": rows,
            "totals": team_totals(request.user, rows, figures),
            "balance": team_balance(team, rows),
            "overloaded": [row for row in rows if row.capacity.overloaded],
            "capacity": capacity_settings(team),
            "channel_minutes": [
                (dict(Channel.choices).get(channel, channel), minutes)
                for channel, minutes in capacity_settings(team).minutes_per_contact.items()
            ],
            "trend": trend,
            "trend_figure": team_trend_figure(trend, chart_separators()) if trend else None,
            "caseload_data": caseload_data,
            "caseload_figure": caseload_norm_figure(caseload_data, chart_separators()),
            "reassignments": recent_reassignments(team),
            "export_csv": team_url("team_export_csv", team, request.user),
            "export_xlsx": team_url("team_export_xlsx", team, request.user),
            "caseload_csv": team_url("team_chart_csv", team, request.user, chart="caseload"),
            "trend_csv": team_url("team_chart_csv", team, request.user, chart="trend"),
            "reassign_url": team_url("team_reassign", team, request.user),
            "team_query": f"team={team.pk}" if reader_picks_team(request.user) else "",
        },
    )


@require_GET
def team_chart_csv(request):
    """The numbers behind one chart of the team page (?chart=caseload or trend), as CSV."""
    team = team_for_user(request.user, request.GET.get("team"))
    chart = request.GET.get("chart", "")
    if chart == "caseload":
        data = caseload_norm_rows(team_overview(request.user, team))
    elif chart == "trend":
        data = team_trend(team)
    else:
        return HttpResponseBadRequest(
            _("chart: choose caseload or trend"), content_type="text/plain; charset=utf-8"
        )
    return chart_csv_response(team, chart, data)


@require_GET
def team_export_csv(request):
    team = team_for_user(request.user, request.GET.get("team"))
    return overview_csv_response(team, team_overview(request.user, team))


@require_GET
def team_export_xlsx(request):
    team = team_for_user(request.user, request.GET.get("team"))
    return overview_xlsx_response(team, team_overview(request.user, team))


def chosen_ids(data) -> set[int]:
    return {int(value) for value in data.getlist("clients") if value.isdigit()}


@require_http_methods(["GET", "POST"])
def team_reassign(request):
    """GET: choose clients (filtered and sorted with the client list's filters) and a target
    coach, preview the effect on both coaches (writes nothing). POST: save the reassignment
    (logged with any warning the manager confirmed, reversible)."""
    team = team_for_user(request.user, request.GET.get("team") or request.POST.get("team"))
    preview = None
    if request.method == "POST":
        form = ReassignForm(request.POST, user=request.user, team=team)
        if form.is_valid():
            preview = capacity_preview(request.user, team, form)
            if preview["warnings"] and not form.cleaned_data["confirm_warnings"]:
                form.add_error(
                    "confirm_warnings",
                    _("This move puts a coach above the norm: confirm the warnings to save it."),
                )
            else:
                try:
                    reassign_clients(
                        request.user,
                        team,
                        form.cleaned_data["from_coach"],
                        form.cleaned_data["to_coach"],
                        [client.pk for client in form.cleaned_data["clients"]],
                        warnings=preview["warnings"],
                    )
                except ValidationError as exc:
                    for field, errors in exc.message_dict.items():
                        form.add_error(field if field in form.fields else None, errors)
                else:
                    messages.success(
                        request, _("Reassignment saved. You can undo it from the team page.")
                    )
                    return redirect(team_url("team_dashboard", team, request.user))
    elif "preview" in request.GET:
        form = ReassignForm(request.GET, user=request.user, team=team)
        if form.is_valid():
            preview = capacity_preview(request.user, team, form)
    else:
        form = ReassignForm(
            initial={"from_coach": request.GET.get("from_coach")}, user=request.user, team=team
        )
    chooser = ClientChooserFilterSet(request.GET, queryset=form.source_clients, request=request)
    candidates = list(chooser.qs) if chooser.is_valid() else []
    return render(
        request,
        "dashboards/team_reassign.html",
        {
            "team": team,
            "form": form,
            "chooser": chooser,
            "candidates": candidates,
            "today": timezone.localdate(),
            "chosen_ids": chosen_ids(request.POST if request.method == "POST" else request.GET),
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
