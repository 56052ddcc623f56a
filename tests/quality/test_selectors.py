"""Counting is SQL-side: the number of queries does not grow with the caseload."""

import pytest
from django.utils import timezone

from caseload.models import Client
from quality import selectors
from quality.rules import RULES

from .factories import CASES

pytestmark = pytest.mark.django_db


def make_caseload(size, coaches):
    rule_ids = sorted(CASES)
    for index in range(size):
        CASES[rule_ids[index % len(rule_ids)]][index % 2](coach=coaches[index % len(coaches)])


@pytest.mark.parametrize("size", [10, 200])
def test_counts_take_one_query_per_rule_whatever_the_caseload(
    size, coach_a, coach_b, django_assert_max_num_queries
):
    make_caseload(size, [coach_a, coach_b])
    with django_assert_max_num_queries(len(RULES)):
        counts = selectors.counts_by_rule_and_coach(Client.objects.all(), timezone.localdate())
    for rule in RULES:
        expected = rule.apply(Client.objects.all(), timezone.localdate()).count()
        assert sum(counts[rule.id].values()) == expected


@pytest.mark.parametrize("size", [10, 200])
def test_completeness_is_one_query(size, coach_a, django_assert_num_queries):
    make_caseload(size, [coach_a])
    with django_assert_num_queries(1):
        rows = selectors.completeness(Client.objects.all())
    active = Client.objects.active().count()
    for row in rows:
        assert row["total"] == active
        assert (
            row["missing"]
            == Client.objects.active().filter(**{f"{row['rule'].field}__isnull": True}).count()
        )


def test_findings_for_client_is_two_queries(coach_a, django_assert_num_queries):
    client = CASES["cv_not_registered"][0](coach=coach_a)
    with django_assert_num_queries(2):
        findings = selectors.findings_for_client(client, timezone.localdate())
    assert [finding.rule.id for finding in findings] == ["cv_not_registered"]
