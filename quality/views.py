"""Data-quality pages: the dashboard, the coach's weekly list, the weekly list archive."""

from __future__ import annotations

from functools import wraps
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from caseload.access_log import AccessAction, log_access
from caseload.models import Role
from caseload.selectors import coaches_visible_to, get_client_for_user_or_404, visible_clients

from . import charts, selectors, services, weeks
from .forms import ExplainFindingForm, WeekForm
from .rules import RULES, RULES_BY_ID

DASHBOARD_ROLES = {Role.QUALITY_OFFICER, Role.TEAM_MANAGER, Role.WORK_COACH}
TRIGGER_ROLES = {Role.QUALITY_OFFICER, Role.TEAM_MANAGER}
EXPLAIN_ROLES = {Role.WORK_COACH}


def roles_required(roles):
    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not (request.user.is_superuser or request.user.role in roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def finding_list_url(rule_id: str, coach_id: int | None = None) -> str:
    """The client list behind a figure: the same ClientFilterSet parameters the figure counted."""
    query = {"finding": rule_id}
    if coach_id is not None:
        query["coach"] = coach_id
    return f"{reverse('caseload:client_list')}?{urlencode(query)}"


@require_GET
@roles_required(DASHBOARD_ROLES)
def quality_dashboard(request):
    user = request.user
    clients = visible_clients(user)
    today = timezone.localdate()
    coaches = list(coaches_visible_to(user))
    counts = selectors.counts_by_rule_and_coach(clients, today)
    active_total = clients.active().count()

    rule_rows = []
    for rule in RULES:
        per_coach = counts[rule.id]
        rule_rows.append(
            {
                "rule": rule,
                "total": sum(per_coach.values()),
                "url": finding_list_url(rule.id),
                "coaches": [
                    {
                        "coach": coach,
                        "count": per_coach.get(coach.pk, 0),
                        "url": finding_list_url(rule.id, coach.pk),
                    }
                    for coach in coaches
                ],
            }
        )
    # Worst gaps first: most clients, then the most blocking.
    rule_rows.sort(key=lambda row: (-row["total"], -row["rule"].severity))

    field_rows = selectors.completeness(clients)
    for row in field_rows:
        row["url"] = finding_list_url(row["rule"].id)
    # The trend for the team, or for one coach of it (?coach=<id>; outside the team: 404).
    trend_coach = None
    if request.GET.get("coach"):
        trend_coach = next(
            (coach for coach in coaches if str(coach.pk) == request.GET["coach"]), None
        )
        if trend_coach is None:
            raise Http404("No such coach")
    trend = selectors.snapshot_trend(
        [coach.pk for coach in ([trend_coach] if trend_coach else coaches)]
    )
    trend_title = (
        _("Findings per week (%(coach)s)") % {"coach": trend_coach}
        if trend_coach
        else _("Findings per week (team)")
    )
    labels = {rule.id: rule.label for rule in RULES}
    trend_weeks = sorted({week for counts in trend.values() for week in counts})
    context = {
        "rule_rows": rule_rows,
        "coaches": coaches,
        "active_total": active_total,
        "field_rows": field_rows,
        "trend_weeks": trend_weeks,
        "trend_rows": [
            (labels[key], [counts.get(week) for week in trend_weeks])
            for key, counts in trend.items()
            if key in labels
        ],
        "trend_coach": trend_coach,
        "trend_title": trend_title,
        "trend_figure": charts.trend_figure(trend, labels, trend_title) if trend else None,
        "completeness_figure": charts.completeness_figure(
            [(row["rule"].label, row["share"]) for row in field_rows if row["share"] is not None],
            _("Completeness per field"),
        )
        if active_total
        else None,
        "can_trigger": user.is_superuser or (user.role in TRIGGER_ROLES and bool(user.team_id)),
        "week_form": WeekForm(),
        "current_week": weeks.current_iso_week(),
    }
    return render(request, "quality/dashboard.html", context)


@require_POST
@roles_required(TRIGGER_ROLES)
def trigger_weekly_list(request):
    """Queue a build of the list from the page: the reader's team only (a superuser: every team),
    and no digests. Nothing is written here, so there is nothing to wait for a commit for; the
    broker call fails fast (timeouts in settings) when Redis is down."""
    user = request.user
    if not (user.is_superuser or user.team_id):
        raise PermissionDenied  # no team: None would mean every team
    form = WeekForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Week: %(errors)s") % {"errors": " ".join(form.errors["week"])})
        return redirect("quality_dashboard")
    week = form.cleaned_data["week"]
    try:
        services.queue_weekly_list(week, team_id=None if user.is_superuser else user.team_id)
    except services.QueueUnavailable:
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
@roles_required(EXPLAIN_ROLES)
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
@roles_required(EXPLAIN_ROLES)
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
@roles_required(DASHBOARD_ROLES)
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
    if request.user.role == Role.WORK_COACH:
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
