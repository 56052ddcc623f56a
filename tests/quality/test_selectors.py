"""Counting is SQL-side: the number of queries does not grow with the caseload."""

import pytest
from django.utils import timezone

from caseload import figures
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
def test_every_rule_is_counted_per_coach_in_one_query_whatever_the_caseload(
    size, coach_a, coach_b, django_assert_num_queries
):
    make_caseload(size, [coach_a, coach_b])
    rule_figures = [selectors.finding_figure(rule) for rule in RULES]
    with django_assert_num_queries(1):
        counts = figures.counts_by_coach(Client.objects.all(), rule_figures)
    for rule in RULES:
        expected = rule.apply(Client.objects.all(), timezone.localdate()).count()
        assert sum(row[rule.id] for row in counts.values()) == expected


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
