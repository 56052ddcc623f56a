"""The app behind PgBouncer in transaction mode (DATABASE_TRANSACTION_POOLING=true).

Starts a real PgBouncer (Debian's `pgbouncer`, which CI installs, configured by the compose
service's own entrypoint) in front of the test database and requests the pages that stream (the
CSV export iterates a queryset) or aggregate, from a separate process configured as production
would be. PostgreSQL only: CI's PostgreSQL pass.
"""

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from tests.factories import ClientFactory

ROOT = Path(__file__).resolve().parents[2]
PGBOUNCER = shutil.which("pgbouncer") or "/usr/sbin/pgbouncer"
ENTRYPOINT = ROOT / "docker" / "pgbouncer" / "entrypoint.sh"

needs_pgbouncer = pytest.mark.skipif(
    not settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
    or not Path(PGBOUNCER).exists(),
    reason="needs PostgreSQL and pgbouncer (CI's PostgreSQL pass installs both)",
)

REQUESTS = """
import json, django
django.setup()
from django.test import Client
from caseload.models import User
browser = Client()
browser.force_login(User.objects.get(username="coach.a"))
answers = {}
for path in ("/clients/export.csv", "/dashboard/", "/api/clients/", "/clients/C1/"):
    response = browser.get(path)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    answers[path] = [response.status_code, body.decode().count("C1")]
print(json.dumps(answers))
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def pgbouncer():
    """PgBouncer as docker-compose.yml runs it (docker/pgbouncer/entrypoint.sh: transaction
    pooling), on a free loopback port in front of the test database, two server connections."""
    database = connection.settings_dict
    folder = Path(tempfile.mkdtemp(prefix="pgbouncer-"))
    port = free_port()
    env = {
        "PATH": os.environ["PATH"] + ":/usr/sbin",
        "POSTGRES_PASSWORD": database["PASSWORD"],
        "POSTGRES_USER": database["USER"],
        "POSTGRES_HOST": database["HOST"] or "127.0.0.1",
        "POSTGRES_PORT": str(database["PORT"] or 5432),
        "PGBOUNCER_LISTEN_ADDR": "127.0.0.1",
        "PGBOUNCER_PORT": str(port),
        "PGBOUNCER_CONFIG_DIR": str(folder),
        "PGBOUNCER_DEFAULT_POOL_SIZE": "2",
    }
    user = None
    if os.geteuid() == 0:  # PgBouncer refuses to run as root; the image runs it as postgres
        user = "postgres"
        shutil.chown(folder, user)
    server = subprocess.Popen(
        ["sh", str(ENTRYPOINT)],
        env=env,
        user=user,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    deadline = time.monotonic() + 10
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            assert server.poll() is None, server.stdout.read()
            assert time.monotonic() < deadline, "pgbouncer did not start"
            time.sleep(0.1)
    yield f"postgres://{database['USER']}:{database['PASSWORD']}@127.0.0.1:{port}/{database['NAME']}"
    server.terminate()
    server.communicate(timeout=10)
    shutil.rmtree(folder, ignore_errors=True)


def request_through(url: str, **env) -> subprocess.CompletedProcess:
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("DATABASE_") and key != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }
    return subprocess.run(
        [sys.executable, "-c", REQUESTS],
        cwd=ROOT,
        env={
            **environment,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DATABASE_URL": url,
            "DJANGO_CONN_MAX_AGE": "60",
            **env,
        },
        capture_output=True,
        text=True,
        timeout=120,
    )


@needs_pgbouncer
@pytest.mark.django_db(transaction=True)
def test_the_pages_work_behind_pgbouncer_in_transaction_mode(pgbouncer, coach_a):
    ClientFactory(coach=coach_a, client_number="C1")
    result = request_through(pgbouncer, DATABASE_TRANSACTION_POOLING="true")
    assert result.returncode == 0, result.stderr[-3000:]
    answers = json.loads(result.stdout.strip().splitlines()[-1])
    assert all(status == 200 and count >= 1 for status, count in answers.values()), answers


@needs_pgbouncer
@pytest.mark.django_db(transaction=True)
def test_without_the_setting_pgbouncer_refuses_the_connection(pgbouncer, coach_a):
    """The startup option (jit=off) is what PgBouncer refuses: the setting drops it."""
    result = request_through(pgbouncer)
    assert result.returncode != 0
    assert "unsupported startup parameter" in result.stderr


def test_pgbouncer_is_optional_in_compose_and_migrations_bypass_it():
    import yaml

    services = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]
    assert services["pgbouncer"]["profiles"] == ["pgbouncer"]  # only with --profile pgbouncer
    assert not any("pgbouncer" in s.get("depends_on", {}) for s in services.values())
    assert "@postgres:5432/" in services["migrate"]["environment"]["DATABASE_URL"]
    assert "${DATABASE_HOST:-postgres}" in services["web"]["environment"]["DATABASE_URL"]
