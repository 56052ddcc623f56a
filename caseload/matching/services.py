"""Writes for matching: screening log and decisions, shortlist log, referrals, workshop enrolments.

Only work coaches refer and enrol, and only their own clients (visible_to): the coach holds the
relationship with the client. Team managers see their team's shortlists and referrals, read-only.
A referral is created `proposed`; it becomes `sent` only through `send_referrals`, the coach's
explicit confirmation, which records who and when. After that the coach records the employer's
answer (`record_outcome`, along REFERRAL_TRANSITIONS). Referrals, enrolments and clients keep a
change history (simple_history): every write here names its user.
"""

from __future__ import annotations

import uuid

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from caseload import access
from caseload.models import (
    REFERRAL_TRANSITIONS,
    Client,
    Enrolment,
    EnrolmentStatus,
    Referral,
    ReferralOutcome,
    Workshop,
)

from . import engine, screening
from .models import ScreeningDecision, ScreeningFlag, ShortlistRun
from .selectors import shortlist, undecided_flags


def app_id() -> str:
    return "APP-" + uuid.uuid4().hex[:16].upper()


def can_refer(user) -> bool:
    return access.may_open(user, "refer_clients")


def require_coach(user):
    access.check_page(user, "refer_clients")


def record_screening(vacancy) -> list[ScreeningFlag]:
    """Screen the vacancy and log each flag once (idempotent); returns the vacancy's logged flags."""
    for flag in screening.screen_vacancy(vacancy):
        ScreeningFlag.objects.get_or_create(
            vacancy=vacancy,
            rule=flag.rule,
            field=flag.field,
            matched_text=flag.matched_text[:200],
            defaults={"category": flag.category},
        )
    return list(
        ScreeningFlag.objects.filter(vacancy=vacancy).prefetch_related("decisions__decided_by")
    )


def decide_flag(
    user, flag: ScreeningFlag, decision: str, justification: str = ""
) -> ScreeningDecision:
    access.check_page(user, "decide_screening_flags")
    if decision not in ScreeningDecision.Decision.values:
        raise ValidationError(
            {"decision": _("Choose to keep the requirement with a justification, or drop it.")}
        )
    justification = (justification or "").strip()
    if decision == ScreeningDecision.Decision.JUSTIFIED and len(justification) < 10:
        raise ValidationError(
            {
                "justification": _(
                    "Write why this requirement is justified (at least 10 characters)."
                )
            }
        )
    return ScreeningDecision.objects.create(
        flag=flag, decision=decision, justification=justification, decided_by=user
    )


def log_shortlist(user, vacancy, result: engine.Shortlist) -> ShortlistRun:
    return ShortlistRun.objects.create(
        vacancy=vacancy,
        user=user,
        concepts_version=result.concepts_version,
        ranked_count=len(result.ranked),
        knocked_out_count=len(result.knocked_out),
        ranking=[[r.candidate.client_number, str(r.score)] for r in result.ranked],
    )


@transaction.atomic
def propose_referrals(user, vacancy, client_numbers) -> list[Referral]:
    """Create `proposed` referrals for eligible clients of the coach's shortlist."""
    require_coach(user)
    wanted = sorted({n.strip() for n in client_numbers if n and n.strip()})
    if not wanted:
        raise ValidationError({"clients": _("Select at least one client.")})
    flags = list(ScreeningFlag.objects.filter(vacancy=vacancy).prefetch_related("decisions"))
    if undecided_flags(flags):
        raise ValidationError(
            {"vacancy": _("Decide on the screening flags of this vacancy first.")}
        )
    current = shortlist(user, vacancy)
    by_number = {r.candidate.client_number: r for r in (*current.ranked, *current.knocked_out)}
    unknown = [n for n in wanted if n not in by_number]
    if unknown:
        raise ValidationError(
            {"clients": _("Not on your shortlist: %(numbers)s") % {"numbers": ", ".join(unknown)}}
        )
    knocked_out = [n for n in wanted if not by_number[n].eligible]
    if knocked_out:
        raise ValidationError(
            {
                "clients": _("Knocked out by a requirement: %(numbers)s")
                % {"numbers": ", ".join(knocked_out)}
            }
        )
    already = [n for n in wanted if by_number[n].candidate.already_referred]
    if already:
        raise ValidationError(
            {
                "clients": _("Already referred to this vacancy: %(numbers)s")
                % {"numbers": ", ".join(already)}
            }
        )
    today = timezone.localdate()
    referrals = [
        Referral(
            referral_id=app_id(),
            client_id=by_number[n].candidate.client_id,
            vacancy=vacancy,
            date=today,
            outcome=ReferralOutcome.PROPOSED,
            created_by=user,
        )
        for n in wanted
    ]
    return bulk_create_with_history(referrals, Referral, default_user=user)


@transaction.atomic
def send_referrals(user, vacancy, referral_ids) -> int:
    """The coach's confirmation: their own proposed referrals to `vacancy` become `sent`, with who
    and when. A referral to another vacancy is refused like any other that is not theirs to send."""
    require_coach(user)
    wanted = set(referral_ids)
    referrals = list(
        Referral.objects.visible_to(user)
        .select_for_update()
        .filter(
            referral_id__in=wanted,
            vacancy=vacancy,
            outcome=ReferralOutcome.PROPOSED,
            created_by=user,
        )
    )
    if not wanted or len(referrals) != len(wanted):
        raise ValidationError(
            {"referrals": _("Only your own proposed referrals to this vacancy can be sent.")}
        )
    now, today = timezone.now(), timezone.localdate()
    for referral in referrals:
        referral.outcome, referral.sent_at, referral.sent_by, referral.date = (
            ReferralOutcome.SENT,
            now,
            user,
            today,
        )
    # Not .update(): that would bypass the change history.
    bulk_update_with_history(
        referrals, Referral, ["outcome", "sent_at", "sent_by", "date"], default_user=user
    )
    return len(referrals)


@transaction.atomic
def record_outcome(user, referral: Referral, outcome: str) -> Referral:
    """The coach records what became of a referral: interview, hired, rejected or withdrawn
    (REFERRAL_TRANSITIONS). Outside the user's scope: 404, as if the referral did not exist."""
    require_coach(user)
    current = Referral.objects.visible_to(user).select_for_update().filter(pk=referral.pk).first()
    if current is None:
        raise Http404("No referral found")
    allowed = REFERRAL_TRANSITIONS.get(current.outcome, ())
    if outcome not in allowed:
        raise ValidationError(
            {
                "outcome": _(
                    "A referral that is “%(current)s” cannot become “%(outcome)s”; "
                    "choose one of: %(allowed)s."
                )
                % {
                    "current": current.get_outcome_display(),
                    "outcome": outcome,
                    "allowed": ", ".join(str(o.label) for o in allowed)
                    or _("none, the outcome is final"),
                }
            }
        )
    current.outcome = outcome
    current._history_user = user
    current.save(update_fields=["outcome"])
    return current


@transaction.atomic
def record_availability(user, client_number: str, hours: int | None) -> Client:
    """The coach records the hours a week a client can work (None: not registered), with history."""
    require_coach(user)
    client = (
        Client.objects.visible_to(user)
        .select_for_update()
        .filter(client_number=client_number)
        .first()
    )
    if client is None:
        raise Http404("No client found")
    field = Client._meta.get_field("available_hours_per_week")
    if hours is not None:
        try:
            field.run_validators(hours)
        except ValidationError as error:
            raise ValidationError(
                {
                    field.name: [
                        f"{field.verbose_name.capitalize()}: {message}"
                        for message in error.messages
                    ]
                }
            ) from error
    client.available_hours_per_week = hours
    client._history_user = user
    client.save(update_fields=[field.name])
    return client


@transaction.atomic
def enrol(user, client_number: str, workshop_id: str) -> Enrolment:
    """Enrol one of the coach's clients in a workshop that has room."""
    require_coach(user)
    client = Client.objects.visible_to(user).active().filter(client_number=client_number).first()
    workshop = Workshop.objects.select_for_update().filter(workshop_id=workshop_id).first()
    if client is None or workshop is None:
        raise ValidationError({"client": _("Unknown client or workshop.")})
    enrolled = Enrolment.objects.filter(workshop=workshop, status=EnrolmentStatus.ENROLLED)
    if enrolled.filter(client=client).exists():
        raise ValidationError(
            {
                "client": _("%(client)s is already enrolled in %(workshop)s.")
                % {"client": client_number, "workshop": workshop.title}
            }
        )
    if workshop.capacity is not None and enrolled.count() >= workshop.capacity:
        raise ValidationError(
            {"workshop": _("%(workshop)s is full.") % {"workshop": workshop.title}}
        )
    enrolment = Enrolment(
        enrolment_id=app_id(),
        client=client,
        workshop=workshop,
        date=timezone.localdate(),
        status=EnrolmentStatus.ENROLLED,
    )
    enrolment._history_user = user
    enrolment.save()
    return enrolment
