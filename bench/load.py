"""The morning peak: many people at once against gunicorn, `make load LOAD_ARGS="--clients 30000"`.

Needs DATABASE_URL pointing at a PostgreSQL server (as the bench) and Locust (`pip install -e
".[bench]"`; `make load` installs it). Steps:

1. the bench's database (bench.run: created, migrated, generated with COPY), or `--reuse` a kept one;
2. accounts for the simulated people: coaches, a quality officer and a manager per team, one
   password hashed as production hashes it (they log in through the login form);
3. gunicorn with `--workers` sync workers on 127.0.0.1 (production settings over plain HTTP:
   bench/load_settings.py);
4. Locust, headless (bench/locustfile.py): stages of concurrent users, each ramped up and then
   held; it stops after the stage in which the coach dashboard's p95 passed 1 s or any request
   failed, or after the last stage;
5. meanwhile, once a second: the database's connections to the bench database, and the CPU time of
   gunicorn, of the PostgreSQL backends serving it, and of Locust;
6. writes bench/results/<date>-<scale>-load.md.

Bounded: 127.0.0.1 only, at most MAX_USERS users, a run time cap of the stages' sum plus a margin.
"""

from __future__ import annotations

import contextlib
import datetime
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from bench.run import RESULTS, database_arguments, database_name, database_url, recreate_database

ROOT = Path(__file__).resolve().parent.parent
MAX_USERS = 500
COACH_DASHBOARD = "coach: dashboard"
LOGIN = "login"
LOAD_PASSWORD_LENGTH = 24
TICK = os.sysconf("SC_CLK_TCK")


# --- accounts -------------------------------------------------------------------------------------


def prepare_accounts(max_users: int, password: str) -> dict:
    """Give the simulated people accounts with a usable password; returns what Locust needs."""
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from caseload.models import Client, Role, Team, User, Vacancy

    coaches = list(
        User.objects.filter(role=Role.WORK_COACH, is_active=True, team__isnull=False)
        .order_by("pk")
        .values_list("username", flat=True)[:max_users]
    )
    managers, quality, team_coaches = [], [], {}
    for team in Team.objects.order_by("pk"):
        manager = (
            User.objects.filter(team=team, role=Role.TEAM_MANAGER).order_by("pk").first()
        ) or User.objects.create(
            username=f"load.manager{team.pk:04d}", role=Role.TEAM_MANAGER, team=team
        )
        officer = (
            User.objects.filter(team=team, role=Role.QUALITY_OFFICER).order_by("pk").first()
        ) or User.objects.create(
            username=f"load.quality{team.pk:04d}", role=Role.QUALITY_OFFICER, team=team
        )
        managers.append(manager.username)
        quality.append(officer.username)
        team_coaches[manager.username] = list(
            User.objects.filter(team=team, role=Role.WORK_COACH).values_list("pk", flat=True)[:30]
        )
        if len(managers) * 12 >= max_users:  # enough teams for the largest stage
            break
    hashed = make_password(password)  # the production hasher: logins cost what they cost
    User.objects.filter(username__in=[*coaches, *managers, *quality]).update(password=hashed)
    clients = {}
    for number, username in (
        Client.objects.filter(coach__username__in=coaches, status="active")
        .order_by("coach_id", "client_number")
        .values_list("client_number", "coach__username")
    ):
        clients.setdefault(username, [])
        if len(clients[username]) < 5:
            clients[username].append(number)
    vacancies = list(
        Vacancy.objects.filter(open_until__gte=timezone.localdate())
        .order_by("pk")
        .values_list("vacancy_id", flat=True)[:50]
    )
    return {
        "password": password,
        "coach": coaches,
        "quality": quality,
        "manager": managers,
        "team_coaches": team_coaches,
        "clients": clients,
        "vacancies": vacancies,
    }


# --- processes and sampling -----------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def cpu_seconds(pid: int) -> float | None:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / TICK  # utime + stime


def children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        with contextlib.suppress(OSError):
            found += [int(child) for child in task.read_text().split()]
    return found


def machine_busy() -> tuple[float, float]:
    """(busy, total) jiffies of the whole machine, everyone's processes included."""
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = values[3] + values[4]
    return sum(values) - idle, sum(values)


@dataclass
class Sample:
    at: float
    connections: int
    active: int
    web: float  # cumulative CPU seconds
    database: float
    locust: float
    busy: float
    total: float


@dataclass
class Sampler:
    """Once a second: connections to the bench database and cumulative CPU time by process group."""

    url: str
    database: str
    gunicorn: int
    locust: int | None = None
    samples: list[Sample] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)

    def run(self) -> None:
        import psycopg

        seen: dict[tuple[str, int], float] = {}  # CPU seconds per process, kept after it exits
        with psycopg.connect(self.url, autocommit=True) as conn:
            while not self.stop.is_set():
                rows = conn.execute(
                    "SELECT pid, state FROM pg_stat_activity "
                    "WHERE datname = %s AND pid <> pg_backend_pid()",
                    [self.database],
                ).fetchall()
                totals = {"web": 0.0, "database": 0.0, "locust": 0.0}
                groups = {
                    "web": [self.gunicorn, *children(self.gunicorn)],
                    "database": [pid for pid, _state in rows],
                    "locust": [self.locust] if self.locust else [],
                }
                for group, pids in groups.items():
                    for pid in pids:
                        value = cpu_seconds(pid)
                        if value is not None:
                            seen[(group, pid)] = value
                for (group, _pid), value in seen.items():
                    totals[group] += value
                busy, total = machine_busy()
                self.samples.append(
                    Sample(
                        time.time(),
                        len(rows),
                        sum(1 for _pid, state in rows if state == "active"),
                        totals["web"],
                        totals["database"],
                        totals["locust"],
                        busy,
                        total,
                    )
                )
                self.stop.wait(1.0)

    def window(self, started: float, ended: float) -> dict:
        inside = [s for s in self.samples if started <= s.at <= ended]
        if len(inside) < 2:
            return {}
        first, last = inside[0], inside[-1]
        seconds = last.at - first.at
        return {
            "connections_max": max(s.connections for s in inside),
            "active_max": max(s.active for s in inside),
            "web_cores": (last.web - first.web) / seconds,
            "database_cores": (last.database - first.database) / seconds,
            "locust_cores": (last.locust - first.locust) / seconds,
            "machine_busy": (last.busy - first.busy) / (last.total - first.total),
        } | {
            # Everyone else on the machine: its busy cores less gunicorn, PostgreSQL and Locust.
            "other_cores": (last.busy - first.busy)
            / (last.total - first.total)
            * (os.cpu_count() or 1)
            - (
                (last.web - first.web)
                + (last.database - first.database)
                + (last.locust - first.locust)
            )
            / seconds
        }


def start_gunicorn(env: dict, port: int, workers: int, log: Path) -> subprocess.Popen:
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--timeout",
            "60",
        ],
        cwd=ROOT,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/health/", timeout=2) as answer:
                if answer.status == 200:
                    return server
        except OSError:
            time.sleep(0.5)
        if server.poll() is not None:
            break
    server.terminate()
    raise SystemExit(f"gunicorn did not start; see {log}:\n{log.read_text()[-2000:]}")


# --- the results file -----------------------------------------------------------------------------


def fmt(value, digits: int = 0) -> str:
    return "–" if value is None else f"{value:,.{digits}f}"


def capacity(rows: list[dict]) -> dict | None:
    """Cores per 1,000 simulated people, from the busiest stage that met the limits."""
    good = [r for r in rows if r["ok"] and r.get("web_cores")]
    if not good:
        return None
    best = good[-1]
    per_user_rps = best["rps"] / best["users"]
    web_per_request = best["web_cores"] / best["rps"]
    database_per_request = best["database_cores"] / best["rps"]
    return {
        "stage": best,
        "rps_per_1000": per_user_rps * 1000,
        "web_cores_per_1000": per_user_rps * 1000 * web_per_request,
        "database_cores_per_1000": per_user_rps * 1000 * database_per_request,
        "web_ms_per_request": web_per_request * 1000,
        "database_ms_per_request": database_per_request * 1000,
    }


def write_results(args, windows: list[dict], sampler: Sampler, started: datetime.datetime) -> Path:
    from bench.run import machine

    steady = [w for w in windows if w["window"] == "steady"]
    ramps = [w for w in windows if w["window"] == "ramp"]
    rows = []
    for w in steady:
        seconds = w["ended"] - w["started"]
        dashboard = w["entries"].get(COACH_DASHBOARD, {})
        row = {
            "users": w["users"],
            "requests": w["requests"],
            "rps": w["requests"] / seconds if seconds else 0,
            "failures": w["failures"],
            "dashboard": dashboard,
            "p95": w["p95"],
            **sampler.window(w["started"], w["ended"]),
        }
        row["ok"] = (dashboard.get("p95") or 0) <= args.p95_limit_ms and not w["failures"]
        rows.append(row)
    scale = f"{args.clients // 1000}k"
    out = [
        f"# Load test: the morning peak at {args.clients:,} clients ({started:%Y-%m-%d %H:%M} UTC)",
        "",
        f"- Machine: {machine()}. **Everything on the same 2 shared cores**: gunicorn, "
        "PostgreSQL, Locust and whatever else ran on the machine (the `machine busy` column).",
        f"- Command: `python -m bench.load {' '.join(sys.argv[1:])}`",
        f"- Server: gunicorn, {args.workers} sync workers, production settings over plain HTTP on "
        f"127.0.0.1 (`bench/load_settings.py`), DJANGO_CONN_MAX_AGE={args.conn_max_age}.",
        f"- People: coach : quality officer : team manager = {args.weights}, each with their own "
        f"account, signing in through the login form (PBKDF2 as in production); think time "
        f"{args.think_min:g}–{args.think_max:g} s between pages (bench/locustfile.py). Stages of "
        f"{args.stages} concurrent people, each arriving at {args.spawn_rate:g}/s (the ramp) and "
        f"then held for {args.hold:g} s (the steady window, the figures below).",
        "- Stops after the stage in which the coach dashboard's p95 passed "
        f"{args.p95_limit_ms:,.0f} ms or a request failed.",
    ]
    if args.note:
        out.append(f"- Note: {args.note}")
    out += [
        "",
        "## Per stage (steady window)",
        "",
        "| people | requests/s | errors | coach dashboard p50 / p95 / p99 (ms) | all pages p95 (ms) "
        "| DB connections (max, active max) | CPU cores: web / DB / Locust / other processes "
        "| machine busy |",
        "|---:|---:|---:|---|---:|---|---|---:|",
    ]
    for r in rows:
        d = r["dashboard"]
        out.append(
            f"| {r['users']} | {r['rps']:.1f} | {r['failures']} | "
            f"{fmt(d.get('p50'))} / {fmt(d.get('p95'))} / {fmt(d.get('p99'))} | {fmt(r['p95'])} | "
            f"{r.get('connections_max', '–')}, {r.get('active_max', '–')} | "
            f"{fmt(r.get('web_cores'), 2)} / {fmt(r.get('database_cores'), 2)} / "
            f"{fmt(r.get('locust_cores'), 2)} / {fmt(r.get('other_cores'), 2)} | "
            f"{fmt((r.get('machine_busy') or 0) * 100)} % |"
        )
    out += ["", "## Per flow step (steady window; ms)", ""]
    for w in steady:
        out += [
            f"### {w['users']} people",
            "",
            "| step | requests | failures | p50 | p95 | p99 |",
            "|---|---:|---:|---:|---:|---:|",
        ]
        for name, e in sorted(w["entries"].items()):
            out.append(
                f"| {name} | {e['requests']} | {e['failures']} | {fmt(e['p50'])} | "
                f"{fmt(e['p95'])} | {fmt(e['p99'])} |"
            )
        if w["errors"]:
            out += ["", "Errors: " + "; ".join(w["errors"])]
        out.append("")
    out += [
        "## Logins (ramp windows: the people arriving)",
        "",
        "| stage | logins | failures | p50 | p95 | p99 | CPU cores: web / DB |",
        "|---:|---:|---:|---:|---:|---:|---|",
    ]
    for w in ramps:
        e = w["entries"].get(LOGIN, {})
        usage = sampler.window(w["started"], w["ended"])
        out.append(
            f"| {w['users']} | {e.get('requests', 0)} | {e.get('failures', 0)} | "
            f"{fmt(e.get('p50'))} | {fmt(e.get('p95'))} | {fmt(e.get('p99'))} | "
            f"{fmt(usage.get('web_cores'), 2)} / {fmt(usage.get('database_cores'), 2)} |"
        )
    found = capacity(rows)
    out += ["", "## Capacity", ""]
    if found:
        stage = found["stage"]
        out += [
            f"Busiest stage within the limits: {stage['users']} people, {stage['rps']:.1f} "
            f"requests/s. Per request: {found['web_ms_per_request']:.0f} ms of web CPU and "
            f"{found['database_ms_per_request']:.0f} ms of database CPU. At this pace "
            f"({found['rps_per_1000']:.0f} requests/s per 1,000 people), 1,000 people need "
            f"**{found['web_cores_per_1000']:.1f} web cores and "
            f"{found['database_cores_per_1000']:.1f} database cores** fully busy; see "
            "bench/README.md for the rule with headroom.",
        ]
    else:
        out.append("No stage met the limits.")
    out.append("")
    path = RESULTS / f"{started:%Y-%m-%d}-{scale}-load.md"
    path.write_text("\n".join(out), encoding="utf-8")
    (RESULTS / f"{started:%Y-%m-%d}-{scale}-load.json").write_text(
        json.dumps({"windows": windows, "stages": rows}, indent=1, default=str), encoding="utf-8"
    )
    return path


# --- main -----------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> None:
    parser = database_arguments(__doc__)
    parser.add_argument("--stages", default="10,25,50,100,200", help="concurrent people per stage")
    parser.add_argument("--hold", type=float, default=90, help="seconds each stage is held")
    parser.add_argument("--spawn-rate", type=float, default=3, help="people arriving per second")
    parser.add_argument("--think-min", type=float, default=5)
    parser.add_argument("--think-max", type=float, default=15)
    parser.add_argument("--weights", default="12:1:1", help="coach : quality officer : manager")
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument("--conn-max-age", type=int, default=60)
    parser.add_argument("--p95-limit-ms", type=float, default=1000)
    args = parser.parse_args(argv)

    stages = [int(users) for users in args.stages.split(",")]
    if not stages or max(stages) > MAX_USERS or min(stages) < 1:
        parser.error(f"stages must be between 1 and {MAX_USERS} people")
    weights = [int(w) for w in args.weights.split(":")]
    base = os.environ.get("DATABASE_URL", "")
    if not base.startswith(("postgres://", "postgresql://")):
        parser.error("set DATABASE_URL to a PostgreSQL server (as for bench.run)")
    if shutil.which("locust", path=str(Path(sys.executable).parent)) is None:
        parser.error('Locust is not installed: pip install -e ".[bench]" (or make load)')
    name = database_name(args)
    url = database_url(base, name)
    started = datetime.datetime.now(datetime.UTC)

    if not args.reuse:
        recreate_database(base, name)
    os.environ.update(
        DATABASE_URL=url, DJANGO_SETTINGS_MODULE="config.settings", DJANGO_DEBUG="true"
    )
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections
    from django.utils import timezone

    from bench.run import Report, generate_data

    scratch = Path(tempfile.mkdtemp(prefix="caseload-load-"))
    gunicorn = locust = None
    try:
        print(f"Load-test database {name}", flush=True)
        call_command("migrate", verbosity=0)
        if not args.reuse:
            print(f"Generating {args.clients:,} clients ...", flush=True)
            generate_data(
                Report(args.clients, 0, ""), url, args.clients, args.seed, timezone.localdate()
            )
        cast = prepare_accounts(max(stages), secrets.token_urlsafe(LOAD_PASSWORD_LENGTH))
        (scratch / "cast.json").write_text(json.dumps(cast), encoding="utf-8")
        connections.close_all()

        port = free_port()
        server_env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))},
            "DJANGO_SETTINGS_MODULE": "bench.load_settings",
            "DJANGO_DEBUG": "false",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            "DJANGO_CONN_MAX_AGE": str(args.conn_max_age),
            "DJANGO_LOG_LEVEL": "WARNING",
            "DATABASE_URL": url,
            "REDIS_URL": "",
        }
        print(f"gunicorn, {args.workers} workers, on 127.0.0.1:{port}", flush=True)
        gunicorn = start_gunicorn(server_env, port, args.workers, scratch / "gunicorn.log")

        out = scratch / "windows.jsonl"
        sampler = Sampler(url=url, database=name, gunicorn=gunicorn.pid)
        locust_env = {
            **os.environ,
            "LOAD_CAST": str(scratch / "cast.json"),
            "LOAD_STAGES": ",".join(map(str, stages)),
            "LOAD_HOLD": str(args.hold),
            "LOAD_SPAWN_RATE": str(args.spawn_rate),
            "LOAD_P95_LIMIT_MS": str(args.p95_limit_ms),
            "LOAD_THINK_MIN": str(args.think_min),
            "LOAD_THINK_MAX": str(args.think_max),
            "LOAD_WEIGHT_COACH": str(weights[0]),
            "LOAD_WEIGHT_QUALITY": str(weights[1]),
            "LOAD_WEIGHT_MANAGER": str(weights[2]),
            "LOAD_OUT": str(out),
        }
        # Hard cap: every stage ramped at the spawn rate and held, plus a margin.
        cap = sum(args.hold + users / args.spawn_rate + 30 for users in stages)
        print(f"Locust: stages {stages}, at most {cap:.0f} s", flush=True)
        locust = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "locust"),
                "-f",
                str(ROOT / "bench" / "locustfile.py"),
                "--headless",
                "--host",
                f"http://127.0.0.1:{port}",
                "--run-time",
                f"{cap:.0f}s",
                "--stop-timeout",
                "10",
                "--only-summary",
                "--loglevel",
                "WARNING",
            ],
            cwd=ROOT,
            env=locust_env,
            stdout=(scratch / "locust.log").open("w"),
            stderr=subprocess.STDOUT,
        )
        sampler.locust = locust.pid
        thread = threading.Thread(target=sampler.run, daemon=True)
        thread.start()
        seen = 0
        while locust.poll() is None:
            time.sleep(2)
            lines = out.read_text().splitlines() if out.exists() else []
            for line in lines[seen:]:
                w = json.loads(line)
                dashboard = w["entries"].get(COACH_DASHBOARD, {})
                print(
                    f"  {w['users']} people, {w['window']}: {w['requests']} requests, "
                    f"{w['failures']} failed, coach dashboard p95 {dashboard.get('p95')} ms",
                    flush=True,
                )
            seen = len(lines)
        sampler.stop.set()
        thread.join(timeout=5)
        windows = (
            [json.loads(line) for line in out.read_text().splitlines()] if out.exists() else []
        )
        if not windows:
            raise SystemExit(f"Locust wrote nothing; see {scratch / 'locust.log'}")
        path = write_results(args, windows, sampler, started)
        print(f"Results: {path}")
    finally:
        for process in (locust, gunicorn):
            if process is not None and process.poll() is None:
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    process.kill()
        connections.close_all()
        if not (args.keep or args.reuse):
            from bench.run import drop_database

            drop_database(base, name)
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
