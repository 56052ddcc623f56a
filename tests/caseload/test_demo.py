"""seed_demo: a clean import at Rotterdam's shape, the README's demo logins, deterministic for a seed,
and a coach who logs in through the real form sees only their own caseload."""

import re
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone

from caseload.demo import DEMO_PASSWORD, write_demo_export
from caseload.models import Client, ImportRun, Team, TeamKind, User

pytestmark = pytest.mark.django_db

CLIENTS, SEED = 600, 7  # about six coaches: enough for other coaches' clients to be refused
README = Path(__file__).resolve().parents[2] / "README.md"
ROLES = {
    "work coach": "work_coach",
    "quality officer": "quality_officer",
    "team manager": "team_manager",
}
CLIENT_LINK = re.compile(r'href="/clients/(C\d{6})/"')


def readme_logins() -> dict[str, str]:
    """username -> role text, from the table under '## Demo logins' in the README."""
    section = README.read_text(encoding="utf-8").split("## Demo logins", 1)[1].split("\n## ", 1)[0]
    return dict(re.findall(r"^\| `([^`]+)` \| ([^|]+?) \|$", section, flags=re.MULTILINE))


@pytest.fixture
def today(monkeypatch):
    """One date for every run of the test, even across midnight."""
    day = timezone.localdate()
    monkeypatch.setattr(timezone, "localdate", lambda *args: day)
    return day


@pytest.fixture
def seeded(tmp_path, today):
    call_command(
        "seed_demo",
        "--clients",
        str(CLIENTS),
        "--seed",
        str(SEED),
        "--force",
        "--keep-export",
        str(tmp_path / "first"),
    )
    return tmp_path


def test_demo_imports_cleanly_at_rotterdams_shape(seeded):
    run = ImportRun.objects.get()
    assert run.status == ImportRun.Status.SUCCEEDED
    assert run.rejects.count() == 0
    assert run.summary["clients.csv"]["created"] == Client.objects.count() == CLIENTS
    kinds = sorted(Team.objects.values_list("kind", flat=True))
    assert len(kinds) == 12
    assert kinds.count(TeamKind.STANDARD) == 9
    assert set(kinds) - {TeamKind.STANDARD} == {
        TeamKind.ASYLUM,
        TeamKind.EX_OFFENDER,
        TeamKind.MULTIPROBLEM,
    }


def test_every_readme_login_exists_with_its_role(seeded):
    logins = readme_logins()
    assert len(logins) == 6 and logins["admin"] == "superuser"
    for username, described in logins.items():
        user = User.objects.get(username=username)
        assert user.check_password(DEMO_PASSWORD), username
        if described == "superuser":
            assert user.is_superuser and user.is_staff
            continue
        role, team = re.fullmatch(r"(.+), team (.+)", described).groups()
        assert (user.role, user.team.name) == (ROLES[role], f"Team {team}"), username


def test_same_seed_and_date_give_identical_data(seeded, today):
    call_command(
        "seed_demo",
        "--clients",
        str(CLIENTS),
        "--seed",
        str(SEED),
        "--force",
        "--keep-export",
        str(seeded / "second"),
    )
    second = ImportRun.objects.latest("pk")
    # The same export, byte for byte, so a second import changes nothing in any file.
    for path in sorted((seeded / "first").glob("*.csv")):
        assert path.read_bytes() == (seeded / "second" / path.name).read_bytes(), path.name
    assert second.rejects.count() == 0
    for filename, figures in second.summary.items():
        assert figures["created"] == figures["updated"] == 0, filename
    # Whereas another seed gives other data (so the comparison above could fail).
    write_demo_export(seeded / "other", CLIENTS, SEED + 1, today)
    assert (seeded / "other" / "clients.csv").read_bytes() != (
        seeded / "first" / "clients.csv"
    ).read_bytes()


def test_coach_a_logs_in_through_the_form_and_sees_only_own_clients(seeded):
    browser = HttpClient(enforce_csrf_checks=True)
    login_page = browser.get(reverse("login"))
    assert login_page.status_code == 200
    response = browser.post(
        reverse("login"),
        {
            "username": "coach.a",
            "password": DEMO_PASSWORD,
            "csrfmiddlewaretoken": browser.cookies["csrftoken"].value,
        },
    )
    assert response.status_code == 302, "login refused"

    own = set(
        Client.objects.filter(coach__username="coach.a").values_list("client_number", flat=True)
    )
    assert 0 < len(own) < CLIENTS
    shown, url = set(), reverse("caseload:client_list") + "?page_size=100"
    for page in range(1, 10):
        response = browser.get(f"{url}&page={page}")
        assert response.status_code == 200
        shown |= set(CLIENT_LINK.findall(response.content.decode()))
        if not response.context["page"].has_next():
            break
    assert shown == own


def test_refuses_without_debug_unless_forced(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo", "--clients", "10")
    assert not User.objects.exists()
