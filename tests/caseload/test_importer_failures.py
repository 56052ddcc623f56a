"""The importer's contract at the edges: a file that cannot be read as a whole fails the run and
changes nothing; a row that cannot be read is one rejected row; the summary's counts are the rows
stored; the command's exit status tells the three outcomes apart; keys follow one pattern."""

import csv
import io
import shutil

import pytest
from django.core.management import CommandError, call_command

from caseload.importer import records
from caseload.importer import run as run_module
from caseload.importer.files import FILES_BY_KIND
from caseload.models import Client, Contact, ImportRun, Team
from tests.caseload.test_importer import SAMPLE, rewrite

pytestmark = pytest.mark.django_db

CLIENT_COLUMNS = FILES_BY_KIND["clients"].header


@pytest.fixture
def export(tmp_path):
    target = tmp_path / "export"
    shutil.copytree(SAMPLE, target)
    return target


def clients_text(export) -> str:
    return (export / "clients.csv").read_text(encoding="utf-8")


def without_column(name):
    def write(export):
        rows = list(csv.DictReader(io.StringIO(clients_text(export))))
        out = io.StringIO()
        writer = csv.DictWriter(out, [c for c in rows[0] if c != name], extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
        (export / "clients.csv").write_text(out.getvalue(), encoding="utf-8")

    return write


def header_replaced(new_header):
    def write(export):
        lines = clients_text(export).splitlines(keepends=True)
        (export / "clients.csv").write_text(new_header(lines[0]) + "".join(lines[1:]))

    return write


# (name, how the export is broken, the line the failure names, words its reason contains)
FILE_FAILURES = [
    ("empty", lambda e: (e / "clients.csv").write_bytes(b""), 1, "empty"),
    (
        "utf-16",
        lambda e: (e / "clients.csv").write_bytes(clients_text(e).encode("utf-16")),
        1,
        "UTF-16",
    ),
    (
        "utf-16 without BOM",
        lambda e: (e / "clients.csv").write_bytes(clients_text(e).encode("utf-16-le")),
        1,
        "UTF-16",
    ),
    ("missing status column", without_column("status"), 1, "status"),
    (
        "duplicated column",
        header_replaced(lambda header: header.rstrip("\n") + ",gender\n"),
        1,
        "more than once",
    ),
    (
        "no header",
        lambda e: (e / "clients.csv").write_text(
            "".join(clients_text(e).splitlines(keepends=True)[1:])
        ),
        1,
        "none of the header's columns",
    ),
    (
        "header only",
        lambda e: (e / "clients.csv").write_text(clients_text(e).splitlines(keepends=True)[0]),
        2,
        "no rows",
    ),
    (
        "quote never closed",
        lambda e: (e / "clients.csv").write_text(
            clients_text(e).replace("\nC00003,", '\n"C00003,', 1)
        ),
        4,
        "never closed",
    ),
]


@pytest.mark.parametrize(
    "name,breaks,line,words", FILE_FAILURES, ids=[case[0] for case in FILE_FAILURES]
)
def test_a_file_that_cannot_be_read_fails_the_run_and_changes_nothing(
    export, name, breaks, line, words
):
    assert import_export_ok(export)
    teams_before = list(Team.objects.values_list("code", "name"))
    clients_before = Client.objects.count()
    rewrite(export / "teams.csv", lambda rows: rows[0].update(name="Renamed"))  # would change
    breaks(export)

    with pytest.raises(CommandError) as failed:
        call_command("import_registrations", str(export))
    assert failed.value.returncode == 1

    run = ImportRun.objects.latest("pk")
    assert run.status == ImportRun.Status.FAILED
    assert run.error.startswith(f"clients.csv, line {line}: "), run.error
    assert words in run.error
    assert run.summary == {"failures": [{**run.summary["failures"][0], "file": "clients.csv"}]}
    assert run.summary["failures"][0]["line"] == line and run.summary["failures"][0]["fix"]
    # Nothing changed, nothing counted, nothing stored.
    assert list(Team.objects.values_list("code", "name")) == teams_before
    assert Client.objects.count() == clients_before
    assert run.rejects.count() == 0


def import_export_ok(export) -> bool:
    return run_module.import_export(export).status == ImportRun.Status.SUCCEEDED


def test_every_broken_file_is_reported_before_anything_is_read(export):
    without_column("status")(export)
    (export / "contacts.csv").write_bytes(b"")
    run = run_module.import_export(export)
    assert [f["file"] for f in run.summary["failures"]] == ["clients.csv", "contacts.csv"]
    assert "clients.csv, line 1" in run.error and "contacts.csv, line 1" in run.error


def test_exit_status_tells_the_three_outcomes_apart(export, capsys):
    call_command("import_registrations", str(export))  # 0: no exception
    rewrite(export / "clients.csv", lambda rows: rows[0].update(gender="Q"))
    with pytest.raises(CommandError) as partial:
        call_command("import_registrations", str(export))
    assert partial.value.returncode == 3
    assert "clients.csv:2 [gender]" in capsys.readouterr().out
    assert ImportRun.objects.latest("pk").status == ImportRun.Status.PARTIAL
    (export / "clients.csv").write_bytes(b"")
    with pytest.raises(CommandError) as failed:
        call_command("import_registrations", str(export))
    assert failed.value.returncode == 1


def test_the_summary_counts_every_rejected_row_stored_once(export):
    from caseload.importer.records import UTF8_BOM

    def break_clients(rows):
        rows[0].update(gender="Q", education_level="12")  # two reasons, one row
        rows[1]["client_number"] = "RT/2026/0001"  # not a key
        rows.append(dict(rows[5]))  # duplicate

    rewrite(export / "clients.csv", break_clients)
    with (export / "clients.csv").open("ab") as handle:
        handle.write(b"C77777,E100,\xff\xfe,M\n")  # not UTF-8 and too few values
        handle.write(b"C77778" + b",x" * 40 + b"\n")  # too many values
        handle.write(b"\n\n")  # blank lines are not rows
    with (export / "contacts.csv").open("ab") as handle:
        handle.write(b"K999001,NOBODY,E100,2026-01-01,phone,coach,work\n")
        handle.write(b"K999002,C00001,E999,2026-01-01,phone,coach,work\n")
        handle.write(b"K999003,NOBODY,E999,2026-01-01,phone,coach,work\n")  # two unknown keys
    (export / "teams.csv").write_bytes(UTF8_BOM + (export / "teams.csv").read_bytes())
    run = run_module.import_export(export)

    assert run.status == ImportRun.Status.PARTIAL
    for filename, figures in run.summary.items():
        assert figures["rejected"] == run.rejects.filter(file=filename).count(), filename
    assert run.summary["clients.csv"]["rejected"] == 5
    assert run.summary["contacts.csv"]["rejected"] > 3  # and the contacts of the bad clients
    two = run.rejects.get(file="clients.csv", line=2)
    assert two.column == "gender, education_level" and "gender: " in two.reason
    both = run.rejects.get(file="contacts.csv", row__contact_id="K999003")
    assert both.column == "client_number, employee_id"
    assert both.row["client_number"] == "NOBODY"  # the raw values, read again from the file
    slash = run.rejects.get(file="clients.csv", line=3)
    assert slash.column == "client_number" and "not a valid key" in slash.reason
    assert not Client.objects.filter(client_number__contains="/").exists()


def test_a_huge_multi_line_value_is_one_rejected_row_and_loses_nothing_after_it(
    export, monkeypatch
):
    """The bench does this with a 50 MB value; here the limit is lowered to keep the test quick."""
    monkeypatch.setattr(records, "MAX_RECORD_BYTES", 20_000)
    monkeypatch.setattr(records, "PIECE", 4096)
    lines = clients_text(export).splitlines(keepends=True)
    huge = '"' + "a long, long line\n" * 20_000 + '"'
    bad = lines[1].split(",")
    bad[CLIENT_COLUMNS.index("service_track")] = huge
    (export / "clients.csv").write_text(lines[0] + ",".join(bad) + "".join(lines[2:]))

    run = run_module.import_export(export)

    assert run.status == ImportRun.Status.PARTIAL
    reject = run.rejects.get(file="clients.csv")
    assert (reject.file, reject.line) == ("clients.csv", 2)
    assert (
        "longer than 20000 bytes" in reject.reason
        and len(reject.row["_raw"]) <= records.RAW_PREVIEW
    )
    assert Client.objects.count() == len(lines) - 2  # every other client, the next one included
    assert Client.objects.filter(client_number=lines[2].split(",")[0]).exists()
    assert Contact.objects.exists()
    # The client's contacts, plans and referrals are rejected as referring to no known client.
    assert set(run.rejects.exclude(file="clients.csv").values_list("reason", flat=True)) == {
        f"'{lines[1].split(',')[0]}' is not a known key in clients.csv"
    }


def test_keys_follow_one_pattern_in_every_file(export):
    rewrite(export / "teams.csv", lambda rows: rows.append({**rows[0], "team_code": "RT 3"}))
    rewrite(export / "staff.csv", lambda rows: rows.append({**rows[0], "employee_id": "E/1"}))
    rewrite(export / "vacancies.csv", lambda rows: rows[0].update(vacancy_id="V#1"))
    rewrite(export / "workshops.csv", lambda rows: rows[0].update(workshop_id="x" * 33))
    run = run_module.import_export(export)
    for filename, key in [
        ("teams.csv", "team_code"),
        ("staff.csv", "employee_id"),
        ("vacancies.csv", "vacancy_id"),
        ("workshops.csv", "workshop_id"),
    ]:
        reject = run.rejects.get(file=filename, column=key)
        assert "not a valid key" in reject.reason
