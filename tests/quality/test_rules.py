"""Each rule, one by one: a client that breaks it is found, one that does not is not."""

import pytest
from django.utils import timezone

from caseload.models import Client
from quality import rules
from quality.rules import RULES

from .factories import CASES, seen_client

pytestmark = pytest.mark.django_db


def test_every_rule_has_a_test_case():
    assert set(CASES) == {rule.id for rule in RULES}


@pytest.mark.parametrize("rule_id", sorted(CASES))
def test_rule_finds_the_client_that_breaks_it_and_only_that_one(rule_id, coach_a):
    make_breaker, make_keeper = CASES[rule_id]
    breaker = make_breaker(coach=coach_a)
    keeper = make_keeper(coach=coach_a)
    found = set(rules.get(rule_id).apply(Client.objects.all(), timezone.localdate()))
    assert breaker in found
    assert keeper not in found


@pytest.mark.parametrize("rule_id", sorted(r.id for r in RULES if r.active_only))
def test_rules_about_active_clients_leave_exited_clients_alone(rule_id, coach_a):
    breaker = CASES[rule_id][0](coach=coach_a)
    Client.objects.filter(pk=breaker.pk).update(status="exited")
    assert (
        not rules.get(rule_id)
        .apply(Client.objects.all(), timezone.localdate())
        .filter(pk=breaker.pk)
        .exists()
    )


def test_a_clean_client_breaks_no_rule(coach_a):
    clean = seen_client(coach=coach_a)
    for rule in RULES:
        assert (
            not rule.apply(Client.objects.all(), timezone.localdate()).filter(pk=clean.pk).exists()
        ), rule.id


def test_registered_no_is_not_missing(coach_a):
    client = seen_client(coach=coach_a, cv_on_file=False, driving_licence=False)
    today = timezone.localdate()
    assert (
        not rules.get("cv_not_registered")
        .apply(Client.objects.all(), today)
        .filter(pk=client.pk)
        .exists()
    )
    assert (
        not rules.get("driving_licence_not_registered").apply(Client.objects.all(), today).exists()
    )


def test_every_rule_is_in_the_legend_with_what_it_blocks():
    from caseload import legend

    for rule in RULES:
        entry = legend.get(f"quality_{rule.id}")
        assert entry.section == "quality"
        assert str(rule.blocks) in str(entry.text)


def test_no_cv_on_file_and_cv_not_registered_are_counted_apart_and_both_listed(
    login, coach_a, quality_officer
):
    from quality.models import WeeklyListEntry
    from quality.weekly import services

    no_cv = seen_client(coach=coach_a, cv_on_file=False, client_number="NO-CV")
    unknown = seen_client(coach=coach_a, cv_on_file=None, client_number="CV-UNKNOWN")
    seen_client(coach=coach_a, client_number="HAS-CV")
    today = timezone.localdate()
    assert list(rules.get("no_cv_on_file").apply(Client.objects.all(), today)) == [no_cv]
    assert list(rules.get("cv_not_registered").apply(Client.objects.all(), today)) == [unknown]
    services.build_weekly_list()
    assert set(WeeklyListEntry.objects.values_list("client__client_number", "rule_id")) == {
        ("NO-CV", "no_cv_on_file"),
        ("CV-UNKNOWN", "cv_not_registered"),
    }
    html = login(quality_officer).get("/quality/").content.decode()
    assert 'data-figure="no_cv_on_file">1<' in html
    assert 'data-figure="cv_not_registered">1<' in html
