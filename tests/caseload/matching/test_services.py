"""Referral, screening and enrolment services: coaches only, own clients only, explicit send."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from caseload.gdpr import erase_client
from caseload.matching import services
from caseload.matching.models import ScreeningDecision, ScreeningFlag
from caseload.models import Client, Enrolment, Referral
from tests.factories import EnrolmentFactory, ReferralFactory, WorkshopFactory

from .factories import forklift_vacancy, matching_client

pytestmark = pytest.mark.django_db


def test_referrals_are_proposed_then_sent_only_on_confirmation(coach_a):
    vacancy = forklift_vacancy()
    matching_client(coach_a, "C1")
    matching_client(coach_a, "C2")
    created = services.propose_referrals(coach_a, vacancy, ["C1", "C2"])
    assert {r.outcome for r in Referral.objects.all()} == {"proposed"}
    assert all(r.referral_id.startswith("APP-") and r.created_by == coach_a for r in created)
    assert services.send_referrals(coach_a, vacancy, [created[0].referral_id]) == 1
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
        services.send_referrals(coach_b, vacancy, [referral.referral_id])
    with pytest.raises(PermissionDenied):
        services.send_referrals(team_manager, vacancy, [referral.referral_id])
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
    services.decide_flag(
        team_manager, flags[1], "justified", "Wettelijke leeftijdsgrens voor nachtwerk"
    )
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


def test_send_takes_only_referrals_to_the_vacancy_it_is_given(coach_a):
    vacancy_a, vacancy_b = forklift_vacancy(vacancy_id="VA"), forklift_vacancy(vacancy_id="VB")
    matching_client(coach_a, "C1")
    (to_b,) = services.propose_referrals(coach_a, vacancy_b, ["C1"])
    with pytest.raises(ValidationError, match="this vacancy"):
        services.send_referrals(coach_a, vacancy_a, [to_b.referral_id])
    assert Referral.objects.get().outcome == "proposed"
    assert services.send_referrals(coach_a, vacancy_b, [to_b.referral_id]) == 1


def test_proposing_and_sending_are_in_the_referral_history(coach_a):
    vacancy = forklift_vacancy()
    matching_client(coach_a, "C1")
    (referral,) = services.propose_referrals(coach_a, vacancy, ["C1"])
    services.send_referrals(coach_a, vacancy, [referral.referral_id])
    history = list(Referral.objects.get().history.order_by("history_id"))
    assert [(h.history_type, h.outcome, h.history_user) for h in history] == [
        ("+", "proposed", coach_a),
        ("~", "sent", coach_a),
    ]


def sent_referral(coach, number="C1"):
    return ReferralFactory(client=matching_client(coach, number), outcome="sent")


def test_outcomes_follow_the_allowed_transitions_and_are_logged(coach_a):
    referral = sent_referral(coach_a)
    assert services.record_outcome(coach_a, referral, "interview").outcome == "interview"
    with pytest.raises(ValidationError, match="Hired, Rejected, Withdrawn"):
        services.record_outcome(coach_a, referral, "sent")
    services.record_outcome(coach_a, referral, "hired")
    with pytest.raises(ValidationError, match="final"):
        services.record_outcome(coach_a, referral, "withdrawn")
    referral.refresh_from_db()
    assert referral.outcome == "hired" and referral.next_outcomes == []
    assert [(h.outcome, h.history_user) for h in referral.history.order_by("history_id")][-2:] == [
        ("interview", coach_a),
        ("hired", coach_a),
    ]


@pytest.mark.parametrize(
    ("start", "outcome", "allowed"),
    [
        ("proposed", "withdrawn", True),
        ("proposed", "interview", False),
        ("proposed", "sent", False),
        ("sent", "rejected", True),
        ("sent", "withdrawn", True),
        ("sent", "proposed", False),
        ("interview", "rejected", True),
        ("interview", "sent", False),
        ("rejected", "hired", False),
        ("withdrawn", "sent", False),
        ("sent", "nonsense", False),
    ],
)
def test_transition_table(coach_a, start, outcome, allowed):
    referral = ReferralFactory(client=matching_client(coach_a, "C1"), outcome=start)
    if allowed:
        assert services.record_outcome(coach_a, referral, outcome).outcome == outcome
    else:
        with pytest.raises(ValidationError):
            services.record_outcome(coach_a, referral, outcome)
        referral.refresh_from_db()
        assert referral.outcome == start


def test_outcomes_are_the_client_coachs_to_record(cast):
    referral = ReferralFactory(client=cast["client_a"], outcome="sent")
    with pytest.raises(Http404):
        services.record_outcome(cast["coach_b"], referral, "interview")
    for role in ("team_manager", "quality_officer", "superuser"):
        with pytest.raises(PermissionDenied):
            services.record_outcome(cast[role], referral, "interview")
    referral.refresh_from_db()
    assert referral.outcome == "sent"


def test_the_team_counts_a_referral_once_it_is_sent(coach_a):
    """referred_since: proposals and withdrawals are not referrals the employer received."""
    vacancy = forklift_vacancy()
    matching_client(coach_a, "C1")
    since = timezone.localdate() - datetime.timedelta(days=30)
    (referral,) = services.propose_referrals(coach_a, vacancy, ["C1"])
    assert not Client.objects.referred_since(since).exists()
    services.send_referrals(coach_a, vacancy, [referral.referral_id])
    assert list(Client.objects.referred_since(since).values_list("client_number", flat=True)) == [
        "C1"
    ]
    referral.refresh_from_db()
    services.record_outcome(coach_a, referral, "interview")
    services.record_outcome(coach_a, referral, "rejected")
    assert Client.objects.referred_since(since).count() == 1  # still referred, whatever the answer
    for number, outcome in [
        ("W", "withdrawn"),
        ("P", "proposed"),
        ("H", "hired"),
        ("I", "interview"),
    ]:
        ReferralFactory(client=matching_client(coach_a, number), outcome=outcome)
    assert set(Client.objects.referred_since(since).values_list("client_number", flat=True)) == {
        "C1",
        "H",
        "I",
    }
    ReferralFactory(client=matching_client(coach_a, "OLD"), date=since - datetime.timedelta(days=1))
    assert "OLD" not in set(
        Client.objects.referred_since(since).values_list("client_number", flat=True)
    )


def test_availability_is_recorded_scoped_validated_and_logged(cast):
    coach_a = cast["coach_a"]
    client = services.record_availability(coach_a, "CA0001", 24)
    assert Client.objects.get(pk=client.pk).available_hours_per_week == 24
    latest = Client.objects.get(pk=client.pk).history.latest()
    assert latest.available_hours_per_week == 24 and latest.history_user == coach_a
    for hours in (0, 61):
        with pytest.raises(ValidationError) as error:
            services.record_availability(coach_a, "CA0001", hours)
        assert list(error.value.message_dict) == ["available_hours_per_week"]
        assert "Available hours per week" in error.value.message_dict["available_hours_per_week"][0]
    with pytest.raises(Http404):
        services.record_availability(coach_a, "CB0001", 24)
    with pytest.raises(PermissionDenied):
        services.record_availability(cast["team_manager"], "CA0001", 24)
    services.record_availability(coach_a, "CA0001", None)  # back to "not registered"
    assert Client.objects.get(pk=client.pk).available_hours_per_week is None
    assert Client.objects.get(client_number="CB0001").available_hours_per_week is None


def test_enrolments_have_a_history_and_erasure_removes_it(coach_a):
    WorkshopFactory(workshop_id="W03")
    client = matching_client(coach_a, "C1")
    enrolment = services.enrol(coach_a, "C1", "W03")
    referral = ReferralFactory(client=client)
    assert enrolment.history.get().history_user == coach_a and referral.history.exists()
    erase_client(client)
    assert not Enrolment.history.exists() and not Referral.history.exists()
