import pytest
from django.urls import reverse

from tests.factories import ClientFactory, ContactFactory

pytestmark = pytest.mark.django_db


def test_login_page_is_public(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert b'name="password"' in response.content


def test_pages_need_login(client):
    response = client.get(reverse("caseload:client_list"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_coach_sees_only_own_clients_in_list(login, cast):
    response = login(cast["coach_a"]).get(reverse("caseload:client_list"))
    assert response.status_code == 200
    assert b"CA0001" in response.content
    assert b"CB0001" not in response.content


def test_client_page_scoped(login, cast):
    client = login(cast["coach_a"])
    assert client.get(reverse("caseload:client_detail", args=["CA0001"])).status_code == 200
    assert client.get(reverse("caseload:client_detail", args=["CB0001"])).status_code == 404


def test_unknown_shown_as_not_registered(login, cast):
    cast["client_a"].driving_licence = None
    cast["client_a"].save()
    response = login(cast["coach_a"]).get(reverse("caseload:client_detail", args=["CA0001"]))
    assert b"not registered" in response.content or b"niet geregistreerd" in response.content


def test_filter_error_names_the_field(login, cast):
    response = login(cast["coach_a"]).get(reverse("caseload:client_list") + "?gender=Q")
    assert response.status_code == 200
    assert response.context["filterset"].errors["gender"]


def test_list_query_count_does_not_grow_with_caseload(login, cast, django_assert_max_num_queries):
    client = login(cast["coach_a"])
    url = reverse("caseload:client_list") + "?page_size=100"
    with django_assert_max_num_queries(10) as small:
        client.get(url)
    for _ in range(60):
        ContactFactory(client=ClientFactory(coach=cast["coach_a"]))
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(url)


def test_client_page_query_count_does_not_grow_with_history(
    login, cast, django_assert_max_num_queries
):
    client = login(cast["coach_a"])
    url = reverse("caseload:client_detail", args=["CA0001"])
    with django_assert_max_num_queries(16) as before:
        client.get(url)
    for _ in range(30):
        ContactFactory(client=cast["client_a"])
    with django_assert_max_num_queries(len(before.captured_queries)):
        client.get(url)


def test_health_is_public(client):
    assert client.get("/health/").content == b"ok"


def test_legend_lists_definitions(login, cast):
    response = login(cast["coach_a"]).get(reverse("caseload:legend"))
    assert b"def-contact_overdue" in response.content


def listed(response):
    return [client.client_number for client in response.context["page"].object_list]


@pytest.mark.parametrize(
    ("ordering", "expected"),
    [
        # Never contacted counts as longest ago; unknown due dates go last either way.
        ("last_contact_date", ["K-NEVER", "K-OLD", "K-RECENT", "K-NOFREQ"]),
        ("-last_contact_date", ["K-NOFREQ", "K-RECENT", "K-OLD", "K-NEVER"]),
        ("contact_due_date", ["K-OLD", "K-NEVER", "K-RECENT", "K-NOFREQ"]),
        ("-contact_due_date", ["K-RECENT", "K-NEVER", "K-OLD", "K-NOFREQ"]),
    ],
)
def test_sorting_places_unknowns_the_same_on_every_database(login, coach_a, ordering, expected):
    import datetime

    from django.utils import timezone

    today = timezone.localdate()
    old = ClientFactory(coach=coach_a, client_number="K-OLD", contact_frequency_weeks=4)
    ContactFactory(client=old, date=today - datetime.timedelta(days=60))
    recent = ClientFactory(coach=coach_a, client_number="K-RECENT", contact_frequency_weeks=4)
    ContactFactory(client=recent, date=today - datetime.timedelta(days=5))
    ClientFactory(
        coach=coach_a,
        client_number="K-NEVER",
        contact_frequency_weeks=4,
        intake_date=today - datetime.timedelta(days=20),
    )
    no_frequency = ClientFactory(
        coach=coach_a, client_number="K-NOFREQ", contact_frequency_weeks=None
    )
    ContactFactory(client=no_frequency, date=today - datetime.timedelta(days=1))
    response = login(coach_a).get(reverse("caseload:client_list"), {"ordering": ordering})
    assert listed(response) == expected


def test_pages_split_the_list_without_overlap(login, coach_a):
    for index in range(30):
        ClientFactory(coach=coach_a, client_number=f"P{index:03d}")
    browser = login(coach_a)
    url = reverse("caseload:client_list")
    first = listed(browser.get(url, {"page_size": 25}))
    second = listed(browser.get(url, {"page_size": 25, "page": 2}))
    assert len(first) == 25 and len(second) == 5
    assert sorted(first + second) == [f"P{index:03d}" for index in range(30)]
