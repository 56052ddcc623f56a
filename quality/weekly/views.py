"""The weekly incomplete-data list: one page for the team's list (quality officers, managers) and a
coach's own list, one row per client with its findings, paged and filtered; acting on selected
findings (explain, return to the coach, withdraw); exports; building this week's list now."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from caseload import access, exports
from caseload import freshness as data_freshness
from caseload.access_log import AccessAction, log_access
from caseload.selectors import coaches_visible_to, visible_clients
from quality import tasks

from . import exports as list_exports
from . import selectors, services, weeks
from .filters import OPEN, WeeklyEntryFilterSet
from .forms import EXPLAIN, RETURN, WITHDRAW, FindingsActionForm, WeekForm


@require_POST
@access.require_page("build_weekly_list")
def trigger_weekly_list(request):
    """Queue a build of this week's list from the page: the reader's team only (a superuser: every
    team), and no digests. A past week is closed. Nothing is written here, so there is nothing to
    wait for a commit for; the broker call fails fast (timeouts in settings) when Redis is down."""
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


def _week_or_404(week: str | None, built: list[str]) -> str:
    if week is None:
        return selectors.latest_week(built)
    try:
        weeks.monday_of(week)
    except ValueError as exc:
        raise Http404(str(exc)) from exc
    return week


def _page_size(request) -> int:
    limits = settings.WEEKLY_LIST
    try:
        size = int(request.GET.get("page_size", limits["PAGE_SIZE"]))
    except ValueError:
        return limits["PAGE_SIZE"]
    return min(max(size, 1), limits["MAX_PAGE_SIZE"])


def _allowed_actions(user, week: str) -> set[str]:
    """What `user` may do to findings of `week`'s list: only this week's list takes actions."""
    if week != weeks.current_iso_week():
        return set()
    allowed = set()
    if access.may_open(user, "explain_findings"):
        allowed.add(EXPLAIN)
    if access.may_open(user, "return_findings"):
        allowed.add(RETURN)
    elif EXPLAIN in allowed:
        allowed.add(WITHDRAW)  # a coach takes back their own explanation
    return allowed


def _act(request, form: FindingsActionForm, clients) -> int:
    """Run the form's action on the selected findings (clients outside the reader's scope: 404)."""
    selected = form.cleaned_data["findings"]
    numbers = {number for number, _rule in selected}
    by_number = {
        client.client_number: client for client in clients.filter(client_number__in=numbers)
    }
    if numbers - set(by_number):
        raise Http404("No client found")
    findings = [(by_number[number], rule_id) for number, rule_id in selected]
    action = form.cleaned_data["action"]
    if action == EXPLAIN:
        return services.explain_findings(
            user=request.user, findings=findings, reason=form.cleaned_data["reason"]
        )
    if action == RETURN:
        return services.return_findings(
            user=request.user, findings=findings, note=form.cleaned_data["reason"]
        )
    return services.withdraw_explanations(user=request.user, findings=findings)


def _done(action: str, count: int) -> str:
    if action == EXPLAIN:
        text = ngettext(
            "Marked as explained: %(count)d finding. It stays off the coach's open list while it holds.",
            "Marked as explained: %(count)d findings. They stay off the coach's open list while they hold.",
            count,
        )
    elif action == RETURN:
        text = ngettext(
            "Returned to the coach: %(count)d finding.",
            "Returned to the coach: %(count)d findings.",
            count,
        )
    else:
        text = ngettext(
            "Explanation withdrawn: %(count)d finding is open again.",
            "Explanations withdrawn: %(count)d findings are open again.",
            count,
        )
    return text % {"count": count}


def _list_page(request, week: str, *, own: bool, built: list[str]):
    """The list of `week` for the reader: a coach's own rows (`own`), or the reader's scope."""
    user = request.user
    clients = visible_clients(user)
    allowed = _allowed_actions(user, week)
    form = FindingsActionForm(allowed=allowed)
    status = 200
    if request.method == "POST":
        form = FindingsActionForm(request.POST, allowed=allowed)
        if not (
            access.may_open(user, "explain_findings") or access.may_open(user, "return_findings")
        ):
            raise PermissionDenied(_("Your role does not act on findings."))
        if not allowed:
            return HttpResponseBadRequest(
                _("Only this week's list takes actions: a past week is closed."),
                content_type="text/plain; charset=utf-8",
            )
        if form.is_valid():
            try:
                count = _act(request, form, clients)
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(request, _done(form.cleaned_data["action"], count))
                return redirect(request.get_full_path())
        status = 400

    entries = selectors.weekly_entries(clients, week)
    if own:
        entries = entries.filter(coach=user)
    data = request.GET.copy()
    if own and "state" not in data:
        data["state"] = OPEN  # a coach's list: what is still to do
    team_view = not own and access.scope_of(user) is not access.Scope.OWN_CASELOAD
    coaches = list(coaches_visible_to(user)) if team_view else []
    filterset = WeeklyEntryFilterSet(
        data,
        queryset=entries,
        request=request,
        coach_choices=[(coach.pk, str(coach)) for coach in coaches] if team_view else None,
    )
    if not filterset.is_valid():
        status = 400
    filtered = filterset.qs
    page = Paginator(
        selectors.client_rows(filtered, filterset.sort_order()), _page_size(request)
    ).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    client_ids = [row["client_id"] for row in rows]
    findings = selectors.findings_of(filtered, client_ids)
    explanations = selectors.explanations_by_key(clients.filter(pk__in=client_ids))
    actions = selectors.latest_actions(client_ids)
    for row in rows:
        row["entries"] = findings.get(row["client_id"], [])
        for entry in row["entries"]:
            entry.key = f"{row['client__client_number']}:{entry.rule_id}"
            entry.explanation = explanations.get((entry.client_id, entry.rule_id))
            entry.last_action = actions.get((entry.client_id, entry.rule_id))
    log_access(request, AccessAction.LIST, (row["client__client_number"] for row in rows))

    build = selectors.last_build(week, None if own or not user.team_id else user.team_id)
    context = {
        "week": week,
        "current_week": weeks.current_iso_week(),
        "own": own,
        "build": build,
        "page_freshness": data_freshness.Freshness(
            data_as_of=build.import_finished_at,
            computed_at=build.finished_at,
            closed=week != weeks.current_iso_week(),
        )
        if build
        else None,
        "filterset": filterset,
        "page": page,
        "rows": rows,
        "form": form,
        "allowed": allowed,
        "selected": set(request.POST.getlist("findings")) if request.method == "POST" else set(),
        "weeks_built": built,
        "team_view": team_view,
        "can_build": access.may_open(user, "build_weekly_list"),
        "week_form": WeekForm(),
    }
    if team_view:
        context["per_coach"] = _per_coach(request, clients, week, filterset, coaches)
    return render(request, "quality/weekly_list.html", context, status=status)


def _per_coach(request, clients, week, filterset, coaches) -> list[dict]:
    """The team view's counts per coach (with every filter but the coach), each linking to that
    coach's rows, beside the week before."""
    data = filterset.data.copy()
    data.pop("coach", None)
    data.pop("page", None)
    others = WeeklyEntryFilterSet(data, queryset=filterset.queryset, request=request)
    counts = selectors.counts_by_coach(others.qs if others.is_valid() else filterset.queryset)
    previous = selectors.open_by_coach(clients, weeks.previous(week))
    rows = []
    for coach in coaches:
        query = data.copy()
        query["coach"] = coach.pk
        rows.append(
            {
                "coach": coach,
                "query": query.urlencode(),
                "previous": previous.get(coach.pk, 0),
                **counts.get(coach.pk, {"clients": 0, "open": 0, "explained": 0}),
            }
        )
    return rows


@require_http_methods(["GET", "POST"])
@access.require_page("weekly_list")
def weekly_list(request, week: str | None = None):
    """The stored list of a week (default: this week's, or the latest built), in the reader's
    scope; a coach sees their own rows."""
    own = access.scope_of(request.user) is access.Scope.OWN_CASELOAD
    built = selectors.weeks_built()
    return _list_page(request, _week_or_404(week, built), own=own, built=built)


@require_http_methods(["GET", "POST"])
@access.require_page("explain_findings")
def my_list(request):
    """The coach's own open findings of this week (a quality officer: the team's list)."""
    own = access.scope_of(request.user) is access.Scope.OWN_CASELOAD
    built = selectors.weeks_built()
    return _list_page(request, selectors.latest_week(built), own=own, built=built)


@require_GET
@access.require_page("weekly_list")
def weekly_list_export(request, file_format: str):
    """The filtered list of a week (?week=, default the latest) as CSV or XLSX, one row per
    finding; ?columns=pseudonymised leaves out client numbers and free text."""
    column_set = request.GET.get("columns", exports.FULL)
    if column_set not in exports.COLUMN_SETS:
        return HttpResponseBadRequest(
            _("columns: choose one of %(choices)s") % {"choices": ", ".join(exports.COLUMN_SETS)},
            content_type="text/plain; charset=utf-8",
        )
    week = request.GET.get("week") or selectors.latest_week()
    try:
        weeks.monday_of(week)
    except ValueError:
        return HttpResponseBadRequest(
            _("week: enter an ISO week like 2026-W48."), content_type="text/plain; charset=utf-8"
        )
    clients = visible_clients(request.user)
    entries = selectors.weekly_entries(clients, week)
    if access.scope_of(request.user) is access.Scope.OWN_CASELOAD:
        entries = entries.filter(coach=request.user)
    filterset = WeeklyEntryFilterSet(request.GET, queryset=entries, request=request)
    if not filterset.is_valid():
        errors = "; ".join(
            f"{name}: {' '.join(messages)}" for name, messages in filterset.errors.items()
        )
        return HttpResponseBadRequest(errors, content_type="text/plain; charset=utf-8")
    rows = list(filterset.qs)
    if column_set == exports.FULL:
        explanations = selectors.explanations_by_key(clients)
        for entry in rows:
            entry.explanation = explanations.get((entry.client_id, entry.rule_id))
    log_access(request, AccessAction.EXPORT, {entry.client.client_number for entry in rows})
    columns = list_exports.COLUMNS[column_set]
    response = exports.file_response(rows, columns, file_format, title=week)
    return data_freshness.stamp_export(response, f"weekly-list-{week}-{column_set}", file_format)
