"""Reads for matching, in a constant number of queries whatever the caseload size.

Candidates come from `Client.objects.visible_to(user).active()` as explicit `.values(...)` of the
fields matching may use: protected attributes are never even loaded.
"""

from __future__ import annotations

from django.db.models import DateField, Exists, OuterRef, Q, Subquery
from django.shortcuts import get_object_or_404
from django.utils import timezone

from caseload.models import Client, Referral, Vacancy, Workshop

from . import engine
from .concepts import ConceptTable, default_table
from .models import ScreeningFlag


def candidate_rows(user, vacancy):
    """One query: the matchable fields of the user's active clients, their last referral date and
    whether they were already referred to this vacancy."""
    last_referral = (
        Referral.objects.filter(client=OuterRef("pk")).order_by("-date").values("date")[:1]
    )
    return (
        Client.objects.visible_to(user)
        .active()
        .annotate(
            last_referral_date=Subquery(last_referral, output_field=DateField()),
            already_referred=Exists(
                Referral.objects.filter(client=OuterRef("pk"), vacancy=vacancy)
            ),
        )
        .order_by("client_number")
        .values(*engine.CANDIDATE_FIELDS, "last_referral_date", "already_referred")
    )


def upcoming_workshops(table: ConceptTable, today=None) -> list[engine.WorkshopOffer]:
    """One query: workshops not yet started (or without a date), with the concepts they teach."""
    today = today or timezone.localdate()
    workshops = Workshop.objects.filter(Q(starts_on__gte=today) | Q(starts_on__isnull=True))
    return [
        engine.WorkshopOffer(
            workshop_id=w.workshop_id,
            title=w.title,
            starts_on=w.starts_on,
            concepts=table.concepts_in(f"{w.title} {w.theme or ''}"),
        )
        for w in workshops.only("workshop_id", "title", "theme", "starts_on")
    ]


def shortlist(
    user, vacancy: Vacancy, table: ConceptTable | None = None, today=None
) -> engine.Shortlist:
    """The ranked shortlist of the user's visible clients for a vacancy (two queries)."""
    table = table or default_table()
    today = today or timezone.localdate()
    candidates = [engine.Candidate.from_row(row) for row in candidate_rows(user, vacancy)]
    return engine.rank(
        engine.VacancyProfile.from_vacancy(vacancy),
        candidates,
        table,
        today,
        upcoming_workshops(table, today),
    )


def get_vacancy_or_404(vacancy_id: str) -> Vacancy:
    return get_object_or_404(Vacancy, vacancy_id=vacancy_id)


def open_vacancies(today=None):
    today = today or timezone.localdate()
    return Vacancy.objects.filter(Q(open_until__gte=today) | Q(open_until__isnull=True))


def screening_flags(vacancy: Vacancy):
    """Logged flags with their latest decision (prefetched: two queries)."""
    return list(
        ScreeningFlag.objects.filter(vacancy=vacancy).prefetch_related("decisions__decided_by")
    )


def undecided_flags(flags) -> list:
    return [f for f in flags if not f.decisions.all()]


def proposed_referrals(user, vacancy: Vacancy):
    """Referrals to this vacancy the user proposed and has not yet confirmed as sent."""
    return (
        Referral.objects.visible_to(user)
        .filter(vacancy=vacancy, outcome="proposed", created_by=user)
        .select_related("client")
        .order_by("client__client_number")
    )


def referrals_for_vacancy(user, vacancy: Vacancy):
    return (
        Referral.objects.visible_to(user)
        .filter(vacancy=vacancy)
        .select_related("client", "vacancy", "sent_by")
        .order_by("-date", "referral_id")
    )


def get_referral_or_404(user, vacancy: Vacancy, referral_id: str) -> Referral:
    """A referral to this vacancy of one of the user's visible clients; anything else is a 404."""
    return get_object_or_404(
        Referral.objects.visible_to(user).select_related("client", "vacancy"),
        vacancy=vacancy,
        referral_id=referral_id,
    )
