"""Authentication and transport hygiene: lockout per username + address, login events
logged, session rotation and limits, sessions ended on deactivation, headers, no inline script."""

import re
import time
from pathlib import Path

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from axes.models import AccessLog as LoginLog
from django.contrib.sessions.models import Session
from django.test import Client as HttpClient
from django.urls import reverse

from caseload.security import LOGIN_AT_SESSION_KEY
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[1]


def post_login(http, username, password, address="10.0.0.1"):
    return http.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address
    )


def test_successful_and_failed_logins_are_logged(cast):
    http = HttpClient()
    assert post_login(http, "coach.a", "wrong-password").status_code == 200
    assert post_login(http, "coach.a", PASSWORD).status_code == 302
    assert AccessFailureLog.objects.filter(username="coach.a", ip_address="10.0.0.1").count() == 1
    assert LoginLog.objects.filter(username="coach.a", ip_address="10.0.0.1").count() == 1


def test_lockout_is_per_username_and_address_not_address_alone(cast, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        post_login(HttpClient(), "coach.a", "wrong-password")
    locked = post_login(HttpClient(), "coach.a", PASSWORD)
    assert locked.status_code == 429
    assert b"Too many failed log-ins" in locked.content
    # A colleague in the same office (same address) can still log in,
    assert post_login(HttpClient(), "coach.b", PASSWORD).status_code == 302
    # and so can coach A from another address.
    assert post_login(HttpClient(), "coach.a", PASSWORD, address="10.0.0.2").status_code == 302
    assert AccessAttempt.objects.filter(username="coach.a").exists()


def test_session_key_is_rotated_at_login(cast):
    http = HttpClient()
    http.get(reverse("login"))
    http.session.save()
    before = http.session.session_key
    post_login(http, "coach.a", PASSWORD)
    after = http.cookies["sessionid"].value
    assert after != before
    assert not Session.objects.filter(session_key=before).exists()


def test_idle_timeout_is_30_minutes_and_renewed_on_every_request(settings, login, cast):
    assert settings.SESSION_COOKIE_AGE == 1800
    assert settings.SESSION_SAVE_EVERY_REQUEST is True
    http = login(cast["coach_a"])
    response = http.get(reverse("caseload:legend"))
    assert response.cookies["sessionid"]["max-age"] in (
        "",
        1800,
    )  # browser-session cookie, server expiry 30 min
    session = Session.objects.get(session_key=http.cookies["sessionid"].value)
    remaining = (
        session.expire_date - session.expire_date.now(session.expire_date.tzinfo)
    ).total_seconds()
    assert 1700 < remaining <= 1800


def test_absolute_session_limit_of_12_hours(login, cast):
    http = login(cast["coach_a"])
    assert http.get(reverse("caseload:legend")).status_code == 200
    session = http.session
    session[LOGIN_AT_SESSION_KEY] = time.time() - 12 * 3600 - 1
    session.save()
    response = http.get(reverse("caseload:legend"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_deactivating_a_user_ends_all_their_sessions(cast):
    first, second = HttpClient(), HttpClient()
    first.force_login(cast["coach_a"])
    second.force_login(cast["coach_a"])
    other = HttpClient()
    other.force_login(cast["coach_b"])
    assert Session.objects.count() == 3
    cast["coach_a"].is_active = False
    cast["coach_a"].save()
    assert Session.objects.count() == 1
    assert first.get(reverse("caseload:legend")).status_code == 302
    assert other.get(reverse("caseload:legend")).status_code == 200


def test_password_validators_refuse_weak_passwords(cast):
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    for weak in ["short1!", "123456789012", "password1234", "coach.a.2024"]:
        with pytest.raises(ValidationError):
            validate_password(weak, user=cast["coach_a"])
    validate_password("correct-horse-battery-staple-42", user=cast["coach_a"])


def test_client_data_is_never_cached(login, cast):
    http = login(cast["coach_a"])
    for url in [
        reverse("caseload:client_list"),
        reverse("caseload:client_detail", args=["CA0001"]),
    ]:
        assert http.get(url)["Cache-Control"] == "no-store", url
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(cast["coach_a"])
    assert api.get("/api/clients/CA0001/")["Cache-Control"] == "no-store"


def test_csp_header_forbids_inline_script(login, cast):
    policy = login(cast["coach_a"]).get(reverse("caseload:client_list"))["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["script-src"] == "'self'"
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert directives["frame-ancestors"] == "'none'"


INLINE_SCRIPT = re.compile(
    r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/(?:ld\+)?json\")[^>]*>", re.I
)
INLINE_HANDLER = re.compile(r"\son[a-z]+\s*=\s*[\"']", re.I)


def test_no_inline_script_or_event_handler_in_any_template():
    offenders = []
    for template in sorted(ROOT.glob("**/templates/**/*.html")):
        if ".venv" in template.parts or "node_modules" in template.parts:
            continue
        text = template.read_text(encoding="utf-8")
        if INLINE_SCRIPT.search(text) or INLINE_HANDLER.search(text) or ' style="' in text:
            offenders.append(str(template.relative_to(ROOT)))
    assert offenders == []


def test_the_scan_would_catch_an_inline_script():
    assert INLINE_SCRIPT.search("<script>alert(1)</script>")
    assert not INLINE_SCRIPT.search('<script src="/static/js/app.js" defer></script>')
    assert not INLINE_SCRIPT.search('<script id="fig" type="application/json">{}</script>')
    assert INLINE_HANDLER.search('<button onclick="go()">')


def test_a_forged_forwarded_for_header_does_not_dodge_the_lockout(cast, settings):
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        HttpClient().post(
            reverse("login"),
            {"username": "coach.a", "password": "wrong"},
            REMOTE_ADDR="10.0.0.9",
            HTTP_X_FORWARDED_FOR=f"192.0.2.{attempt}",
        )
    response = HttpClient().post(
        reverse("login"),
        {"username": "coach.a", "password": PASSWORD},
        REMOTE_ADDR="10.0.0.9",
        HTTP_X_FORWARDED_FOR="192.0.2.200",
    )
    assert response.status_code == 429


def test_production_settings_force_https_hsts_and_secure_cookies():
    import json
    import os
    import subprocess
    import sys

    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": "z" * 60,
        "DJANGO_ALLOWED_HOSTS": "caseload.example.org",
    }
    names = [
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SESSION_COOKIE_HTTPONLY",
        "SESSION_COOKIE_AGE",
        "DEBUG",
    ]
    code = f"from django.conf import settings; import json; print(json.dumps({{n: getattr(settings, n) for n in {names!r}}}))"
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values == {
        "SECURE_SSL_REDIRECT": True,
        "SECURE_HSTS_SECONDS": 31536000,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_AGE": 1800,
        "DEBUG": False,
    }
