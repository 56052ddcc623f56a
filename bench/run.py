"""The benchmark, in one command: `make bench BENCH_ARGS="--clients 30000"`.

Needs DATABASE_URL pointing at a PostgreSQL server (any database on it: the bench creates, and
afterwards drops, its own `caseload_bench_<clients>`). Steps:

1. create the database and migrate it;
2. time the real importer on a 30k-client / 300k-contact export into the empty database;
3. empty it and generate the chosen scale with COPY (bench.generate), then VACUUM ANALYZE;
4. time every page of bench.pages through the Django stack (test client, signed in, DEBUG off)
   and its hand-written SQL on the same connection; time the weekly job;
5. EXPLAIN (ANALYZE, BUFFERS) every query of those pages that reads clients or contacts;
6. write bench/results/<date>-<scale>.md (figures) and <date>-<scale>-explain.md (plans).
"""

from __future__ import annotations

import argparse
import datetime
import inspect
import os
import platform
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

RESULTS = Path(__file__).resolve().parent / "results"
COACH_P95_MS, COACH_RATIO, TEAM_P95_MS = 100, 1.5, 300
WEEKLY_JOB_S = 45
SEQ_SCAN_TABLES = ("caseload_client", "caseload_contact")


def visibility_goal_ms(clients: int) -> int:
    return 2_000 if clients <= 30_000 else 10_000


@dataclass
class Timing:
    samples: list[float]

    def percentile(self, p: float) -> float:
        ordered = sorted(self.samples)
        return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))] * 1000

    @property
    def p50(self) -> float:
        return self.percentile(50)

    @property
    def p95(self) -> float:
        return self.percentile(95)


@dataclass
class PageResult:
    name: str
    url: str = ""
    goal: str = ""
    status: str = "measured"  # or "not built yet", or an error
    page: Timing | None = None
    sql: Timing | None = None
    queries: int | None = None
    requests: int | None = None


@dataclass
class Report:
    clients: int
    requests: int
    note: str
    started: datetime.datetime = field(default_factory=lambda: datetime.datetime.now(datetime.UTC))
    lines: dict[str, str] = field(default_factory=dict)  # label -> value, for the summary
    counts: dict = field(default_factory=dict)
    pages: list[PageResult] = field(default_factory=list)
    goals: list[tuple[str, str, str, bool | None]] = field(
        default_factory=list
    )  # what, figure, goal, met
    plans: list[tuple[str, str, str]] = field(default_factory=list)  # page, sql, plan


def database_name(args) -> str:
    return args.database or f"caseload_bench_{args.clients}{args.database_suffix}"


def database_url(base: str, name: str) -> str:
    parts = urlsplit(base)
    return urlunsplit(parts._replace(path=f"/{name}"))


def recreate_database(base: str, name: str) -> None:
    import psycopg

    with psycopg.connect(database_url(base, "postgres"), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def drop_database(base: str, name: str) -> None:
    import psycopg

    with psycopg.connect(database_url(base, "postgres"), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def timed(function, repeat: int, *args, before_each=None) -> Timing:
    samples = []
    for _ in range(repeat):
        if before_each:
            before_each()
        started = time.perf_counter()
        function(*args)
        samples.append(time.perf_counter() - started)
    return Timing(samples)


# --- steps ---------------------------------------------------------------------------------------


def bench_import(report: Report, args, base: str, url: str, today: datetime.date) -> None:
    """Time caseload.importer, each import in a process of its own (peak RSS), into the empty
    bench database: a 30k-client export cut to 300k contacts (the same export imported first by
    another checkout's importer with --compare-with), the same again (nothing changes), a whole
    export of --import-scale clients, and a clients.csv with one --huge-field-mb MB value."""
    from django.db import connection

    from bench.importer import (
        IMPORT_PEAK_RSS_MB,
        IMPORT_ROWS_PER_S,
        data_rows,
        migrate,
        run_import,
        write_huge_field_export,
        write_scaled_export,
    )
    from caseload.demo import write_demo_export

    connection.close()  # the imports write through their own connections

    def record(label: str, figures, rate_goal: bool = True) -> None:
        print(f"  {label}: {figures.line()}", flush=True)
        report.lines[label] = figures.line()
        if rate_goal:
            report.goals.append(
                (
                    label,
                    f"{figures.rate:,.0f} rows/s",
                    f"≥ {IMPORT_ROWS_PER_S:,} rows/s",
                    figures.rate >= IMPORT_ROWS_PER_S,
                )
            )
        report.goals.append(
            (
                label,
                f"peak RSS {figures.peak_rss_mb:,.0f} MB",
                f"≤ {IMPORT_PEAK_RSS_MB} MB",
                figures.peak_rss_mb <= IMPORT_PEAK_RSS_MB,
            )
        )

    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch) / "export"
        write_demo_export(folder, args.import_clients, seed=1, today=today)
        contacts_file = folder / "contacts.csv"
        lines = contacts_file.read_text(encoding="utf-8").splitlines(keepends=True)
        contacts_file.write_text("".join(lines[: args.import_contacts + 1]), encoding="utf-8")
        contacts = min(args.import_contacts, len(lines) - 1)
        del lines
        rows = data_rows(folder)
        label = f"Import, {args.import_clients:,} clients + {contacts:,} contacts"
        if args.compare_with:
            before_url = database_url(base, f"{database_name(args)}_before")
            recreate_database(base, f"{database_name(args)}_before")
            try:
                migrate(before_url, Path(args.compare_with))
                before = run_import(folder, before_url, Path(args.compare_with), rows)
            finally:
                drop_database(base, f"{database_name(args)}_before")
            print(f"  {label}, before ({args.compare_with}): {before.line()}", flush=True)
            report.lines[f"{label}, before ({args.compare_with})"] = before.line()
        first = run_import(folder, url, rows=rows)
        record(label, first)
        record(f"{label}, again (nothing changes)", run_import(folder, url, rows=rows), False)
    if args.import_scale:
        empty_tables()
        connection.close()
        with tempfile.TemporaryDirectory() as scratch:
            # The 30k export above, cut to 300k contacts, copied under new keys up to the scale.
            source, folder = Path(scratch) / "source", Path(scratch) / "export"
            write_demo_export(source, args.import_clients, seed=1, today=today)
            contacts_file = source / "contacts.csv"
            lines = contacts_file.read_text(encoding="utf-8").splitlines(keepends=True)
            contacts_file.write_text("".join(lines[: args.import_contacts + 1]), encoding="utf-8")
            del lines
            copies = -(-args.import_scale // args.import_clients)
            clients = write_scaled_export(source, folder, copies)
            figures = run_import(folder, url)
            record(
                f"Import, {clients:,} clients ({copies} copies of the 30k export under new keys)",
                figures,
            )
    if args.huge_field_mb:
        empty_tables()
        connection.close()
        with tempfile.TemporaryDirectory() as scratch:
            folder = Path(scratch) / "export"
            after = write_huge_field_export(folder, args.huge_field_mb, 3000, today)
            figures = run_import(folder, url)
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT COUNT(*), COUNT(*) FILTER (WHERE client_number = %s) FROM caseload_client",
                    [after],
                )
                clients, kept = cursor.fetchone()
            connection.close()
            label = f"Import, clients.csv with one {args.huge_field_mb} MB value over many lines"
            record(label, figures, rate_goal=False)
            report.lines[label] += (
                f"; {clients:,} of 2,999 other clients imported, the one on the line after it "
                f"{'imported' if kept else '**lost**'}"
            )
            report.goals.append(
                (
                    label,
                    f"{figures.rejected} rejected row",
                    "1 rejected row, none lost",
                    figures.rejected == 1 and bool(kept) and clients == 2999,
                )
            )
    empty_tables()


def empty_tables() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE caseload_enrolment, caseload_referral, caseload_actionplan, caseload_contact, "
            "caseload_importreject, caseload_importconflict, caseload_importrun, caseload_client, "
            "caseload_workshop, caseload_vacancy, caseload_user, caseload_team, "
            "caseload_historicalclient, caseload_historicalcontact, caseload_historicalactionplan, "
            "caseload_historicalreferral, caseload_historicalenrolment RESTART IDENTITY CASCADE"
        )


def generate_data(report: Report, url: str, clients: int, seed: int, today: datetime.date) -> None:
    import psycopg

    from bench.generate import generate

    started = time.perf_counter()
    with psycopg.connect(url) as conn:
        counts = generate(conn, clients, seed, today)
    generated = time.perf_counter() - started
    started = time.perf_counter()
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
    analysed = time.perf_counter() - started
    report.counts = {k: v for k, v in vars(counts).items() if k != "bench_users"}
    report.lines["Generation (COPY)"] = f"{generated:.0f} s, then VACUUM ANALYZE {analysed:.0f} s"


def bench_context(today: datetime.date):
    from bench.generate import BENCH_ADMIN, BENCH_COACH, BENCH_MANAGER, BENCH_QUALITY
    from bench.pages import BenchContext
    from caseload.models import Client, User, Vacancy

    coach = User.objects.get(username=BENCH_COACH)
    client = Client.objects.filter(coach=coach, status="active").order_by("client_number").first()
    vacancy = Vacancy.objects.order_by("pk").first()
    return BenchContext(
        today=today,
        coach_id=coach.pk,
        team_id=coach.team_id,
        client_number=client.client_number,
        vacancy_pk=vacancy.pk,
        vacancy_id=vacancy.vacancy_id,
        users={
            "coach": coach,
            "quality": User.objects.get(username=BENCH_QUALITY),
            "manager": User.objects.get(username=BENCH_MANAGER),
            "admin": User.objects.get(username=BENCH_ADMIN),
        },
    )


def page_url(page, ctx) -> str | None:
    from django.urls import NoReverseMatch, reverse

    try:
        url = reverse(page.url_name, args=page.args(ctx))
    except NoReverseMatch:
        return None
    return f"{url}?{page.query}" if page.query else url


def run_sql(sql: str, params: dict) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        cursor.fetchall()


def bench_pages(report: Report, ctx, requests: int, warmup: int) -> None:
    from django.db import connection
    from django.test import Client as TestClient
    from django.test.utils import CaptureQueriesContext

    from bench.pages import PAGES

    browsers = {}
    for role, user in ctx.users.items():
        browsers[role] = TestClient()
        browsers[role].force_login(user)
    for page in PAGES:
        result = PageResult(page.name, goal=page.goal)
        report.pages.append(result)
        url = page_url(page, ctx)
        if url is None:
            result.status = "not built yet"
            continue
        result.url = url
        browser = browsers[page.role]
        response = browser.get(url)
        if response.status_code != 200:
            result.status = f"HTTP {response.status_code}"
            continue
        with CaptureQueriesContext(connection) as captured:
            browser.get(url)
        result.queries = len(captured.captured_queries)
        report.plans.extend(
            (page.name, query["sql"], page.goal)
            for query in captured.captured_queries
            if any(table in query["sql"] for table in SEQ_SCAN_TABLES)
        )
        page_requests = min(requests, page.max_requests or requests)
        page_warmup = min(warmup, 1) if page.max_requests else warmup
        result.requests = page_requests
        for _ in range(page_warmup):
            browser.get(url)
        result.page = timed(browser.get, page_requests, url, before_each=page.before_each)
        if page.sql:
            for _ in range(page_warmup):
                run_sql(page.sql, ctx.params())
            result.sql = timed(run_sql, page_requests, page.sql, ctx.params())
        print(
            f"  {page.name}: p50 {result.page.p50:.1f} ms, p95 {result.page.p95:.1f} ms"
            + (f", SQL p95 {result.sql.p95:.1f} ms" if result.sql else ""),
            flush=True,
        )


def bench_weekly_job(report: Report, today: datetime.date) -> None:
    try:
        from quality.weekly.services import build_weekly_list
    except ImportError:
        report.lines["Weekly job"] = "not built yet (quality.weekly.services.build_weekly_list)"
        report.goals.append(("Weekly job", "not built yet", f"≤ {WEEKLY_JOB_S} s at 500k", None))
        return
    known = {"today": today}  # arguments the bench can supply by name
    required = [
        p.name
        for p in inspect.signature(build_weekly_list).parameters.values()
        if p.default is inspect.Parameter.empty
        and p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)
    ]
    unknown = [name for name in required if name not in known]
    if unknown:
        report.lines["Weekly job"] = f"not measured: build_weekly_list needs {', '.join(unknown)}"
        return
    timings = []
    for label in ("fresh", "rebuild"):  # a week not built before, then the same week again
        started = time.perf_counter()
        result = build_weekly_list(**{name: known[name] for name in required})
        seconds = time.perf_counter() - started
        steps = ", ".join(
            f"{k} {v:.1f} s" for k, v in (getattr(result, "seconds", None) or {}).items()
        )
        timings.append((label, seconds))
        report.lines[f"Weekly job ({label})"] = (
            f"{seconds:.1f} s for {getattr(result, 'entries', '?'):,} findings"
            + (f" ({steps})" if steps else "")
        )
    seconds = max(seconds for _label, seconds in timings)
    report.goals.append(
        (
            "Weekly job (fresh and rebuild, the slower)",
            f"{seconds:.1f} s",
            f"≤ {WEEKLY_JOB_S} s at 500k",
            seconds <= WEEKLY_JOB_S if report.clients >= 500_000 else None,
        )
    )


def explain_plans(report: Report) -> None:
    """EXPLAIN every query of the measured pages that reads clients or contacts."""
    from django.db import connection

    explained, seq_scans = [], {"coach": set(), "other": set()}
    with connection.cursor() as cursor:
        for page, sql, goal in report.plans:
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
            plan = "\n".join(row[0] for row in cursor.fetchall())
            explained.append((page, sql, plan))
            if any(f"Seq Scan on {table}" in plan for table in SEQ_SCAN_TABLES):
                seq_scans["coach" if goal == "coach" else "other"].add(page)
    report.plans = explained
    report.lines["EXPLAIN"] = (
        f"{len(explained)} queries reading clients or contacts explained; sequential scan of clients or "
        f"contacts in coach pages: {', '.join(sorted(seq_scans['coach'])) or 'none'}; "
        f"in other pages: {', '.join(sorted(seq_scans['other'])) or 'none'}"
    )
    report.goals.append(
        (
            "No sequential scan of clients/contacts on coach pages",
            ", ".join(sorted(seq_scans["coach"])) or "none",
            "none",
            not seq_scans["coach"],
        )
    )


# --- the results file ----------------------------------------------------------------------------


def machine() -> str:
    from django.db import connection

    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        memory_kb = int(Path("/proc/meminfo").read_text().split()[1])
    except OSError:
        memory_kb = 0
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
        cursor.execute("SHOW shared_buffers")
        buffers = cursor.fetchone()[0]
        cursor.execute("SHOW work_mem")
        work_mem = cursor.fetchone()[0]
    return (
        f"{cpu}, {os.cpu_count()} cores, {memory_kb / 1024 / 1024:.0f} GB RAM, {platform.system()} "
        f"{platform.release()}; Python {platform.python_version()}; PostgreSQL {version} "
        f"(shared_buffers {buffers}, work_mem {work_mem}) on the same machine"
    )


def verdict(met: bool | None) -> str:
    return "n/a" if met is None else ("met" if met else "**missed**")


def page_goals(report: Report) -> None:
    visibility_ms = visibility_goal_ms(report.clients)
    for result in report.pages:
        if result.page is None:
            if result.goal:
                report.goals.append((result.name, result.status, "", None))
            continue
        p95 = result.page.p95
        ratio = p95 / result.sql.p95 if result.sql else None
        if result.goal == "coach":
            met, goal = p95 <= COACH_P95_MS, f"p95 ≤ {COACH_P95_MS} ms"
        elif result.goal == "team":
            met, goal = p95 <= TEAM_P95_MS, f"p95 ≤ {TEAM_P95_MS} ms"
        else:
            met, goal = p95 <= visibility_ms, f"≤ {visibility_ms / 1000:.0f} s"
        report.goals.append((result.name, f"p95 {p95:.0f} ms", goal, met))
        if result.goal == "coach" and ratio is not None:
            report.goals.append(
                (result.name, f"{ratio:.1f}× SQL", f"≤ {COACH_RATIO}× SQL", ratio <= COACH_RATIO)
            )


def write_results(report: Report, stem_kind: str = "") -> Path:
    RESULTS.mkdir(exist_ok=True)
    stem = f"{report.started:%Y-%m-%d}-{stem_kind or f'{report.clients // 1000}k'}"
    title = "the importer" if stem_kind == "import" else f"{report.clients:,} clients"
    out = [f"# Bench: {title} ({report.started:%Y-%m-%d %H:%M} UTC)", ""]
    out += [f"- Machine: {machine()}", f"- Command: `python -m bench.run {' '.join(sys.argv[1:])}`"]
    if report.counts:
        out.append(
            "- Rows: " + ", ".join(f"{v:,} {k.replace('_', ' ')}" for k, v in report.counts.items())
        )
    out += [f"- {label}: {value}" for label, value in report.lines.items()]
    if report.note:
        out.append(f"- Note: {report.note}")
    out += (
        []
        if not report.pages
        else [
            "",
            f"## Pages ({report.requests} requests each after warm-up; times in ms)",
            "",
            "| page | URL | queries | p50 | p95 | SQL p50 | SQL p95 | page/SQL (p95) |",
            "|---|---|---:|---:|---:|---:|---:|---:|",
        ]
    )
    for r in report.pages:
        if r.page is None:
            out.append(f"| {r.name} | {r.status} | | | | | | |")
            continue
        sql = (
            f"{r.sql.p50:.1f} | {r.sql.p95:.1f} | {r.page.p95 / r.sql.p95:.1f}×"
            if r.sql
            else "– | – | –"
        )
        name = (
            r.name if r.requests in (None, report.requests) else f"{r.name} ({r.requests} requests)"
        )
        out.append(
            f"| {name} | `{r.url}` | {r.queries} | {r.page.p50:.1f} | {r.page.p95:.1f} | {sql} |"
        )
    out += ["", "## Goals", "", "| what | figure | goal | verdict |", "|---|---|---|---|"]
    out += [
        f"| {what} | {figure} | {goal} | {verdict(met)} |"
        for what, figure, goal, met in report.goals
    ]
    missed = [f"{what} ({goal})" for what, _figure, goal, met in report.goals if met is False]
    out += ["", "Missed: " + ("; ".join(missed) if missed else "none") + "."]
    if report.pages:
        out.append(f"Query plans: [{stem}-explain.md]({stem}-explain.md).")
    path = RESULTS / f"{stem}.md"
    path.write_text("\n".join([*out, ""]), encoding="utf-8")
    if not report.pages:
        return path

    plans = [
        f"# EXPLAIN (ANALYZE, BUFFERS) at {report.clients:,} clients: page queries reading clients or contacts",
        "",
    ]
    for page, sql, plan in report.plans:
        plans += [f"## {page}", "", "```sql", sql, "```", "", "```", plan, "```", ""]
    (RESULTS / f"{stem}-explain.md").write_text("\n".join(plans), encoding="utf-8")
    return path


# --- main ----------------------------------------------------------------------------------------


def database_arguments(description: str) -> argparse.ArgumentParser:
    """A parser with the options of the bench's database, shared by bench.run and bench.load."""
    parser = argparse.ArgumentParser(
        description=description, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--clients", type=int, default=30_000, help="scale (default 30000)")
    parser.add_argument(
        "--database",
        help="database name (default caseload_bench_<clients>); one's own on a shared server",
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--database-suffix",
        default="",
        help="appended to the bench database's name, so two people's benches do not collide",
    )
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="measure an existing (--keep) bench database as it is; keeps it",
    )
    parser.add_argument("--keep", action="store_true", help="keep the bench database afterwards")
    parser.add_argument(
        "--database",
        help="name of the bench database (default caseload_bench_<clients>); give your own when "
        "several people bench on one server",
    )
    parser.add_argument(
        "--note", default="", help="a remark for the results file (e.g. a shared CPU)"
    )
    return parser


def main(argv: list[str] | None = None) -> None:
    parser = database_arguments(__doc__)
    parser.add_argument(
        "--requests", type=int, default=100, help="timed requests per page (default 100)"
    )
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--import-clients", type=int, default=30_000)
    parser.add_argument("--import-contacts", type=int, default=300_000)
    parser.add_argument(
        "--import-scale",
        type=int,
        default=0,
        help="also import an export of this many clients (copies of the --import-clients export)",
    )
    parser.add_argument(
        "--huge-field-mb",
        type=int,
        default=0,
        help="also import a clients.csv with one value of this many MB over many lines",
    )
    parser.add_argument(
        "--compare-with",
        default="",
        help="another checkout of the project: its importer first, on the same export",
    )
    parser.add_argument("--skip-import", action="store_true", help="do not time the importer")
    parser.add_argument(
        "--import-only", action="store_true", help="time the importer only (no pages)"
    )
    args = parser.parse_args(argv)

    base = os.environ.get("DATABASE_URL", "")
    if not base.startswith(("postgres://", "postgresql://")):
        parser.error(
            "set DATABASE_URL to a PostgreSQL server, e.g. postgres://caseload:caseload@127.0.0.1:5432/caseload"
        )
    name = database_name(args)
    url = database_url(base, name)
    if not args.reuse:
        recreate_database(base, name)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    # Settings load as for a local run (plain static files storage, no HTTPS redirect, the test
    # client's host allowed); DEBUG is switched off right after, so no query log is kept.
    os.environ["DJANGO_DEBUG"] = "true"
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.utils import timezone

    settings.DEBUG = False  # no query log, production template engine
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    today = timezone.localdate()
    report = Report(clients=args.clients, requests=args.requests, note=args.note)
    try:
        print(f"Bench database {name}", flush=True)
        call_command("migrate", verbosity=0)
        if not args.reuse:
            if not args.skip_import:
                print("Timing the importer ...", flush=True)
                bench_import(report, args, base, url, today)
            if args.import_only:
                print(f"Results: {write_results(report, stem_kind='import')}")
                return
            print(f"Generating {args.clients:,} clients ...", flush=True)
            generate_data(report, url, args.clients, args.seed, today)
        from caseload.models import Client, Contact

        report.counts = report.counts or {
            "clients": Client.objects.count(),
            "contacts": Contact.objects.count(),
        }
        print("Timing pages ...", flush=True)
        ctx = bench_context(today)
        bench_pages(report, ctx, args.requests, args.warmup)
        print("Timing the weekly job ...", flush=True)
        bench_weekly_job(report, today)
        explain_plans(report)
        page_goals(report)
        path = write_results(report)
        print(f"Results: {path}")
    finally:
        from django.db import connections

        connections.close_all()
        if not (args.keep or args.reuse):
            drop_database(base, name)


if __name__ == "__main__":
    main()
