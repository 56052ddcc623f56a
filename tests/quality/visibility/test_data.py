"""The visibility selector: one SQL aggregate into atomic cells, scoped to the viewer."""

import datetime

import pytest
from django.utils import timezone

from quality.visibility.data import atomic_cells
from tests.factories import (
    ActionPlanFactory,
    ClientFactory,
    ContactFactory,
    EnrolmentFactory,
    ReferralFactory,
)

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
NAMES = ("gender", "household", "age_band", "physical_limitations", "team_kind")


def days_ago(n):
    return TODAY - datetime.timedelta(days=n)


def cell(cells, **values):
    matches = [c for c in cells if all(c[k] == v for k, v in values.items())]
    assert len(matches) == 1, matches
    return matches[0]


def test_atomic_cells_count_measures_per_combination(coach_a, team_manager):
    father = ClientFactory(
        coach=coach_a,
        gender="M",
        household="single_parent",
        youngest_child_birth_date=days_ago(3 * 365),
        intake_date=days_ago(400),
        contact_frequency_weeks=4,
    )
    ContactFactory(client=father, date=days_ago(200))
    for _ in range(2):
        mother = ClientFactory(
            coach=coach_a,
            gender="F",
            household="single_parent",
            youngest_child_birth_date=days_ago(3 * 365),
            intake_date=days_ago(400),
            contact_frequency_weeks=4,
        )
        ContactFactory(client=mother, date=days_ago(10))
        ContactFactory(client=mother, date=days_ago(40))
        ActionPlanFactory(client=mother)
        ReferralFactory(client=mother)
        EnrolmentFactory(client=mother)
    unknown = ClientFactory(
        coach=coach_a,
        gender=None,
        household=None,
        date_of_birth=None,
        physical_limitations=None,
        intake_date=days_ago(30),
    )
    ClientFactory(coach=coach_a, gender="F", status="exited")  # not on the caseload

    cells = atomic_cells(team_manager, NAMES, TODAY)
    assert sum(c["clients"] for c in cells) == 4
    fathers = cell(cells, gender="M", household="single_parent_young_child")
    assert fathers["clients"] == 1
    assert (
        fathers["seen_recently"] == 0
        and fathers["contact_on_time"] == 0
        and fathers["frequency_known"] == 1
    )
    assert fathers["age_band"] == "35_44" and fathers["physical_limitations"] == "no"
    assert fathers["team_kind"] == "standard"
    assert fathers["days_bin_5"] == 1  # 200 days: the 180–365 bin
    mothers = cell(cells, gender="F", household="single_parent_young_child")
    assert mothers["clients"] == 2
    assert (mothers["seen_recently"], mothers["contact_on_time"], mothers["active_plan"]) == (
        2,
        2,
        2,
    )
    assert (mothers["referred"], mothers["enrolled"], mothers["contacts"]) == (2, 2, 4)
    assert mothers["exposure_months"] == pytest.approx(2 * 12, rel=0.01)
    assert mothers["days_bin_0"] == 2
    new = cell(cells, gender="unknown")
    assert (new["household"], new["age_band"], new["physical_limitations"]) == (
        "unknown",
        "unknown",
        "unknown",
    )
    assert new["seen_recently"] == 1  # new, not yet due to be seen
    assert new["exposure_months"] == pytest.approx(30 / (365.25 / 12), rel=0.01)
    assert new["clients"] == 1 and unknown.client_number


def test_atomic_cells_are_scoped_and_take_one_query(cast, django_assert_max_num_queries):
    ClientFactory.create_batch(3, coach=cast["coach_a"])
    with django_assert_max_num_queries(1) as queries:
        mine = atomic_cells(cast["team_manager"], NAMES, TODAY)
    assert (
        sum(q["sql"].lstrip().upper().startswith("SELECT") for q in queries.captured_queries) == 1
    )
    assert (
        sum(c["clients"] for c in mine) == 5
    )  # client_a, client_b and three more; not client_other
    assert sum(c["clients"] for c in atomic_cells(cast["other_manager"], NAMES, TODAY)) == 1
    assert sum(c["clients"] for c in atomic_cells(cast["superuser"], NAMES, TODAY)) == 6


def test_seen_recently_agrees_with_the_not_seen_filter_at_the_boundary(coach_a, team_manager):
    from caseload.models import Client

    for days in (89, 90, 91, 200):
        ContactFactory(
            client=ClientFactory(coach=coach_a, gender="F", intake_date=days_ago(400)),
            date=days_ago(days),
        )
    ClientFactory(
        coach=coach_a, gender="F", intake_date=days_ago(90)
    )  # never contacted, intake 90 days ago
    ClientFactory(coach=coach_a, gender="F", intake_date=days_ago(91))
    ClientFactory(coach=coach_a, gender="F", intake_date=None)
    cells = atomic_cells(team_manager, ("gender",), TODAY)
    not_seen = Client.objects.visible_to(team_manager).active().not_seen_for(90).count()
    assert cell(cells, gender="F")["seen_recently"] == 7 - not_seen == 3
    for not_seen_days in (30, 100):
        cells = atomic_cells(team_manager, ("gender",), TODAY, not_seen_days=not_seen_days)
        expected = 7 - Client.objects.active().not_seen_for(not_seen_days).count()
        assert cell(cells, gender="F")["seen_recently"] == expected


def test_frequency_known_matches_a_known_contact_due_date(coach_a, team_manager):
    from caseload.models import Client

    ClientFactory(coach=coach_a, contact_frequency_weeks=None)
    ClientFactory(
        coach=coach_a, contact_frequency_weeks=4, intake_date=None
    )  # no date at all: not known
    ContactFactory(client=ClientFactory(coach=coach_a, contact_frequency_weeks=4, intake_date=None))
    ClientFactory(coach=coach_a, contact_frequency_weeks=2)
    cells = atomic_cells(team_manager, ("gender",), TODAY)
    expected = Client.objects.with_contact_due().filter(contact_due_date__isnull=False).count()
    assert cell(cells, gender="F")["frequency_known"] == expected == 2
