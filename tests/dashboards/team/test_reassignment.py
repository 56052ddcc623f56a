"""What-if reassignment: a preview writes nothing; saving is logged and can be undone."""

import pytest
from django.urls import reverse

from caseload.models import Client, Role
from dashboards.models import Reassignment
from tests.factories import ClientFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def overloaded(coach_a):
    return [
        ClientFactory(coach=coach_a, contact_frequency_weeks=1, client_number=f"OV{n:02d}")
        for n in range(36)
    ]


# A weekly face-to-face client: 45 min of contact + 9 min of administration (the team default).
WEEKLY = 45 + 9


def coaches_of(clients):
    return {
        client.pk: client.coach_id
        for client in Client.objects.filter(pk__in=[c.pk for c in clients])
    }


def test_preview_changes_nothing_and_shows_the_effect(
    login, team_manager, coach_a, coach_b, overloaded
):
    before = coaches_of(overloaded)
    moved = overloaded[:10]
    response = login(team_manager).get(
        reverse("team_reassign"),
        {
            "from_coach": coach_a.pk,
            "to_coach": coach_b.pk,
            "clients": [c.pk for c in moved],
            "preview": "1",
        },
    )
    assert response.status_code == 200
    result = response.context["preview"]["result"]
    assert result.source_before.needed_minutes == 36 * WEEKLY
    assert result.source_after.needed_minutes == 26 * WEEKLY
    assert result.target_after.needed_minutes == 10 * WEEKLY
    assert result.source_before.overloaded and not result.source_after.overloaded
    assert coaches_of(overloaded) == before
    assert not Reassignment.objects.exists()


def test_save_is_logged_and_undo_reverses_it(login, team_manager, coach_a, coach_b, overloaded):
    browser = login(team_manager)
    moved = [c.pk for c in overloaded[:3]]
    response = browser.post(
        reverse("team_reassign"),
        {
            "from_coach": coach_a.pk,
            "to_coach": coach_b.pk,
            "clients": moved,
        },
    )
    assert response.status_code == 302
    log = Reassignment.objects.get()
    assert (log.from_coach, log.to_coach, log.performed_by, log.client_ids) == (
        coach_a,
        coach_b,
        team_manager,
        sorted(moved),
    )
    assert set(Client.objects.filter(coach=coach_b).values_list("pk", flat=True)) == set(moved)

    response = browser.post(reverse("team_reassignment_undo", args=[log.pk]), follow=True)
    assert not Client.objects.filter(coach=coach_b).exists()
    undo = Reassignment.objects.get(reverses=log)
    assert (undo.from_coach, undo.to_coach, undo.performed_by) == (coach_b, coach_a, team_manager)
    assert b"Undone" in response.content
    # a second undo changes nothing and says so
    response = browser.post(reverse("team_reassignment_undo", args=[log.pk]), follow=True)
    assert b"already been undone" in response.content
    assert Reassignment.objects.count() == 2


def test_undo_refused_when_a_client_moved_on(login, team_manager, coach_a, coach_b, overloaded):
    browser = login(team_manager)
    browser.post(
        reverse("team_reassign"),
        {
            "from_coach": coach_a.pk,
            "to_coach": coach_b.pk,
            "clients": [overloaded[0].pk, overloaded[1].pk],
        },
    )
    log = Reassignment.objects.get()
    Client.objects.filter(pk=overloaded[0].pk).update(coach=coach_a)  # moved again meanwhile
    response = browser.post(reverse("team_reassignment_undo", args=[log.pk]), follow=True)
    assert b"Cannot undo" in response.content
    assert Client.objects.get(pk=overloaded[1].pk).coach == coach_b
    assert Reassignment.objects.count() == 1


@pytest.mark.parametrize("change", ["moved_team", "deactivated", "role_changed"])
def test_undo_refused_when_the_original_coach_is_no_longer_an_active_coach_of_the_team(
    login, team_manager, coach_a, coach_b, other_team, overloaded, change
):
    browser = login(team_manager)
    moved = [overloaded[0].pk, overloaded[1].pk]
    browser.post(
        reverse("team_reassign"),
        {"from_coach": coach_a.pk, "to_coach": coach_b.pk, "clients": moved},
    )
    log = Reassignment.objects.get()
    if change == "moved_team":
        coach_a.team = other_team
    elif change == "deactivated":
        coach_a.is_active = False
    else:
        coach_a.role = Role.QUALITY_OFFICER
    coach_a.save()
    response = browser.post(reverse("team_reassignment_undo", args=[log.pk]), follow=True)
    assert (
        b"Cannot undo: Coach A is no longer an active work coach of this team" in response.content
    )
    assert set(Client.objects.filter(pk__in=moved).values_list("coach", flat=True)) == {coach_b.pk}
    assert Reassignment.objects.count() == 1


def coach_history(client):
    """(coach id, change reason, history user) of each history row of a client, oldest first."""
    return [
        (row.coach_id, row.history_change_reason, row.history_user_id)
        for row in Client.objects.get(pk=client.pk).history.order_by("history_date", "history_id")
    ]


def test_save_and_undo_are_in_the_client_history(login, team_manager, coach_a, coach_b, overloaded):
    browser = login(team_manager)
    client = overloaded[0]
    created = coach_history(client)
    browser.post(
        reverse("team_reassign"),
        {
            "from_coach": coach_a.pk,
            "to_coach": coach_b.pk,
            "clients": [client.pk, overloaded[1].pk],
        },
    )
    log = Reassignment.objects.get()
    assert coach_history(client) == [
        *created,
        (coach_b.pk, f"reassignment {log.pk}", team_manager.pk),
    ]
    latest, previous = Client.objects.get(pk=client.pk).history.all()[:2]
    assert [change.field for change in latest.diff_against(previous).changes] == ["coach"]
    assert len(coach_history(overloaded[2])) == len(created)  # not selected: no history row

    browser.post(reverse("team_reassignment_undo", args=[log.pk]))
    undo = Reassignment.objects.get(reverses=log)
    assert coach_history(client) == [
        *created,
        (coach_b.pk, f"reassignment {log.pk}", team_manager.pk),
        (coach_a.pk, f"reassignment {undo.pk}, undoing reassignment {log.pk}", team_manager.pk),
    ]


def test_bad_input_names_the_field_and_changes_nothing(
    login, team_manager, coach_a, coach_b, other_coach, overloaded
):
    browser = login(team_manager)
    outsider = ClientFactory(coach=other_coach)
    response = browser.post(
        reverse("team_reassign"),
        {
            "from_coach": coach_a.pk,
            "to_coach": coach_b.pk,
            "clients": [outsider.pk],
        },
    )
    assert response.status_code == 200
    assert "clients" in response.context["form"].errors
    response = browser.post(
        reverse("team_reassign"),
        {
            "from_coach": coach_a.pk,
            "to_coach": other_coach.pk,
            "clients": [overloaded[0].pk],
        },
    )
    assert "to_coach" in response.context["form"].errors
    response = browser.post(
        reverse("team_reassign"),
        {
            "from_coach": coach_a.pk,
            "to_coach": coach_a.pk,
            "clients": [overloaded[0].pk],
        },
    )
    assert "to_coach" in response.context["form"].errors
    assert not Reassignment.objects.exists()
    assert Client.objects.get(pk=outsider.pk).coach == other_coach


def test_reassignment_scope(login, cast, other_manager):
    assert login(cast["coach_a"]).get(reverse("team_reassign")).status_code == 403
    assert login(cast["coach_a"]).post(reverse("team_reassign"), {}).status_code == 403
    manager = login(cast["team_manager"])
    manager.post(
        reverse("team_reassign"),
        {
            "from_coach": cast["coach_a"].pk,
            "to_coach": cast["coach_b"].pk,
            "clients": [cast["client_a"].pk],
        },
    )
    log = Reassignment.objects.get()
    other = login(other_manager)
    assert other.post(reverse("team_reassignment_undo", args=[log.pk])).status_code == 404
    assert Client.objects.get(pk=cast["client_a"].pk).coach == cast["coach_b"]


def test_reassign_page_query_count_does_not_grow(
    login, team_manager, coach_a, coach_b, django_assert_max_num_queries
):
    browser = login(team_manager)
    ClientFactory(coach=coach_a)
    url = reverse("team_reassign")

    def preview_query():
        clients = list(Client.objects.filter(coach=coach_a).values_list("pk", flat=True))
        return {
            "from_coach": coach_a.pk,
            "to_coach": coach_b.pk,
            "clients": clients,
            "preview": "1",
        }

    with django_assert_max_num_queries(19) as small:
        assert browser.get(url, preview_query()).status_code == 200
    for _ in range(40):
        ClientFactory(coach=coach_a)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = browser.get(url, preview_query())
    assert len(response.context["preview"]["chosen"]) == 41


def test_superuser_reassigns_within_a_chosen_team(login, superuser, other_team, other_coach):
    target = UserFactory(username="other.coach.two", role=Role.WORK_COACH, team=other_team)
    client = ClientFactory(coach=other_coach)
    browser = login(superuser)
    response = browser.post(
        reverse("team_reassign"),
        {
            "team": other_team.pk,
            "from_coach": other_coach.pk,
            "to_coach": target.pk,
            "clients": [client.pk],
        },
    )
    assert response.status_code == 302 and response.url.endswith(f"?team={other_team.pk}")
    assert Client.objects.get(pk=client.pk).coach == target


def test_the_source_coach_is_never_a_destination(login, team_manager, coach_a, coach_b, overloaded):
    response = login(team_manager).get(reverse("team_reassign"), {"from_coach": coach_a.pk})
    destinations = list(response.context["form"].fields["to_coach"].queryset)
    assert coach_b in destinations and coach_a not in destinations
    # the clients are listed with their context, filtered with the client list's filters
    assert len(response.context["candidates"]) == 36
    response = login(team_manager).get(
        reverse("team_reassign"), {"from_coach": coach_a.pk, "participation_step": "1"}
    )
    assert response.context["candidates"] == []


def test_a_move_over_the_norm_warns_needs_confirmation_and_is_logged_with_the_warning(
    login, team, team_manager, coach_a, coach_b, overloaded
):
    team.caseload_norm, team.caseload_max = 10, 40
    team.save()
    for n in range(8):
        ClientFactory(coach=coach_b, client_number=f"B{n:02d}")
    moved = [c.pk for c in overloaded[:5]]
    query = {"from_coach": coach_a.pk, "to_coach": coach_b.pk, "clients": moved}
    browser = login(team_manager)
    response = browser.get(reverse("team_reassign"), {**query, "preview": "1"})
    preview = response.context["preview"]
    target = preview["effects"][1]
    assert (target.before.active_clients, target.after.active_clients) == (8, 13)
    assert target.over_norm_after and target.over_norm_by_after == 3
    assert preview["warnings"] == [
        "Coach B would hold 13 active clients: 3 above the norm of 10 for their FTE."
    ]
    assert b'id="reassignment-warnings"' in response.content

    response = browser.post(reverse("team_reassign"), query)  # not confirmed: nothing moves
    assert response.status_code == 200 and not Reassignment.objects.exists()
    assert b"confirm the warnings" in response.content

    response = browser.post(reverse("team_reassign"), {**query, "confirm_warnings": "on"})
    assert response.status_code == 302
    assert Reassignment.objects.get().warnings == preview["warnings"]
    assert Client.objects.filter(coach=coach_b).count() == 13
