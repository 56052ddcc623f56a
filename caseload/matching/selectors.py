"""Reads for matching, in a constant number of queries whatever the caseload size.

Candidates come from `Client.objects.visible_to(user).active()` as explicit `.values(...)` of the
fields matching may use: protected attributes are never even loaded.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, DateField, Exists, F, OuterRef, Q, Subquery
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import get_language

from caseload.models import Client, Enrolment, EnrolmentStatus, Referral, Vacancy, Workshop

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


def scope_candidates(user) -> list[engine.Candidate]:
    """One query: the matchable fields of the user's active clients (for counts over vacancies)."""
    rows = (
        Client.objects.visible_to(user)
        .active()
        .order_by("client_number")
        .values(*engine.CANDIDATE_FIELDS)
    )
    return [engine.Candidate.from_row(row) for row in rows]


def vacancy_fit_counts(user, vacancies, table: ConceptTable | None = None):
    """{vacancy id: FitCount} of the user's active clients: eligible and near misses, counted in a
    fixed number of queries whatever the number of vacancies (the clients are read once)."""
    return engine.fit_counts(
        [engine.VacancyProfile.from_vacancy(v) for v in vacancies],
        scope_candidates(user),
        table or default_table(),
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


@dataclass
class WorkshopRow:
    workshop: Workshop
    enrolled: int  # everyone enrolled (status 'enrolled'), whoever's client: a count, no names
    teaches: list[str]  # concept labels in the active language
    mine: list = field(default_factory=list)  # enrolments of clients the reader may see

    @property
    def seats_left(self) -> int | None:
        if self.workshop.capacity is None:
            return None
        return max(0, self.workshop.capacity - self.enrolled)


def workshop_overview(user, table: ConceptTable | None = None, today=None) -> list[WorkshopRow]:
    """Upcoming workshops with seats left, what they teach and who of the reader's clients is
    enrolled: two queries, whatever the number of workshops or enrolments."""
    table = table or default_table()
    today = today or timezone.localdate()
    language = get_language() or "en"
    workshops = (
        Workshop.objects.filter(Q(starts_on__gte=today) | Q(starts_on__isnull=True))
        .annotate(
            enrolled=Count("enrolments", filter=Q(enrolments__status=EnrolmentStatus.ENROLLED))
        )
        .order_by(F("starts_on").asc(nulls_last=True), "workshop_id")
    )
    rows = {
        workshop.pk: WorkshopRow(
            workshop,
            workshop.enrolled,
            sorted(
                table.label(concept, language)
                for concept in table.concepts_in(f"{workshop.title} {workshop.theme or ''}")
            ),
        )
        for workshop in workshops
    }
    mine = (
        Enrolment.objects.visible_to(user)
        .filter(workshop_id__in=rows)
        .select_related("client")
        .order_by("client__client_number")
    )
    for enrolment in mine:
        rows[enrolment.workshop_id].mine.append(enrolment)
    return list(rows.values())


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
