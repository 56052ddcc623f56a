"""GDPR erasure and retention: after erasing a client, no table holds anything about them."""

import datetime

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from caseload.gdpr import apply_retention, erase_client
from caseload.matching.models import ShortlistRun
from caseload.matching.selectors import shortlist
from caseload.matching.services import log_shortlist
from caseload.models import AccessLog, Client, ErasureRecord, ImportReject, ImportRun
from caseload.privacy import pseudonym
from dashboards.models import Reassignment
from quality.models import FindingExplanation
from tests.factories import (
    ActionPlanFactory,
    ClientFactory,
    ContactFactory,
    EnrolmentFactory,
    ReferralFactory,
    VacancyFactory,
)

pytestmark = pytest.mark.django_db

NUMBER = "ERASE0001"
MARKERS = [
    NUMBER,
    "track-erase-me",
    "skill-erase-me",
    "CT-ERASE-1",
    "AP-ERASE-1",
    "RF-ERASE-1",
    "EN-ERASE-1",
    "1901-02-03",
    "explained-erase-me",
]


def every_value_in_the_database():
    """(table, text of a cell) for every cell of every table."""
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            for row in cursor.fetchall():
                for value in row:
                    if isinstance(value, (bytes, memoryview)):
                        value = bytes(value).decode("utf-8", errors="replace")
                    yield table, str(value)


def tables_mentioning(markers):
    return sorted(
        {
            (table, marker)
            for table, text in every_value_in_the_database()
            for marker in markers
            if marker in text
        }
    )


@pytest.fixture
def doomed(cast, login):
    client = ClientFactory(
        coach=cast["coach_a"],
        client_number=NUMBER,
        service_track="track-erase-me",
        skills=["skill-erase-me"],
        date_of_birth=datetime.date(1901, 2, 3),
    )
    client.service_track = "track-erase-me"  # a second history row
    client.save()
    ContactFactory(client=client, contact_id="CT-ERASE-1")
    ActionPlanFactory(client=client, plan_id="AP-ERASE-1")
    ReferralFactory(client=client, referral_id="RF-ERASE-1")
    EnrolmentFactory(client=client, enrolment_id="EN-ERASE-1")
    login(cast["coach_a"]).get(reverse("caseload:client_detail", args=[NUMBER]))
    LogEntry.objects.log_actions(
        cast["superuser"].pk,
        [client],
        CHANGE,
        change_message=f"changed {NUMBER}",
        single_object=True,
    )
    run = ImportRun.objects.create(source="x")
    ImportReject.objects.create(
        run=run,
        file="clients.csv",
        line=3,
        column="client_number",
        reason=f"duplicate key '{NUMBER}'",
        row={"client_number": NUMBER, "skills": "skill-erase-me"},
    )
    ImportReject.objects.create(
        run=run,
        file="contacts.csv",
        line=4,
        column="date",
        reason="bad date",
        row={"contact_id": "CT-ERASE-1", "client_number": NUMBER},
    )
    # What the other apps keep about a client: a logged shortlist, an explanation, a reassignment.
    vacancy = VacancyFactory()
    log_shortlist(cast["coach_a"], vacancy, shortlist(cast["coach_a"], vacancy))
    FindingExplanation.objects.create(
        client=client,
        rule_id="cv_not_registered",
        reason="explained-erase-me",
        explained_by=cast["coach_a"],
    )
    Reassignment.objects.create(
        team=cast["coach_a"].team,
        from_coach=cast["coach_b"],
        to_coach=cast["coach_a"],
        client_ids=sorted([client.pk, cast["client_a"].pk]),
        performed_by=cast["team_manager"],
    )
    return client


def test_the_scan_sees_the_client_before_erasure(doomed):
    found = {table for table, _marker in tables_mentioning(MARKERS)}
    assert {
        "caseload_client",
        "caseload_historicalclient",
        "caseload_accesslog",
        "caseload_importreject",
        "django_admin_log",
        "caseload_contact",
        "caseload_shortlistrun",
        "quality_findingexplanation",
    } <= found
    assert doomed.pk in Reassignment.objects.get().client_ids


def test_erasure_leaves_nothing_in_any_table(doomed, cast):
    record = erase_client(doomed, by_user=cast["superuser"], reason="request of the client")
    assert tables_mentioning(MARKERS) == []
    alias = pseudonym(NUMBER)
    assert record.pseudonym == alias
    assert ErasureRecord.objects.get().erased_by == cast["superuser"]
    # The access log keeps the evidence, under the pseudonym.
    assert set(AccessLog.objects.filter(client_number=alias).values_list("username", "action")) == {
        ("coach.a", "view_client"),
        ("admin", "erase"),
    }
    # Other clients are untouched.
    assert Client.objects.filter(client_number="CA0001").exists()
    assert Client.history.filter(client_number="CA0001").exists()
    # The shortlist log keeps the ranking under the pseudonym; the reassignment log loses the id.
    ranking = ShortlistRun.objects.get().ranking
    assert alias in [number for number, _score in ranking] and "CA0001" in [
        number for number, _score in ranking
    ]
    assert Reassignment.objects.get().client_ids == [cast["client_a"].pk]
    assert not FindingExplanation.objects.exists()


def test_erase_command(doomed, cast, capsys):
    call_command("erase_client", NUMBER, "--by", "admin")
    assert not Client.objects.filter(client_number=NUMBER).exists()
    assert pseudonym(NUMBER) in capsys.readouterr().out


def test_retention_erases_only_clients_exited_long_enough_ago(cast, settings):
    settings.RETENTION_DAYS_AFTER_EXIT = 365
    today = datetime.date(2026, 6, 1)
    old = ClientFactory(client_number="OLD1", status="exited", exit_date=datetime.date(2025, 5, 31))
    recent = ClientFactory(
        client_number="NEW1", status="exited", exit_date=datetime.date(2025, 6, 2)
    )
    active = ClientFactory(client_number="ACT1", status="active", exit_date=None)
    assert apply_retention(today) == 1
    assert set(
        Client.objects.filter(pk__in=[old.pk, recent.pk, active.pk]).values_list(
            "client_number", flat=True
        )
    ) == {"NEW1", "ACT1"}
    assert ErasureRecord.objects.get().erased_by is None
    assert apply_retention(today) == 0  # idempotent


def test_retention_has_a_default_and_a_nightly_schedule(settings):
    assert settings.RETENTION_DAYS_AFTER_EXIT == 7 * 365
    assert (
        settings.CELERY_BEAT_SCHEDULE["apply-retention"]["task"]
        == "caseload.tasks.apply_retention_task"
    )


def test_exports_can_use_keyed_pseudonyms(settings):
    settings.PSEUDONYM_KEY = "key-one"
    first = pseudonym(NUMBER)
    settings.PSEUDONYM_KEY = "key-two"
    assert pseudonym(NUMBER) != first and NUMBER not in first


def test_erasure_does_not_touch_a_client_whose_number_merely_starts_the_same(doomed, cast, login):
    ClientFactory(coach=cast["coach_a"], client_number=NUMBER + "0")
    login(cast["coach_a"]).get(reverse("caseload:client_detail", args=[NUMBER + "0"]))
    run = ImportRun.objects.create(source="y")
    ImportReject.objects.create(
        run=run,
        file="clients.csv",
        line=9,
        column="gender",
        reason="'Q' is not one of F, M, X",
        row={"client_number": NUMBER + "0"},
    )
    erase_client(doomed)
    assert AccessLog.objects.get(client_number=NUMBER + "0").path == f"/clients/{NUMBER}0/"
    assert ImportReject.objects.get(run=run).row == {"client_number": NUMBER + "0"}
