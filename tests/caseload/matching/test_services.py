"""Referral, screening and enrolment services: coaches only, own clients only, explicit send."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from caseload.matching import services
from caseload.matching.models import ScreeningDecision, ScreeningFlag
from caseload.models import Enrolment, Referral
from tests.factories import EnrolmentFactory, WorkshopFactory

from .factories import forklift_vacancy, matching_client

pytestmark = pytest.mark.django_db


def test_referrals_are_proposed_then_sent_only_on_confirmation(coach_a):
    vacancy = forklift_vacancy()
    matching_client(coach_a, "C1")
    matching_client(coach_a, "C2")
    created = services.propose_referrals(coach_a, vacancy, ["C1", "C2"])
    assert {r.outcome for r in Referral.objects.all()} == {"proposed"}
    assert all(r.referral_id.startswith("APP-") and r.created_by == coach_a for r in created)
    assert services.send_referrals(coach_a, [created[0].referral_id]) == 1
    sent = Referral.objects.get(referral_id=created[0].referral_id)
    assert sent.outcome == "sent" and sent.sent_by == coach_a and sent.sent_at is not None
    assert Referral.objects.get(referral_id=created[1].referral_id).outcome == "proposed"


def test_refusals_name_the_clients(coach_a, coach_b):
    vacancy = forklift_vacancy()
    matching_client(coach_a, "C1")
    matching_client(coach_a, "NOLIC", driving_licence=False)
    matching_client(coach_b, "THEIRS")
    with pytest.raises(ValidationError, match="THEIRS"):
        services.propose_referrals(coach_a, vacancy, ["C1", "THEIRS"])
    with pytest.raises(ValidationError, match="NOLIC"):
        services.propose_referrals(coach_a, vacancy, ["NOLIC"])
    services.propose_referrals(coach_a, vacancy, ["C1"])
    with pytest.raises(ValidationError, match="Already referred"):
        services.propose_referrals(coach_a, vacancy, ["C1"])
    with pytest.raises(ValidationError):
        services.propose_referrals(coach_a, vacancy, [])
    assert Referral.objects.count() == 1


def test_only_the_proposing_coach_sends(coach_a, coach_b, team_manager):
    vacancy = forklift_vacancy()
    matching_client(coach_a, "C1")
    (referral,) = services.propose_referrals(coach_a, vacancy, ["C1"])
    with pytest.raises(ValidationError):
        services.send_referrals(coach_b, [referral.referral_id])
    with pytest.raises(PermissionDenied):
        services.send_referrals(team_manager, [referral.referral_id])
    with pytest.raises(PermissionDenied):
        services.propose_referrals(team_manager, vacancy, ["C1"])
    assert Referral.objects.get().outcome == "proposed"


def test_flagged_vacancy_needs_a_decision_before_referring(coach_a, team_manager):
    vacancy = forklift_vacancy(description="Man gezocht, max 35 jaar")
    matching_client(coach_a, "C1")
    flags = services.record_screening(vacancy)
    assert {f.matched_text for f in flags} == {"man gezocht", "max 35 jaar"}
    services.record_screening(vacancy)
    assert ScreeningFlag.objects.count() == 2  # logged once
    with pytest.raises(ValidationError, match="screening"):
        services.propose_referrals(coach_a, vacancy, ["C1"])
    with pytest.raises(ValidationError, match="justification"):
        services.decide_flag(coach_a, flags[0], "justified", "")
    services.decide_flag(coach_a, flags[0], "dropped")
    services.decide_flag(team_manager, flags[1], "justified", "Wettelijke leeftijdsgrens voor nachtwerk")
    assert ScreeningDecision.objects.count() == 2
    assert services.propose_referrals(coach_a, vacancy, ["C1"])


def test_enrol_in_a_workshop_scoped_and_within_capacity(coach_a, coach_b):
    workshop = WorkshopFactory(workshop_id="W03", capacity=1)
    matching_client(coach_a, "C1")
    matching_client(coach_a, "C2")
    matching_client(coach_b, "THEIRS")
    with pytest.raises(ValidationError):
        services.enrol(coach_a, "THEIRS", "W03")
    enrolment = services.enrol(coach_a, "C1", "W03")
    assert enrolment.status == "enrolled" and enrolment.workshop == workshop
    with pytest.raises(ValidationError, match="already enrolled"):
        services.enrol(coach_a, "C1", "W03")
    with pytest.raises(ValidationError, match="full"):
        services.enrol(coach_a, "C2", "W03")
    assert Enrolment.objects.count() == 1


def test_dropped_out_enrolments_do_not_fill_a_workshop(coach_a):
    workshop = WorkshopFactory(workshop_id="W03", capacity=1)
    EnrolmentFactory(workshop=workshop, client=matching_client(coach_a, "C0"), status="dropped_out")
    matching_client(coach_a, "C1")
    assert services.enrol(coach_a, "C1", "W03")
