"""Reads of read-only requests from a streaming replica; everything else from the primary.

Installed only when DATABASE_REPLICA_URL is set (config/settings.py adds the `replica` alias, the
router and the middleware); without it nothing here runs.

Who reads where:

- A GET/HEAD/OPTIONS request reads from the replica (`ReplicaReadsMiddleware` marks it), unless
  the browser wrote within the last `replica_pin_seconds()` (a signed cookie set on the answer to
  every write), so a coach sees their own referral at once.
- Every write goes to the primary. Once a request has written (other than the bookkeeping every
  request does: session, access log), it reads the rest of that request from the primary too.
- Reads inside a transaction on the primary (`transaction.atomic`) stay on the primary.
- Sessions, tokens and login attempts are always read from the primary: who is signed in must be
  exact.
- Outside a request (Celery tasks, management commands, the importer) everything is the primary.
- The replica is used only while it answers and its replay lag (checked at most once a second per
  process) is under DATABASE_REPLICA_MAX_LAG. Otherwise reads go to the primary, and a replica that
  did not answer is tried again after `RETRY_SECONDS`. So the app keeps answering when the replica
  is down, and the pin (lag limit + one second) covers the largest lag the replica is read at.
"""

from __future__ import annotations

import contextvars
import logging
import time
from dataclasses import dataclass

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections

REPLICA = "replica"
PIN_COOKIE = "read_primary"
PIN_SALT = "config.replica.pin"
DEFAULT_MAX_LAG_SECONDS = 5.0
LAG_CHECK_SECONDS = 1.0  # how stale the process's view of the replica's lag may be
RETRY_SECONDS = 30.0  # a replica that did not answer is left alone this long
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# Always read from the primary: who is signed in, with which token, how many failed logins.
PRIMARY_ONLY_APPS = frozenset({"sessions", "authtoken", "axes"})
# Writes every request may make that the user did not ask for: they do not move the rest of the
# request, or the next ones, to the primary.
BOOKKEEPING_WRITES = frozenset({"sessions.session", "caseload.accesslog", "axes.accesslog"})

# Replay lag in seconds: 0 when everything received is replayed and WAL is still streaming in;
# otherwise the time since the last transaction replayed. Not a standby (a mirror) counts as 0.
LAG_SQL = """
    SELECT CASE
        WHEN NOT pg_is_in_recovery() THEN 0
        WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn()
             AND EXISTS (SELECT 1 FROM pg_stat_wal_receiver) THEN 0
        ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 1e9)
    END
"""

logger = logging.getLogger(__name__)


def replica_max_lag() -> float:
    return float(getattr(settings, "DATABASE_REPLICA_MAX_LAG", DEFAULT_MAX_LAG_SECONDS))


def replica_pin_seconds() -> float:
    """How long a browser reads from the primary after it wrote: longer than any lag the replica
    is read at (the lag limit, plus the age of the last lag check)."""
    return replica_max_lag() + LAG_CHECK_SECONDS


@dataclass
class RequestRouting:
    """What the router knows about the request in progress."""

    replica_allowed: bool = False
    wrote: bool = False  # a write the user asked for: the rest of the request reads the primary
    replica_checked: bool = False  # the replica answered once during this request


@dataclass
class ReplicaHealth:
    """This process's view of the replica (each gunicorn worker has its own)."""

    down_until: float = 0.0
    lag_checked_at: float = -1e9
    lagging: bool = False

    def reset(self) -> None:
        self.down_until, self.lag_checked_at, self.lagging = 0.0, -1e9, False


_routing: contextvars.ContextVar[RequestRouting | None] = contextvars.ContextVar(
    "replica_routing", default=None
)
health = ReplicaHealth()


def replica_configured() -> bool:
    return REPLICA in connections.settings


def replica_usable(routing: RequestRouting) -> bool:
    """Connect to the replica (once per request) and check its lag (once a second per process)."""
    now = time.monotonic()
    if now < health.down_until:
        return False
    if routing.replica_checked and not health.lagging:
        return True
    replica = connections[REPLICA]
    try:
        replica.close_if_health_check_failed()  # a connection the replica dropped: connect anew
        replica.ensure_connection()
        if replica.vendor == "postgresql" and now - health.lag_checked_at >= LAG_CHECK_SECONDS:
            with replica.cursor() as cursor:
                cursor.execute(LAG_SQL)
                lag = float(cursor.fetchone()[0])
            health.lag_checked_at = now
            was_lagging, health.lagging = health.lagging, lag > replica_max_lag()
            if health.lagging and not was_lagging:
                logger.warning("Replica lags %.1f s: reading from the primary", lag)
    except DatabaseError as error:
        health.down_until = now + RETRY_SECONDS
        logger.warning(
            "Replica unavailable (%s): reading from the primary for %.0f s", error, RETRY_SECONDS
        )
        replica.close()
        return False
    routing.replica_checked = True
    return not health.lagging


class PrimaryReplicaRouter:
    """DATABASE_ROUTERS entry: writes to the primary, reads as the module docstring says."""

    def db_for_read(self, model, **hints):
        routing = _routing.get()
        if (
            routing is None
            or not routing.replica_allowed
            or routing.wrote
            or model._meta.app_label in PRIMARY_ONLY_APPS
            or connections[DEFAULT_DB_ALIAS].in_atomic_block
            or not replica_usable(routing)
        ):
            return DEFAULT_DB_ALIAS
        return REPLICA

    def db_for_write(self, model, **hints):
        routing = _routing.get()
        if routing is not None and model._meta.label_lower not in BOOKKEEPING_WRITES:
            routing.wrote = True
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        # One database, two copies of it.
        databases = {DEFAULT_DB_ALIAS, REPLICA}
        if obj1._state.db in databases and obj2._state.db in databases:
            return True
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS


def recently_wrote(request) -> bool:
    return (
        request.get_signed_cookie(
            PIN_COOKIE, default=None, salt=PIN_SALT, max_age=replica_pin_seconds()
        )
        is not None
    )


class ReplicaReadsMiddleware:
    """Marks a read-only request as one that may read from the replica, and pins a browser that
    wrote to the primary for `replica_pin_seconds()` (signed cookie, checked on the server)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        routing = RequestRouting(
            replica_allowed=request.method in SAFE_METHODS and not recently_wrote(request)
        )
        token = _routing.set(routing)
        try:
            response = self.get_response(request)
        finally:
            _routing.reset(token)
        if routing.wrote or request.method not in SAFE_METHODS:
            pin = replica_pin_seconds()
            response.set_signed_cookie(
                PIN_COOKIE,
                "1",
                salt=PIN_SALT,
                max_age=pin,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response


def reading_from_replica(allowed: bool = True):
    """A context in which reads may go to the replica as in a read-only request (tests, tools)."""
    return _RoutingContext(RequestRouting(replica_allowed=allowed))


class _RoutingContext:
    def __init__(self, routing: RequestRouting):
        self.routing = routing

    def __enter__(self) -> RequestRouting:
        self.token = _routing.set(self.routing)
        return self.routing

    def __exit__(self, *exc) -> None:
        _routing.reset(self.token)
