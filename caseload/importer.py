"""Import of the registration system's export (docs/registration-export.md).

`import_export(directory)` reads the CSV files in dependency order, validates every cell, upserts
the valid rows by natural key with bulk operations (no per-row queries), and records every
rejected row with file, line, column and reason in an ImportRun. The whole run is one
transaction: if anything unexpected fails, the database is left as it was and the run is marked
failed. Importing the same export twice changes nothing the second time.

A client who has been erased (caseload.gdpr, on request or by the retention schedule) stays erased:
their rows in clients.csv and in every file that names them by client_number are rejected with the
date of the erasure, and the reject keeps only the pseudonym, not the raw values.
"""

from __future__ import annotations

import csv
import datetime
import io
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import connections, models, router, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import (
    ActionPlan,
    Channel,
    Client,
    ClientStatus,
    Contact,
    Enrolment,
    EnrolmentStatus,
    ErasureRecord,
    ExitReason,
    Gender,
    Household,
    ImportReject,
    ImportRun,
    InitiatedBy,
    LanguageLevel,
    MaritalStatus,
    PlanStatus,
    Referral,
    ReferralOutcome,
    Role,
    Team,
    TeamKind,
    User,
    Vacancy,
    Workshop,
)
from .privacy import pseudonym

logger = logging.getLogger(__name__)

# The column that names a client: the key of clients.csv and the reference in the files about them.
CLIENT_COLUMN = "client_number"
MAX_CELL_LENGTH = 2000
BATCH_SIZE = 2000
csv.field_size_limit(10 * MAX_CELL_LENGTH)


class CellError(Exception):
    def __init__(self, column: str, reason: str):
        super().__init__(reason)
        self.column = column
        self.reason = reason


# --- cell parsers: each takes the raw text (already stripped) and returns a Python value --------


@dataclass(frozen=True)
class Column:
    """How one CSV column becomes one model field."""

    name: str
    field: str
    parse: Callable[[str, ImportContext], Any]
    required: bool = False


def text(max_length: int = 200):
    def parse(value: str, ctx) -> str | None:
        if len(value) > max_length:
            raise ValueError(_("longer than %(n)d characters") % {"n": max_length})
        return value or None

    return parse


def choice(choices: type[models.Choices]):
    allowed = [str(value) for value in choices.values]

    def parse(value: str, ctx):
        if value == "":
            return None
        if value not in allowed:
            raise ValueError(
                _("'%(value)s' is not one of %(allowed)s")
                % {"value": value, "allowed": ", ".join(allowed)}
            )
        return value

    return parse


def language_level(value: str, ctx):
    if value == "":
        return None
    for level in LanguageLevel:
        if level.label == value.upper():
            return level.value
    raise ValueError(
        _("'%(value)s' is not a CEFR level (A0, A1, A2, B1, B2, C1, C2)") % {"value": value}
    )


def yes_no(value: str, ctx):
    if value == "":
        return None
    lowered = value.lower()
    if lowered not in ("yes", "no"):
        raise ValueError(_("'%(value)s' is not yes or no") % {"value": value})
    return lowered == "yes"


def integer(minimum: int, maximum: int | None = None):
    def parse(value: str, ctx):
        if value == "":
            return None
        try:
            number = int(value)
        except ValueError:
            raise ValueError(_("'%(value)s' is not a whole number") % {"value": value}) from None
        if number < minimum or (maximum is not None and number > maximum):
            limit = f"{minimum}–{maximum}" if maximum is not None else f"≥ {minimum}"
            raise ValueError(
                _("%(value)s is outside the range %(range)s") % {"value": number, "range": limit}
            )
        return number

    return parse


def date(past_only: bool):
    def parse(value: str, ctx):
        if value == "":
            return None
        try:
            parsed = datetime.date.fromisoformat(value)
        except ValueError:
            raise ValueError(
                _("'%(value)s' is not a valid date (YYYY-MM-DD)") % {"value": value}
            ) from None
        if len(value) != 10:
            raise ValueError(_("'%(value)s' is not a valid date (YYYY-MM-DD)") % {"value": value})
        if past_only and parsed > ctx.today:
            raise ValueError(_("%(value)s lies in the future") % {"value": value})
        return parsed

    return parse


def semicolon_list(value: str, ctx):
    if value == "":
        return None
    return [item.strip() for item in value.split(";") if item.strip()]


def reference(kind: str):
    """A natural key of another file; resolved to the database id."""

    def parse(value: str, ctx):
        if value == "":
            return None
        try:
            return ctx.keys[kind][value]
        except KeyError:
            raise ValueError(
                _("'%(value)s' is not a known key in %(file)s")
                % {"value": value, "file": f"{kind}.csv"}
            ) from None

    return parse


# --- the files -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class FileSpec:
    filename: str
    model: type[models.Model]
    key_column: str
    key_field: str
    columns: tuple[Column, ...]
    required_file: bool = False
    # Values every new row gets (e.g. an unusable password for staff).
    defaults_for_new: Callable[[], dict] | None = None

    @property
    def kind(self) -> str:
        return self.filename.removesuffix(".csv")


def unusable_password() -> dict:
    return {"password": make_password(None)}


FILES: tuple[FileSpec, ...] = (
    FileSpec(
        "teams.csv",
        Team,
        "team_code",
        "code",
        (
            Column("name", "name", text(200), required=True),
            Column("kind", "kind", choice(TeamKind), required=True),
        ),
        required_file=True,
    ),
    FileSpec(
        "staff.csv",
        User,
        "employee_id",
        "employee_id",
        (
            Column("username", "username", text(150), required=True),
            Column("full_name", "full_name", text(200)),
            Column("email", "email", text(254)),
            Column("role", "role", choice(Role), required=True),
            Column("team_code", "team_id", reference("teams")),
        ),
        required_file=True,
        defaults_for_new=unusable_password,
    ),
    FileSpec(
        "clients.csv",
        Client,
        "client_number",
        "client_number",
        (
            Column("coach_employee_id", "coach_id", reference("staff")),
            Column("date_of_birth", "date_of_birth", date(past_only=True)),
            Column("gender", "gender", choice(Gender)),
            Column("marital_status", "marital_status", choice(MaritalStatus)),
            Column("household", "household", choice(Household)),
            Column("children_count", "children_count", integer(0, 30)),
            Column("youngest_child_birth_date", "youngest_child_birth_date", date(past_only=True)),
            Column("education_level", "education_level", integer(0, 8)),
            Column("language_level", "language_level", language_level),
            Column("driving_licence", "driving_licence", yes_no),
            Column("physical_limitations", "physical_limitations", yes_no),
            Column("mental_health_issues", "mental_health_issues", yes_no),
            Column("cv_on_file", "cv_on_file", yes_no),
            Column("work_experience", "work_experience", semicolon_list),
            Column("skills", "skills", semicolon_list),
            Column("preferred_sectors", "preferred_sectors", semicolon_list),
            Column("participation_step", "participation_step", integer(1, 6)),
            Column("service_track", "service_track", text(50)),
            Column("contact_frequency_weeks", "contact_frequency_weeks", integer(1, 520)),
            Column("intake_date", "intake_date", date(past_only=True)),
            Column("status", "status", choice(ClientStatus), required=True),
            Column("exit_date", "exit_date", date(past_only=True)),
            Column("exit_reason", "exit_reason", choice(ExitReason)),
        ),
        required_file=True,
    ),
    FileSpec(
        "contacts.csv",
        Contact,
        "contact_id",
        "contact_id",
        (
            Column("client_number", "client_id", reference("clients"), required=True),
            Column("employee_id", "employee_id", reference("staff")),
            Column("date", "date", date(past_only=True), required=True),
            Column("channel", "channel", choice(Channel)),
            Column("initiated_by", "initiated_by", choice(InitiatedBy)),
            Column("topics", "topics", semicolon_list),
        ),
    ),
    FileSpec(
        "action_plans.csv",
        ActionPlan,
        "plan_id",
        "plan_id",
        (
            Column("client_number", "client_id", reference("clients"), required=True),
            Column("created_date", "created_date", date(past_only=True), required=True),
            Column("review_date", "review_date", date(past_only=False)),
            Column("status", "status", choice(PlanStatus), required=True),
        ),
    ),
    FileSpec(
        "vacancies.csv",
        Vacancy,
        "vacancy_id",
        "vacancy_id",
        (
            Column("title", "title", text(200), required=True),
            Column("employer", "employer", lambda value, ctx: text(200)(value, ctx) or ""),
            Column("sector", "sector", text(100)),
            Column("hours_per_week", "hours_per_week", integer(1, 80)),
            Column("requires_driving_licence", "requires_driving_licence", yes_no),
            Column("min_education_level", "min_education_level", integer(0, 8)),
            Column("min_language_level", "min_language_level", language_level),
            Column("physically_demanding", "physically_demanding", yes_no),
            Column("required_skills", "required_skills", semicolon_list),
            Column("open_until", "open_until", date(past_only=False)),
        ),
    ),
    FileSpec(
        "referrals.csv",
        Referral,
        "referral_id",
        "referral_id",
        (
            Column("client_number", "client_id", reference("clients"), required=True),
            Column("vacancy_id", "vacancy_id", reference("vacancies"), required=True),
            Column("date", "date", date(past_only=True), required=True),
            Column("outcome", "outcome", choice(ReferralOutcome), required=True),
        ),
    ),
    FileSpec(
        "workshops.csv",
        Workshop,
        "workshop_id",
        "workshop_id",
        (
            Column("title", "title", text(200), required=True),
            Column("theme", "theme", text(100)),
            Column("starts_on", "starts_on", date(past_only=False)),
            Column("capacity", "capacity", integer(0, 10000)),
        ),
    ),
    FileSpec(
        "enrolments.csv",
        Enrolment,
        "enrolment_id",
        "enrolment_id",
        (
            Column("client_number", "client_id", reference("clients"), required=True),
            Column("workshop_id", "workshop_id", reference("workshops"), required=True),
            Column("date", "date", date(past_only=True), required=True),
            Column("status", "status", choice(EnrolmentStatus), required=True),
        ),
    ),
)


@dataclass
class FileResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    warnings: list[str] = field(default_factory=list)
    present: bool = True
    lines: dict[str, int] = field(default_factory=dict)  # natural key -> line of its valid row

    def as_dict(self) -> dict:
        return {
            "present": self.present,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "rejected": self.rejected,
            "warnings": self.warnings,
        }


@dataclass
class ImportContext:
    today: datetime.date
    # natural key -> database id, per file kind, filled as each file is stored
    keys: dict[str, dict[str, int]] = field(default_factory=dict)
    rejects: list[ImportReject] = field(default_factory=list)
    run_id: int | None = None
    started_by: User | None = None
    # pseudonym -> when that client was erased (one query per run); aliases memoised per number
    erased: dict[str, datetime.datetime] = field(default_factory=dict)
    aliases: dict[str, str] = field(default_factory=dict)

    def erasure_of(self, client_number: str) -> tuple[str, datetime.datetime] | None:
        """(pseudonym, erased at) if this client number belongs to an erased client."""
        if not (self.erased and client_number):
            return None
        alias = self.aliases.get(client_number)
        if alias is None:
            alias = self.aliases[client_number] = pseudonym(client_number)
        return (alias, self.erased[alias]) if alias in self.erased else None

    def reject(self, filename: str, line: int, column: str, reason: str, row: dict) -> None:
        # An erased client's raw values must not come back through the reject log either.
        erasure = self.erasure_of(str(row.get(CLIENT_COLUMN) or "").strip())
        self.rejects.append(
            ImportReject(
                file=filename,
                line=line,
                column=column,
                reason=str(reason),
                row={"erased": erasure[0]} if erasure else dict(row),
            )
        )


def read_rows(path: Path, ctx: ImportContext) -> tuple[list[str], Iterator[tuple[int, dict]]]:
    """The header and (line number, row) pairs of a CSV file. Undecodable bytes and broken
    quoting become rejects, never exceptions."""
    raw = path.read_bytes()
    try:
        content = raw.decode("utf-8-sig")
        bad_encoding = False
    except UnicodeDecodeError:
        content = raw.decode("utf-8-sig", errors="replace")
        bad_encoding = True
    if "\x00" in content:  # PostgreSQL cannot store NUL in text: treat it as an undecodable byte
        content = content.replace("\x00", "\ufffd")
        bad_encoding = True
    reader = csv.reader(io.StringIO(content, newline=""))
    try:
        header = [name.strip() for name in next(reader)]
    except StopIteration:
        return [], iter(())
    except csv.Error as exc:
        ctx.reject(path.name, 1, "", _("unreadable header: %(error)s") % {"error": exc}, {})
        return [], iter(())

    def rows():
        while True:
            try:
                values = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                ctx.reject(
                    path.name,
                    reader.line_num,
                    "",
                    _("unreadable CSV: %(error)s") % {"error": exc},
                    {},
                )
                continue
            if not any(value.strip() for value in values):
                continue  # blank line
            row = dict(zip(header, values, strict=False))
            if len(values) != len(header):
                ctx.reject(
                    path.name,
                    reader.line_num,
                    "",
                    _("%(found)d values where the header has %(expected)d columns")
                    % {"found": len(values), "expected": len(header)},
                    row,
                )
                continue
            if bad_encoding and any("\ufffd" in value for value in values):
                ctx.reject(
                    path.name,
                    reader.line_num,
                    "",
                    _("not valid UTF-8 (or contains a NUL character)"),
                    row,
                )
                continue
            yield reader.line_num, row

    return header, rows()


def parse_file(
    spec: FileSpec, path: Path, ctx: ImportContext, result: FileResult
) -> dict[str, dict]:
    """Valid rows of one file as {natural key: {field: value}}; every other row is a reject."""
    header, rows = read_rows(path, ctx)
    known = {spec.key_column, *(column.name for column in spec.columns)}
    missing = [
        name
        for name in [spec.key_column, *(c.name for c in spec.columns if c.required)]
        if name not in header
    ]
    if missing:
        for name in missing:
            ctx.reject(path.name, 1, name, _("required column is missing from the header"), {})
        result.rejected += sum(1 for _row in rows)
        result.warnings.append(
            _("file skipped: required column(s) missing: %(names)s") % {"names": ", ".join(missing)}
        )
        return {}
    unknown = [name for name in header if name not in known]
    if unknown:
        result.warnings.append(
            _("unknown columns ignored: %(names)s") % {"names": ", ".join(unknown)}
        )
    present_columns = [column for column in spec.columns if column.name in header]

    parsed: dict[str, dict] = {}
    first_seen: dict[str, int] = {}
    rejects_before = len(ctx.rejects)
    for line, row in rows:
        # Before any other check: their reasons would quote the erased client's values.
        erasure = ctx.erasure_of(row.get(CLIENT_COLUMN, "").strip())
        if erasure:
            erased_on = timezone.localtime(erasure[1]).date().isoformat()
            ctx.reject(
                path.name,
                line,
                CLIENT_COLUMN,
                _("client was erased on %(date)s; not re-imported") % {"date": erased_on},
                row,
            )
            continue
        key = row[spec.key_column].strip()
        if not key:
            ctx.reject(path.name, line, spec.key_column, _("the key is empty"), row)
            continue
        if len(key) > 32:
            ctx.reject(
                path.name, line, spec.key_column, _("the key is longer than 32 characters"), row
            )
            continue
        if key in first_seen:
            ctx.reject(
                path.name,
                line,
                spec.key_column,
                _("duplicate key '%(key)s', first seen on line %(line)d")
                % {"key": key, "line": first_seen[key]},
                row,
            )
            continue
        first_seen[key] = line
        result.lines[key] = line
        values, errors = {}, []
        for column in present_columns:
            raw = row[column.name].strip()
            if len(raw) > MAX_CELL_LENGTH:
                errors.append(
                    CellError(
                        column.name,
                        _("value is longer than %(n)d characters") % {"n": MAX_CELL_LENGTH},
                    )
                )
                continue
            if column.required and raw == "":
                errors.append(CellError(column.name, _("a value is required")))
                continue
            try:
                values[column.field] = column.parse(raw, ctx)
            except ValueError as exc:
                errors.append(CellError(column.name, str(exc)))
        if errors:
            for error in errors:
                ctx.reject(path.name, line, error.column, error.reason, row)
            continue
        parsed[key] = values
    rejected_lines = {(r.file, r.line) for r in ctx.rejects[rejects_before:]}
    result.rejected += len(rejected_lines)
    return parsed


def comparable(value):
    return tuple(value) if isinstance(value, list) else value


def upsert(spec: FileSpec, parsed: dict[str, dict], result: FileResult, ctx: ImportContext) -> None:
    """Create new keys, update changed ones, leave the rest: three bulk statements, no per-row query."""
    fields = sorted({name for values in parsed.values() for name in values})
    existing: dict[str, tuple[int, int]] = {}
    for row in spec.model.objects.values_list("pk", spec.key_field, *fields).iterator(
        chunk_size=10_000
    ):
        pk, key, *current = row
        if key is not None:
            existing[key] = (pk, hash(tuple(comparable(v) for v in current)))

    to_create, to_update = [], []
    for key, values in parsed.items():
        if key in existing:
            pk, fingerprint = existing[key]
            if fingerprint == hash(tuple(comparable(values.get(name)) for name in fields)):
                result.unchanged += 1
                continue
            to_update.append(spec.model(pk=pk, **{spec.key_field: key, **values}))
        else:
            extra = spec.defaults_for_new() if spec.defaults_for_new else {}
            to_create.append({spec.key_field: key, **extra, **values})

    if spec.model is User:
        new_users = [User(**row) for row in to_create]
        check_usernames(new_users + to_update, ctx, result)
        to_create = [
            row
            for row, user in zip(to_create, new_users, strict=True)
            if not getattr(user, "_rejected", False)
        ]
        to_update = [user for user in to_update if not getattr(user, "_rejected", False)]
    bulk_write(spec, to_create, to_update, fields, ctx)
    result.created += len(to_create)
    result.updated += len(to_update)
    ctx.keys[spec.kind] = dict(
        spec.model.objects.exclude(**{spec.key_field: None}).values_list(spec.key_field, "pk")
    )


def bulk_write(
    spec: FileSpec, to_create: list[dict], to_update: list, fields: list[str], ctx: ImportContext
) -> None:
    """Bulk insert and update. Models with a change history (simple_history) get their history rows
    in bulk too, so the importer's changes are as traceable as anyone's."""
    model = spec.model
    create_rows(model, to_create)
    tracked = hasattr(model, "history")
    if tracked and to_create:
        record_history(spec, [row[spec.key_field] for row in to_create], "+", ctx)
    if not (to_update and fields):
        return
    model.objects.bulk_update(to_update, fields, batch_size=BATCH_SIZE)
    if tracked:
        # From the stored rows, not the update's instances: those hold only the export's columns, so
        # a field the app records itself (a client's available hours) would show as emptied.
        record_history(spec, [getattr(row, spec.key_field) for row in to_update], "~", ctx)


def change_reason(ctx: ImportContext) -> str:
    return _("import run %(run)s") % {"run": ctx.run_id}


def record_history(spec: FileSpec, keys: list[str], history_type: str, ctx: ImportContext) -> None:
    """History rows ('+' created, '~' changed) for the rows just written, copied set-wise by the
    database (INSERT ... SELECT), so a first import of a million rows needs no million model instances."""
    model, history = spec.model, spec.model.history.model
    connection = connections[router.db_for_write(model)]
    quote = connection.ops.quote_name
    copied = [
        f.column for f in history._meta.concrete_fields if not f.attname.startswith("history_")
    ]
    stamp = {
        "history_date": timezone.now(),
        "history_change_reason": change_reason(ctx),
        "history_type": history_type,
        "history_user_id": ctx.started_by.pk if ctx.started_by else None,
    }
    columns = ", ".join(quote(c) for c in [*copied, *stamp])
    selected = ", ".join([*(quote(c) for c in copied), *(["%s"] * len(stamp))])
    key_column = quote(model._meta.get_field(spec.key_field).column)
    for start in range(0, len(keys), 500):  # bounded IN lists: SQLite's parameter limit
        chunk = keys[start : start + 500]
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {quote(history._meta.db_table)} ({columns}) SELECT {selected} "
                f"FROM {quote(model._meta.db_table)} WHERE {key_column} IN ({', '.join(['%s'] * len(chunk))})",
                [*stamp.values(), *chunk],
            )


def create_rows(model: type[models.Model], rows: list[dict]) -> None:
    """Insert new rows given as {attname: value}. On PostgreSQL by COPY straight from the parsed
    values, without building model instances: a city's first import is 10^5–10^6 rows and the
    instances cost more than the database (bench/ measures the rate). Elsewhere bulk_create.
    Like bulk_create it sends no signals; the caller re-reads keys and primary keys afterwards."""
    connection = connections[router.db_for_write(model)]
    if connection.vendor != "postgresql":
        model.objects.bulk_create([model(**row) for row in rows], batch_size=BATCH_SIZE)
        return
    if not rows:
        return
    from psycopg.types.json import Jsonb

    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    defaults = {f.attname: f.get_default() for f in fields}
    json_fields = {f.attname for f in fields if isinstance(f, models.JSONField)}
    quote = connection.ops.quote_name
    statement = f"COPY {quote(model._meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
        for row in rows:
            values = {**defaults, **row}
            for name in json_fields:
                if values[name] is not None:
                    values[name] = Jsonb(values[name])
            copy.write_row([values[f.attname] for f in fields])


def check_usernames(users: list[User], ctx: ImportContext, result: FileResult) -> None:
    """A username already taken by another staff member would break the unique constraint."""
    taken = dict(
        User.objects.filter(username__in=[u.username for u in users]).values_list(
            "username", "employee_id"
        )
    )
    seen: dict[str, str] = {}
    for user in users:
        owner = taken.get(user.username, seen.get(user.username, user.employee_id))
        if owner != user.employee_id:
            user._rejected = True
            ctx.reject(
                "staff.csv",
                result.lines.get(user.employee_id, 0),
                "username",
                _("username '%(name)s' already belongs to %(owner)s")
                % {"name": user.username, "owner": owner or _("another account")},
                {"employee_id": user.employee_id},
            )
            result.rejected += 1
        seen.setdefault(user.username, user.employee_id)


def import_export(
    directory: str | Path, started_by=None, today: datetime.date | None = None
) -> ImportRun:
    directory = Path(directory)
    run = ImportRun.objects.create(source=str(directory), started_by=started_by)
    ctx = ImportContext(today=today or timezone.localdate(), run_id=run.pk, started_by=started_by)
    summary: dict[str, dict] = {}
    try:
        if not directory.is_dir():
            raise FileNotFoundError(_("%(path)s is not a folder") % {"path": directory})
        missing = [
            spec.filename
            for spec in FILES
            if spec.required_file and not (directory / spec.filename).is_file()
        ]
        if missing:
            raise FileNotFoundError(
                _("required file(s) missing: %(files)s") % {"files": ", ".join(missing)}
            )
        with transaction.atomic():
            ctx.erased = dict(
                ErasureRecord.objects.order_by("erased_at").values_list("pseudonym", "erased_at")
            )
            for spec in FILES:
                result = FileResult()
                path = directory / spec.filename
                if path.is_file():
                    upsert(spec, parse_file(spec, path, ctx, result), result, ctx)
                else:
                    result.present = False
                    ctx.keys[spec.kind] = dict(spec.model.objects.values_list(spec.key_field, "pk"))
                summary[spec.filename] = result.as_dict()
            for reject in ctx.rejects:
                reject.run = run
            ImportReject.objects.bulk_create(ctx.rejects, batch_size=BATCH_SIZE)
    except Exception as exc:  # the transaction has rolled back: record why, change nothing else
        logger.exception("import of %s failed", directory)
        run.status = ImportRun.Status.FAILED
        run.error = f"{type(exc).__name__}: {exc}"
    else:
        run.status = ImportRun.Status.SUCCEEDED
    run.summary = summary
    run.finished_at = timezone.now()
    run.save(update_fields=["status", "error", "summary", "finished_at"])
    return run
