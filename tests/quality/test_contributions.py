"""What the data-quality app adds to the base app: the client list's `finding` filter and the
findings panel of the client page."""

import pytest
from django.urls import reverse

from caseload.filters import ClientFilterSet
from caseload.models import Client

pytestmark = pytest.mark.django_db


def test_client_page_shows_the_clients_data_quality_findings(login, cast):
    cast["client_a"].cv_on_file = None
    cast["client_a"].save()
    response = login(cast["coach_a"]).get(reverse("caseload:client_detail", args=["CA0001"]))
    (panel,) = response.context["panels"]
    assert panel["template"] == "quality/_client_findings.html"
    rule_ids = {finding.rule.id for finding in panel["findings"]}
    assert "cv_not_registered" in rule_ids
    assert b"client-findings-heading" in response.content


def test_the_finding_filter_comes_before_the_sort_order(cast):
    names = list(ClientFilterSet.base_filters)
    assert names.index("finding") == len(names) - 2
    assert names[-1] == "ordering"


def test_the_finding_filter_selects_the_clients_breaking_the_rule(cast):
    cast["client_a"].cv_on_file = None
    cast["client_a"].save()
    filterset = ClientFilterSet({"finding": "cv_not_registered"}, queryset=Client.objects.all())
    assert filterset.is_valid()
    assert list(filterset.qs.values_list("client_number", flat=True)) == ["CA0001"]
    assert not ClientFilterSet(
        {"finding": "no-such-rule"}, queryset=Client.objects.all()
    ).is_valid()
