"""After each successful import the current week's list is brought up to date (queued on commit,
idempotent), and it is the list a fresh build gives; the demo's history gives every trend a line."""

import datetime

import pytest
from django.utils import timezone

from caseload.demo import write_demo_export
from caseload.importer import import_export
from caseload.models import Client
from dashboards.models import TeamWeeklySnapshot
from quality.models import QualitySnapshot, WeeklyListBuild, WeeklyListEntry
from quality.weekly import history, services, weeks
from tests.quality.weekly.test_services import stored_rows

pytestmark = pytest.mark.django_db


def test_the_list_after_an_import_equals_a_fresh_build(
    tmp_path, django_capture_on_commit_callbacks
):
    today = timezone.localdate()
    write_demo_export(tmp_path, 80, 1, today)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        run = import_export(tmp_path)
    assert run.status == "succeeded" and len(callbacks) == 1
    after_import = stored_rows()
    assert after_import and {row[0] for row in after_import} == {weeks.current_iso_week()}
    assert WeeklyListBuild.objects.get().reason == "import"

    # a change in the registration, imported again: the list follows it
    Client.objects.filter(cv_on_file__isnull=True).update(cv_on_file=True)
    with django_capture_on_commit_callbacks(execute=True):
        import_export(tmp_path)  # the export still says "not registered": back on the list
    assert stored_rows() == after_import

    WeeklyListEntry.objects.all().delete()
    services.build_weekly_list()
    assert stored_rows() == after_import


def test_a_failed_import_queues_nothing(tmp_path, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        run = import_export(tmp_path / "missing")
    assert run.status == "failed"
    assert callbacks == []
    assert not WeeklyListEntry.objects.exists()


def test_the_demo_history_gives_every_trend_its_weeks(tmp_path):
    today = timezone.localdate()
    write_demo_export(tmp_path, 80, 1, today)
    import_export(tmp_path)
    from caseload.signals import demo_seeded

    demo_seeded.send(sender=None, today=today, weeks_back=3)
    expected = [
        weeks.iso_week_of(today - datetime.timedelta(weeks=back)) for back in range(3, -1, -1)
    ]
    assert sorted(set(WeeklyListEntry.objects.values_list("iso_week", flat=True))) == expected
    assert sorted(set(QualitySnapshot.objects.values_list("iso_week", flat=True))) == expected
    assert sorted(set(TeamWeeklySnapshot.objects.values_list("iso_week", flat=True))) == expected
    # past weeks are closed all the same
    with pytest.raises(services.ClosedWeek):
        services.build_weekly_list(expected[0])
    history.write_demo_history(today=today, weeks_back=3)  # a second seed converges
    assert sorted(set(WeeklyListEntry.objects.values_list("iso_week", flat=True))) == expected
