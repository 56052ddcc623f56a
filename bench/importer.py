"""The importer in the bench: each import runs as `manage.py import_registrations` in a process of
its own, so its peak resident memory (VmHWM, reported by bench.peak as it exits) is the importer's
alone, Django's start-up included. Its speed is the run's own duration (ImportRun.started_at to finished_at) over
the data rows of the export.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
IMPORT_ROWS_PER_S, IMPORT_PEAK_RSS_MB = 30_000, 300


@dataclass
class ImportFigures:
    rows: int
    seconds: float  # the run's own duration
    wall: float  # the whole command, start-up included
    peak_rss_mb: float
    exit_status: int
    status: str
    rejected: int
    output: str

    @property
    def rate(self) -> float:
        return self.rows / self.seconds if self.seconds else 0.0

    def line(self) -> str:
        return (
            f"{self.rows:,} rows in {self.seconds:.1f} s = {self.rate:,.0f} rows/s, peak RSS "
            f"{self.peak_rss_mb:,.0f} MB, exit {self.exit_status} ({self.status}, "
            f"{self.rejected:,} rejected rows; command {self.wall:.1f} s)"
        )


def data_rows(folder: Path) -> int:
    """Data lines of every CSV file (a line break inside a quoted value counts as a line)."""
    rows = 0
    for path in folder.glob("*.csv"):
        with path.open("rb") as handle:
            rows += sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(1 << 20), b""))
        rows -= 1
    return rows


def environment(database_url: str) -> dict:
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": "bench-only-secret-key-" + "x" * 40,
        "DJANGO_ALLOWED_HOSTS": "localhost",
        "DJANGO_LOG_LEVEL": "WARNING",
    }


def migrate(database_url: str, tree: Path = ROOT) -> None:
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
        cwd=tree,
        env=environment(database_url),
        check=True,
    )


def run_import(folder: Path, database_url: str, tree: Path = ROOT, rows: int = 0) -> ImportFigures:
    """Import `folder` with the importer of `tree` (this checkout, or another one to compare)."""
    import psycopg

    rows = rows or data_rows(folder)
    with tempfile.TemporaryFile("w+") as output, tempfile.NamedTemporaryFile("r") as peak:
        started = time.perf_counter()
        process = subprocess.run(
            [sys.executable, str(ROOT / "bench" / "peak.py"), peak.name, "manage.py"]
            + ["import_registrations"]
            + [str(folder), "--show-rejects", "3"],
            cwd=tree,
            env=environment(database_url),
            stdout=output,
            stderr=subprocess.STDOUT,
            text=True,
        )
        wall = time.perf_counter() - started
        output.seek(0)
        text = output.read()
        peak_kib = int(peak.read() or 0)
    with psycopg.connect(database_url) as connection:
        run = connection.execute(
            "SELECT status, EXTRACT(EPOCH FROM finished_at - started_at), "
            "(SELECT COUNT(*) FROM caseload_importreject WHERE run_id = r.id) "
            "FROM caseload_importrun r ORDER BY id DESC LIMIT 1"
        ).fetchone()
    return ImportFigures(
        rows=rows,
        seconds=float(run[1] or 0),
        wall=wall,
        peak_rss_mb=peak_kib / 1024,
        exit_status=process.returncode,
        status=run[0],
        rejected=run[2],
        output=text,
    )


def write_huge_field_export(folder: Path, megabytes: int, clients: int, today) -> str:
    """teams.csv, staff.csv and clients.csv where the first client's service_track is one quoted
    value of `megabytes` MB over many lines; returns the client number on the line after it."""
    from caseload.demo import write_demo_export

    write_demo_export(folder, clients, seed=1, today=today)
    for path in folder.glob("*.csv"):
        if path.name not in ("teams.csv", "staff.csv", "clients.csv"):
            path.unlink()
    source = folder / "clients.csv"
    lines = source.read_text(encoding="utf-8").splitlines(keepends=True)
    header = lines[0].rstrip("\n").split(",")
    first = lines[1].rstrip("\n").split(",")
    position = header.index("service_track")
    line = "a value that goes on and on, " * 3 + "\n"
    with source.open("w", encoding="utf-8") as handle:
        handle.write(lines[0])
        handle.write(",".join(first[:position]) + ',"')
        for _ in range(megabytes * 1024 * 1024 // len(line)):
            handle.write(line)
        handle.write('",' + ",".join(first[position + 1 :]) + "\n")
        handle.writelines(lines[2:])
    return lines[2].split(",")[0]


def write_scaled_export(source: Path, target: Path, copies: int) -> int:
    """An export of `copies` times the clients of `source`: the files about clients are copied
    under new keys (every key and client number prefixed), teams, staff, vacancies and workshops
    are kept once. Much quicker than generating a national export; returns its clients."""
    import csv

    from caseload.importer.files import CLIENT_COLUMN, FILES

    target.mkdir(parents=True)
    clients = 0
    for spec in FILES:
        with (source / spec.filename).open(newline="", encoding="utf-8") as handle:
            reader = csv.reader(handle)
            header = next(reader)
            rows = list(reader)
        with (target / spec.filename).open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(header)
            if CLIENT_COLUMN not in header:
                writer.writerows(rows)
                continue
            renamed = {header.index(spec.key_column), header.index(CLIENT_COLUMN)}
            for copy in range(copies):
                prefix = f"X{copy:03d}-"
                for row in rows:
                    for position in renamed:
                        row[position] = prefix + row[position].removeprefix(f"X{copy - 1:03d}-")
                    writer.writerow(row)
            if spec.kind == "clients":
                clients = copies * len(rows)
    return clients
