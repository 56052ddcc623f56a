"""The app behind PgBouncer in transaction mode (DATABASE_TRANSACTION_POOLING=true).

Starts a real PgBouncer (Debian's `pgbouncer`, which CI installs) in front of the test database
and requests the pages that stream (the CSV export iterates a queryset) or aggregate, from a
separate process configured as production would be. PostgreSQL only: CI's PostgreSQL pass.
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

pytestmark = [
    pytest.mark.skipif(
        not settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
        or not Path(PGBOUNCER).exists(),
        reason="needs PostgreSQL and pgbouncer (CI's PostgreSQL pass installs both)",
    ),
    pytest.mark.django_db(transaction=True),
]

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
    """A PgBouncer on a free loopback port, transaction pooling, two server connections."""
    database = connection.settings_dict
    folder = Path(tempfile.mkdtemp(prefix="pgbouncer-"))
    port = free_port()
    (folder / "users.txt").write_text(f'"{database["USER"]}" "{database["PASSWORD"]}"\n')
    (folder / "pgbouncer.ini").write_text(
        "[databases]\n"
        f"* = host={database['HOST'] or '127.0.0.1'} port={database['PORT'] or 5432}\n"
        "[pgbouncer]\n"
        f"listen_addr = 127.0.0.1\nlisten_port = {port}\nunix_socket_dir =\n"
        f"auth_type = plain\nauth_file = {folder / 'users.txt'}\n"
        "pool_mode = transaction\ndefault_pool_size = 2\n"
        f"logfile = {folder / 'pgbouncer.log'}\npidfile = {folder / 'pgbouncer.pid'}\n"
    )
    command = [PGBOUNCER, str(folder / "pgbouncer.ini")]
    if os.geteuid() == 0:  # PgBouncer refuses to run as root: it runs as postgres, in its folder
        command[1:1] = ["-u", "postgres"]
        for path in (folder, *folder.iterdir()):
            shutil.chown(path, "postgres")
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 10
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            log = folder / "pgbouncer.log"
            assert server.poll() is None, log.read_text() if log.exists() else "no log"
            assert time.monotonic() < deadline, "pgbouncer did not start"
            time.sleep(0.1)
    yield f"postgres://{database['USER']}:{database['PASSWORD']}@127.0.0.1:{port}/{database['NAME']}"
    server.terminate()
    server.wait(timeout=10)
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


def test_the_pages_work_behind_pgbouncer_in_transaction_mode(pgbouncer, coach_a):
    ClientFactory(coach=coach_a, client_number="C1")
    result = request_through(pgbouncer, DATABASE_TRANSACTION_POOLING="true")
    assert result.returncode == 0, result.stderr[-3000:]
    answers = json.loads(result.stdout.strip().splitlines()[-1])
    assert all(status == 200 and count >= 1 for status, count in answers.values()), answers


def test_without_the_setting_pgbouncer_refuses_the_connection(pgbouncer, coach_a):
    """The startup option (jit=off) is what PgBouncer refuses: the setting drops it."""
    result = request_through(pgbouncer)
    assert result.returncode != 0
    assert "unsupported startup parameter" in result.stderr
