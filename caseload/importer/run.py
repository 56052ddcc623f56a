"""One import run: every file of the export, in dependency order, in one transaction."""

from __future__ import annotations

import csv
import datetime
import itertools
import logging
import time
from array import array
from bisect import bisect_left
from dataclasses import dataclass, field
from pathlib import Path

from django.db import connections, router, transaction
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from caseload.keys import KEY_CHARACTERS, KEY_MAX_LENGTH, is_key
from caseload.models import ErasureRecord, ImportConflict, ImportReject, ImportRun
from caseload.privacy import pseudonym
from caseload.signals import import_succeeded

from . import records as record_stream
from .files import CLIENT_COLUMN, FILES, MAX_CELL_LENGTH, FileSpec
from .records import RAW_PREVIEW, FileProblem, decode, records, split
from .staging import Stage

logger = logging.getLogger(__name__)

# The exit status of `import_registrations`, by the run's status.
EXIT_STATUS = {
    ImportRun.Status.SUCCEEDED: 0,
    ImportRun.Status.FAILED: 1,
    ImportRun.Status.PARTIAL: 3,
}
REJECT_BATCH = 2000
DOCS = "docs/registration-export.md"


class ImportFailed(Exception):
    """One or more files cannot be read as a whole: nothing is imported."""

    def __init__(self, problems: list[FileProblem]):
        super().__init__("\n".join(str(problem) for problem in problems))
        self.problems = problems


@dataclass
class FileResult:
    present: bool = True
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    conflicts: int = 0
    warnings: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "present": self.present,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "rejected": self.rejected,
            "conflicts": self.conflicts,
            "warnings": self.warnings,
        }


class Erasures:
    """The erased clients' pseudonyms (64-bit HMACs), sorted, with the day of each erasure: 12
    bytes per erasure, read in one query."""

    def __init__(self):
        pairs = sorted(
            (int(alias.removeprefix("P-"), 16), timezone.localtime(erased_at).date().toordinal())
            for alias, erased_at in ErasureRecord.objects.values_list(
                "pseudonym", "erased_at"
            ).iterator(chunk_size=10_000)
        )
        self.keys = array("Q", (key for key, _day in pairs))
        self.days = array("l", (day for _key, day in pairs))
        self.last: tuple[str, tuple[str, datetime.date] | None] = ("", None)

    def of(self, client_number: str) -> tuple[str, datetime.date] | None:
        """(pseudonym, day of erasure) if this client number belongs to an erased client."""
        if not (self.keys and client_number):
            return None
        if self.last[0] == client_number:  # the files list a client's rows together
            return self.last[1]
        alias = pseudonym(client_number)
        key = int(alias.removeprefix("P-"), 16)
        position = bisect_left(self.keys, key)
        found = None
        if position < len(self.keys) and self.keys[position] == key:
            found = (alias, datetime.date.fromordinal(self.days[position]))
        self.last = (client_number, found)
        return found


@dataclass
class ImportContext:
    run: ImportRun
    today: datetime.date
    erasures: Erasures | None = None
    rejects: list[ImportReject] = field(default_factory=list)
    rejected: int = 0

    def reject(
        self, result: FileResult, filename: str, line: int, errors: list[tuple[str, str]], row
    ) -> None:
        """One rejected row, with every reason found for it: [(column, reason), ...]."""
        columns = ", ".join(dict.fromkeys(column for column, _reason in errors if column))
        if len(errors) == 1:
            reason = errors[0][1]
        else:
            reason = "; ".join(
                f"{column}: {reason}" if column else reason for column, reason in errors
            )
        self.rejects.append(
            ImportReject(
                run=self.run, file=filename, line=line, column=columns, reason=reason, row=row
            )
        )
        result.rejected += 1
        self.rejected += 1
        if len(self.rejects) >= REJECT_BATCH:
            self.flush()

    def flush(self) -> None:
        ImportReject.objects.bulk_create(self.rejects)
        self.rejects = []


def raw_row(header: list[str], values: list[str] | None, text: str) -> dict:
    if values is None:
        return {"_raw": text[:RAW_PREVIEW]}
    return dict(zip(header, values, strict=False))


# --- the header -----------------------------------------------------------------------------------


def read_header(spec: FileSpec, reader) -> tuple[list[str], list[str]]:
    """The column names and warnings, or a FileProblem saying what to fix."""
    filename = spec.filename
    expected = ", ".join(
        [spec.key_column, *(column.name for column in spec.columns if column.required)]
    )
    record = next(reader, None)
    if record is None or not record.data.strip():
        raise FileProblem(
            filename,
            1,
            _("the file is empty."),
            _("Its first line must be the header, with at least the columns %(columns)s.")
            % {"columns": expected},
        )
    if b"\x00" in record.data:
        raise FileProblem(
            filename,
            1,
            _("the header contains NUL characters: the file is probably UTF-16, not UTF-8."),
            _("Save or export it as UTF-8 and import again."),
        )
    text, clean = decode(record.data)
    if not clean:
        raise FileProblem(
            filename,
            1,
            _("the header is not valid UTF-8."),
            _("Save or export the file as UTF-8 and import again."),
        )
    try:
        names = [name.strip() for name in split(text)]
    except csv.Error as exc:
        raise FileProblem(filename, 1, _("unreadable header: %(error)s") % {"error": exc}) from None
    known = {spec.key_column, *(column.name for column in spec.columns)}
    if not known & set(names):
        raise FileProblem(
            filename,
            1,
            _("none of the header's columns (%(found)s) is a column of this file.")
            % {"found": ", ".join(names)[:200]},
            _(
                "The first line must be the header, with at least the columns %(columns)s (%(docs)s)."
            )
            % {"columns": expected, "docs": DOCS},
        )
    repeated = sorted({name for name in names if name and names.count(name) > 1})
    if repeated:
        raise FileProblem(
            filename,
            1,
            _("column(s) named more than once in the header: %(names)s.")
            % {"names": ", ".join(repeated)},
            _("Keep one column of each name: a value must come from one place."),
            column=", ".join(repeated),
        )
    missing = [
        name
        for name in [spec.key_column, *(c.name for c in spec.columns if c.required)]
        if name not in names
    ]
    if missing:
        raise FileProblem(
            filename,
            1,
            _("required column(s) missing from the header: %(names)s.")
            % {"names": ", ".join(missing)},
            _("Add the column(s) to the export (%(docs)s).") % {"docs": DOCS},
            column=", ".join(missing),
        )
    warnings = []
    unknown = [name or _("(no name)") for name in names if name not in known]
    if unknown:
        warnings.append(_("unknown columns ignored: %(names)s") % {"names": ", ".join(unknown)})
    return names, warnings


def check_headers(directory: Path) -> None:
    """Every file's header before anything is written, so a broken file fails the run at once."""
    problems = []
    if not directory.is_dir():
        raise ImportFailed(
            [FileProblem(str(directory), 0, _("%(path)s is not a folder") % {"path": directory})]
        )
    for spec in FILES:
        path = directory / spec.filename
        if not path.is_file():
            if spec.required_file:
                problems.append(
                    FileProblem(
                        spec.filename,
                        0,
                        _("required file missing from the export."),
                        _("Every export has teams.csv, staff.csv and clients.csv."),
                    )
                )
            continue
        try:
            with path.open("rb") as handle:
                read_header(spec, records(handle, spec.filename))
        except FileProblem as problem:
            problems.append(problem)
    if problems:
        raise ImportFailed(problems)


# --- one file -------------------------------------------------------------------------------------


def import_file(spec: FileSpec, path: Path, ctx: ImportContext, result: FileResult) -> None:
    connection = connections[router.db_for_write(spec.model)]
    with path.open("rb") as handle:
        reader = records(handle, spec.filename)
        header, result.warnings = read_header(spec, reader)
        columns = [column for column in spec.columns if column.name in header]
        stage = Stage(spec, columns, connection)
        stage.create()
        started = time.perf_counter()
        rows = stage_rows(spec, header, columns, reader, stage, ctx, result)
        read = time.perf_counter()
        if spec.required_file and not rows:
            raise FileProblem(
                spec.filename,
                2,
                _("the file has a header but no rows."),
                _("An export always has %(file)s with rows: check that the export is complete.")
                % {"file": spec.filename},
            )
        stage.check()
        record_conflicts(spec, stage, ctx, result)
        checked = time.perf_counter()
        history = None
        if hasattr(spec.model, "history"):
            history = {
                "history_date": timezone.now(),
                "history_change_reason": _("import run %(run)s") % {"run": ctx.run.pk},
                "history_user_id": None,  # a user's id marks a change made in the app
            }
        defaults = spec.defaults_for_new() if spec.defaults_for_new else {}
        result.created, result.updated, result.unchanged = stage.upsert(history, defaults)
        written = time.perf_counter()
        reject_found(spec, path, header, stage, ctx, result)
        logger.info(
            "%s: %d rows read and checked in %.1f s, checked against the database in %.1f s, "
            "written in %.1f s",
            spec.filename,
            rows,
            read - started,
            checked - read,
            written - checked,
        )
        stage.drop()  # a failed run rolls back, and the tables with it


def stage_rows(spec, header, columns, reader, stage, ctx, result) -> int:
    """Check every cell of every row; stage the rows with a usable key; reject the others."""
    filename = spec.filename
    width = len(header)
    key_at = header.index(spec.key_column)
    client_at = header.index(CLIENT_COLUMN) if CLIENT_COLUMN in header else None
    cells = [
        (header.index(column.name), column.name, stage.parser(i), column.required)
        for i, column in enumerate(columns)
    ]
    nothing = (None,) * len(cells)
    erasures = ctx.erasures if ctx.erasures and ctx.erasures.keys else None
    rows = 0
    for record in reader:
        line = record.line
        text, clean = decode(record.data)
        try:
            values = split(text)
            unreadable = None
        except csv.Error as exc:
            values, unreadable = None, exc
        if values is not None and not any(value.strip() for value in values):
            continue  # a blank line
        rows += 1
        # Before any other check: their reasons and raw values would keep the erased client's data.
        if erasures and client_at is not None and values and client_at < len(values):
            erasure = erasures.of(values[client_at].strip())
            if erasure:
                reason = _("client was erased on %(date)s; not re-imported") % {
                    "date": erasure[1].isoformat()
                }
                ctx.reject(
                    result, filename, line, [(CLIENT_COLUMN, reason)], {"erased": erasure[0]}
                )
                continue
        problem = row_problem(record, values, unreadable, width, clean)
        if problem:
            row = raw_row(header, None if record.too_long else values, text)
            ctx.reject(result, filename, line, [("", problem)], row)
            continue
        key = values[key_at].strip()
        if not is_key(key):
            reason = key_problem(key)
            ctx.reject(
                result, filename, line, [(spec.key_column, reason)], raw_row(header, values, text)
            )
            continue
        typed, errors = [line, key, True], None
        for position, name, parse, required in cells:
            raw = values[position].strip()
            try:
                if len(raw) > MAX_CELL_LENGTH:
                    raise ValueError(
                        _("value is longer than %(n)d characters") % {"n": MAX_CELL_LENGTH}
                    )
                if required and not raw:
                    raise ValueError(_("a value is required"))
                typed.append(parse(raw, ctx))
            except ValueError as exc:
                errors = errors or []
                errors.append((name, str(exc)))
        if errors:
            ctx.reject(result, filename, line, errors, raw_row(header, values, text))
            stage.add((line, key, False, *nothing))  # still counts as the first of its key
        else:
            stage.add(tuple(typed))
    return rows


def row_problem(record, values, unreadable, width: int, clean: bool) -> str | None:
    """Why a record cannot be read as a row of the file, if it cannot."""
    if record.too_long:
        return _(
            "the record is longer than %(n)d bytes (a value with an unclosed or misplaced "
            "quote?); only its beginning is kept"
        ) % {"n": record_stream.MAX_RECORD_BYTES}
    if unreadable is not None:
        return _("unreadable CSV: %(error)s") % {"error": unreadable}
    if len(values) != width:
        return _("%(found)d values where the header has %(expected)d columns") % {
            "found": len(values),
            "expected": width,
        }
    if not clean:
        return _("not valid UTF-8 (or contains a NUL character)")
    return None


def key_problem(key: str) -> str:
    if not key:
        return _("the key is empty")
    return _("the key '%(key)s' is not a valid key: 1–%(n)d characters, only %(allowed)s") % {
        "key": key[:80],
        "n": KEY_MAX_LENGTH,
        "allowed": KEY_CHARACTERS,
    }


def found_reason(code: str, value: str | None, other: str | None) -> str:
    if code == "duplicate":
        return _("duplicate key '%(key)s', first seen on line %(line)s") % {
            "key": value,
            "line": other,
        }
    if code == "unknown":
        return _("'%(value)s' is not a known key in %(file)s") % {"value": value, "file": other}
    return _("'%(value)s' already belongs to %(owner)s") % {
        "value": value,
        "owner": other or _("another account"),
    }


def reject_found(spec, path, header, stage, ctx, result) -> None:
    """The rows the SQL checks found wanting, with their raw values: the file is read once more,
    in step with the findings (both in line order)."""
    findings = itertools.groupby(stage.found(), key=lambda finding: finding[0])
    first = next(findings, None)
    if first is None:
        return
    with path.open("rb") as handle:
        reader = records(handle, spec.filename)
        next(reader)  # the header
        for line, group in itertools.chain([first], findings):
            record = next(rec for rec in reader if rec.line >= line)
            text, _clean = decode(record.data)
            ctx.reject(
                result,
                spec.filename,
                line,
                [(col, found_reason(code, value, other)) for _l, col, code, value, other in group],
                raw_row(header, split(text), text),
            )


def as_date(value) -> datetime.date | None:
    return parse_date(value) if isinstance(value, str) else value


def as_datetime(value) -> datetime.datetime:
    if isinstance(value, str):  # SQLite: UTC as text
        value = parse_datetime(value)
    if timezone.is_naive(value):
        value = timezone.make_aware(value, datetime.UTC)
    return value


def record_conflicts(spec: FileSpec, stage: Stage, ctx: ImportContext, result) -> None:
    """Where the export disagrees with a value a user recorded in the app, the later event wins:
    the export's by its date column, the app's by the day it was recorded (the app's on the same
    day). Each disagreement is kept as an ImportConflict."""
    for name in spec.recorded_in_app:
        conflicts, app_wins = [], []
        for line, key, imported, imported_on, current, recorded_at, user_id in stage.disagreements(
            name
        ):
            recorded_at = as_datetime(recorded_at)
            imported_on = as_date(imported_on)
            export_later = imported_on and imported_on > timezone.localtime(recorded_at).date()
            kept = ImportConflict.Kept.EXPORT if export_later else ImportConflict.Kept.APP
            if not export_later:
                app_wins.append(line)
            conflicts.append(
                ImportConflict(
                    run=ctx.run,
                    file=spec.filename,
                    line=line,
                    key=key,
                    column=name,
                    recorded_value=current,
                    recorded_at=recorded_at,
                    recorded_by_id=user_id,
                    imported_value=imported,
                    imported_date=imported_on,
                    kept=kept,
                )
            )
        stage.keep_current(name, app_wins)
        ImportConflict.objects.bulk_create(conflicts)
        result.conflicts += len(conflicts)


# --- the run --------------------------------------------------------------------------------------


def import_export(
    directory: str | Path, started_by=None, today: datetime.date | None = None
) -> ImportRun:
    """Import the export in `directory`. The run ends `succeeded` (no rejects), `partial` (valid
    rows imported, rejected rows listed) or `failed` (nothing changed, the reason in `error`)."""
    directory = Path(directory)
    run = ImportRun.objects.create(source=str(directory), started_by=started_by)
    ctx = ImportContext(run=run, today=today or timezone.localdate())
    summary: dict = {}
    try:
        check_headers(directory)
        with transaction.atomic():
            ctx.erasures = Erasures()
            for spec in FILES:
                result = FileResult()
                path = directory / spec.filename
                if path.is_file():
                    import_file(spec, path, ctx, result)
                else:
                    result.present = False
                summary[spec.filename] = result.as_dict()
            ctx.flush()
    except (ImportFailed, FileProblem) as exc:
        problems = exc.problems if isinstance(exc, ImportFailed) else [exc]
        run.status = ImportRun.Status.FAILED
        run.error = "\n".join(str(problem) for problem in problems)
        summary = {"failures": [problem.as_dict() for problem in problems]}
    except Exception as exc:  # the transaction has rolled back: record why, change nothing else
        logger.exception("import of %s failed", directory)
        run.status = ImportRun.Status.FAILED
        run.error = f"{type(exc).__name__}: {exc}"
        summary = {}
    else:
        run.status = ImportRun.Status.PARTIAL if ctx.rejected else ImportRun.Status.SUCCEEDED
    run.summary = summary
    run.finished_at = timezone.now()
    run.save(update_fields=["status", "error", "summary", "finished_at"])
    if run.status in ImportRun.STORED:
        import_succeeded.send(sender=ImportRun, run=run)
    return run
