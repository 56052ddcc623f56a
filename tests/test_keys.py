"""Natural keys: one pattern (caseload.keys) for the importer and every URL that carries a key.
An export whose keys use every allowed character is imported, and every page that can show
one of those keys answers 200 (a key a URL cannot carry would make them 500 on reversing)."""

import csv
import datetime
import string

import pytest
from django.urls import reverse
from django.utils import timezone

from caseload.importer import import_export
from caseload.keys import KEY_MAX_LENGTH, KEY_PATTERN, is_key
from caseload.models import ImportRun, User

pytestmark = pytest.mark.django_db

ALLOWED = string.ascii_uppercase + string.ascii_lowercase + string.digits + "._-"
# Every allowed character, in keys of the longest allowed length (and one of a single character).
CLIENT_KEYS = [ALLOWED[i : i + KEY_MAX_LENGTH] for i in range(0, len(ALLOWED), KEY_MAX_LENGTH)]
CLIENT_KEYS = [key.rjust(KEY_MAX_LENGTH, "-") for key in CLIENT_KEYS] + ["Z"]
TEAM, COACH, MANAGER, QUALITY = "T.1_a-Z", "E.coach_1-A", "E.manager_2-b", "E.quality_3-c"
VACANCY, WORKSHOP = "V.1_a-Z", "W-1.b_Y"


def test_the_pattern_is_the_documented_one():
    assert all(is_key(key) for key in CLIENT_KEYS) and set("".join(CLIENT_KEYS)) == set(ALLOWED)
    for bad in ["", "a" * 33, "RT/2026/0001", "a b", "é", "a?b", "a%2Fb", "a#b", "..\\x"]:
        assert not is_key(bad), bad
    assert KEY_PATTERN == r"[A-Za-z0-9._-]{1,32}"


def write(path, header, rows):
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)


@pytest.fixture
def odd_keys(tmp_path):
    today = timezone.localdate()
    past = (today - datetime.timedelta(days=30)).isoformat()
    soon = (today + datetime.timedelta(days=30)).isoformat()
    export = tmp_path / "export"
    export.mkdir()
    write(export / "teams.csv", ["team_code", "name", "kind"], [[TEAM, "Team", "standard"]])
    write(
        export / "staff.csv",
        ["employee_id", "username", "full_name", "email", "role", "team_code"],
        [
            [COACH, "odd.coach", "Coach", "", "work_coach", TEAM],
            [MANAGER, "odd.manager", "Manager", "", "team_manager", TEAM],
            [QUALITY, "odd.quality", "Quality", "", "quality_officer", TEAM],
        ],
    )
    write(
        export / "clients.csv",
        ["client_number", "coach_employee_id", "status", "skills", "intake_date"],
        [[key, COACH, "active", "forklift", past] for key in CLIENT_KEYS],
    )
    write(
        export / "contacts.csv",
        ["contact_id", "client_number", "employee_id", "date", "channel"],
        [[f"K.{i}_a-B", key, COACH, past, "phone"] for i, key in enumerate(CLIENT_KEYS)],
    )
    write(
        export / "action_plans.csv",
        ["plan_id", "client_number", "created_date", "review_date", "status"],
        [[f"P-{i}.c_D", key, past, soon, "active"] for i, key in enumerate(CLIENT_KEYS)],
    )
    write(
        export / "vacancies.csv",
        ["vacancy_id", "title", "employer", "hours_per_week", "required_skills", "open_until"],
        [[VACANCY, "Forklift driver", "Port", "36", "forklift", soon]],
    )
    write(
        export / "referrals.csv",
        ["referral_id", "client_number", "vacancy_id", "date", "outcome"],
        [[f"R_{i}.e-F", key, VACANCY, past, "sent"] for i, key in enumerate(CLIENT_KEYS)],
    )
    write(
        export / "workshops.csv",
        ["workshop_id", "title", "starts_on", "capacity"],
        [[WORKSHOP, "Forklift certificate", soon, "10"]],
    )
    write(
        export / "enrolments.csv",
        ["enrolment_id", "client_number", "workshop_id", "date", "status"],
        [[f"EN.{i}-g_H", key, WORKSHOP, past, "enrolled"] for i, key in enumerate(CLIENT_KEYS)],
    )
    run = import_export(export)
    assert run.status == ImportRun.Status.SUCCEEDED, (run.error, list(run.rejects.values()))
    return {
        name: User.objects.get(username=f"odd.{name}") for name in ("coach", "manager", "quality")
    }


def pages():
    """(role, URL) of every page that shows a key, with the keys in the URL where it takes one."""
    yield from [
        ("coach", reverse("caseload:client_list")),
        ("coach", reverse("coach_dashboard")),
        ("manager", reverse("coach_dashboard")),
        ("manager", reverse("team_dashboard")),
        ("quality", reverse("quality_dashboard")),
        ("coach", reverse("quality_my_list")),
        ("coach", reverse("vacancies")),
        ("coach", reverse("vacancy_detail", args=[VACANCY])),
        ("manager", reverse("vacancy_detail", args=[VACANCY])),
        ("coach", reverse("api-root") + "clients/"),
        ("coach", reverse("vacancy-candidates", args=[VACANCY])),
        ("coach", reverse("vacancy-detail", args=[VACANCY])),
    ]
    for i, key in enumerate(CLIENT_KEYS):
        yield ("coach", reverse("caseload:client_detail", args=[key]))
        yield ("manager", reverse("caseload:client_detail", args=[key]))
        yield ("coach", reverse("client-detail", args=[key]))
        yield ("coach", reverse("contact-detail", args=[f"K.{i}_a-B"]))
        yield ("coach", reverse("actionplan-detail", args=[f"P-{i}.c_D"]))


def test_every_page_that_can_show_a_key_answers(client, odd_keys):
    for role, url in pages():
        client.force_login(odd_keys[role])
        response = client.get(url)
        assert response.status_code == 200, (role, url, response.status_code)
    client.force_login(odd_keys["coach"])
    listing = client.get(reverse("caseload:client_list")).content.decode()
    assert all(key in listing for key in CLIENT_KEYS)
    shortlist = client.get(reverse("vacancy_detail", args=[VACANCY])).content.decode()
    assert all(reverse("caseload:client_detail", args=[key]) in shortlist for key in CLIENT_KEYS)


def test_urls_with_keys_take_exactly_the_pattern(client, odd_keys):
    client.force_login(odd_keys["coach"])
    assert client.get("/clients/RT/2026/0001/").status_code == 404
    assert client.get(f"/clients/{'a' * 33}/").status_code == 404
    assert client.get("/api/clients/a%20b/").status_code == 404
