"""The access log: who saw which client, never what they saw; append-only; superusers ask it."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from caseload.access_log import AccessAction, log_access
from caseload.models import AccessLog, AppendOnlyError, Client
from tests.factories import ClientFactory

pytestmark = pytest.mark.django_db


def test_client_page_view_is_logged_without_field_values(login, cast):
    cast["client_a"].service_track = "secret-track-value"
    cast["client_a"].save()
    login(cast["coach_a"]).get(reverse("caseload:client_detail", args=["CA0001"]))
    entry = AccessLog.objects.get()
    assert (entry.user, entry.username, entry.action, entry.client_number) == (
        cast["coach_a"],
        "coach.a",
        AccessAction.VIEW_CLIENT,
        "CA0001",
    )
    assert entry.path == "/clients/CA0001/"
    values = " ".join(str(v) for v in AccessLog.objects.values().get().values())
    assert "secret-track-value" not in values


def test_refused_client_page_is_not_logged_as_a_view(login, cast):
    assert (
        login(cast["coach_a"]).get(reverse("caseload:client_detail", args=["CB0001"])).status_code
        == 404
    )
    assert not AccessLog.objects.exists()


def test_list_logs_every_client_on_the_page_in_one_insert(
    login, cast, django_assert_max_num_queries
):
    ClientFactory.create_batch(30, coach=cast["coach_a"])
    client = login(cast["coach_a"])
    url = reverse("caseload:client_list") + "?page_size=25"
    client.get(url)  # warm up (session, etc.)
    before = AccessLog.objects.count()
    with django_assert_max_num_queries(12) as small:
        client.get(url)
    assert AccessLog.objects.count() - before == 25
    ClientFactory.create_batch(60, coach=cast["coach_a"])
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(url + "&page_size=100")
    inserts = [
        q for q in small.captured_queries if "INSERT INTO" in q["sql"] and "accesslog" in q["sql"]
    ]
    assert len(inserts) == 1


def accesslog_inserts(queries) -> int:
    return sum(q["sql"].startswith('INSERT INTO "caseload_accesslog"') for q in queries)


def test_coach_dashboard_todo_list_logs_the_clients_it_shows(login, coach_a, coach_b):
    from tests.dashboards.coach.factories import known_caseload

    known_caseload(coach_a)
    ClientFactory(
        coach=coach_b, client_number="B-NEVER", intake_date=None
    )  # urgent, but not coach A's
    http = login(coach_a)
    with CaptureQueriesContext(connection) as queries:
        response = http.get(reverse("coach_dashboard"))
    shown = [row.client_number for row in response.context["todo"]]
    assert shown == ["K-NEVER", "K-OVERDUE"]
    assert sorted(AccessLog.objects.values_list("username", "action", "client_number", "path")) == [
        ("coach.a", AccessAction.LIST, number, reverse("coach_dashboard"))
        for number in sorted(shown)
    ]
    assert accesslog_inserts(queries.captured_queries) == 1


@pytest.mark.parametrize("url_name", ["caseload:client_export_csv", "caseload:client_export_xlsx"])
def test_export_logs_every_exported_client_in_one_insert(login, cast, url_name):
    ClientFactory(
        coach=cast["coach_b"],
        client_number="CB0002",
        status="exited",
        exit_date=datetime.date(2026, 1, 5),
    )
    url = reverse(url_name)
    http = login(cast["team_manager"])
    with CaptureQueriesContext(connection) as queries:
        response = http.get(url + "?status=active&columns=pseudonymised")
        assert response.status_code == 200
        assert b"".join(response.streaming_content) if response.streaming else response.content
    # Logged under the real number even when the file carries pseudonyms: the log answers "who".
    assert sorted(AccessLog.objects.values_list("username", "action", "client_number", "path")) == [
        ("team.manager", AccessAction.EXPORT, "CA0001", url),
        ("team.manager", AccessAction.EXPORT, "CB0001", url),
    ]
    assert accesslog_inserts(queries.captured_queries) == 1


def test_api_detail_and_list_are_logged(cast):
    api = APIClient()
    api.force_authenticate(cast["team_manager"])
    api.get("/api/clients/CA0001/")
    assert list(AccessLog.objects.values_list("action", "client_number")) == [
        (AccessAction.API_CLIENT, "CA0001")
    ]
    api.get("/api/clients/")
    assert set(
        AccessLog.objects.filter(action=AccessAction.LIST).values_list("client_number", flat=True)
    ) == {"CA0001", "CB0001"}


def test_log_is_append_only(cast):
    log_access(cast["coach_a"], AccessAction.EXPORT, ["CA0001"])
    entry = AccessLog.objects.get()
    entry.username = "someone else"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AccessLog.objects.all().update(username="x")
    with pytest.raises(AppendOnlyError):
        AccessLog.objects.filter(pk=entry.pk).delete()
    assert AccessLog.objects.get().username == "coach.a"


def test_export_helper_writes_one_row_per_client(cast):
    assert log_access(cast["coach_a"], AccessAction.EXPORT, ["CA0001", "CA0001", "CB0001"]) == 2
    assert AccessLog.objects.filter(action=AccessAction.EXPORT).count() == 2


def test_superuser_page_answers_who_looked(login, cast):
    login(cast["coach_a"]).get(reverse("caseload:client_detail", args=["CA0001"]))
    response = login(cast["superuser"]).get(reverse("caseload:access_log") + "?client=CA0001")
    assert response.status_code == 200
    assert b"coach.a" in response.content


@pytest.mark.parametrize("role", ["coach_a", "quality_officer", "team_manager"])
def test_access_log_is_superuser_only(login, cast, role):
    assert (
        login(cast[role]).get(reverse("caseload:access_log") + "?client=CA0001").status_code == 403
    )
    api = APIClient()
    api.force_authenticate(cast[role])
    assert api.get("/api/access-log/?client=CA0001").status_code == 403


def test_access_log_api(cast):
    log_access(cast["coach_b"], AccessAction.VIEW_CLIENT, ["CB0001"])
    api = APIClient()
    api.force_authenticate(cast["superuser"])
    body = api.get("/api/access-log/?client=CB0001").json()
    assert [(row["username"], row["action"]) for row in body["results"]] == [
        ("coach.b", "view_client")
    ]
    assert api.get("/api/access-log/").status_code == 400


def test_client_changes_have_history(cast):
    client = cast["client_a"]
    client.service_track = "changed"
    client.save()
    assert client.history.count() == 2
    assert Client.history.filter(client_number="CA0001").first().service_track == "changed"


def test_a_client_opened_in_the_admin_is_logged(login, cast):
    http = login(cast["superuser"])
    for view in ("admin:caseload_client_change", "admin:caseload_client_history"):
        assert http.get(reverse(view, args=[cast["client_a"].pk])).status_code == 200
    assert (
        list(AccessLog.objects.values_list("username", "client_number"))
        == [("admin", "CA0001")] * 2
    )


def test_on_postgresql_the_database_itself_refuses_changes(cast):
    from django.db import connection, transaction
    from django.db.utils import DatabaseError

    log_access(cast["coach_a"], AccessAction.VIEW_CLIENT, ["CA0001"])
    if connection.vendor != "postgresql":
        pytest.skip("the trigger exists on PostgreSQL only; the ORM guard is tested above")
    with connection.cursor() as cursor:
        for sql in [
            "DELETE FROM caseload_accesslog",
            "UPDATE caseload_accesslog SET action = 'export'",
        ]:
            with pytest.raises(DatabaseError), transaction.atomic():
                cursor.execute(sql)
        cursor.execute(
            "UPDATE caseload_accesslog SET client_number = 'P-0', user_id = NULL"
        )  # erasure, user deletion
    assert AccessLog.objects.get().client_number == "P-0"
