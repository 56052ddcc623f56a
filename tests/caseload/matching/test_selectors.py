"""Shortlists from the database: scoping, protected attributes, constant query counts."""

import datetime
import json
import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from caseload.matching import engine, selectors
from caseload.models import Client
from tests.factories import ClientFactory, ReferralFactory, WorkshopFactory

from .factories import forklift_vacancy, matching_client

pytestmark = pytest.mark.django_db


def numbers(results):
    return [r.candidate.client_number for r in results]


def test_a_coach_never_sees_another_caseloads_candidates(cast):
    vacancy = forklift_vacancy()
    shortlist = selectors.shortlist(cast["coach_a"], vacancy)
    assert numbers(shortlist.ranked) + numbers(shortlist.knocked_out) == ["CA0001"]
    team = selectors.shortlist(cast["team_manager"], vacancy)
    assert sorted(numbers(team.ranked) + numbers(team.knocked_out)) == ["CA0001", "CB0001"]
    assert numbers(selectors.shortlist(cast["quality_officer"], vacancy).ranked) != []  # team scope
    other = selectors.shortlist(cast["other_manager"], vacancy)
    assert numbers(other.ranked) + numbers(other.knocked_out) == ["CO0001"]


def test_exited_clients_are_not_candidates(coach_a):
    matching_client(coach_a, "C1")
    matching_client(coach_a, "C2", status="exited")
    assert numbers(selectors.shortlist(coach_a, forklift_vacancy()).ranked) == ["C1"]


def test_candidate_query_loads_no_protected_attribute(coach_a):
    matching_client(coach_a, "C1")
    with CaptureQueriesContext(connection) as queries:
        list(selectors.candidate_rows(coach_a, forklift_vacancy()))
    sql = queries.captured_queries[-1]["sql"].lower()
    for column in (
        "date_of_birth",
        "gender",
        "marital_status",
        "household",
        "children_count",
        "youngest_child_birth_date",
        "mental_health_issues",
    ):
        assert column not in sql


def serialised_shortlist(user, vacancy):
    shortlist = selectors.shortlist(user, vacancy)
    return json.dumps(
        [engine.serialise(r) for r in (*shortlist.ranked, *shortlist.knocked_out)], sort_keys=True
    )


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_changing_protected_attributes_leaves_scores_and_order_byte_identical(coach_a, seed):
    rng = random.Random(seed)
    for i in range(40):
        matching_client(
            coach_a,
            f"C{i:03d}",
            driving_licence=rng.choice([True, False, None]),
            education_level=rng.choice([None, 1, 2, 3, 5]),
            language_level=rng.choice([None, 1, 2, 4]),
            physical_limitations=rng.choice([True, False, None]),
            skills=rng.sample(
                ["heftruck", "forklift", "cleaning", "zorg", "magazijn"], rng.randint(0, 3)
            ),
            work_experience=rng.sample(["cleaner", "order picker", "cook"], rng.randint(0, 2)),
            participation_step=rng.choice([None, 1, 3, 6]),
        )
    vacancy = forklift_vacancy()
    before = serialised_shortlist(coach_a, vacancy)
    today = timezone.localdate()
    for client in Client.objects.all():
        client.date_of_birth = today - datetime.timedelta(days=rng.randint(18 * 365, 66 * 365))
        client.gender = rng.choice(["F", "M", "X", None])
        client.marital_status = rng.choice(["single", "married", "divorced", None])
        client.household = rng.choice(["single", "single_parent", "couple_with_children", None])
        client.children_count = rng.choice([0, 1, 4, None])
        client.youngest_child_birth_date = rng.choice([None, today - datetime.timedelta(days=400)])
        client.mental_health_issues = rng.choice([True, False, None])
        client.save()
    assert serialised_shortlist(coach_a, vacancy) == before


def query_count(user, vacancy):
    with CaptureQueriesContext(connection) as queries:
        selectors.shortlist(user, vacancy)
    return len(queries)


def test_shortlist_takes_a_constant_number_of_queries(coach_a):
    vacancy = forklift_vacancy()
    WorkshopFactory()
    for i in range(10):
        ReferralFactory(client=matching_client(coach_a, f"S{i:03d}"))
    small = query_count(coach_a, vacancy)
    ClientFactory.create_batch(140, coach=coach_a)
    assert Client.objects.visible_to(coach_a).count() == 150
    assert query_count(coach_a, vacancy) == small == 2


def test_last_referral_and_already_referred_come_from_the_database(coach_a):
    vacancy = forklift_vacancy()
    client = matching_client(coach_a, "C1")
    ReferralFactory(client=client, date=timezone.localdate() - datetime.timedelta(days=45))
    ReferralFactory(
        client=client, vacancy=vacancy, date=timezone.localdate() - datetime.timedelta(days=100)
    )
    result = selectors.shortlist(coach_a, vacancy).ranked[0]
    assert result.candidate.already_referred
    assert result.candidate.last_referral_date == timezone.localdate() - datetime.timedelta(days=45)
    assert str(result.contributions[-1].points) == "5.00"


def test_only_upcoming_workshops_are_offered(db):
    from caseload.matching.concepts import default_table

    WorkshopFactory(workshop_id="OLD", starts_on=timezone.localdate() - datetime.timedelta(days=1))
    WorkshopFactory(workshop_id="NEW")
    assert [w.workshop_id for w in selectors.upcoming_workshops(default_table())] == ["NEW"]


def test_hours_knock_out_uses_the_recorded_availability(coach_a):
    vacancy = forklift_vacancy(hours_per_week=36)
    matching_client(coach_a, "PART", available_hours_per_week=20)
    matching_client(coach_a, "FULL", available_hours_per_week=38)
    matching_client(coach_a, "UNKNOWN")
    shortlist = selectors.shortlist(coach_a, vacancy)
    assert {
        r.candidate.client_number: [k.code for k in r.knock_outs] for r in shortlist.knocked_out
    } == {"PART": ["hours"]}
    checks = {r.candidate.client_number: r.checks for r in shortlist.ranked}
    assert checks == {"FULL": [], "UNKNOWN": []}  # said once, in the notes
    assert "for 1 client:" in shortlist.notes[0]
    assert shortlist.knocked_out[0].near_miss == ["Availability of 36 hours a week."]
