"""Filters behind the overview figures: new this month, exited in a period, exit reason, age band."""

import datetime

import pytest
from django.utils import timezone
from django.utils.datastructures import MultiValueDict

from caseload.filters import ClientFilterSet
from caseload.models import Client
from caseload.querysets import period_start
from tests.factories import ClientFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def numbers(params):
    data = MultiValueDict({k: v if isinstance(v, list) else [v] for k, v in params.items()})
    filterset = ClientFilterSet(data, queryset=Client.objects.all())
    assert filterset.is_valid(), filterset.errors
    return set(filterset.qs.values_list("client_number", flat=True))


def test_period_start():
    day = datetime.date(2026, 11, 22)
    assert period_start("month", day) == datetime.date(2026, 11, 1)
    assert period_start("quarter", day) == datetime.date(2026, 10, 1)
    assert period_start("year", day) == datetime.date(2026, 1, 1)
    assert period_start("quarter", datetime.date(2026, 3, 31)) == datetime.date(2026, 1, 1)
    with pytest.raises(ValueError):
        period_start("week", day)


def test_new_this_month(coach_a):
    ClientFactory(coach=coach_a, client_number="NEW", intake_date=TODAY)
    ClientFactory(
        coach=coach_a,
        client_number="OLD",
        intake_date=period_start("month") - datetime.timedelta(days=1),
    )
    ClientFactory(
        coach=coach_a, client_number="FUTURE", intake_date=TODAY + datetime.timedelta(days=1)
    )
    ClientFactory(coach=coach_a, client_number="UNKNOWN", intake_date=None)
    assert numbers({"new_this_month": "true"}) == {"NEW"}


def test_exited_in_quarter_by_reason(coach_a):
    start = period_start("quarter")
    ClientFactory(
        coach=coach_a, client_number="WORK", status="exited", exit_date=start, exit_reason="work"
    )
    ClientFactory(
        coach=coach_a, client_number="MOVED", status="exited", exit_date=TODAY, exit_reason="moved"
    )
    ClientFactory(
        coach=coach_a, client_number="NOREASON", status="exited", exit_date=TODAY, exit_reason=None
    )
    ClientFactory(
        coach=coach_a,
        client_number="EARLIER",
        status="exited",
        exit_date=start - datetime.timedelta(days=1),
        exit_reason="work",
    )
    ClientFactory(
        coach=coach_a, client_number="NODATE", status="exited", exit_date=None, exit_reason="work"
    )
    ClientFactory(coach=coach_a, client_number="ACTIVE")
    assert numbers({"exited_in": "quarter"}) == {"WORK", "MOVED", "NOREASON"}
    assert numbers({"exited_in": "quarter", "exit_reason": "work"}) == {"WORK"}
    assert numbers({"exited_in": "quarter", "exit_reason": ["moved", "unknown"]}) == {
        "MOVED",
        "NOREASON",
    }


def test_age_band_annotation_matches_filter(coach_a):
    for years in (20, 27, 34, 35, 60):
        ClientFactory(
            coach=coach_a,
            client_number=f"Y{years}",
            date_of_birth=TODAY.replace(year=TODAY.year - years),
        )
    ClientFactory(coach=coach_a, client_number="NODOB", date_of_birth=None)
    bands = dict(Client.objects.with_age_band().values_list("client_number", "age_band"))
    assert bands == {
        "Y20": "under_27",
        "Y27": "27_34",
        "Y34": "27_34",
        "Y35": "35_44",
        "Y60": "55_plus",
        "NODOB": None,
    }
    for band in ("under_27", "27_34", "35_44", "55_plus"):
        assert numbers({"age_band": band}) == {n for n, b in bands.items() if b == band}


def test_filters_combine_as_and_values_within_one_as_or(coach_a):
    ClientFactory(coach=coach_a, client_number="F-NOLIC", gender="F", driving_licence=False)
    ClientFactory(coach=coach_a, client_number="F-LIC", gender="F", driving_licence=True)
    ClientFactory(coach=coach_a, client_number="U-NOLIC", gender=None, driving_licence=False)
    ClientFactory(coach=coach_a, client_number="M-UNK", gender="M", driving_licence=None)
    assert numbers({"gender": "F", "driving_licence": "no"}) == {"F-NOLIC"}
    assert numbers({"gender": ["F", "unknown"], "driving_licence": "no"}) == {"F-NOLIC", "U-NOLIC"}
    assert numbers({"driving_licence": ["no", "unknown"], "new_this_month": "true"}) == set()
