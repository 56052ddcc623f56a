"""The morning peak as Locust users: coaches, quality officers and team managers signing in and
going through their first pages, with think times. Run by `python -m bench.load` (which prepares
the database, the accounts and gunicorn, and reads what this writes); not on its own.

Each simulated person signs in once with their own account (the real login form: CSRF token and
the password hasher production uses) and then repeats their flow, following links from the page
they are on where a person would. Every page must answer 200 without a redirect (a redirect to the
login page is a lost session: counted as an error).

The load comes in stages (LOAD_STAGES, e.g. "10,25,50,100,200" concurrent users). Each stage
spawns the new users (LOAD_SPAWN_RATE per second; the "ramp" window lasts until they have all
logged in) and then holds
the count for LOAD_HOLD seconds (the "steady" window); the statistics of each window are written
as one JSON line to LOAD_OUT and reset. After a steady window in which the coach dashboard's p95
passed LOAD_P95_LIMIT_MS, or anything failed, no further stage starts.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import time

from locust import FastHttpUser, LoadTestShape, SequentialTaskSet, between, events, task

CAST = json.loads(open(os.environ["LOAD_CAST"], encoding="utf-8").read())  # noqa: SIM115
STAGES = [int(users) for users in os.environ.get("LOAD_STAGES", "10,25,50,100,200").split(",")]
HOLD = float(os.environ.get("LOAD_HOLD", "90"))
SPAWN_RATE = float(os.environ.get("LOAD_SPAWN_RATE", "3"))
P95_LIMIT_MS = float(os.environ.get("LOAD_P95_LIMIT_MS", "1000"))
OUT = os.environ["LOAD_OUT"]
THINK = between(
    float(os.environ.get("LOAD_THINK_MIN", "5")), float(os.environ.get("LOAD_THINK_MAX", "15"))
)
COACH_DASHBOARD = "coach: dashboard"
MAX_SETTLE = 60.0  # seconds the ramp window waits, after the last arrival, for its logins
_logged_in = [0]  # people whose login has been answered (either way)

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
CLIENT_LINK = re.compile(r'href="/clients/([A-Za-z0-9-]+)/"')
FINDING = re.compile(r"finding=([a-z_]+)")
_accounts = {role: itertools.cycle(CAST[role]) for role in ("coach", "quality", "manager")}


class Person(FastHttpUser):
    abstract = True
    role = ""
    wait_time = THINK

    def on_start(self):
        self.username = next(_accounts[self.role])
        login = self.client.get("/login/", name="login form")
        token = CSRF.search(login.text or "")
        with self.client.post(
            "/login/",
            data={
                "username": self.username,
                "password": CAST["password"],
                "csrfmiddlewaretoken": token.group(1) if token else "",
            },
            name="login",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302 or "/login/" in response.headers.get("Location", ""):
                response.failure(f"login of {self.username} refused ({response.status_code})")
        _logged_in[0] += 1

    def page(self, path: str, name: str) -> str:
        with self.client.get(path, name=name, allow_redirects=False, catch_response=True) as r:
            if r.status_code != 200:
                r.failure(f"{r.status_code} {r.headers.get('Location', '')}")
            return r.text or ""


class CoachMorning(SequentialTaskSet):
    """Dashboard, the overdue clients, one of them, a vacancy's shortlist; then again."""

    @task
    def dashboard(self):
        self.user.page("/dashboard/", COACH_DASHBOARD)

    @task
    def filtered_list(self):
        html = self.user.page(
            "/clients/?contact_overdue=true&cv_on_file=yes&page_size=25", "coach: filtered list"
        )
        self.numbers = CLIENT_LINK.findall(html) or CAST["clients"][self.user.username]

    @task
    def client_page(self):
        number = random.choice(self.numbers)
        self.user.page(f"/clients/{number}/", "coach: client page")

    @task
    def vacancy_shortlist(self):
        vacancy = random.choice(CAST["vacancies"])
        self.user.page(f"/vacancies/{vacancy}/", "coach: vacancy shortlist")


class QualityMorning(SequentialTaskSet):
    """The quality dashboard, the clients behind one finding, one of them, the team's dashboard."""

    @task
    def dashboard(self):
        html = self.user.page("/quality/", "quality: dashboard")
        self.findings = sorted(set(FINDING.findall(html))) or ["cv_not_registered"]

    @task
    def finding_list(self):
        finding = random.choice(self.findings)
        html = self.user.page(f"/clients/?finding={finding}&page_size=25", "quality: finding list")
        self.numbers = CLIENT_LINK.findall(html)

    @task
    def client_page(self):
        if self.numbers:
            self.user.page(f"/clients/{random.choice(self.numbers)}/", "quality: client page")

    @task
    def team_dashboard(self):
        self.user.page("/dashboard/", "quality: team coach dashboard")


class ManagerMorning(SequentialTaskSet):
    """The team dashboard, one coach's dashboard, the team's overdue clients as CSV."""

    @task
    def team_dashboard(self):
        self.user.page("/team/", "manager: team dashboard")

    @task
    def coach_dashboard(self):
        coach = random.choice(CAST["team_coaches"][self.user.username])
        self.user.page(f"/dashboard/?coach={coach}", "manager: one coach's dashboard")

    @task
    def export(self):
        self.user.page("/clients/export.csv?contact_overdue=true", "manager: export CSV")


class Coach(Person):
    role = "coach"
    weight = int(os.environ.get("LOAD_WEIGHT_COACH", "12"))
    tasks = [CoachMorning]


class QualityOfficer(Person):
    role = "quality"
    weight = int(os.environ.get("LOAD_WEIGHT_QUALITY", "1"))
    tasks = [QualityMorning]


class Manager(Person):
    role = "manager"
    weight = int(os.environ.get("LOAD_WEIGHT_MANAGER", "1"))
    tasks = [ManagerMorning]


def snapshot(stats, stage: int, users: int, window: str, started: float) -> dict:
    entries = {}
    for (name, _method), entry in stats.entries.items():
        if entry.num_requests == 0:
            continue
        entries[name] = {
            "requests": entry.num_requests,
            "failures": entry.num_failures,
            "p50": entry.get_response_time_percentile(0.5),
            "p95": entry.get_response_time_percentile(0.95),
            "p99": entry.get_response_time_percentile(0.99),
            "mean": entry.avg_response_time,
        }
    total = stats.total
    return {
        "stage": stage,
        "users": users,
        "window": window,
        "started": started,
        "ended": time.time(),
        "requests": total.num_requests,
        "failures": total.num_failures,
        "p50": total.get_response_time_percentile(0.5) if total.num_requests else None,
        "p95": total.get_response_time_percentile(0.95) if total.num_requests else None,
        "p99": total.get_response_time_percentile(0.99) if total.num_requests else None,
        "errors": sorted({f"{e.name}: {e.error}" for e in stats.errors.values()})[:10],
        "entries": entries,
    }


class Stages(LoadTestShape):
    """Ramp to each stage's user count, hold it, write both windows; stop at the limit."""

    def __init__(self):
        super().__init__()
        self.stage = -1
        self.window = ""
        self.window_started = 0.0
        self.spawned_at: float | None = None
        self.stopping = False

    def close_window(self) -> dict:
        stats = self.runner.stats
        line = snapshot(stats, self.stage, STAGES[self.stage], self.window, self.window_started)
        with open(OUT, "a", encoding="utf-8") as out:
            out.write(json.dumps(line) + "\n")
        stats.reset_all()
        self.window_started = time.time()
        return line

    def tick(self):
        now = time.time()
        if self.stopping:
            return None
        if self.stage == -1:
            self.stage, self.window, self.window_started = 0, "ramp", now
            self.runner.stats.reset_all()
        users = STAGES[self.stage]
        if self.window == "ramp" and self.runner.user_count >= users:
            # Until the last arrivals' logins are answered: they belong to the ramp window.
            self.spawned_at = self.spawned_at or now
            if _logged_in[0] >= users or now - self.spawned_at >= MAX_SETTLE:
                self.close_window()
                self.window, self.spawned_at = "steady", None
        elif self.window == "steady" and now - self.window_started >= HOLD:
            line = self.close_window()
            dashboard = line["entries"].get(COACH_DASHBOARD, {})
            over = (dashboard.get("p95") or 0) > P95_LIMIT_MS
            if over or line["failures"] or self.stage + 1 == len(STAGES):
                self.stopping = True
                return None
            self.stage += 1
            self.window = "ramp"
            users = STAGES[self.stage]
        return users, SPAWN_RATE


@events.quitting.add_listener
def _no_exit_code_for_failures(environment, **_kwargs):
    # Failures are results, written to LOAD_OUT; the driver decides what they mean.
    environment.process_exit_code = 0
