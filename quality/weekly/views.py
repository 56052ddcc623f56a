"""The weekly incomplete-data list: the coach's own list (with explanations), the list of a week
for the team, and building it from the page."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from caseload import access
from caseload.access_log import AccessAction, log_access
from caseload.selectors import coaches_visible_to, get_client_for_user_or_404, visible_clients
from quality import tasks
from quality.rules import RULES_BY_ID

from . import selectors, services, weeks
from .forms import ExplainFindingForm, WeekForm


@require_POST
@access.require_page("build_weekly_list")
def trigger_weekly_list(request):
    """Queue a build of the list from the page: the reader's team only (a superuser: every team),
    and no digests. Nothing is written here, so there is nothing to wait for a commit for; the
    broker call fails fast (timeouts in settings) when Redis is down."""
    user = request.user
    form = WeekForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Week: %(errors)s") % {"errors": " ".join(form.errors["week"])})
        return redirect("quality_dashboard")
    week = form.cleaned_data["week"]
    try:
        every_team = access.scope_of(user) is access.Scope.EVERYTHING
        tasks.queue_weekly_list(week, team_id=None if every_team else user.team_id)
    except tasks.QueueUnavailable:
        messages.error(
            request,
            _(
                "The job queue is unavailable right now, so the weekly list for %(week)s was not queued. "
                "Nothing was changed; try again later or ask the administrator to run "
                "'manage.py build_weekly_list'."
            )
            % {"week": week},
        )
    else:
        messages.success(
            request, _("The weekly list for %(week)s has been queued.") % {"week": week}
        )
    return redirect("quality_dashboard")


def _shown_entries(request, entries, clients) -> list:
    """The list entries a page shows, each with the explanation in force; logs who saw which
    clients (one insert for the page)."""
    entries = list(entries)
    explanations = selectors.explanations_by_key(clients)
    for entry in entries:
        entry.explanation = explanations.get((entry.client_id, entry.rule_id))
    log_access(request, AccessAction.LIST, (entry.client.client_number for entry in entries))
    return entries


def _latest_week(clients) -> str:
    built = selectors.weeks_built(clients)
    current = weeks.current_iso_week()
    past = [week for week in built if week <= current]
    return past[0] if past else current


@require_http_methods(["GET", "POST"])
@access.require_page("explain_findings")
def my_list(request):
    """The coach's own list for the latest week built, with a form to explain a finding."""
    clients = visible_clients(request.user)
    week = _latest_week(clients)
    form = ExplainFindingForm()
    status = 200
    if request.method == "POST":
        form = ExplainFindingForm(request.POST)
        if form.is_valid():
            client = get_client_for_user_or_404(
                request.user, client_number=form.cleaned_data["client_number"]
            )
            try:
                services.explain_finding(
                    user=request.user,
                    client=client,
                    rule_id=form.cleaned_data["rule_id"],
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(
                    request,
                    _("Explained: %(client)s — %(rule)s. It will not be on next week's list.")
                    % {
                        "client": client.client_number,
                        "rule": RULES_BY_ID[form.cleaned_data["rule_id"]].label,
                    },
                )
                return redirect("quality_my_list")
        status = 400
    entries = _shown_entries(request, selectors.coach_list(request.user, week), clients)
    return render(
        request,
        "quality/my_list.html",
        {"entries": entries, "week": week, "form": form, "posted": request.method == "POST"},
        status=status,
    )


@require_POST
@access.require_page("explain_findings")
def withdraw_explanation(request):
    """Withdraw an explanation: the finding goes back on the coach's list from the next build."""
    client = get_client_for_user_or_404(
        request.user, client_number=request.POST.get("client_number", "")
    )
    explanation = selectors.explanations_by_key(
        visible_clients(request.user).filter(pk=client.pk)
    ).get((client.pk, request.POST.get("rule_id", "")))
    if explanation is None:
        raise Http404("No explanation in force")
    services.withdraw_explanation(explanation)
    messages.success(
        request,
        _("Explanation withdrawn: %(client)s — %(rule)s.")
        % {"client": client.client_number, "rule": explanation.rule.label},
    )
    return redirect("quality_my_list")


@require_GET
@access.require_page("weekly_list")
def weekly_archive(request, week: str | None = None):
    """The stored list of a week (default: the latest), for the reader's scope, with last week's totals."""
    clients = visible_clients(request.user)
    if week is None:
        week = _latest_week(clients)
    try:
        weeks.monday_of(week)
    except ValueError as exc:
        raise Http404(str(exc)) from exc
    previous = weeks.previous(week)
    entries = selectors.weekly_entries(clients, week)
    if access.scope_of(request.user) is access.Scope.OWN_CASELOAD:
        entries = entries.filter(coach=request.user)
    entries = _shown_entries(request, entries, clients)
    totals = selectors.week_totals_by_coach(clients, [week, previous])
    coaches = list(coaches_visible_to(request.user))
    progress = [
        {
            "coach": coach,
            "this_week": totals[week].get(coach.pk, 0),
            "last_week": totals[previous].get(coach.pk, 0),
        }
        for coach in coaches
    ]
    return render(
        request,
        "quality/weekly_list.html",
        {
            "week": week,
            "previous": previous,
            "entries": entries,
            "progress": progress,
            "weeks_built": selectors.weeks_built(clients)[:26],
        },
    )
