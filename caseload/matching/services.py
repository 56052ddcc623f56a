"""Writes for matching: screening log and decisions, shortlist log, referrals, workshop enrolments.

Only work coaches refer and enrol, and only their own clients (visible_to): the coach holds the
relationship with the client. Team managers see their team's shortlists and referrals, read-only.
A referral is created `proposed`; it becomes `sent` only through `send_referrals`, the coach's
explicit confirmation, which records who and when.
"""

from __future__ import annotations

import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from caseload.models import Client, Enrolment, EnrolmentStatus, Referral, ReferralOutcome, Workshop

from . import engine, screening
from .models import ScreeningDecision, ScreeningFlag, ShortlistRun
from .selectors import shortlist, undecided_flags


def app_id() -> str:
    return "APP-" + uuid.uuid4().hex[:16].upper()


def can_refer(user) -> bool:
    return bool(user.is_authenticated and user.is_work_coach)


def require_coach(user):
    if not can_refer(user):
        raise PermissionDenied(_("Only work coaches refer or enrol their own clients."))


def record_screening(vacancy) -> list[ScreeningFlag]:
    """Screen the vacancy and log each flag once (idempotent); returns the vacancy's logged flags."""
    for flag in screening.screen_vacancy(vacancy):
        ScreeningFlag.objects.get_or_create(
            vacancy=vacancy, rule=flag.rule, field=flag.field, matched_text=flag.matched_text[:200],
            defaults={"category": flag.category},
        )
    return list(ScreeningFlag.objects.filter(vacancy=vacancy).prefetch_related("decisions__decided_by"))


def decide_flag(user, flag: ScreeningFlag, decision: str, justification: str = "") -> ScreeningDecision:
    if not (can_refer(user) or user.is_team_manager):
        raise PermissionDenied(_("Only work coaches and team managers decide on screening flags."))
    if decision not in ScreeningDecision.Decision.values:
        raise ValidationError({"decision": _("Choose to keep the requirement with a justification, or drop it.")})
    justification = (justification or "").strip()
    if decision == ScreeningDecision.Decision.JUSTIFIED and len(justification) < 10:
        raise ValidationError({"justification": _("Write why this requirement is justified (at least 10 characters).")})
    return ScreeningDecision.objects.create(flag=flag, decision=decision, justification=justification, decided_by=user)


def log_shortlist(user, vacancy, result: engine.Shortlist) -> ShortlistRun:
    return ShortlistRun.objects.create(
        vacancy=vacancy, user=user, concepts_version=result.concepts_version,
        ranked_count=len(result.ranked), knocked_out_count=len(result.knocked_out),
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
        raise ValidationError({"vacancy": _("Decide on the screening flags of this vacancy first.")})
    current = shortlist(user, vacancy)
    by_number = {r.candidate.client_number: r for r in (*current.ranked, *current.knocked_out)}
    unknown = [n for n in wanted if n not in by_number]
    if unknown:
        raise ValidationError({"clients": _("Not on your shortlist: %(numbers)s") % {"numbers": ", ".join(unknown)}})
    knocked_out = [n for n in wanted if not by_number[n].eligible]
    if knocked_out:
        raise ValidationError({"clients": _("Knocked out by a requirement: %(numbers)s") % {
            "numbers": ", ".join(knocked_out)}})
    already = [n for n in wanted if by_number[n].candidate.already_referred]
    if already:
        raise ValidationError({"clients": _("Already referred to this vacancy: %(numbers)s") % {
            "numbers": ", ".join(already)}})
    today = timezone.localdate()
    referrals = [
        Referral(referral_id=app_id(), client_id=by_number[n].candidate.client_id, vacancy=vacancy, date=today,
                 outcome=ReferralOutcome.PROPOSED, created_by=user)
        for n in wanted
    ]
    return Referral.objects.bulk_create(referrals)


@transaction.atomic
def send_referrals(user, referral_ids) -> int:
    """The coach's confirmation: their own proposed referrals become `sent`, with who and when."""
    require_coach(user)
    referrals = Referral.objects.visible_to(user).filter(
        referral_id__in=list(referral_ids), outcome=ReferralOutcome.PROPOSED, created_by=user
    )
    if not referral_ids or referrals.count() != len(set(referral_ids)):
        raise ValidationError({"referrals": _("Only your own proposed referrals can be sent.")})
    return referrals.update(outcome=ReferralOutcome.SENT, sent_at=timezone.now(), sent_by=user,
                            date=timezone.localdate())


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
        raise ValidationError({"client": _("%(client)s is already enrolled in %(workshop)s.") % {
            "client": client_number, "workshop": workshop.title}})
    if workshop.capacity is not None and enrolled.count() >= workshop.capacity:
        raise ValidationError({"workshop": _("%(workshop)s is full.") % {"workshop": workshop.title}})
    return Enrolment.objects.create(enrolment_id=app_id(), client=client, workshop=workshop,
                                    date=timezone.localdate(), status=EnrolmentStatus.ENROLLED)
