"""Caseload pages: the client list (with the shared FilterSet), the client page and the legend."""

from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from . import access, exports, figures, filter_bar, freshness, legend, panels
from .access_log import AccessAction, log_access, who_looked_at
from .filters import ClientFilterSet
from .models import AccessLog
from .selectors import client_detail, coaches_visible_to, teams_visible_to, visible_clients

PAGE_SIZES = (25, 50, 100)


@require_GET
def home(request):
    """Each role lands on its own dashboard; the client list while that is not there."""
    try:
        return redirect(reverse(access.landing_page(request.user)))
    except NoReverseMatch:
        return redirect(access.DEFAULT_LANDING_PAGE)


def page_size(request) -> int:
    try:
        size = int(request.GET.get("page_size", PAGE_SIZES[0]))
    except ValueError:
        return PAGE_SIZES[0]
    return size if size in PAGE_SIZES else PAGE_SIZES[0]


def team_choices(user) -> list[tuple[int, str]]:
    """The teams `user` may pick from (only readers of more than one team get the choice)."""
    if not access.picks_team(user):
        return []
    return [(team.pk, team.name) for team in teams_visible_to(user)]


def coach_choices(user) -> list[tuple[int, str]]:
    """The coaches whose caseloads `user` may filter on (a coach: only themself, no query)."""
    if access.scope_of(user) is access.Scope.OWN_CASELOAD:
        return [(user.pk, str(user))]
    return [(coach.pk, str(coach)) for coach in coaches_visible_to(user)]


@require_GET
@access.require_page("client_list")
def client_list(request):
    if filter_bar.has_empty_values(request.GET):  # a form without JS sends every empty field
        return redirect(figures.client_list_url(filter_bar.clean_query(request.GET)))
    filterset = ClientFilterSet(
        request.GET,
        queryset=visible_clients(request.user).select_related("coach"),
        request=request,
        coach_choices=coach_choices(request.user),
        team_choices=team_choices(request.user),
    )
    valid = filterset.is_valid()
    clients = filterset.qs if valid else visible_clients(request.user).none()
    page = Paginator(clients, page_size(request)).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    log_access(request, AccessAction.LIST, (client.client_number for client in page.object_list))
    query = request.GET.copy()
    query.pop("page", None)
    fields = [field for field in filterset.form if field.name != "ordering"]
    more = [field for field in fields if field.name not in filter_bar.PRIMARY_FILTERS]
    return render(
        request,
        "caseload/client_list.html",
        {
            "filterset": filterset,
            "page": page,
            "query": query.urlencode(),
            "page_sizes": PAGE_SIZES,
            "page_size": page_size(request),
            "primary_fields": [f for f in fields if f.name in filter_bar.PRIMARY_FILTERS],
            "more_fields": more,
            "more_open": any(field.name in request.GET for field in more)
            or any(field.errors for field in more),
            "chips": filter_bar.chips(filterset, request.GET) if valid else [],
            "ordering": request.GET.get("ordering", ""),
        },
    )


@require_GET
@access.require_page("client_list")
def client_page(request, client_number):
    client = client_detail(request.user, client_number)
    log_access(request, AccessAction.VIEW_CLIENT, [client.client_number])
    return render(
        request,
        "caseload/client_detail.html",
        {
            "client": client,
            "panels": panels.panels(client, timezone.localdate()),
            "can_refer": access.may_open(request.user, "refer_clients"),
        },
    )


@require_GET
@access.require_page("legend")
def legend_page(request):
    return render(request, "caseload/legend.html", {"sections": legend.grouped()})


@login_not_required
@require_GET
def health(request):
    """Liveness for the load balancer and compose healthcheck; reveals nothing."""
    return HttpResponse("ok", content_type="text/plain")


@require_GET
@access.require_page("client_list")
def client_export(request, file_format):
    """The filtered client list as CSV or XLSX: same FilterSet, same scoping as the list page.

    `?columns=pseudonymised` leaves out direct identifiers (see caseload.exports).
    """
    column_set = request.GET.get("columns", exports.FULL)
    if column_set not in exports.COLUMN_SETS:
        message = _("columns: choose one of %(choices)s") % {
            "choices": ", ".join(exports.COLUMN_SETS)
        }
        return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
    filterset = ClientFilterSet(
        request.GET, queryset=visible_clients(request.user), request=request
    )
    if not filterset.is_valid():
        errors = "; ".join(
            f"{name}: {' '.join(messages)}" for name, messages in filterset.errors.items()
        )
        return HttpResponseBadRequest(errors, content_type="text/plain; charset=utf-8")
    log_access(request, AccessAction.EXPORT, filterset.qs.values_list("client_number", flat=True))
    clients = exports.export_queryset(filterset.qs).iterator(chunk_size=500)
    columns = exports.COLUMNS[column_set]
    response = exports.file_response(clients, columns, file_format, title="Clients")
    freshness.stamp_export(
        response, f"clients-{column_set}-{timezone.localdate():%Y-%m-%d}", file_format
    )
    return response


@require_GET
@access.require_page("access_log")
def access_log_page(request):
    """Superusers only: who looked at this client? (?client=<client number or pseudonym>)"""
    client_number = request.GET.get("client", "").strip()[:40]
    entries = who_looked_at(client_number) if client_number else AccessLog.objects.none()
    page = Paginator(entries, 100).get_page(request.GET.get("page"))
    return render(
        request, "caseload/access_log.html", {"client_number": client_number, "page": page}
    )
