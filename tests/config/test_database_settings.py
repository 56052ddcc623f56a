"""What DATABASE_REPLICA_URL and DATABASE_TRANSACTION_POOLING change in the settings, and that
without them nothing does. Each case loads config.settings in a fresh process with its environment."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRIMARY = "postgres://caseload:secret@db.example.org:5432/caseload"
REPLICA = "postgres://caseload:secret@replica.example.org:5432/caseload"
PRODUCTION = {
    "DJANGO_DEBUG": "false",
    "DJANGO_SECRET_KEY": "x" * 20 + "-production-like-secret-key-for-the-check-only-" + "y" * 10,
    "DJANGO_ALLOWED_HOSTS": "caseload.example.org",
}
SHOW = """
import json, django
django.setup()
from django.conf import settings
print(json.dumps({"databases": settings.DATABASES, "routers": settings.DATABASE_ROUTERS,
                  "middleware": settings.MIDDLEWARE}, default=str))
"""


def environment(**changes) -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("DATABASE_") and key != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }
    return {**env, "DJANGO_SETTINGS_MODULE": "config.settings", **changes}


def settings_with(**changes) -> dict:
    result = subprocess.run(
        [sys.executable, "-c", SHOW],
        cwd=ROOT,
        env=environment(**changes),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_without_a_replica_nothing_is_routed():
    loaded = settings_with(DATABASE_URL=PRIMARY)
    assert list(loaded["databases"]) == ["default"]
    assert loaded["routers"] == []
    assert not any("replica" in entry for entry in loaded["middleware"])
    assert not loaded["databases"]["default"].get("DISABLE_SERVER_SIDE_CURSORS")
    assert loaded["databases"]["default"]["OPTIONS"] == {"options": "-c jit=off"}


def test_a_replica_url_adds_the_alias_the_router_and_the_middleware():
    loaded = settings_with(DATABASE_URL=PRIMARY, DATABASE_REPLICA_URL=REPLICA)
    replica = loaded["databases"]["replica"]
    assert replica["HOST"] == "replica.example.org" and replica["NAME"] == "caseload"
    assert replica["OPTIONS"] == {"options": "-c jit=off", "connect_timeout": 2}
    assert replica["TEST"]["MIRROR"] == "default"  # tests read the primary's test database
    assert replica["CONN_HEALTH_CHECKS"] is True
    assert loaded["routers"] == ["config.replica.PrimaryReplicaRouter"]
    middleware = loaded["middleware"]
    # Before the session, authentication and every view: the whole request is routed.
    assert middleware.index("config.replica.ReplicaReadsMiddleware") == 1
    assert middleware[0] == "config.middleware.health_check_middleware"


def test_a_replica_of_another_kind_of_database_is_refused():
    result = subprocess.run(
        [sys.executable, "-c", SHOW],
        cwd=ROOT,
        env=environment(DATABASE_URL=PRIMARY, DATABASE_REPLICA_URL="sqlite:////tmp/replica.db"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0 and "DATABASE_REPLICA_URL" in result.stderr


def test_transaction_pooling_turns_off_server_side_cursors_and_startup_options():
    loaded = settings_with(
        DATABASE_URL=PRIMARY, DATABASE_REPLICA_URL=REPLICA, DATABASE_TRANSACTION_POOLING="true"
    )
    for alias in ("default", "replica"):
        database = loaded["databases"][alias]
        assert database["DISABLE_SERVER_SIDE_CURSORS"] is True, alias
        assert "options" not in database["OPTIONS"], alias  # PgBouncer refuses startup options


def test_check_deploy_is_clean_with_a_replica_and_pooling():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=environment(
            **PRODUCTION,
            DATABASE_URL=PRIMARY,
            DATABASE_REPLICA_URL=REPLICA,
            DATABASE_TRANSACTION_POOLING="true",
        ),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
