"""Synthetic demo data at Rotterdam's shape, generated locally and deterministically for a seed.

`write_demo_export` writes a registration export (the same CSV contract the real system sends),
so the demo goes through the real importer. The data carries the known blind spots on purpose:
fields not registered, a few contradictions, quiet clients nobody contacts, and a group (single
fathers with young children) that is served less — so every dashboard has something true to show.
"""

from __future__ import annotations

import csv
import datetime
import random
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

from .importer.files import FILES_BY_KIND

DEMO_PASSWORD = "demo-caseload-2026"  # local demo data only; printed by seed_demo

STANDARD_TEAMS = [
    "Noord",
    "Zuid",
    "Centrum",
    "Delfshaven",
    "Feijenoord",
    "Charlois",
    "IJsselmonde",
    "Prins Alexander",
    "Kralingen-Crooswijk",
]
SPECIALISED_TEAMS = [
    ("Statushouders", "asylum"),
    ("Nazorg ex-gedetineerden", "ex_offender"),
    ("Multiprobleem", "multiproblem"),
]
# Specialised teams carry their own norms (set after the import: the export has no norms). Fewer
# clients per coach, and more administration per client (more partners, more reports), so that a
# full-time coach at the team's norm needs about all the time available, as at a standard team
# (dashboards.team.capacity.calibrated_admin_minutes; tests/dashboards/team/test_capacity.py).
SPECIALISED_TEAM_NORMS = {
    "asylum": {"caseload_norm": 50, "caseload_max": 70, "admin_minutes_per_client": 21},
    "ex_offender": {"caseload_norm": 60, "caseload_max": 85, "admin_minutes_per_client": 16},
    "multiproblem": {"caseload_norm": 40, "caseload_max": 55, "admin_minutes_per_client": 29},
}
FIRST_NAMES = [
    "Anouk",
    "Bram",
    "Chantal",
    "Daan",
    "Esra",
    "Fatima",
    "Gijs",
    "Hanneke",
    "Ilse",
    "Jeroen",
    "Karim",
    "Lotte",
    "Mohamed",
    "Nadia",
    "Olaf",
    "Priya",
    "Rachid",
    "Sanne",
    "Tim",
    "Yvonne",
]
LAST_NAMES = [
    "de Vries",
    "Jansen",
    "Bakker",
    "Visser",
    "Smit",
    "Meijer",
    "El Amrani",
    "Yilmaz",
    "de Boer",
    "Mulder",
    "Bos",
    "Vos",
    "Peters",
    "Hendriks",
    "Dekker",
    "Öztürk",
    "Kramer",
    "van Dijk",
]
SKILLS = [
    "forklift",
    "cleaning",
    "customer service",
    "cooking",
    "care",
    "driving",
    "administration",
    "retail",
    "warehouse",
    "construction",
    "gardening",
    "security",
    "IT support",
    "childcare",
]
OCCUPATIONS = [
    "warehouse worker",
    "cleaner",
    "cashier",
    "cook",
    "care assistant",
    "driver",
    "receptionist",
    "security guard",
    "gardener",
    "construction worker",
    "order picker",
    "call centre agent",
]
SECTORS = [
    "logistics",
    "hospitality",
    "healthcare",
    "retail",
    "construction",
    "port",
    "cleaning",
    "security",
    "care",
]
TRACKS = ["WORK", "PART", "CARE", "EDU"]
TOPICS = ["work", "education", "health", "income", "childcare", "language", "debt", "housing"]
WORKSHOPS = [
    ("Solliciteren met je CV", "job_search", ["customer service"]),
    ("Taalcafé", "language", []),
    ("Heftruckcertificaat", "certificate", ["forklift"]),
    ("Digitale vaardigheden", "digital", ["IT support", "administration"]),
    ("Werken in de zorg", "care", ["care"]),
    ("Veiligheid op de bouw (VCA)", "certificate", ["construction"]),
]
VACANCIES = [
    ("Heftruckchauffeur", "Havenbedrijf", "port", 36, "yes", 2, "A2", "yes", "forklift"),
    ("Zorgassistent", "Zorggroep Maas", "healthcare", 24, "no", 3, "B1", "no", "care"),
    ("Schoonmaker kantoren", "CleanCo", "cleaning", 20, "no", "", "A1", "yes", "cleaning"),
    (
        "Kassamedewerker",
        "Supermarkt Zuid",
        "retail",
        24,
        "no",
        1,
        "A2",
        "no",
        "customer service;retail",
    ),
    ("Orderpicker", "DistriCentrum", "logistics", 38, "no", 1, "A1", "yes", "warehouse"),
    (
        "Receptionist",
        "Hotel Centraal",
        "hospitality",
        32,
        "no",
        3,
        "B2",
        "no",
        "customer service;administration",
    ),
    ("Hovenier", "Groen BV", "gardening", 36, "yes", 2, "A2", "yes", "gardening"),
    ("Beveiliger", "SecureNL", "security", 36, "no", 2, "B1", "no", "security"),
    ("Helpdeskmedewerker", "Gemeente Rotterdam", "public", 32, "no", 4, "B2", "no", "IT support"),
    ("Kok", "Restaurant De Haven", "hospitality", 30, "no", 2, "A2", "yes", "cooking"),
]


# The files written row by row as the clients are generated (memory stays flat at any size).
STREAMED = ("clients", "contacts", "action_plans", "referrals", "enrolments")


@dataclass
class DemoUser:
    username: str
    role: str
    team_index: int  # into the teams list
    full_name: str


# The fixed demo cast: two coaches and the staff of team 1, and another team's manager.
DEMO_CAST = [
    DemoUser("coach.a", "work_coach", 0, "Coach Anouk"),
    DemoUser("coach.b", "work_coach", 0, "Coach Bram"),
    DemoUser("quality.officer", "quality_officer", 0, "Quality officer Chantal"),
    DemoUser("team.manager", "team_manager", 0, "Team manager Daan"),
    DemoUser("other.manager", "team_manager", 1, "Team manager Esra (other team)"),
]


def apply_team_norms() -> int:
    """Give the demo's specialised teams their own norms; returns the number of teams changed."""
    from caseload.models import Team

    changed = 0
    for kind, norms in SPECIALISED_TEAM_NORMS.items():
        changed += Team.objects.filter(kind=kind).update(**norms)
    return changed


def write_csv(path: Path, header: list[str], rows: list[list]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)


def yes_no(value: bool | None) -> str:
    return "" if value is None else ("yes" if value else "no")


def maybe(rng: random.Random, value, missing_rate: float):
    """The value, or '' (not registered) with the given probability."""
    return "" if rng.random() < missing_rate else value


def write_demo_export(directory: Path, clients: int, seed: int, today: datetime.date) -> dict:
    """Write a complete export to `directory`; returns a few counts for the summary."""
    rng = random.Random(seed)
    directory.mkdir(parents=True, exist_ok=True)

    teams = [
        (f"RT{i + 1:02d}", f"Team {name}", "standard") for i, name in enumerate(STANDARD_TEAMS)
    ]
    teams += [
        (f"RS{i + 1:02d}", f"Team {name}", kind) for i, (name, kind) in enumerate(SPECIALISED_TEAMS)
    ]
    write_csv(directory / "teams.csv", FILES_BY_KIND["teams"].header, [list(t) for t in teams])

    # Staff: the demo cast first, then enough coaches for caseloads of about 80–130.
    staff = []
    for index, member in enumerate(DEMO_CAST):
        staff.append(
            [
                f"E{100 + index}",
                member.username,
                member.full_name,
                f"{member.username}@example.org",
                member.role,
                teams[member.team_index][0],
            ]
        )
    coach_count = max(2, round(clients / 105))
    coaches = [row for row in staff if row[4] == "work_coach"]
    for index in range(coach_count - len(coaches)):
        team = teams[(index + 1) % len(teams)] if index >= 2 else teams[0]
        name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        employee_id = f"E{200 + index}"
        row = [
            employee_id,
            f"coach{index + 3:03d}",
            name,
            f"coach{index + 3:03d}@example.org",
            "work_coach",
            team[0],
        ]
        staff.append(row)
        coaches.append(row)
    for team_index, team in enumerate(teams[2:], start=2):
        staff.append(
            [
                f"E{900 + team_index}",
                f"manager.{team[0].lower()}",
                f"Manager {team[1]}",
                f"manager.{team[0].lower()}@example.org",
                "team_manager",
                team[0],
            ]
        )
    write_csv(directory / "staff.csv", FILES_BY_KIND["staff"].header, staff)

    # Caseload sizes around 80–130: weights per coach, then clients drawn by weight.
    weights = [rng.uniform(80, 130) for _ in coaches]
    streams = ExitStack()
    writers = {}
    for name in STREAMED:
        handle = streams.enter_context(
            (directory / f"{name}.csv").open("w", newline="", encoding="utf-8")
        )
        writers[name] = csv.writer(handle)
        writers[name].writerow(FILES_BY_KIND[name].header)
    client_rows, contact_rows, plan_rows, referral_rows, enrolment_rows = (
        writers[name] for name in STREAMED
    )
    contact_seq = plan_seq = referral_seq = enrolment_seq = 0
    workshops = [
        [
            f"W{i + 1:02d}",
            title,
            theme,
            (today + datetime.timedelta(days=7 + 9 * i)).isoformat(),
            15,
        ]
        for i, (title, theme, _skills) in enumerate(WORKSHOPS)
    ]
    vacancies = [
        [f"V{i + 1:03d}", *values[:9], (today + datetime.timedelta(days=14 + 5 * i)).isoformat()]
        for i, values in enumerate(VACANCIES)
    ]

    for number in range(1, clients + 1):
        coach = rng.choices(coaches, weights=weights)[0]
        age = rng.choices(
            [rng.randint(18, 26), rng.randint(27, 44), rng.randint(45, 54), rng.randint(55, 66)],
            weights=[18, 42, 22, 18],
        )[0]
        born = today - datetime.timedelta(days=age * 365 + rng.randint(0, 364))
        gender = rng.choices(["F", "M", "X"], weights=[52, 47, 1])[0]
        household = rng.choices(
            ["single", "single_parent", "couple", "couple_with_children", "other"],
            weights=[45, 18, 12, 15, 10],
        )[0]
        children = 0 if household in ("single", "couple") else rng.randint(1, 4)
        if household == "other":
            children = rng.choice([0, 0, 1, 2])
        youngest = ""
        if children:
            youngest_age = rng.randint(0, min(17, max(0, age - 18)))
            youngest = (
                today - datetime.timedelta(days=youngest_age * 365 + rng.randint(0, 364))
            ).isoformat()
        # Planted contradictions for the quality officer.
        if rng.random() < 0.01 and household == "single_parent":
            children, youngest = 0, ""
        if rng.random() < 0.004 and youngest:
            youngest = (born - datetime.timedelta(days=400)).isoformat()
        single_father_young = (
            gender == "M"
            and household == "single_parent"
            and youngest
            and datetime.date.fromisoformat(youngest) > today - datetime.timedelta(days=12 * 365)
        )
        intake = today - datetime.timedelta(days=rng.randint(10, 6 * 365))
        status, exit_date, exit_reason = "active", "", ""
        if rng.random() < 0.12:
            status = "exited"
            exit_day = intake + datetime.timedelta(
                days=rng.randint(30, max(31, (today - intake).days))
            )
            exit_date = min(exit_day, today).isoformat()
            exit_reason = rng.choices(
                ["work", "education", "moved", "other"], weights=[55, 10, 15, 20]
            )[0]
        frequency = rng.choice([2, 4, 4, 6, 8, 12])
        # Registration gaps: the blind spots.
        gap = 0.35 if coach[0] in ("E101",) else 0.08  # coach B registers less
        skills = rng.sample(SKILLS, rng.randint(0, 3))
        row = [
            f"C{number:06d}",
            coach[0] if rng.random() > 0.005 else "",
            maybe(rng, born.isoformat(), 0.01),
            maybe(rng, gender, 0.04),
            maybe(
                rng, rng.choice(["single", "married", "partnership", "divorced", "widowed"]), gap
            ),
            maybe(rng, household, gap),
            maybe(rng, str(children), gap),
            youngest,
            maybe(rng, str(rng.choices(range(9), weights=[1, 8, 20, 25, 10, 8, 12, 6, 1])[0]), gap),
            maybe(rng, rng.choice(["A0", "A1", "A2", "B1", "B1", "B2", "C1", "C2"]), gap),
            maybe(rng, yes_no(rng.random() < 0.45), gap * 2),
            maybe(rng, yes_no(rng.random() < 0.2), gap),
            maybe(rng, yes_no(rng.random() < 0.25), gap * 1.5),
            maybe(rng, yes_no(rng.random() < 0.6), gap),
            ";".join(rng.sample(OCCUPATIONS, rng.randint(0, 2))),
            ";".join(skills),
            ";".join(rng.sample(SECTORS, rng.randint(0, 2))),
            maybe(rng, str(rng.choices(range(1, 7), weights=[10, 20, 25, 25, 15, 5])[0]), gap),
            maybe(rng, rng.choice(TRACKS), 0.05),
            maybe(rng, str(frequency), 0.05),
            intake.isoformat(),
            status,
            exit_date,
            exit_reason,
        ]
        client_rows.writerow(row)

        # Contact history: roughly at the agreed frequency, less for quiet clients and for the
        # planted under-served group.
        quiet = rng.random() < 0.12
        reliability = 0.35 if single_father_young else (0.4 if quiet else rng.uniform(0.75, 1.1))
        day = intake + datetime.timedelta(days=rng.randint(0, 20))
        end = datetime.date.fromisoformat(exit_date) if exit_date else today
        while day <= end:
            if rng.random() < reliability:
                contact_seq += 1
                initiated = "client" if (not quiet and rng.random() < 0.25) else "coach"
                contact_rows.writerow(
                    [
                        f"K{contact_seq:08d}",
                        row[0],
                        coach[0],
                        day.isoformat(),
                        rng.choices(
                            ["face_to_face", "phone", "video", "email", "home_visit"],
                            weights=[40, 30, 10, 15, 5],
                        )[0],
                        initiated,
                        ";".join(rng.sample(TOPICS, rng.randint(1, 2))),
                    ]
                )
            day += datetime.timedelta(
                days=int(frequency * 7 * rng.uniform(0.8, 1.6 if quiet else 1.2))
            )
        if status == "exited" and rng.random() < 0.03:  # contradiction: a contact after exit
            contact_seq += 1
            contact_rows.writerow(
                [
                    f"K{contact_seq:08d}",
                    row[0],
                    coach[0],
                    today.isoformat(),
                    "phone",
                    "coach",
                    "work",
                ]
            )

        # Action plans: most active clients have one; some reviews are overdue.
        if rng.random() < (0.55 if single_father_young else 0.8):
            plan_seq += 1
            created = intake + datetime.timedelta(days=rng.randint(7, 60))
            if created > today:
                created = today
            review = created + datetime.timedelta(days=rng.choice([90, 180, 365]))
            if rng.random() < 0.01:
                review = created - datetime.timedelta(days=30)  # contradiction
            plan_status = "active" if status == "active" else rng.choice(["completed", "cancelled"])
            if rng.random() < 0.07:
                plan_status = "draft"
            plan_rows.writerow(
                [f"P{plan_seq:07d}", row[0], created.isoformat(), review.isoformat(), plan_status]
            )

        if rng.random() < 0.08:
            referral_seq += 1
            vacancy = rng.choice(vacancies)
            referral_day = max(intake, today - datetime.timedelta(days=rng.randint(1, 120)))
            outcome = rng.choices(
                ["sent", "interview", "hired", "rejected", "withdrawn"], weights=[30, 20, 15, 30, 5]
            )[0]
            referral_rows.writerow(
                [f"R{referral_seq:07d}", row[0], vacancy[0], referral_day.isoformat(), outcome]
            )
        if rng.random() < 0.06:
            enrolment_seq += 1
            workshop = rng.choice(workshops)
            enrolment_rows.writerow(
                [
                    f"EN{enrolment_seq:07d}",
                    row[0],
                    workshop[0],
                    (today - datetime.timedelta(days=rng.randint(0, 30))).isoformat(),
                    rng.choice(["enrolled", "completed", "dropped_out"]),
                ]
            )

    streams.close()
    write_csv(directory / "vacancies.csv", FILES_BY_KIND["vacancies"].header, vacancies)
    write_csv(directory / "workshops.csv", FILES_BY_KIND["workshops"].header, workshops)
    return {
        "teams": len(teams),
        "staff": len(staff),
        "clients": clients,
        "contacts": contact_seq,
    }
