"""Team manager dashboard: figures per coach, capacity, what-if reassignment, trends, export."""

from __future__ import annotations

from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from caseload.models import Client, Role, User

from .capacity import coach_capacity, what_if
from .models import Reassignment
from .team_charts import team_trend_figure
from .team_exports import overview_csv_response, overview_xlsx_response
from .team_selectors import (
    capacity_settings,
    load_groups_by_coach,
    recent_reassignments,
    team_clients,
    team_coaches,
    team_for_user,
    team_overview,
    team_totals,
    team_trend,
    todays_coach_figures,
)
from .team_services import reassign_clients, undo_reassignment


def team_url(name: str, team, user, **query) -> str:
    """A team page URL; superusers carry ?team= (managers only ever see their own team)."""
    if user.is_superuser:
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
            "team_query": f"team={team.pk}" if request.user.is_superuser else "",
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


class ReassignForm(forms.Form):
    from_coach = forms.ModelChoiceField(queryset=User.objects.none(), label=_("From coach"))
    to_coach = forms.ModelChoiceField(queryset=User.objects.none(), label=_("To coach"))
    clients = forms.ModelMultipleChoiceField(
        queryset=Client.objects.none(),
        label=_("Clients to move"),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, user, team, **kwargs):
        super().__init__(*args, **kwargs)
        coaches = team_coaches(team)
        self.fields["from_coach"].queryset = coaches
        self.fields["to_coach"].queryset = coaches.filter(role=Role.WORK_COACH, is_active=True)
        from_id = self.data.get("from_coach") if self.is_bound else self.initial.get("from_coach")
        try:
            from_id = int(from_id)
        except (TypeError, ValueError):
            from_id = None
        # only the source coach's active clients can be chosen: nothing else is ever listed
        self.fields["clients"].queryset = (
            team_clients(user, team).active().filter(coach_id=from_id).order_by("client_number")
            if from_id
            else Client.objects.none()
        )
        self.fields["clients"].label_from_instance = lambda client: client.client_number


def capacity_preview(user, team, form) -> dict:
    """Before/after capacity of both coaches for the selection in a valid form. Writes nothing."""
    source, target, chosen = (form.cleaned_data[k] for k in ("from_coach", "to_coach", "clients"))
    settings = capacity_settings()
    clients = team_clients(user, team)
    groups = load_groups_by_coach(clients.filter(coach__in=[source, target]))
    moved = load_groups_by_coach(clients.filter(pk__in=[c.pk for c in chosen])).get(source.pk, [])
    return {
        "result": what_if(
            coach_capacity(source.fte, groups.get(source.pk, []), settings),
            coach_capacity(target.fte, groups.get(target.pk, []), settings),
            moved,
            settings,
        ),
        "source": source,
        "target": target,
        "chosen": chosen,
    }


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
            "team_query": team.pk if request.user.is_superuser else "",
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
