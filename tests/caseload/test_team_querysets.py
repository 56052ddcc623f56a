"""Client filters added for the team manager dashboard."""

import datetime

import pytest
from django.utils import timezone

from caseload.models import Client
from tests.factories import ClientFactory, ContactFactory, ReferralFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def days_ago(n):
    return TODAY - datetime.timedelta(days=n)


def numbers(queryset):
    return set(queryset.values_list("client_number", flat=True))


def test_contact_due_within_a_week_excludes_overdue_and_later(coach_a):
    for number, last_contact in [("DUE0", 28), ("DUE6", 22), ("LATER", 21), ("OVERDUE", 29)]:
        ContactFactory(
            client=ClientFactory(coach=coach_a, client_number=number, contact_frequency_weeks=4),
            date=days_ago(last_contact),
        )
    assert numbers(Client.objects.contact_due_within(7)) == {"DUE0", "DUE6"}


def test_seen_within_frequency(coach_a):
    ContactFactory(
        client=ClientFactory(coach=coach_a, client_number="SEEN", contact_frequency_weeks=2),
        date=days_ago(14),
    )
    ContactFactory(
        client=ClientFactory(coach=coach_a, client_number="LATE", contact_frequency_weeks=2),
        date=days_ago(15),
    )
    ContactFactory(
        client=ClientFactory(coach=coach_a, client_number="NOFREQ", contact_frequency_weeks=None),
        date=days_ago(1),
    )
    ClientFactory(
        coach=coach_a, client_number="NEVER", contact_frequency_weeks=2, intake_date=days_ago(1)
    )
    assert numbers(Client.objects.seen_within_frequency()) == {"SEEN"}
    assert numbers(Client.objects.without_contact_frequency()) == {"NOFREQ"}


def test_missing_key_fields_and_health_flag(coach_a):
    ClientFactory(coach=coach_a, client_number="FULL")
    ClientFactory(
        coach=coach_a, client_number="NODOB", date_of_birth=None, physical_limitations=None
    )
    ClientFactory(coach=coach_a, client_number="MENTAL", mental_health_issues=True)
    ClientFactory(coach=coach_a, client_number="GONE", cv_on_file=None, status="exited")
    assert numbers(Client.objects.missing_key_fields()) == {"NODOB"}
    assert numbers(Client.objects.with_health_flag()) == {"MENTAL"}


def test_exited_to_work_and_referred_since(coach_a):
    since = days_ago(30)
    ClientFactory(
        coach=coach_a,
        client_number="WORK",
        status="exited",
        exit_reason="work",
        exit_date=days_ago(3),
    )
    ClientFactory(
        coach=coach_a,
        client_number="OLD",
        status="exited",
        exit_reason="work",
        exit_date=days_ago(31),
    )
    ClientFactory(
        coach=coach_a,
        client_number="EDU",
        status="exited",
        exit_reason="education",
        exit_date=days_ago(3),
    )
    referred = ClientFactory(coach=coach_a, client_number="REF")
    ReferralFactory(client=referred, date=days_ago(2))
    ReferralFactory(client=referred, date=days_ago(1))
    ReferralFactory(client=ClientFactory(coach=coach_a, client_number="REFOLD"), date=days_ago(40))
    assert numbers(Client.objects.exited_to_work_since(since)) == {"WORK"}
    assert list(Client.objects.referred_since(since).values_list("client_number", flat=True)) == [
        "REF"
    ]


def test_filters_reach_the_new_methods(login, coach_a):
    ClientFactory(coach=coach_a, client_number="NOFREQ", contact_frequency_weeks=None)
    ClientFactory(coach=coach_a, client_number="FREQ")
    response = login(coach_a).get("/clients/?no_contact_frequency=true")
    assert [c.client_number for c in response.context["page"]] == ["NOFREQ"]
    response = login(coach_a).get("/clients/?referred_since=not-a-date")
    assert "referred_since" in response.context["filterset"].errors
