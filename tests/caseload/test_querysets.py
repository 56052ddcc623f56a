"""Derived figures computed in SQL, on data with known answers."""

import datetime

import pytest
from django.utils import timezone

from caseload.models import Client
from tests.factories import ActionPlanFactory, ClientFactory, ContactFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def days_ago(n):
    return TODAY - datetime.timedelta(days=n)


def numbers(queryset):
    return set(queryset.values_list("client_number", flat=True))


def test_last_contact_and_due_date(coach_a):
    client = ClientFactory(coach=coach_a, contact_frequency_weeks=2, intake_date=days_ago(400))
    ContactFactory(client=client, date=days_ago(30))
    ContactFactory(client=client, date=days_ago(10))
    never = ClientFactory(coach=coach_a, contact_frequency_weeks=4, intake_date=days_ago(20))
    unknown = ClientFactory(coach=coach_a, contact_frequency_weeks=None)
    rows = {c.client_number: c for c in Client.objects.with_contact_due()}
    assert rows[client.client_number].last_contact_date == days_ago(10)
    assert rows[client.client_number].contact_due_date == days_ago(10) + datetime.timedelta(weeks=2)
    assert rows[never.client_number].last_contact_date is None
    assert rows[never.client_number].contact_due_date == days_ago(20) + datetime.timedelta(weeks=4)
    assert rows[unknown.client_number].contact_due_date is None


def test_contact_overdue(coach_a):
    overdue = ClientFactory(coach=coach_a, contact_frequency_weeks=2)
    ContactFactory(client=overdue, date=days_ago(15))
    on_time = ClientFactory(coach=coach_a, contact_frequency_weeks=4)
    ContactFactory(client=on_time, date=days_ago(15))
    due_today = ClientFactory(coach=coach_a, contact_frequency_weeks=2)
    ContactFactory(client=due_today, date=days_ago(14))
    ClientFactory(coach=coach_a, contact_frequency_weeks=None)  # unknown frequency: not counted
    exited = ClientFactory(coach=coach_a, contact_frequency_weeks=1, status="exited")
    ContactFactory(client=exited, date=days_ago(100))
    assert numbers(Client.objects.contact_overdue()) == {overdue.client_number}


def test_not_seen_for(coach_a):
    long_ago = ClientFactory(coach=coach_a)
    ContactFactory(client=long_ago, date=days_ago(91))
    recent = ClientFactory(coach=coach_a)
    ContactFactory(client=recent, date=days_ago(90))
    never_old = ClientFactory(coach=coach_a, intake_date=days_ago(200))
    ClientFactory(coach=coach_a, intake_date=days_ago(10))  # new, never seen: not yet
    never_unknown_intake = ClientFactory(coach=coach_a, intake_date=None)
    assert numbers(Client.objects.not_seen_for(90)) == {
        long_ago.client_number,
        never_old.client_number,
        never_unknown_intake.client_number,
    }


def test_plans_and_quiet(coach_a):
    with_plan = ClientFactory(coach=coach_a)
    ActionPlanFactory(client=with_plan)
    draft_only = ClientFactory(coach=coach_a)
    ActionPlanFactory(client=draft_only, status="draft")
    overdue_review = ClientFactory(coach=coach_a)
    ActionPlanFactory(client=overdue_review, review_date=days_ago(1))
    assert numbers(Client.objects.without_active_plan()) == {draft_only.client_number}
    assert numbers(Client.objects.plan_review_overdue()) == {overdue_review.client_number}

    ContactFactory(client=with_plan, initiated_by="client", date=days_ago(5))
    ContactFactory(client=draft_only, initiated_by="client", date=days_ago(200))
    assert numbers(Client.objects.quiet(90)) == {
        draft_only.client_number,
        overdue_review.client_number,
    }


def test_age_bands_and_single_parent_with_young_child(coach_a):
    young = ClientFactory(coach=coach_a, date_of_birth=TODAY.replace(year=TODAY.year - 26))
    turned_27_today = ClientFactory(
        coach=coach_a, date_of_birth=TODAY.replace(year=TODAY.year - 27)
    )
    ClientFactory(coach=coach_a, date_of_birth=None)
    assert numbers(Client.objects.in_age_band("under_27")) == {young.client_number}
    assert numbers(Client.objects.in_age_band("27_34")) == {turned_27_today.client_number}

    parent = ClientFactory(
        coach=coach_a,
        household="single_parent",
        children_count=1,
        youngest_child_birth_date=days_ago(5 * 365),
    )
    ClientFactory(
        coach=coach_a,
        household="single_parent",
        children_count=1,
        youngest_child_birth_date=days_ago(15 * 365),
    )
    ClientFactory(
        coach=coach_a, household="single_parent", children_count=1, youngest_child_birth_date=None
    )
    assert numbers(Client.objects.single_parent_with_young_child()) == {parent.client_number}


def test_days_since_last_contact(coach_a):
    seen = ClientFactory(coach=coach_a)
    ContactFactory(client=seen, date=days_ago(45))
    ContactFactory(client=seen, date=days_ago(3))
    never = ClientFactory(coach=coach_a)
    rows = {c.client_number: c.days_since_last_contact for c in Client.objects.with_monitoring()}
    assert rows[seen.client_number] == 3
    assert rows[never.client_number] is None  # never contacted is not "0 days"


@pytest.mark.parametrize(
    ("born", "age"),
    [
        (datetime.date(1990, 6, 15), 36),  # birthday passed this year
        (datetime.date(1990, 6, 16), 35),  # birthday is tomorrow
        (datetime.date(1990, 6, 14), 36),
        (datetime.date(2000, 2, 29), 26),  # leap day, before today's date in the year
        (None, None),
    ],
)
def test_age_in_sql_matches_the_calendar(coach_a, born, age):
    today = datetime.date(2026, 6, 15)
    client = ClientFactory(coach=coach_a, date_of_birth=born)
    assert Client.objects.with_age(today).get(pk=client.pk).age == age
