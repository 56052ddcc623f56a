"""The read replica (config/replica.py): read-only requests read from it, writes and the reads of a
browser that just wrote go to the primary, and the app answers from the primary when it is down.

With DATABASE_REPLICA_URL set (CI's PostgreSQL pass starts a streaming replica of its cluster,
.ci/replica) these run against that real replica: the test database is created on the primary and
reaches the replica by replay, so the tests are transactional and wait for replay before reading.
Without it, the `replica` alias is a second connection to the test database (a mirror): the same
routing is asserted, query by query; only what needs a real standby (paused replay, lag) waits
for the PostgreSQL pass.
"""

from __future__ import annotations

import copy
import time
from dataclasses import dataclass

import pytest
from django.conf import settings as django_settings
from django.contrib.sessions.models import Session
from django.db import connections, transaction
from django.test import Client as Browser
from django.test.utils import CaptureQueriesContext

from caseload.models import AccessLog, Client
from config import replica as replica_module
from config.replica import (
    PIN_COOKIE,
    REPLICA,
    PrimaryReplicaRouter,
    reading_from_replica,
    replica_pin_seconds,
)
from dashboards.models import SavedView
from tests.caseload.matching.factories import forklift_vacancy, matching_client
from tests.factories import ClientFactory

REAL = REPLICA in django_settings.DATABASES  # DATABASE_REPLICA_URL is set
needs_real_replica = pytest.mark.skipif(
    not REAL,
    reason="needs a real streaming replica: CI's PostgreSQL pass sets DATABASE_REPLICA_URL",
)
pytestmark = pytest.mark.django_db(transaction=True, databases=["default", REPLICA])


@dataclass
class Replica:
    real: bool

    @property
    def connection(self):
        return connections[REPLICA]

    def wait_for_replay(self, seconds: float = 10) -> None:
        """Until the replica has replayed everything the primary committed so far."""
        if not self.real:
            return
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT pg_current_wal_lsn()")
            lsn = cursor.fetchone()[0]
        deadline = time.monotonic() + seconds
        while True:
            with self.connection.cursor() as cursor:
                cursor.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [lsn])
                if cursor.fetchone()[0]:
                    return
            assert time.monotonic() < deadline, f"the replica did not replay up to {lsn}"
            time.sleep(0.02)

    def set_replay_paused(self, paused: bool) -> None:
        with self.connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_wal_replay_pause()" if paused else "SELECT pg_wal_replay_resume()"
            )

    def unreachable(self) -> dict:
        """Point the alias where no database answers; returns the settings to restore."""
        saved = copy.deepcopy(self.connection.settings_dict)
        if self.connection.vendor == "postgresql":
            self.connection.settings_dict["PORT"] = "1"  # nothing listens: connection refused
        else:
            self.connection.settings_dict["NAME"] = "/nonexistent/replica.sqlite3"
        self.connection.close()  # after: SQLite keeps an in-memory database open on close()
        return saved

    def restore(self, saved: dict) -> None:
        self.connection.close()
        self.connection.settings_dict.clear()
        self.connection.settings_dict.update(saved)


@pytest.fixture(scope="module", autouse=True)
def mirror_alias(django_db_setup):
    """Without DATABASE_REPLICA_URL: a `replica` alias that is a second connection to the test
    database (added before the tests' database access is set up, which checks the aliases)."""
    if REAL:
        yield
        return
    connections.settings[REPLICA] = copy.deepcopy(connections["default"].settings_dict)
    connections.settings[REPLICA]["TEST"]["MIRROR"] = "default"
    yield
    connections[REPLICA].close()
    del connections[REPLICA]
    del connections.settings[REPLICA]


@pytest.fixture
def replica(settings):
    """The `replica` alias, routed as in production (see the module docstring)."""
    replica_module.health.reset()
    if not REAL:
        settings.DATABASE_ROUTERS = ["config.replica.PrimaryReplicaRouter"]
        middleware = list(settings.MIDDLEWARE)
        middleware.insert(
            middleware.index("config.middleware.health_check_middleware") + 1,
            "config.replica.ReplicaReadsMiddleware",
        )
        settings.MIDDLEWARE = middleware
    yield Replica(real=REAL)
    replica_module.health.reset()
    connections[REPLICA].close()


def tables_read(captured: CaptureQueriesContext) -> str:
    return " ".join(query["sql"] for query in captured.captured_queries)


class Captured:
    """The queries one block sent to the primary and to the replica."""

    def __enter__(self):
        self.primary = CaptureQueriesContext(connections["default"])
        self.replica = CaptureQueriesContext(connections[REPLICA])
        self.primary.__enter__()
        self.replica.__enter__()
        return self

    def __exit__(self, *exc):
        self.replica.__exit__(*exc)
        self.primary.__exit__(*exc)

    @property
    def on_primary(self) -> str:
        return tables_read(self.primary)

    @property
    def on_replica(self) -> str:
        return tables_read(self.replica)


def test_the_replica_under_test_is_what_the_environment_says(replica):
    with replica.connection.cursor() as cursor:
        if replica.real:
            cursor.execute("SELECT pg_is_in_recovery()")
            assert cursor.fetchone()[0] is True  # a standby, not the primary under another name
        assert (
            replica.connection.settings_dict["NAME"] == connections["default"].settings_dict["NAME"]
        )


def test_a_read_only_page_reads_from_the_replica(replica, login, coach_a):
    for number in ("C1", "C2", "C3"):
        ClientFactory(coach=coach_a, client_number=number)
    browser = login(coach_a)
    replica.wait_for_replay()
    with Captured() as captured:
        page = browser.get("/clients/")
        api = browser.get("/api/clients/")
    assert page.status_code == 200 and api.status_code == 200
    assert api.json()["count"] == 3 and all(n in page.content.decode() for n in ("C1", "C2", "C3"))
    assert "caseload_client" in captured.on_replica
    assert "caseload_client" not in captured.on_primary
    # Who is signed in is read from the primary; the visit is logged there.
    assert "django_session" in captured.on_primary and "django_session" not in captured.on_replica
    assert "INSERT" in captured.on_primary and "INSERT" not in captured.on_replica
    assert PIN_COOKIE not in page.cookies  # bookkeeping writes (session, access log) do not pin


def test_an_export_streams_from_the_replica(replica, login, coach_a):
    for number in ("C1", "C2"):
        ClientFactory(coach=coach_a, client_number=number)
    browser = login(coach_a)
    replica.wait_for_replay()
    with Captured() as captured:
        response = browser.get("/clients/export.csv")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert response.status_code == 200 and b"C1" in body and b"C2" in body
    assert "caseload_client" in captured.on_replica and "caseload_client" not in captured.on_primary


def test_a_write_goes_to_the_primary_and_pins_the_browser(replica, login, coach_a):
    browser = login(coach_a)
    replica.wait_for_replay()
    with Captured() as captured:
        response = browser.post(
            "/saved-views/", {"name": "Overdue", "query": "contact_overdue=true"}
        )
    assert response.status_code == 302
    assert SavedView.objects.using("default").filter(owner=coach_a, name="Overdue").exists()
    assert "dashboards_savedview" in captured.on_primary
    assert "dashboards_savedview" not in captured.on_replica
    cookie = response.cookies[PIN_COOKIE]
    assert int(cookie["max-age"]) == int(replica_pin_seconds()) and cookie["httponly"]
    with Captured() as captured:
        after = browser.get("/clients/?contact_overdue=true")
    assert after.status_code == 200 and "Overdue" in after.content.decode()
    assert captured.replica.captured_queries == []  # pinned: everything from the primary


def test_a_coach_sees_their_own_referral_at_once(replica, login, coach_a):
    vacancy = forklift_vacancy(title="Heftruckchauffeur replicatest")
    matching_client(coach_a, "C1")
    browser = login(coach_a)
    replica.wait_for_replay()
    if replica.real:
        replica.set_replay_paused(True)  # the replica falls behind from here on
    try:
        created = browser.post(
            f"/api/vacancies/{vacancy.vacancy_id}/referrals/",
            {"clients": ["C1"]},
            content_type="application/json",
        )
        assert created.status_code == 201
        with Captured() as captured:
            own = browser.get("/clients/C1/")
        assert "replicatest" in own.content.decode()
        assert captured.replica.captured_queries == []
        # The same coach in another browser (no pin) reads the replica.
        other = Browser()
        other.force_login(coach_a)
        with Captured() as captured:
            elsewhere = other.get("/clients/C1/")
        assert elsewhere.status_code == 200 and "caseload_client" in captured.on_replica
        if replica.real:  # ... which has not replayed the referral yet
            assert "replicatest" not in elsewhere.content.decode()
    finally:
        if replica.real:
            replica.set_replay_paused(False)


def test_a_pin_expires_and_cannot_be_forged(replica, login, coach_a, settings):
    browser = login(coach_a)
    replica.wait_for_replay()
    settings.DATABASE_REPLICA_MAX_LAG = 0.1  # pinned for 1.1 s
    browser.post("/saved-views/", {"name": "Mine", "query": ""})
    time.sleep(replica_pin_seconds() + 0.5)
    replica.wait_for_replay()
    with Captured() as captured:
        browser.get("/clients/")
    assert "caseload_client" in captured.on_replica
    browser.cookies[PIN_COOKIE] = "1"  # unsigned
    with Captured() as captured:
        browser.get("/clients/")
    assert "caseload_client" in captured.on_replica


def test_the_app_answers_from_the_primary_when_the_replica_is_down(replica, login, coach_a):
    ClientFactory(coach=coach_a, client_number="C1")
    browser = login(coach_a)
    replica.wait_for_replay()
    saved = replica.unreachable()
    try:
        with CaptureQueriesContext(connections["default"]) as on_primary:
            first = browser.get("/clients/")
            second = browser.get("/api/clients/")
        assert first.status_code == 200 and "C1" in first.content.decode()
        assert second.status_code == 200 and second.json()["count"] == 1
        assert "caseload_client" in tables_read(on_primary)
        # Not asked again on every request: left alone for a while.
        assert replica_module.health.down_until > time.monotonic() + 10
    finally:
        replica.restore(saved)
    replica_module.health.reset()  # the retry interval has passed
    with Captured() as captured:
        browser.get("/clients/")
    assert "caseload_client" in captured.on_replica


@pytest.mark.skipif(
    not django_settings.DATABASES["default"]["ENGINE"].endswith("postgresql"),
    reason="terminates a PostgreSQL backend (runs in CI's PostgreSQL pass)",
)
def test_a_connection_the_replica_dropped_is_replaced(replica, login, coach_a):
    ClientFactory(coach=coach_a, client_number="C1")
    browser = login(coach_a)
    replica.wait_for_replay()
    browser.get("/clients/")  # opens the replica connection, kept between requests
    _terminate(replica, replica.connection.connection.info.backend_pid)
    replica.connection.close_if_unusable_or_obsolete()  # what Django does at each request start
    with Captured() as captured:
        response = browser.get("/clients/")
    assert response.status_code == 200 and "C1" in response.content.decode()
    assert "caseload_client" in captured.on_replica  # a new connection, not the primary


def _terminate(replica: Replica, pid: int) -> None:
    import psycopg

    params = replica.connection.get_connection_params()
    with psycopg.connect(**params, autocommit=True) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [pid])


@needs_real_replica
def test_a_lagging_replica_is_not_read(replica, login, coach_a, settings):
    browser = login(coach_a)
    replica.wait_for_replay()
    replica.set_replay_paused(True)
    try:
        ClientFactory(coach=coach_a, client_number="C-NEW")  # committed; not replayed
        settings.DATABASE_REPLICA_MAX_LAG = 0.2
        time.sleep(0.5)
        with Captured() as captured:
            response = browser.get("/clients/")
        assert "C-NEW" in response.content.decode()
        assert "caseload_client" in captured.on_primary
        assert replica_module.health.lagging
    finally:
        replica.set_replay_paused(False)


# --- the router's rules, one by one ---------------------------------------------------------------


def test_reads_inside_a_transaction_stay_on_the_primary(replica, coach_a):
    router = PrimaryReplicaRouter()
    with reading_from_replica():
        assert router.db_for_read(Client) == REPLICA
        with transaction.atomic():
            assert router.db_for_read(Client) == "default"
        assert router.db_for_read(Client) == REPLICA


def test_a_write_moves_the_rest_of_the_request_to_the_primary(replica, coach_a):
    router = PrimaryReplicaRouter()
    with reading_from_replica() as routing:
        AccessLog.objects.create(
            user=coach_a, username="coach.a", action="view", client_number="C1"
        )
        assert router.db_for_read(Client) == REPLICA and not routing.wrote  # bookkeeping
        SavedView.objects.create(owner=coach_a, name="A view", query="")
        assert routing.wrote and router.db_for_read(Client) == "default"


def test_outside_a_request_everything_is_the_primary(replica):
    router = PrimaryReplicaRouter()
    assert router.db_for_read(Client) == "default"  # Celery tasks, commands, the importer
    with reading_from_replica(allowed=False):  # an unsafe method, or a pinned browser
        assert router.db_for_read(Client) == "default"
    with reading_from_replica():
        assert router.db_for_read(Session) == "default"  # who is signed in: always exact
        assert router.db_for_write(Client) == "default"


def test_only_the_primary_is_migrated_and_relations_span_both():
    router = PrimaryReplicaRouter()
    assert router.allow_migrate("default", "caseload") is True
    assert router.allow_migrate(REPLICA, "caseload") is False
    on_replica, on_primary = Client(), Client()
    on_replica._state.db, on_primary._state.db = REPLICA, "default"
    assert router.allow_relation(on_replica, on_primary) is True
