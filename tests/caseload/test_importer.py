"""The registration import: the shared sample, idempotence, bad rows reported and the rest kept."""

import csv
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from caseload.importer import import_export
from caseload.models import Client, Contact, ImportRun, User

pytestmark = pytest.mark.django_db

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "registration-sample"


def rewrite(path: Path, mutate):
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    header = list(rows[0].keys())
    rows = mutate(rows) or rows
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=header)
        writer.writeheader()
        writer.writerows(rows)


@pytest.fixture
def export(tmp_path):
    target = tmp_path / "export"
    shutil.copytree(SAMPLE, target)
    return target


def test_sample_imports_with_no_rejects_and_twice_changes_nothing(export):
    first = import_export(export)
    assert first.status == ImportRun.Status.SUCCEEDED
    assert first.rejects.count() == 0
    clients = sum(1 for _ in csv.DictReader((export / "clients.csv").open(encoding="utf-8")))
    assert Client.objects.count() == clients
    assert first.summary["clients.csv"]["created"] == clients

    second = import_export(export)
    assert second.rejects.count() == 0
    for filename, figures in second.summary.items():
        assert figures["created"] == figures["updated"] == 0, filename
        assert figures["unchanged"] == first.summary[filename]["created"], filename


def test_unknown_stays_null_not_no(export):
    def blank_first_licence(rows):
        rows[0]["driving_licence"] = ""
        rows[1]["driving_licence"] = "no"

    rewrite(export / "clients.csv", blank_first_licence)
    import_export(export)
    first, second = Client.objects.order_by("client_number")[:2]
    assert first.driving_licence is None
    assert second.driving_licence is False


def test_broken_export_reports_each_bad_row_and_imports_the_rest(export):
    def break_clients(rows):
        rows[0]["gender"] = "Q"  # outside its list
        rows[1]["date_of_birth"] = "2999-01-01"  # in the future
        rows[2]["coach_employee_id"] = "E999"  # unknown reference
        rows[3]["education_level"] = "12"  # out of range
        rows[4]["intake_date"] = "2026-02-30"  # impossible date
        rows.append(dict(rows[5]))  # duplicate key

    rewrite(export / "clients.csv", break_clients)

    def break_contacts(rows):
        rows[0]["client_number"] = "NOBODY"

    rewrite(export / "contacts.csv", break_contacts)
    run = import_export(export)

    assert run.status == ImportRun.Status.PARTIAL
    rejects = {(r.file, r.line, r.column) for r in run.rejects.all()}
    assert ("clients.csv", 2, "gender") in rejects
    assert ("clients.csv", 3, "date_of_birth") in rejects
    assert ("clients.csv", 4, "coach_employee_id") in rejects
    assert ("clients.csv", 5, "education_level") in rejects
    assert ("clients.csv", 6, "intake_date") in rejects
    assert ("contacts.csv", 2, "client_number") in rejects
    duplicate = run.rejects.get(file="clients.csv", column="client_number")
    assert "duplicate" in duplicate.reason and duplicate.row["client_number"]
    total = sum(1 for _ in csv.DictReader((export / "clients.csv").open(encoding="utf-8")))
    assert Client.objects.count() == total - 6
    assert run.summary["clients.csv"]["rejected"] == 6
    # Every reject keeps its raw row, and names its reason.
    assert all(r.reason for r in run.rejects.all())


def test_contacts_of_a_rejected_client_are_rejected_too(export):
    def break_first(rows):
        rows[0]["status"] = "sleeping"

    rewrite(export / "clients.csv", break_first)
    run = import_export(export)
    bad_client = run.rejects.get(file="clients.csv").row["client_number"]
    assert not Contact.objects.filter(client__client_number=bad_client).exists()
    assert run.rejects.filter(file="contacts.csv", column="client_number").exists()


def test_a_failure_mid_run_changes_nothing(export, monkeypatch):
    from caseload.importer.staging import Stage

    original = Stage.upsert

    def explode_on_contacts(stage, *args, **kwargs):
        if stage.spec.filename == "contacts.csv":
            raise RuntimeError("disk on fire")
        return original(stage, *args, **kwargs)

    monkeypatch.setattr(Stage, "upsert", explode_on_contacts)
    run = import_export(export)
    assert run.status == ImportRun.Status.FAILED
    assert "disk on fire" in run.error
    assert Client.objects.count() == 0
    assert User.objects.count() == 0


def test_missing_required_file_fails_cleanly(export):
    (export / "clients.csv").unlink()
    run = import_export(export)
    assert run.status == ImportRun.Status.FAILED
    assert "clients.csv" in run.error


def test_malformed_rows_give_rejects_never_a_crash(export):
    with (export / "workshops.csv").open("ab") as handle:
        handle.write(b"W99,\xff\xfe broken,job_search,2026-12-01,10\n")  # not UTF-8
        handle.write(b"W98,too,many,values,here,extra\n")
        handle.write(b"W97," + b"x" * 5000 + b",job_search,2026-12-01,10\n")
        handle.write(b'W96,"Quoted, with ""quotes""\nand a line break",job_search,2026-12-01,10\n')
    run = import_export(export)
    assert run.status == ImportRun.Status.PARTIAL
    assert {r.file for r in run.rejects.all()} == {"workshops.csv"}
    assert run.rejects.count() == run.summary["workshops.csv"]["rejected"] == 3
    from caseload.models import Workshop

    assert (
        Workshop.objects.get(workshop_id="W96").title == 'Quoted, with "quotes"\nand a line break'
    )


def test_a_quote_never_closed_fails_the_run_and_says_where(export):
    with (export / "contacts.csv").open("ab") as handle:
        handle.write(b'K999991,C00001,E100,2026-01-01,phone,coach,"work\n')  # unterminated quote
    lines = len((export / "contacts.csv").read_bytes().splitlines())
    run = import_export(export)
    assert run.status == ImportRun.Status.FAILED
    assert run.error.startswith(f"contacts.csv, line {lines}: a quoted value opened")
    assert run.rejects.count() == 0 and Client.objects.count() == 0


def test_unknown_columns_are_warned_about(export):
    content = (export / "teams.csv").read_text(encoding="utf-8").splitlines()
    content = [content[0] + ",colour"] + [line + ",blue" for line in content[1:]]
    (export / "teams.csv").write_text("\n".join(content) + "\n", encoding="utf-8")
    run = import_export(export)
    assert any("colour" in warning for warning in run.summary["teams.csv"]["warnings"])


def test_command_prints_a_summary(export, capsys):
    call_command("import_registrations", str(export))  # exit status 0: no exception
    out = capsys.readouterr().out
    assert "clients.csv" in out and "created" in out


def test_new_rows_get_model_defaults_and_typed_values(export):
    """New rows are written by COPY on PostgreSQL (bulk_create elsewhere): both give what the model
    would, defaults included."""
    import_export(export)
    staff = User.objects.exclude(employee_id=None).first()
    assert staff.is_active and not staff.has_usable_password() and staff.date_joined is not None
    client = Client.objects.get(client_number="C00001")
    assert client.skills == ["cleaning", "customer service"]
    assert client.driving_licence is True and client.children_count == 0
    assert client.date_of_birth.isoformat() == "1979-02-21"
    assert client.coach.employee_id == "E100"
    contact = Contact.objects.select_related("client").first()
    assert contact.client.client_number and (
        contact.topics is None or isinstance(contact.topics, list)
    )


def erased_rejects(run):
    return run.rejects.filter(reason__startswith="client was erased on")


def test_an_erased_client_stays_erased_on_the_next_import(export):
    from caseload.gdpr import erase_client
    from caseload.privacy import pseudonym
    from tests.caseload.test_gdpr import tables_mentioning

    import_export(export)
    erase_client(Client.objects.get(client_number="C00001"))
    run = import_export(export)

    assert run.status == ImportRun.Status.PARTIAL
    assert not Client.objects.filter(client_number="C00001").exists()
    today = timezone.localdate().isoformat()
    files = {"clients.csv": 1, "contacts.csv": 0, "action_plans.csv": 0, "referrals.csv": 0}
    for filename in files:
        with (export / filename).open(encoding="utf-8") as handle:
            files[filename] = sum(
                1 for row in csv.DictReader(handle) if row["client_number"] == "C00001"
            )
    assert all(files.values())
    # Each of the client's rows is a reject with file, line, column and reason, like any other...
    rejects = list(erased_rejects(run))
    assert {name: sum(r.file == name for r in rejects) for name in files} == files
    assert all(r.column == "client_number" and r.line > 1 for r in rejects)
    assert {r.reason for r in rejects} == {f"client was erased on {today}; not re-imported"}
    assert run.summary["clients.csv"]["rejected"] == 1
    assert run.summary["contacts.csv"]["rejected"] == files["contacts.csv"]
    # ...but keeps none of the client's values: the scan finds neither the number nor a contact id.
    assert {r.row["erased"] for r in rejects} == {pseudonym("C00001")}
    assert tables_mentioning(["C00001", "K000001", "P00001"]) == []
    # Everyone else is imported as before.
    assert run.summary["clients.csv"]["unchanged"] == Client.objects.count()


def test_clients_erased_by_the_retention_schedule_are_not_reimported(export, settings):
    from caseload.gdpr import apply_retention

    def exit_long_ago(rows):
        for row in rows[:2]:
            row.update(status="exited", exit_date="2015-03-01", exit_reason="work")

    rewrite(export / "clients.csv", exit_long_ago)
    import_export(export)
    assert apply_retention() == 2
    run = import_export(export)
    assert set(erased_rejects(run).filter(file="clients.csv").values_list("line", flat=True)) == {
        2,
        3,
    }
    assert not Client.objects.filter(status="exited").exists()


def test_the_erased_set_costs_one_query_however_many_were_erased(export):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from caseload.gdpr import erase_client

    import_export(export)
    erase_client(Client.objects.get(client_number="C00001"))
    with CaptureQueriesContext(connection) as one:
        import_export(export)
    for client in Client.objects.order_by("client_number")[:10]:
        erase_client(client)
    with CaptureQueriesContext(connection) as eleven:
        run = import_export(export)
    assert erased_rejects(run).filter(file="clients.csv").count() == 11
    assert len(eleven.captured_queries) == len(one.captured_queries)
    assert sum("caseload_erasurerecord" in q["sql"] for q in eleven.captured_queries) == 1
