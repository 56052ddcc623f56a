"""A fast, deterministic generator for benchmark databases: rows are COPYed straight into the tables.

The ORM and the importer are far too slow for half a million clients and five million contacts, so
this writes PostgreSQL COPY text (tab-separated, NULL as \\N) through psycopg 3's `cursor.copy()`.
The shape follows `caseload.demo`: teams of about 24 coaches, caseloads of about 80–130, ~10
contacts per client, most active clients with an action plan, registration gaps (NULL = not
registered) at realistic rates. The same seed and day give the same rows.

Three fixed staff members of team 1 are what the bench signs in as: `bench.coach` (a work coach
with an ordinary caseload), `bench.quality` and `bench.manager`; `bench.admin` (a superuser) for
the all-teams visibility report.
"""

from __future__ import annotations

import datetime
import json
import random
from dataclasses import dataclass, field

from caseload.demo import OCCUPATIONS, SECTORS, SKILLS, TOPICS, TRACKS, VACANCIES, WORKSHOPS

COACHES_PER_TEAM = 24
CONTACTS_PER_CLIENT = 10
BENCH_COACH, BENCH_QUALITY, BENCH_MANAGER = "bench.coach", "bench.quality", "bench.manager"
# Signs in for the pages that read every team (the visibility report at the scale it is meant for).
BENCH_ADMIN = "bench.admin"
CHUNK_ROWS = 20_000
# Generated users cannot sign in with a password; the bench uses force_login.
UNUSABLE_PASSWORD = "!bench-unusable"

NULL = "\\N"
CHANNELS = ["face_to_face"] * 8 + ["phone"] * 6 + ["video"] * 2 + ["email"] * 3 + ["home_visit"]
HOUSEHOLDS = (
    ["single"] * 45
    + ["single_parent"] * 18
    + ["couple"] * 12
    + ["couple_with_children"] * 15
    + ["other"] * 10
)
EDUCATION = [0] + [1] * 8 + [2] * 20 + [3] * 25 + [4] * 10 + [5] * 8 + [6] * 12 + [7] * 6 + [8]
STEPS = [1] * 10 + [2] * 20 + [3] * 25 + [4] * 25 + [5] * 15 + [6] * 5
GENDERS = "F" * 52 + "M" * 47 + "X"
MARITAL = ["single", "married", "partnership", "divorced", "widowed"]


@dataclass
class Counts:
    teams: int = 0
    users: int = 0
    clients: int = 0
    contacts: int = 0
    action_plans: int = 0
    vacancies: int = 0
    referrals: int = 0
    workshops: int = 0
    enrolments: int = 0
    bench_users: dict = field(default_factory=dict)


def text(value) -> str:
    """One COPY text field. Generated values never hold tabs, newlines or backslashes."""
    if value is None:
        return NULL
    if value is True:
        return "t"
    if value is False:
        return "f"
    return str(value)


def maybe(rng: random.Random, value, missing_rate: float):
    return None if rng.random() < missing_rate else value


def json_list(values: list) -> str:
    return json.dumps(values, ensure_ascii=False)


class CopyWriter:
    """Buffers rows and sends them to COPY in chunks (one round trip per chunk, not per row)."""

    def __init__(self, cursor, table: str, columns: list[str]):
        self.copy_cm = cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN")
        self.copy = self.copy_cm.__enter__()
        self.buffer: list[str] = []
        self.rows = 0

    def add(self, *values) -> None:
        self.buffer.append("\t".join(map(text, values)))
        self.rows += 1
        if len(self.buffer) >= CHUNK_ROWS:
            self.flush()

    def flush(self) -> None:
        if self.buffer:
            self.copy.write("\n".join(self.buffer) + "\n")
            self.buffer.clear()

    def close(self) -> int:
        self.flush()
        self.copy_cm.__exit__(None, None, None)
        return self.rows


def staff_rows(rng: random.Random, clients: int) -> tuple[list[tuple], list[tuple], list[int]]:
    """Teams, users and the caseload size of each coach (coach ids in order)."""
    coach_count = max(3, round(clients / 105))
    team_count = max(2, -(-coach_count // COACHES_PER_TEAM))
    teams = [
        (t + 1, f"BT{t + 1:04d}", f"Bench team {t + 1}", "standard", 80, 120)
        for t in range(team_count)
    ]
    users, coaches = [], []
    joined = "2024-01-01 00:00:00+00"

    def user(
        username: str, role: str, team_id: int | None, employee: str, superuser: bool = False
    ) -> int:
        user_id = len(users) + 1
        users.append(
            (
                user_id,
                UNUSABLE_PASSWORD,
                None,
                superuser,
                username,
                "",
                "",
                f"{username}@example.org",
                superuser,
                True,
                joined,
                employee,
                username.replace(".", " ").title(),
                role,
                "1.00",
                team_id,
            )
        )
        return user_id

    coaches.append(user(BENCH_COACH, "work_coach", 1, "EB0001"))
    user(BENCH_QUALITY, "quality_officer", 1, "EB0002")
    user(BENCH_MANAGER, "team_manager", 1, "EB0003")
    user(BENCH_ADMIN, "", None, "EB0004", superuser=True)
    for index in range(1, coach_count):
        coaches.append(
            user(f"coach{index:05d}", "work_coach", index // COACHES_PER_TEAM + 1, f"E{index:06d}")
        )
    for team_id, *_ in teams[1:]:
        user(f"manager{team_id:04d}", "team_manager", team_id, f"EM{team_id:05d}")
    return teams, users, coaches


def caseload_assignment(rng: random.Random, coaches: list[int], clients: int) -> list[int | None]:
    """A coach for each client (scattered, as in real registrations), caseloads about 80–130."""
    weights = [rng.uniform(80, 130) for _ in coaches]
    scale = clients / sum(weights)
    assignment: list[int | None] = []
    for coach, weight in zip(coaches, weights, strict=True):
        assignment.extend([coach] * round(weight * scale))
    while len(assignment) < clients:
        assignment.append(rng.choice(coaches))
    del assignment[clients:]
    rng.shuffle(assignment)
    # About 0.5% of clients have no coach registered.
    return [None if rng.random() < 0.005 else coach for coach in assignment]


def generate(connection, clients: int, seed: int, today: datetime.date) -> Counts:
    """Fill an empty, migrated database with `clients` clients and everything around them."""
    rng = random.Random(seed)
    counts = Counts()
    teams, users, coaches = staff_rows(rng, clients)
    with connection.cursor() as cursor:
        # Rows are consistent by construction: skip the per-row foreign-key triggers (superuser
        # only; otherwise they just run), and build the big tables' secondary indexes once, after.
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        if cursor.fetchone()[0]:
            cursor.execute("SET LOCAL session_replication_role = replica")
        index_definitions = drop_secondary_indexes(
            cursor, ["caseload_client", "caseload_contact", "caseload_actionplan"]
        )
        writer = CopyWriter(
            cursor, "caseload_team", ["id", "code", "name", "kind", "caseload_norm", "caseload_max"]
        )
        for row in teams:
            writer.add(*row)
        counts.teams = writer.close()
        writer = CopyWriter(
            cursor,
            "caseload_user",
            [
                "id",
                "password",
                "last_login",
                "is_superuser",
                "username",
                "first_name",
                "last_name",
                "email",
                "is_staff",
                "is_active",
                "date_joined",
                "employee_id",
                "full_name",
                "role",
                "fte",
                "team_id",
            ],
        )
        for row in users:
            writer.add(*row)
        counts.users = writer.close()
        counts.bench_users = {row[4]: row[0] for row in users[:3]}

        vacancy_count = max(len(VACANCIES), clients // 100)
        writer = CopyWriter(
            cursor,
            "caseload_vacancy",
            [
                "id",
                "vacancy_id",
                "title",
                "employer",
                "sector",
                "description",
                "hours_per_week",
                "requires_driving_licence",
                "min_education_level",
                "min_language_level",
                "physically_demanding",
                "required_skills",
                "open_until",
            ],
        )
        for number in range(1, vacancy_count + 1):
            title, employer, sector, hours, licence, education, _language, physical, skills = (
                VACANCIES[number % len(VACANCIES)]
            )
            writer.add(
                number,
                f"V{number:06d}",
                title,
                f"{employer} {number}",
                sector,
                "Generated vacancy.",
                hours,
                licence == "yes",
                education if education != "" else None,
                rng.choice([1, 2, 3, None]),
                physical == "yes",
                json_list(skills.split(";")),
                (today + datetime.timedelta(days=rng.randint(-30, 90))).isoformat(),
            )
        counts.vacancies = writer.close()

        workshop_count = max(len(WORKSHOPS), clients // 1000)
        writer = CopyWriter(
            cursor,
            "caseload_workshop",
            ["id", "workshop_id", "title", "theme", "starts_on", "capacity"],
        )
        for number in range(1, workshop_count + 1):
            title, theme, _skills = WORKSHOPS[number % len(WORKSHOPS)]
            writer.add(
                number,
                f"W{number:05d}",
                title,
                theme,
                (today + datetime.timedelta(days=rng.randint(-60, 60))).isoformat(),
                15,
            )
        counts.workshops = writer.close()

        counts_by_table = write_clients(
            cursor,
            rng,
            caseload_assignment(rng, coaches, clients),
            vacancy_count,
            workshop_count,
            today,
        )
        for name, value in counts_by_table.items():
            setattr(counts, name, value)

        for definition in index_definitions:
            cursor.execute(definition)
        for table in (
            "team",
            "user",
            "client",
            "contact",
            "actionplan",
            "vacancy",
            "referral",
            "workshop",
            "enrolment",
        ):
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('caseload_{table}', 'id'), "
                f"COALESCE((SELECT max(id) FROM caseload_{table}), 1))"
            )
    connection.commit()
    return counts


def drop_secondary_indexes(cursor, tables: list[str]) -> list[str]:
    """Drop the indexes of `tables` that back no constraint; returns their definitions."""
    cursor.execute(
        "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = ANY(%s) "
        "AND indexname NOT IN (SELECT conname FROM pg_constraint)",
        [tables],
    )
    indexes = cursor.fetchall()
    for name, _definition in indexes:
        cursor.execute(f'DROP INDEX "{name}"')
    return [definition for _name, definition in indexes]


def write_clients(
    cursor,
    rng: random.Random,
    assignment: list[int | None],
    vacancy_count: int,
    workshop_count: int,
    today: datetime.date,
) -> dict[str, int]:
    """Clients and their contacts, plans, referrals and enrolments, all streamed in one pass."""
    client_writer = CopyWriter(
        cursor,
        "caseload_client",
        [
            "id",
            "client_number",
            "coach_id",
            "date_of_birth",
            "gender",
            "marital_status",
            "household",
            "children_count",
            "youngest_child_birth_date",
            "education_level",
            "language_level",
            "driving_licence",
            "physical_limitations",
            "mental_health_issues",
            "cv_on_file",
            "work_experience",
            "skills",
            "preferred_sectors",
            "participation_step",
            "service_track",
            "contact_frequency_weeks",
            "intake_date",
            "status",
            "exit_date",
            "exit_reason",
        ],
    )
    # COPY streams cannot interleave on one connection, so related rows are held as COPY lines
    # (~1 GB at 5M contacts) and sent after the clients.
    related: dict[str, list[str]] = {
        "contact": [],
        "actionplan": [],
        "referral": [],
        "enrolment": [],
    }
    ids = {"contact": 0, "actionplan": 0, "referral": 0, "enrolment": 0}
    today_ordinal = today.toordinal()
    topic_json = [json_list([topic]) for topic in TOPICS]

    def line(*values) -> str:
        return "\t".join(map(text, values))

    for client_id, coach in enumerate(assignment, start=1):
        age = rng.choice(
            (
                rng.randint(18, 26),
                rng.randint(27, 44),
                rng.randint(27, 44),
                rng.randint(45, 54),
                rng.randint(55, 66),
            )
        )
        born = datetime.date.fromordinal(today_ordinal - age * 365 - rng.randint(0, 364))
        household = rng.choice(HOUSEHOLDS)
        children = (
            0
            if household in ("single", "couple")
            else rng.randint(0 if household == "other" else 1, 4)
        )
        youngest = None
        if children:
            youngest = datetime.date.fromordinal(
                today_ordinal
                - rng.randint(0, min(17, max(0, age - 18))) * 365
                - rng.randint(0, 364)
            )
        intake = today_ordinal - rng.randint(10, 6 * 365)
        exited = rng.random() < 0.12
        exit_ordinal = (
            min(today_ordinal, intake + rng.randint(30, max(31, today_ordinal - intake)))
            if exited
            else None
        )
        gap = 0.08
        frequency = maybe(rng, rng.choice((2, 4, 4, 6, 8, 12)), 0.05)
        client_writer.add(
            client_id,
            f"C{client_id:07d}",
            coach,
            maybe(rng, born, 0.01),
            maybe(rng, rng.choice(GENDERS), 0.04),
            maybe(rng, rng.choice(MARITAL), gap),
            maybe(rng, household, gap),
            maybe(rng, children, gap),
            youngest,
            maybe(rng, rng.choice(EDUCATION), gap),
            maybe(rng, rng.randint(0, 6), gap),
            maybe(rng, rng.random() < 0.45, gap * 2),
            maybe(rng, rng.random() < 0.2, gap),
            maybe(rng, rng.random() < 0.25, gap * 1.5),
            maybe(rng, rng.random() < 0.6, gap),
            maybe(rng, json_list(rng.sample(OCCUPATIONS, rng.randint(0, 2))), gap),
            maybe(rng, json_list(rng.sample(SKILLS, rng.randint(0, 3))), gap),
            maybe(rng, json_list(rng.sample(SECTORS, rng.randint(0, 2))), gap),
            maybe(rng, rng.choice(STEPS), gap),
            maybe(rng, rng.choice(TRACKS), 0.05),
            frequency,
            datetime.date.fromordinal(intake),
            "exited" if exited else "active",
            datetime.date.fromordinal(exit_ordinal) if exited else None,
            rng.choice(("work", "work", "education", "moved", "other")) if exited else None,
        )

        # ~10 contacts spread between intake and today (or exit); quiet clients rarely initiate.
        end = exit_ordinal or today_ordinal
        quiet = rng.random() < 0.12
        for _ in range(rng.randint(2, 2 * CONTACTS_PER_CLIENT - 2)):
            ids["contact"] += 1
            initiated = (
                "client"
                if not quiet and rng.random() < 0.25
                else ("coach" if rng.random() < 0.97 else None)
            )
            related["contact"].append(
                line(
                    ids["contact"],
                    f"K{ids['contact']:09d}",
                    datetime.date.fromordinal(rng.randint(intake, end)),
                    maybe(rng, rng.choice(CHANNELS), 0.03),
                    initiated,
                    rng.choice(topic_json),
                    client_id,
                    coach,
                )
            )
        if rng.random() < 0.8:
            ids["actionplan"] += 1
            created = min(today_ordinal, intake + rng.randint(7, 60))
            status = (
                rng.choice(("completed", "cancelled"))
                if exited
                else ("draft" if rng.random() < 0.07 else "active")
            )
            related["actionplan"].append(
                line(
                    ids["actionplan"],
                    f"P{ids['actionplan']:08d}",
                    datetime.date.fromordinal(created),
                    maybe(
                        rng, datetime.date.fromordinal(created + rng.choice((90, 180, 365))), 0.05
                    ),
                    status,
                    client_id,
                )
            )
        if rng.random() < 0.08:
            ids["referral"] += 1
            related["referral"].append(
                line(
                    ids["referral"],
                    f"R{ids['referral']:08d}",
                    datetime.date.fromordinal(max(intake, today_ordinal - rng.randint(1, 120))),
                    rng.choice(
                        ("sent", "sent", "interview", "hired", "rejected", "rejected", "withdrawn")
                    ),
                    client_id,
                    None,
                    rng.randint(1, vacancy_count),
                )
            )
        if rng.random() < 0.06:
            ids["enrolment"] += 1
            related["enrolment"].append(
                line(
                    ids["enrolment"],
                    f"EN{ids['enrolment']:08d}",
                    datetime.date.fromordinal(today_ordinal - rng.randint(0, 30)),
                    rng.choice(("enrolled", "completed", "dropped_out")),
                    client_id,
                    rng.randint(1, workshop_count),
                )
            )
    counts = {"clients": client_writer.close()}

    columns = {
        "contact": [
            "id",
            "contact_id",
            "date",
            "channel",
            "initiated_by",
            "topics",
            "client_id",
            "employee_id",
        ],
        "actionplan": ["id", "plan_id", "created_date", "review_date", "status", "client_id"],
        "referral": [
            "id",
            "referral_id",
            "date",
            "outcome",
            "client_id",
            "created_by_id",
            "vacancy_id",
        ],
        "enrolment": ["id", "enrolment_id", "date", "status", "client_id", "workshop_id"],
    }
    names = {
        "contact": "contacts",
        "actionplan": "action_plans",
        "referral": "referrals",
        "enrolment": "enrolments",
    }
    for table, lines in related.items():
        with cursor.copy(f"COPY caseload_{table} ({', '.join(columns[table])}) FROM STDIN") as copy:
            for start in range(0, len(lines), CHUNK_ROWS):
                copy.write("\n".join(lines[start : start + CHUNK_ROWS]) + "\n")
        counts[names[table]] = len(lines)
        lines.clear()
    return counts
