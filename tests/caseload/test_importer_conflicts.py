"""What a user recorded in the app is not overwritten silently by the next export."""

import datetime
import shutil

import pytest
from django.utils import timezone

from caseload.importer import import_export
from caseload.matching.services import record_availability, record_outcome
from caseload.models import Client, ImportConflict, ImportRun, Referral, User
from quality.models import WeeklyListEntry
from quality.weekly.services import build_weekly_list, explain_finding
from tests.caseload.test_importer import SAMPLE, rewrite

pytestmark = pytest.mark.django_db


@pytest.fixture
def export(tmp_path):
    target = tmp_path / "export"
    shutil.copytree(SAMPLE, target)
    return target


@pytest.fixture
def imported(export):
    assert import_export(export).status == ImportRun.Status.SUCCEEDED
    return export


def coach_of(referral: Referral) -> User:
    return referral.client.coach


def test_an_outcome_recorded_in_the_app_survives_an_older_export_as_a_conflict(imported):
    referral = Referral.objects.get(referral_id="R001")
    exported = (referral.outcome, referral.date)
    assert exported[0] == "sent"
    record_outcome(coach_of(referral), referral, "interview")

    run = import_export(imported)

    assert run.status == ImportRun.Status.SUCCEEDED
    referral.refresh_from_db()
    assert referral.outcome == "interview"
    conflict = run.conflicts.get()
    assert (conflict.file, conflict.line, conflict.key, conflict.column) == (
        "referrals.csv",
        2,
        "R001",
        "outcome",
    )
    assert (conflict.recorded_value, conflict.imported_value) == ("interview", "sent")
    assert conflict.imported_date == exported[1]
    assert conflict.recorded_by == coach_of(referral)
    assert conflict.kept == ImportConflict.Kept.APP
    assert run.summary["referrals.csv"]["conflicts"] == 1
    # Reported again while the export still disagrees, never applied.
    again = import_export(imported)
    assert again.conflicts.count() == 1 and Referral.objects.get(pk=referral.pk).outcome == (
        "interview"
    )


def test_a_later_outcome_in_the_export_wins_and_the_app_value_stays_in_the_history(imported):
    referral = Referral.objects.get(referral_id="R001")
    record_outcome(coach_of(referral), referral, "interview")
    recorded = referral.history.filter(history_user__isnull=False).latest("history_id")
    three_days_ago = timezone.now() - datetime.timedelta(days=3)
    type(recorded).objects.filter(pk=recorded.pk).update(history_date=three_days_ago)
    today = timezone.localdate().isoformat()
    rewrite(
        imported / "referrals.csv",
        lambda rows: rows[0].update(outcome="hired", date=today),
    )

    run = import_export(imported)

    referral.refresh_from_db()
    assert referral.outcome == "hired"
    conflict = run.conflicts.get()
    assert conflict.kept == ImportConflict.Kept.EXPORT
    assert (conflict.recorded_value, conflict.imported_value) == ("interview", "hired")
    outcomes = list(referral.history.order_by("history_id").values_list("outcome", flat=True))
    assert outcomes == ["sent", "interview", "hired"]
    # Once the export's value is in force there is nothing left to disagree about.
    assert import_export(imported).conflicts.count() == 0


def test_an_export_that_agrees_with_the_app_is_no_conflict(imported):
    referral = Referral.objects.get(referral_id="R001")
    record_outcome(coach_of(referral), referral, "interview")
    rewrite(imported / "referrals.csv", lambda rows: rows[0].update(outcome="interview"))
    run = import_export(imported)
    assert run.conflicts.count() == 0
    assert run.summary["referrals.csv"]["unchanged"] == 1


def test_what_the_export_does_not_carry_is_never_touched(imported):
    """Available hours and explanations of findings are recorded only in the app."""
    client = Client.objects.get(client_number="C00001")
    record_availability(client.coach, client.client_number, 24)
    build_weekly_list(reason="page")  # a finding is explained on this week's list
    finding = WeeklyListEntry.objects.filter(client=client).first()
    explanation = explain_finding(
        user=client.coach, client=client, rule_id=finding.rule_id, reason="Known, being sorted out."
    )
    rewrite(imported / "clients.csv", lambda rows: rows[0].update(service_track="CHANGED"))

    run = import_export(imported)

    client.refresh_from_db()
    assert (client.service_track, client.available_hours_per_week) == ("CHANGED", 24)
    explanation.refresh_from_db()
    assert explanation.withdrawn_at is None and explanation.reason == "Known, being sorted out."
    assert run.conflicts.count() == 0
