"""Set-based checks and writes of one file through a staging table.

The rows of a file that passed the per-cell checks are loaded into a temporary table in batches
(COPY on PostgreSQL, executemany elsewhere). The checks that need other rows — duplicate keys,
references to other files, usernames taken — and the upsert are then a few SQL statements each,
whatever the size of the file: no per-row query and no per-row Python object kept. Rows found
wanting by SQL go to a second temporary table (line, column, code, value) and become rejects when
the file is read once more for their raw values (caseload.importer.run).

The same SQL runs on PostgreSQL and SQLite; the differences (loading, comparing, JSON) are in the
`Dialect`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import orjson
from django.db import models

from .files import FILES, FILES_BY_KIND, Column, FileSpec

STAGE, FOUND, CHANGED = "_import_stage", "_import_found", "_import_changed"
BATCH_SIZE = 5000
ANALYZE_AFTER = 1000  # rows written to a table before its statistics are refreshed


@dataclass
class Dialect:
    connection: object

    @property
    def postgresql(self) -> bool:
        return self.connection.vendor == "postgresql"

    def quote(self, name: str) -> str:
        return self.connection.ops.quote_name(name)

    def temp_table(self, name: str, columns: str) -> str:
        return f"CREATE TEMPORARY TABLE {name} ({columns})"

    def differ(self, left: str, right: str, json: bool) -> str:
        if self.postgresql:
            return f"{left} IS DISTINCT FROM {right}"
        if json:  # SQLite keeps JSON as text: compare it minified
            return f"json({left}) IS NOT json({right})"
        return f"{left} IS NOT {right}"

    def json_value(self, expression: str) -> str:
        return f"CAST({expression} AS jsonb)" if self.postgresql else expression


def is_json(field: models.Field) -> bool:
    return isinstance(field, models.JSONField)


def as_json(value) -> str | None:
    return None if value is None else orjson.dumps(value).decode()


def as_iso(value) -> str | None:
    return None if value is None else value.isoformat()


class Stage:
    """The staging table of one file."""

    def __init__(self, spec: FileSpec, columns: list[Column], connection):
        self.spec, self.columns, self.connection = spec, columns, connection
        self.dialect = Dialect(connection)
        self.model = spec.model
        self.fields = [self.model._meta.get_field(column.field) for column in columns]
        self.names = [f"f_{field.attname}" for field in self.fields]
        self.batch: list[tuple] = []

    def parser(self, position: int):
        """The column's parser, with what the staged value needs before loading: JSON as text;
        on SQLite dates as ISO text."""
        column, field = self.columns[position], self.fields[position]
        parse = column.parse
        if is_json(field):
            return lambda value, ctx: as_json(parse(value, ctx))
        if isinstance(field, models.DateField) and not self.dialect.postgresql:
            return lambda value, ctx: as_iso(parse(value, ctx))
        return parse

    # --- loading ----------------------------------------------------------------------------------

    def create(self) -> None:
        types = []
        for column, field, name in zip(self.columns, self.fields, self.names, strict=True):
            text = column.refers_to or is_json(field)
            types.append(f"{name} {'text' if text else field.db_type(self.connection)}")
        with self.connection.cursor() as cursor:
            cursor.execute(
                self.dialect.temp_table(
                    STAGE, ", ".join(["line integer", "k text", "ok boolean", *types])
                )
            )
            cursor.execute(
                self.dialect.temp_table(
                    FOUND, "line integer, col text, code text, value text, other text"
                )
            )
            cursor.execute(self.dialect.temp_table(CHANGED, "id bigint"))

    def add(self, row: tuple) -> None:
        """(line, key, ok, value of each column)"""
        self.batch.append(row)
        if len(self.batch) >= BATCH_SIZE:
            self.flush()

    def flush(self) -> None:
        if not self.batch:
            return
        columns = ["line", "k", "ok", *self.names]
        with self.connection.cursor() as cursor:
            if self.dialect.postgresql:
                with cursor.cursor.copy(f"COPY {STAGE} ({', '.join(columns)}) FROM STDIN") as copy:
                    for row in self.batch:
                        copy.write_row(row)
            else:
                cursor.executemany(
                    f"INSERT INTO {STAGE} ({', '.join(columns)}) "
                    f"VALUES ({', '.join(['%s'] * len(columns))})",
                    self.batch,
                )
        self.batch = []

    def drop(self) -> None:
        with self.connection.cursor() as cursor:
            for table in (STAGE, FOUND, CHANGED):
                cursor.execute(f"DROP TABLE IF EXISTS {table}")

    def execute(self, sql: str, params=()) -> int:
        with self.connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.rowcount

    def scalar(self, sql: str, params=()):
        with self.connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchone()[0]

    # --- checks that need other rows ---------------------------------------------------------------

    def check(self) -> None:
        """Duplicate keys, unknown references and taken unique values go to FOUND; those rows and
        the rows that failed a cell check leave the stage."""
        self.flush()
        if self.dialect.postgresql:
            self.execute(f"ANALYZE {STAGE}")  # temporary tables are never analysed automatically
        self.execute(
            f"INSERT INTO {FOUND} (line, col, code, value, other) "
            f"SELECT s.line, '{self.spec.key_column}', 'duplicate', s.k, CAST(f.first AS text) "
            f"FROM {STAGE} s JOIN (SELECT k, MIN(line) AS first FROM {STAGE} GROUP BY k "
            f"HAVING COUNT(*) > 1) f ON f.k = s.k WHERE s.line > f.first AND s.ok"
        )
        self.execute(f"DELETE FROM {STAGE} WHERE NOT ok OR line IN (SELECT line FROM {FOUND})")
        found = 0
        for column, name in zip(self.columns, self.names, strict=True):
            if column.refers_to:
                target = FILES_BY_KIND[column.refers_to]
                found += self.execute(
                    f"INSERT INTO {FOUND} (line, col, code, value, other) "
                    f"SELECT s.line, %s, 'unknown', s.{name}, %s FROM {STAGE} s "
                    f"WHERE s.{name} IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "
                    f"{self.table(target.model)} r WHERE r.{self.key_of(target)} = s.{name})",
                    [column.name, target.filename],
                )
        for column, name in zip(self.columns, self.names, strict=True):
            if column.name in self.spec.unique_columns:
                found += self.unique(column, name)
        if found:
            self.execute(f"DELETE FROM {STAGE} WHERE line IN (SELECT line FROM {FOUND})")

    def unique(self, column: Column, name: str) -> int:
        """A value that must be unique (a username) held by another key, in the database or on an
        earlier line of the file."""
        table, key = self.table(self.model), self.key_of(self.spec)
        target = self.dialect.quote(self.model._meta.get_field(column.field).column)
        taken = self.execute(
            f"INSERT INTO {FOUND} (line, col, code, value, other) "
            f"SELECT s.line, %s, 'taken', s.{name}, t.{key} FROM {STAGE} s "
            f"JOIN {table} t ON t.{target} = s.{name} WHERE t.{key} IS NULL OR t.{key} <> s.k",
            [column.name],
        )
        return taken + self.execute(
            f"INSERT INTO {FOUND} (line, col, code, value, other) "
            f"SELECT s.line, %s, 'taken', s.{name}, first.k FROM {STAGE} s "
            f"JOIN (SELECT {name} AS value, MIN(line) AS line FROM {STAGE} GROUP BY {name} "
            f"HAVING COUNT(*) > 1) g ON g.value = s.{name} "
            f"JOIN {STAGE} first ON first.line = g.line WHERE s.line > g.line "
            f"AND s.line NOT IN (SELECT line FROM {FOUND})",
            [column.name],
        )

    def found(self) -> Iterator[tuple[int, str, str, str | None, str | None]]:
        """(line, column, code, value, other) of the rows found wanting, in line order."""
        with self.connection.chunked_cursor() as cursor:
            cursor.execute(f"SELECT line, col, code, value, other FROM {FOUND} ORDER BY line, col")
            while rows := cursor.fetchmany(2000):
                yield from rows

    # --- app-recorded values -----------------------------------------------------------------------

    def disagreements(self, field_name: str) -> list[tuple]:
        """Staged rows whose value of `field_name` differs from a value a user recorded in the app
        and that is still in force: (line, key, imported value, imported date, current value,
        recorded at, recorded by). Few rows: read at once."""
        field = self.model._meta.get_field(field_name)
        history = self.model.history.model
        name = f"f_{field.attname}"
        date_name = f"f_{self.model._meta.get_field(self.spec.event_date_field).attname}"
        column = self.dialect.quote(field.column)
        table, key = self.table(self.model), self.key_of(self.spec)
        hist = self.dialect.quote(history._meta.db_table)
        with self.connection.cursor() as cursor:
            cursor.execute(
                f"SELECT s.line, s.k, s.{name}, s.{date_name}, t.{column}, a.history_date, "
                f"a.history_user_id FROM {STAGE} s JOIN {table} t ON t.{key} = s.k "
                f"JOIN {hist} a ON a.history_id = (SELECT MAX(h.history_id) FROM {hist} h "
                f"WHERE h.id = t.id AND h.history_user_id IS NOT NULL) "
                f"WHERE s.{name} <> t.{column} AND a.{column} = t.{column} ORDER BY s.line"
            )
            return cursor.fetchall()

    def keep_current(self, field_name: str, lines: list[int]) -> None:
        """The app's value wins on these lines: stage the value in force instead of the export's."""
        field = self.model._meta.get_field(field_name)
        name, column = f"f_{field.attname}", self.dialect.quote(field.column)
        table, key = self.table(self.model), self.key_of(self.spec)
        for start in range(0, len(lines), 500):
            chunk = lines[start : start + 500]
            self.execute(
                f"UPDATE {STAGE} SET {name} = (SELECT t.{column} FROM {table} t "
                f"WHERE t.{key} = {STAGE}.k) WHERE line IN ({', '.join(['%s'] * len(chunk))})",
                chunk,
            )

    # --- the upsert --------------------------------------------------------------------------------

    def table(self, model) -> str:
        return self.dialect.quote(model._meta.db_table)

    def key_of(self, spec: FileSpec) -> str:
        return self.dialect.quote(spec.model._meta.get_field(spec.key_field).column)

    def values(self) -> tuple[str, list, list[str]]:
        """A subquery of the staged rows as the target's columns (references resolved), its
        parameters and the target's column names."""
        selected, joins, params, targets = ["s.k AS k"], [], [], []
        for i, (column, field, name) in enumerate(
            zip(self.columns, self.fields, self.names, strict=True)
        ):
            target = self.dialect.quote(field.column)
            if column.refers_to:
                other = FILES_BY_KIND[column.refers_to]
                joins.append(
                    f"LEFT JOIN {self.table(other.model)} r{i} "
                    f"ON r{i}.{self.key_of(other)} = s.{name}"
                )
                expression = f"r{i}.id"
            elif is_json(field):
                expression = self.dialect.json_value(f"s.{name}")
            else:
                expression = f"s.{name}"
            default = None if field.null or column.refers_to else field.get_default()
            if default is not None:  # an empty cell of a NOT NULL column: the model's default
                expression = f"COALESCE({expression}, %s)"
                params.append(field.get_db_prep_save(default, self.connection))
            selected.append(f"{expression} AS {target}")
            targets.append(target)
        sql = f"SELECT {', '.join(selected)} FROM {STAGE} s {' '.join(joins)}"
        return sql, params, targets

    def upsert(self, history_stamp: dict | None, new_row_defaults: dict) -> tuple[int, int, int]:
        """Update the rows that differ, insert the new ones, write their history: (created,
        updated, unchanged)."""
        table, key = self.table(self.model), self.key_of(self.spec)
        staged = self.scalar(f"SELECT COUNT(*) FROM {STAGE}")
        if not staged:
            return 0, 0, 0
        if self.dialect.postgresql and staged >= ANALYZE_AFTER:
            # Statistics of a table written earlier in this transaction (or emptied since they were
            # taken) mislead the planner into row-by-row joins: autovacuum does not look inside an
            # open transaction.
            self.execute(f"ANALYZE {table}")
        values, params, targets = self.values()
        updated = self.update(values, params, targets, history_stamp) if targets else 0
        defaults = self.insert_defaults(targets, new_row_defaults)
        columns = [key, *targets, *(self.dialect.quote(column) for column in defaults)]
        insert = (
            f"INSERT INTO {table} ({', '.join(columns)}) "
            f"SELECT v.k, {', '.join([*(f'v.{t}' for t in targets), *(['%s'] * len(defaults))])} "
            # Not an anti-join: a row-by-row plan would rescan the growing table for every row.
            f"FROM ({values}) v WHERE true ON CONFLICT ({key}) DO NOTHING"
        )
        insert_params = [*defaults.values(), *params]
        if history_stamp is None:
            created = self.execute(insert, insert_params)
        elif self.dialect.postgresql:  # the new rows and their history in one statement
            created = self.with_history(insert, insert_params, history_stamp, "+")
        else:
            before = self.scalar(f"SELECT COALESCE(MAX(id), 0) FROM {table}")
            created = self.execute(insert, insert_params)
            if created:
                self.history(
                    history_stamp, "+", f"id > %s AND {key} IN (SELECT k FROM {STAGE})", [before]
                )
        referenced = any(
            column.refers_to == self.spec.kind for spec in FILES for column in spec.columns
        )
        if self.dialect.postgresql and referenced and created + updated >= ANALYZE_AFTER:
            self.execute(f"ANALYZE {table}")  # the next files join this table
        return created, updated, staged - created - updated

    def update(self, values: str, params: list, targets: list[str], history_stamp) -> int:
        table, key = self.table(self.model), self.key_of(self.spec)
        differ = " OR ".join(
            self.dialect.differ(f"t.{target}", f"v.{target}", is_json(field))
            for target, field in zip(targets, self.fields, strict=True)
        )
        assignments = ", ".join(f"{target} = v.{target}" for target in targets)
        if self.dialect.postgresql:
            update = (
                f"UPDATE {table} AS t SET {assignments} FROM ({values}) v "
                f"WHERE t.{key} = v.k AND ({differ})"
            )
            if history_stamp is None:
                return self.execute(update, params)
            return self.with_history(update, params, history_stamp, "~", alias="t.")
        # SQLite: no data-modifying WITH; the changed rows' ids first.
        self.execute(
            f"INSERT INTO {CHANGED} (id) SELECT t.id FROM {table} t "
            f"JOIN ({values}) v ON t.{key} = v.k WHERE {differ}",
            params,
        )
        updated = self.scalar(f"SELECT COUNT(*) FROM {CHANGED}")
        if updated:
            self.execute(
                f"UPDATE {table} AS t SET {assignments} FROM ({values}) v "
                f"WHERE t.{key} = v.k AND t.id IN (SELECT id FROM {CHANGED})",
                params,
            )
            if history_stamp is not None:
                self.history(history_stamp, "~", f"id IN (SELECT id FROM {CHANGED})", [])
        return updated

    def insert_defaults(self, targets: list[str], new_row_defaults: dict) -> dict:
        """Column -> value for the target's columns the file does not fill (model defaults)."""
        filled = {*targets, self.key_of(self.spec)}
        defaults = {}
        for field in self.model._meta.concrete_fields:
            if field.primary_key or self.dialect.quote(field.column) in filled:
                continue
            value = new_row_defaults.get(field.attname, field.get_default())
            defaults[field.column] = field.get_db_prep_save(value, self.connection)
        return defaults

    def history_columns(self, stamp: dict) -> tuple[list[str], list[str]]:
        """The history table's columns copied from the row, and all its columns to insert."""
        copied = [
            self.dialect.quote(f.column)
            for f in self.model.history.model._meta.concrete_fields
            if not f.attname.startswith("history_")
        ]
        return copied, [*copied, *(self.dialect.quote(name) for name in stamp)]

    def history(self, stamp: dict, history_type: str, where: str, params: list) -> None:
        """History rows (simple_history) for target rows, copied by the database."""
        stamp = {**stamp, "history_type": history_type}
        copied, columns = self.history_columns(stamp)
        self.execute(
            f"INSERT INTO {self.table(self.model.history.model)} ({', '.join(columns)}) "
            f"SELECT {', '.join([*copied, *(['%s'] * len(stamp))])} "
            f"FROM {self.table(self.model)} WHERE {where}",
            [*stamp.values(), *params],
        )

    def with_history(
        self, write: str, params: list, stamp: dict, history_type: str, alias: str = ""
    ) -> int:
        """PostgreSQL: an INSERT or UPDATE and the history rows of what it wrote, in one statement;
        the number of rows written."""
        stamp = {**stamp, "history_type": history_type}
        copied, columns = self.history_columns(stamp)
        return self.execute(
            f"WITH written AS ({write} RETURNING {', '.join(alias + c for c in copied)}) "
            f"INSERT INTO {self.table(self.model.history.model)} ({', '.join(columns)}) "
            f"SELECT {', '.join([*copied, *(['%s'] * len(stamp))])} FROM written",
            [*params, *stamp.values()],
        )
