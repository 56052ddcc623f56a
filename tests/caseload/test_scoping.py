"""visible_to: every role, both directions."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from caseload.models import ActionPlan, Client, Contact, Referral
from caseload.selectors import get_client_for_user_or_404
from tests.factories import ActionPlanFactory, ContactFactory, ReferralFactory, UserFactory

pytestmark = pytest.mark.django_db

EXPECTED = {
    "coach_a": {"CA0001"},
    "coach_b": {"CB0001"},
    "other_coach": {"CO0001"},
    "quality_officer": {"CA0001", "CB0001"},
    "team_manager": {"CA0001", "CB0001"},
    "other_manager": {"CO0001"},
    "superuser": {"CA0001", "CB0001", "CO0001"},
}


@pytest.mark.parametrize("who", sorted(EXPECTED))
def test_each_role_sees_exactly_its_scope(cast, who):
    seen = set(Client.objects.visible_to(cast[who]).values_list("client_number", flat=True))
    assert seen == EXPECTED[who]


@pytest.mark.parametrize("who", sorted(EXPECTED))
def test_records_are_scoped_through_their_client(cast, who):
    for key in ("client_a", "client_b", "client_other"):
        ContactFactory(client=cast[key])
        ActionPlanFactory(client=cast[key])
        ReferralFactory(client=cast[key])
    for model in (Contact, ActionPlan, Referral):
        seen = set(
            model.objects.visible_to(cast[who]).values_list("client__client_number", flat=True)
        )
        assert seen == EXPECTED[who], model.__name__


def test_nobody_else_sees_anything(cast):
    no_role = UserFactory(username="no.role", role="", team=cast["coach_a"].team)
    manager_without_team = UserFactory(username="lost.manager", role="team_manager", team=None)
    inactive = UserFactory(
        username="gone", role="work_coach", team=cast["coach_a"].team, is_active=False
    )
    for user in (AnonymousUser(), no_role, manager_without_team, inactive, None):
        assert not Client.objects.visible_to(user).exists()


def test_a_deactivated_coach_loses_their_caseload(cast):
    coach = cast["coach_a"]
    coach.is_active = False
    coach.save()
    assert not Client.objects.visible_to(coach).exists()


def test_get_client_or_404_outside_scope_is_404(cast):
    assert (
        get_client_for_user_or_404(cast["coach_a"], client_number="CA0001").client_number
        == "CA0001"
    )
    with pytest.raises(Http404):
        get_client_for_user_or_404(cast["coach_a"], client_number="CB0001")
    with pytest.raises(Http404):
        get_client_for_user_or_404(cast["other_manager"], client_number="CA0001")
    with pytest.raises(Http404):
        get_client_for_user_or_404(cast["coach_a"], client_number="does-not-exist")
