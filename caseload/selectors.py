"""Reads. Every client read goes through Client.objects.visible_to(user)."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q
from django.http import Http404

from . import access
from .models import ActionPlan, Client, Contact, Referral, Role, Team, User


def visible_clients(user):
    return Client.objects.visible_to(user)


def get_client_for_user_or_404(user, queryset=None, **lookup) -> Client:
    """The client, if `user` may see it; otherwise 404 — the same answer as a missing record.

    `queryset` lets a caller add annotations or prefetches; it is narrowed by visible_to all the same.
    """
    base = (
        queryset if queryset is not None else Client.objects.select_related("coach", "coach__team")
    )
    try:
        return base.visible_to(user).get(**lookup)
    except Client.DoesNotExist as exc:
        raise Http404("No client found") from exc


def client_detail(user, client_number: str) -> Client:
    """A client with its history prefetched (a fixed number of queries, whatever its size)."""
    queryset = (
        Client.objects.with_monitoring()
        .with_age()
        .select_related("coach", "coach__team")
        .prefetch_related(
            Prefetch(
                "contacts", queryset=Contact.objects.select_related("employee").order_by("-date")
            ),
            Prefetch("action_plans", queryset=ActionPlan.objects.order_by("-created_date")),
            Prefetch(
                "referrals", queryset=Referral.objects.select_related("vacancy").order_by("-date")
            ),
            "enrolments__workshop",
        )
    )
    return get_client_for_user_or_404(user, queryset=queryset, client_number=client_number)


def coaches_visible_to(user):
    """Active work coaches whose caseloads `user` may see (a coach: themself), with their active
    caseload size, by name."""
    condition = access.coach_condition(user)
    coaches = User.objects.filter(role=Role.WORK_COACH, is_active=True)
    coaches = coaches.none() if condition is None else coaches.filter(condition)
    return coaches.annotate(
        active_caseload=Count("clients", filter=Q(clients__status="active"))
    ).order_by("full_name", "username")


def teams_visible_to(user):
    """The teams whose figures `user` may read (caseload.access.team_condition)."""
    condition = access.team_condition(user)
    return Team.objects.none() if condition is None else Team.objects.filter(condition)
