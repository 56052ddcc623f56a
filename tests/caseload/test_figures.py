"""caseload.figures: a figure is the client list behind it, counted with the list's own FilterSet."""

import pytest
from django.http import QueryDict

from caseload import figures
from caseload.figures import Figure, figure
from caseload.models import Client
from tests.factories import ClientFactory

pytestmark = pytest.mark.django_db


def test_parameters_come_after_the_base_and_replace_a_base_parameter_of_the_same_name():
    active = Figure("active", (("status", "active"),))
    assert active.query({"coach": 3}) == "coach=3&status=active"
    assert active.query({"status": "exited", "coach": 3}) == "status=active&coach=3"
    steps = figure("active_clients", ("participation_step", "1"), ("participation_step", "2"))
    assert steps.data().getlist("participation_step") == ["1", "2"]
    assert steps.list_url() == "/clients/?participation_step=1&participation_step=2"


def test_client_list_url_takes_a_query_a_mapping_or_nothing():
    assert figures.client_list_url() == "/clients/"
    assert figures.client_list_url({"gender": ["F", "M"]}) == "/clients/?gender=F&gender=M"
    assert figures.client_list_url(QueryDict("q=C1")) == "/clients/?q=C1"


def test_counts_equal_the_lists_and_per_coach_counts_add_up(cast):
    ClientFactory(coach=cast["coach_a"], status="exited")
    shown = [
        Figure("active", (("status", "active"),)),
        Figure("exited", (("status", "exited"),)),
    ]
    clients = Client.objects.visible_to(cast["team_manager"])
    counts = figures.count(clients, shown)
    for item in shown:
        assert counts[item.key] == figures.members(clients, item).count()
    per_coach = figures.counts_by_coach(clients, shown)
    assert per_coach[cast["coach_a"].pk] == {"active": 1, "exited": 1}
    assert per_coach[cast["coach_b"].pk] == {"active": 1, "exited": 0}
    assert cast["other_coach"].pk not in per_coach


def test_parameters_the_filterset_rejects_are_a_bug(cast):
    with pytest.raises(figures.InvalidFigure, match="broken"):
        figures.count(Client.objects.all(), [Figure("broken", (("status", "nonsense"),))])
