"""Saved views: persist per user, private to their owner, reopen the same filtered list."""

import pytest
from django.urls import reverse

from dashboards.models import SavedView
from tests.factories import ClientFactory

pytestmark = pytest.mark.django_db
LIST = reverse("caseload:client_list")


def test_save_and_reopen(login, coach_a):
    ClientFactory(coach=coach_a, client_number="X1", gender=None)
    ClientFactory(coach=coach_a, client_number="X2", gender="M")
    client = login(coach_a)
    response = client.post(
        reverse("saved_view_save"), {"name": " No gender ", "query": "gender=unknown&page=3"}
    )
    view = SavedView.objects.get(owner=coach_a)
    assert view.name == "No gender"
    assert view.query == "gender=unknown"  # the page is not part of a view
    assert response.url == LIST + "?gender=unknown"
    opened = client.get(reverse("saved_view_open", args=[view.pk]))
    assert opened.url == LIST + "?gender=unknown"
    listed = client.get(opened.url)
    assert [c.client_number for c in listed.context["page"]] == ["X1"]
    assert b"No gender" in listed.content  # the list shows the user's saved views


def test_same_name_replaces(login, coach_a):
    client = login(coach_a)
    client.post(reverse("saved_view_save"), {"name": "Mine", "query": "gender=F"})
    client.post(reverse("saved_view_save"), {"name": "Mine", "query": "gender=M"})
    assert list(SavedView.objects.values_list("name", "query")) == [("Mine", "gender=M")]


def test_missing_name_is_an_error_naming_the_field(login, coach_a):
    client = login(coach_a)
    response = client.post(
        reverse("saved_view_save"), {"name": "", "query": "gender=F"}, follow=True
    )
    assert SavedView.objects.count() == 0
    assert "Name of this view" in response.content.decode()


def test_views_are_private(login, coach_a, coach_b, team_manager):
    mine = SavedView.objects.create(owner=coach_a, name="Mine", query="gender=F")
    for other in (coach_b, team_manager):
        client = login(other)
        assert client.get(reverse("saved_view_open", args=[mine.pk])).status_code == 404
        assert client.post(reverse("saved_view_delete", args=[mine.pk])).status_code == 404
        assert b"Mine" not in client.get(LIST).content
    assert SavedView.objects.filter(pk=mine.pk).exists()


def test_owner_deletes(login, coach_a):
    mine = SavedView.objects.create(owner=coach_a, name="Mine", query="")
    client = login(coach_a)
    assert client.get(reverse("saved_view_delete", args=[mine.pk])).status_code == 405
    client.post(reverse("saved_view_delete", args=[mine.pk]))
    assert not SavedView.objects.exists()
