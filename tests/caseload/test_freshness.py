"""Every page says how fresh its data is (the last successful import) and warns when it is stale;
every export carries it in its file name and a header."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from caseload import freshness
from caseload.models import ImportRun

pytestmark = pytest.mark.django_db


def finished_import(ago: datetime.timedelta, status=ImportRun.Status.SUCCEEDED) -> ImportRun:
    return ImportRun.objects.create(
        source="/exports/today", status=status, finished_at=timezone.now() - ago
    )


PAGES = ["caseload:client_list", "coach_dashboard", "quality_dashboard", "quality_my_list"]


@pytest.mark.parametrize("url_name", PAGES)
def test_pages_show_the_last_imports_time_and_no_warning_when_fresh(login, cast, url_name):
    run = finished_import(datetime.timedelta(hours=5))
    finished_import(datetime.timedelta(hours=1), status=ImportRun.Status.FAILED)  # not counted
    html = login(cast["coach_a"]).get(reverse(url_name)).content.decode()
    line = html.split('id="freshness">', 1)[1].split("</p>", 1)[0]
    assert "Data as of the import of" in line
    assert timezone.localtime(run.finished_at).isoformat() in line
    assert "figures computed" in line
    assert 'id="stale-data"' not in html


def test_a_stale_import_shows_the_banner_with_the_configured_days(login, cast, settings):
    finished_import(datetime.timedelta(days=3))
    page = login(cast["quality_officer"]).get(reverse("quality_dashboard")).content.decode()
    assert 'id="stale-data"' in page
    assert "more than 2 days ago" in page
    settings.CASELOAD = {**settings.CASELOAD, "IMPORT_STALE_DAYS": 5}
    page = login(cast["quality_officer"]).get(reverse("quality_dashboard")).content.decode()
    assert 'id="stale-data"' not in page


def test_no_import_yet_says_so(login, cast):
    page = login(cast["team_manager"]).get(reverse("team_dashboard")).content.decode()
    assert "No import has succeeded yet" in page
    assert 'id="stale-data"' in page


def test_the_freshness_line_is_translated(login, cast, settings):
    finished_import(datetime.timedelta(hours=1))
    settings.LANGUAGE_CODE = "nl"
    page = login(cast["coach_a"]).get(reverse("coach_dashboard"), HTTP_ACCEPT_LANGUAGE="nl")
    assert "Gegevens van de import van" in page.content.decode()


@pytest.mark.parametrize(
    "url_name, params",
    [
        ("caseload:client_export_csv", {}),
        ("quality_weekly_export_csv", {}),
        ("quality_weekly_export_xlsx", {"columns": "pseudonymised"}),
    ],
)
def test_exports_carry_the_data_time_in_file_name_and_header(login, cast, url_name, params):
    run = finished_import(datetime.timedelta(hours=2))
    response = login(cast["quality_officer"]).get(reverse(url_name), params)
    assert response.status_code == 200
    stamp = timezone.localtime(run.finished_at).strftime("%Y%m%d-%H%M")
    assert f"_data-{stamp}." in response["Content-Disposition"]
    assert response[freshness.EXPORT_HEADER] == run.finished_at.isoformat()


def test_an_export_before_any_import_says_so():
    assert freshness.export_filename("clients", "csv", freshness.Freshness(None)) == (
        "clients_data-never-imported.csv"
    )


def test_a_stored_list_says_when_it_was_built_and_a_closed_week_does_not_warn(login, cast):
    from quality.weekly import services, weeks

    finished_import(datetime.timedelta(days=10))
    services.write_week(weeks.previous(weeks.current_iso_week()), reason="demo", current=False)
    services.build_weekly_list()
    officer = login(cast["quality_officer"])
    past = officer.get(
        reverse("quality_weekly_list", args=[weeks.previous(weeks.current_iso_week())])
    )
    assert 'id="stale-data"' not in past.content.decode()
    current = officer.get(reverse("quality_weekly_latest")).content.decode()
    assert 'id="stale-data"' in current  # this week's list is as stale as the data it is built on
    built = current.split('id="freshness">', 1)[1].split("</p>", 1)[0]
    assert "Data as of the import of" in built
