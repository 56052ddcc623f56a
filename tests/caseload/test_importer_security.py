"""Importer and security: its bulk writes leave a change history, and malformed CSV of any shape
(encodings, quotes, NUL bytes, huge fields) gives rejects or a file-level failure that says where,
never a crash."""

import csv
import io
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from caseload.importer import FILES, import_export
from caseload.models import Client, Contact, ImportRun
from tests.caseload import test_importer

pytestmark = pytest.mark.django_db

CLIENTS_SPEC = next(spec for spec in FILES if spec.filename == "clients.csv")
CLIENT_HEADER = CLIENTS_SPEC.header
GOOD_ROW = [
    "C00001",
    "E100",
    "1979-02-21",
    "M",
    "married",
    "single",
    "0",
    "",
    "5",
    "B1",
    "yes",
    "no",
    "no",
    "yes",
    "",
    "cleaning;customer service",
    "hospitality",
    "4",
    "WORK",
    "4",
    "2025-03-21",
    "active",
    "",
    "",
]
TEAMS = "team_code,name,kind\nRT01,Team Noord,standard\n"
STAFF = "employee_id,username,full_name,email,role,team_code\nE100,fuzz.coach,Coach,c@example.org,work_coach,RT01\n"


def test_import_writes_history_in_bulk_and_a_rerun_adds_none(tmp_path):
    export = tmp_path / "export"
    shutil.copytree(test_importer.SAMPLE, export)
    run = import_export(export)
    assert run.status == ImportRun.Status.SUCCEEDED
    assert Client.history.filter(history_type="+").count() == Client.objects.count() > 0
    assert Contact.history.count() == Contact.objects.count()
    assert set(Client.history.values_list("history_change_reason", flat=True)) == {
        f"import run {run.pk}"
    }
    before = Client.history.count()
    import_export(export)
    assert Client.history.count() == before  # unchanged rows get no history


def test_import_of_a_change_records_the_old_and_new_value(tmp_path):
    export = tmp_path / "export"
    shutil.copytree(test_importer.SAMPLE, export)
    import_export(export)
    test_importer.rewrite(
        export / "clients.csv", lambda rows: rows[0].update(service_track="CHANGED")
    )
    import_export(export)
    first = Client.objects.order_by("client_number").first()
    assert [h.service_track for h in first.history.order_by("history_id")][-1] == "CHANGED"
    assert first.history.filter(history_type="~").count() == 1


def test_import_history_keeps_what_the_app_recorded(tmp_path):
    """The export has no available hours (a coach records them here): an import that changes the
    client keeps them, in the table and in the history row it writes."""
    export = tmp_path / "export"
    shutil.copytree(test_importer.SAMPLE, export)
    import_export(export)
    first = Client.objects.order_by("client_number").first()
    Client.objects.filter(pk=first.pk).update(available_hours_per_week=24)
    test_importer.rewrite(
        export / "clients.csv", lambda rows: rows[0].update(service_track="CHANGED")
    )
    import_export(export)
    latest = first.history.order_by("-history_id").first()
    assert (latest.history_type, latest.service_track, latest.available_hours_per_week) == (
        "~",
        "CHANGED",
        24,
    )
    assert Client.objects.get(pk=first.pk).available_hours_per_week == 24


# Cells that break naive CSV handling: quotes, separators, newlines, NUL, odd unicode, huge values.
nasty_cell = st.one_of(
    st.sampled_from(
        [
            '"',
            '""',
            '","',
            "\n",
            "\r\n",
            "\x00",
            "\ufeff",
            "é",
            "\ud7ff",
            ";;",
            "yes",
            "-1",
            "9999-99-99",
            "1979-02-21",
            "B1",
            "active",
            "exited",
            " ",
            "NULL",
            "None",
        ]
    ),
    st.text(max_size=40),
    st.text(alphabet='ab"\n,', min_size=2_001, max_size=12_000),
)
row = st.lists(nasty_cell, min_size=0, max_size=len(CLIENT_HEADER) + 2)


@st.composite
def clients_file(draw) -> bytes:
    out = io.StringIO()
    writer = csv.writer(
        out,
        quoting=draw(st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL, csv.QUOTE_NONE])),
        escapechar="\\",
    )
    header = CLIENT_HEADER if draw(st.booleans()) else draw(st.permutations(CLIENT_HEADER))
    writer.writerow(header)
    writer.writerow(GOOD_ROW)
    for cells in draw(st.lists(row, max_size=6)):
        writer.writerow(cells)
    text = out.getvalue()
    if draw(st.booleans()):  # break the quoting by hand
        position = draw(st.integers(0, len(text)))
        text = (
            text[:position] + draw(st.sampled_from(['"', '\n"', '"x"y"', "\x00"])) + text[position:]
        )
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "latin-1", "utf-16", "cp1252"]))
    data = text.encode(encoding, errors="replace")
    if draw(st.booleans()):
        data += draw(st.binary(max_size=64))
    return data


@settings(
    max_examples=50,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)
@given(content=clients_file())
def test_malformed_clients_csv_never_crashes_the_import(content):
    with tempfile.TemporaryDirectory() as folder:
        export = Path(folder)
        (export / "teams.csv").write_text(TEAMS, encoding="utf-8")
        (export / "staff.csv").write_text(STAFF, encoding="utf-8")
        (export / "clients.csv").write_bytes(content)
        run = import_export(export)
    if run.status == ImportRun.Status.FAILED:  # the file as a whole: said where and why
        assert run.error.startswith("clients.csv, line "), run.error
        assert [failure["file"] for failure in run.summary["failures"]] == ["clients.csv"]
        assert run.rejects.count() == 0
        return
    assert run.status in (ImportRun.Status.SUCCEEDED, ImportRun.Status.PARTIAL), run.error
    assert run.rejects.count() == run.summary["clients.csv"]["rejected"]
    assert (run.status == ImportRun.Status.PARTIAL) == run.rejects.exists()
    for reject in run.rejects.all():
        assert reject.reason.strip(), reject
        assert reject.file == "clients.csv"
