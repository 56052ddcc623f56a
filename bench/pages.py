"""The pages the bench measures: one entry each (URL name, who asks, query, equivalent raw SQL).

Adding a page is adding one `Page` to `PAGES`. An entry whose URL name does not resolve yet is
reported as "not built yet", so the list can name pages other branches are still building.

Each `sql` is one hand-written query computing the same answer the page shows (for pages not built
on this branch: the answer their issue describes). Parameters come from `BenchContext.params()`.
Goals: "coach" pages p95 ≤ 100 ms and ≤ 1.5× their SQL, "team" pages p95 ≤ 300 ms,
"visibility" ≤ 2 s at 30k clients and ≤ 10 s at 500k.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class BenchContext:
    today: datetime.date
    coach_id: int
    team_id: int
    client_number: str  # a client of the bench coach
    vacancy_pk: int
    vacancy_id: str
    users: dict[str, int] = field(default_factory=dict)

    def years_ago(self, years: int) -> datetime.date:
        return self.today.replace(year=self.today.year - years)

    def params(self) -> dict:
        return {
            "today": self.today,
            "coach": self.coach_id,
            "team": self.team_id,
            "client_number": self.client_number,
            "vacancy": self.vacancy_pk,
            "born_after": self.years_ago(45),  # age band 27–44: born after this day ...
            "born_on_or_before": self.years_ago(27),  # ... and on or before this one
            "not_seen_cutoff": self.today - datetime.timedelta(days=90),
            "year_ago": self.today - datetime.timedelta(days=365),
        }


@dataclass
class Page:
    name: str
    url_name: str
    role: str  # "coach", "quality", "manager" or "admin": the bench user who asks
    goal: str  # "coach", "team" or "visibility"
    sql: str | None
    args: Callable[[BenchContext], list] = lambda ctx: []
    query: str = ""
    # Called before each timed request, outside the timing: for a page that would otherwise answer
    # later requests from what the first one stored.
    before_each: Callable[[], None] | None = None
    # At most this many timed requests (and one warm-up): for a page taking seconds, whose p95
    # over 10 is as telling as over 100 and would otherwise hold the bench for half an hour.
    max_requests: int | None = None


def forget_visibility_runs() -> None:
    """The report reuses a stored run for identical data and parameters; the goal is the computation."""
    from quality.models import VisibilityRun

    VisibilityRun.objects.all().delete()


# Last contact and contact due date, exactly as caseload.querysets defines them.
CLIENT_MONITORING = """
    SELECT c.*, lc.date AS last_contact_date,
           COALESCE(lc.date, c.intake_date) + c.contact_frequency_weeks * 7 AS contact_due_date,
           EXISTS (SELECT 1 FROM caseload_actionplan p WHERE p.client_id = c.id AND p.status = 'active')
               AS has_active_plan,
           EXISTS (SELECT 1 FROM caseload_actionplan p WHERE p.client_id = c.id AND p.status = 'active'
                   AND p.review_date < %(today)s) AS plan_review_overdue,
           NOT EXISTS (SELECT 1 FROM caseload_contact k WHERE k.client_id = c.id
                       AND k.initiated_by = 'client' AND k.date >= %(not_seen_cutoff)s) AS quiet
    FROM caseload_client c
    LEFT JOIN LATERAL (SELECT k.date FROM caseload_contact k WHERE k.client_id = c.id
                       ORDER BY k.date DESC LIMIT 1) lc ON true
"""

MONITORING_COUNTS = """
    count(*) FILTER (WHERE m.status = 'active') AS active,
    count(*) FILTER (WHERE m.status = 'active' AND m.contact_due_date < %(today)s) AS contact_overdue,
    count(*) FILTER (WHERE m.status = 'active' AND (m.last_contact_date < %(not_seen_cutoff)s
        OR m.last_contact_date IS NULL AND (m.intake_date < %(not_seen_cutoff)s OR m.intake_date IS NULL)))
        AS not_seen,
    count(*) FILTER (WHERE m.status = 'active' AND NOT m.has_active_plan) AS no_active_plan,
    count(*) FILTER (WHERE m.status = 'active' AND m.plan_review_overdue) AS plan_review_overdue,
    count(*) FILTER (WHERE m.status = 'active' AND m.quiet) AS quiet,
    count(*) FILTER (WHERE m.status = 'active' AND m.cv_on_file IS NULL) AS cv_unknown
"""

VISIBILITY_SQL = """
        WITH c AS (
            SELECT CASE WHEN c.date_of_birth IS NULL THEN 'unknown'
                        WHEN c.date_of_birth > %(born_on_or_before)s THEN 'under_27'
                        WHEN c.date_of_birth > %(born_after)s THEN '27_44' ELSE '45_plus' END AS age_band,
                   COALESCE(c.gender, 'unknown') AS gender, COALESCE(c.household, 'unknown') AS household,
                   (SELECT count(*) FROM caseload_contact k WHERE k.client_id = c.id AND k.date >= %(year_ago)s)
                       AS contacts_last_year,
                   EXISTS (SELECT 1 FROM caseload_actionplan p WHERE p.client_id = c.id AND p.status = 'active')
                       AS has_plan
            FROM caseload_client c
            WHERE c.status = 'active')
        SELECT age_band, gender, household, count(*) AS clients, avg(contacts_last_year) AS contacts,
               avg(has_plan::int) AS with_plan
        FROM c GROUP BY CUBE (age_band, gender, household)
        """

PAGES: list[Page] = [
    Page(
        "Coach dashboard",
        "coach_dashboard",
        "coach",
        "coach",
        sql=f"""
        WITH m AS MATERIALIZED ({CLIENT_MONITORING} WHERE c.coach_id = %(coach)s)
        SELECT {MONITORING_COUNTS} FROM m
        """,
    ),
    Page(
        "Caseload list, 3 filters",
        "caseload:client_list",
        "coach",
        "coach",
        query="age_band=27_34&age_band=35_44&cv_on_file=yes&contact_overdue=true&page_size=25",
        sql=f"""
        WITH m AS MATERIALIZED ({CLIENT_MONITORING}
                   WHERE c.coach_id = %(coach)s AND c.status = 'active' AND c.cv_on_file
                     AND c.date_of_birth > %(born_after)s AND c.date_of_birth <= %(born_on_or_before)s)
        SELECT m.*, u.username, count(*) OVER () AS total
        FROM m LEFT JOIN caseload_user u ON u.id = m.coach_id
        WHERE m.contact_due_date < %(today)s
        ORDER BY m.client_number LIMIT 25
        """,
    ),
    Page(
        "Team caseload list, contact overdue",
        "caseload:client_list",
        "manager",
        "team",
        query="contact_overdue=true&page_size=25",
        sql=f"""
        WITH m AS MATERIALIZED ({CLIENT_MONITORING} JOIN caseload_user cu ON cu.id = c.coach_id
                   WHERE cu.team_id = %(team)s AND c.status = 'active')
        SELECT m.*, count(*) OVER () AS total FROM m
        WHERE m.contact_due_date < %(today)s ORDER BY m.client_number LIMIT 25
        """,
    ),
    Page(
        "Client page",
        "caseload:client_detail",
        "coach",
        "coach",
        args=lambda ctx: [ctx.client_number],
        sql=f"""
        WITH m AS MATERIALIZED ({CLIENT_MONITORING} WHERE c.client_number = %(client_number)s AND c.coach_id = %(coach)s)
        SELECT m.*, u.full_name, t.name,
          (SELECT json_agg(k ORDER BY k.date DESC) FROM (SELECT k.*, e.full_name FROM caseload_contact k
             LEFT JOIN caseload_user e ON e.id = k.employee_id WHERE k.client_id = m.id) k) AS contacts,
          (SELECT json_agg(p ORDER BY p.created_date DESC) FROM caseload_actionplan p WHERE p.client_id = m.id)
             AS plans,
          (SELECT json_agg(r ORDER BY r.date DESC) FROM (SELECT r.*, v.title FROM caseload_referral r
             JOIN caseload_vacancy v ON v.id = r.vacancy_id WHERE r.client_id = m.id) r) AS referrals,
          (SELECT json_agg(e) FROM (SELECT e.*, w.title FROM caseload_enrolment e
             JOIN caseload_workshop w ON w.id = e.workshop_id WHERE e.client_id = m.id) e) AS enrolments
        FROM m LEFT JOIN caseload_user u ON u.id = m.coach_id LEFT JOIN caseload_team t ON t.id = u.team_id
        """,
    ),
    Page(
        "Vacancy shortlist",
        "vacancy_detail",
        "coach",
        "coach",
        args=lambda ctx: [ctx.vacancy_id],
        sql="""
        SELECT c.client_number,
               (SELECT count(*) FROM jsonb_array_elements_text(COALESCE(c.skills, '[]')) s
                WHERE s IN (SELECT jsonb_array_elements_text(COALESCE(v.required_skills, '[]')))) AS matching_skills
        FROM caseload_client c, caseload_vacancy v
        WHERE v.id = %(vacancy)s AND c.coach_id = %(coach)s AND c.status = 'active'
          AND (v.requires_driving_licence IS NOT TRUE OR c.driving_licence IS NOT FALSE)
          AND (v.min_education_level IS NULL OR c.education_level IS NULL OR c.education_level >= v.min_education_level)
          AND (v.min_language_level IS NULL OR c.language_level IS NULL OR c.language_level >= v.min_language_level)
        ORDER BY matching_skills DESC, c.client_number LIMIT 20
        """,
    ),
    Page(
        "Team manager dashboard",
        "team_dashboard",
        "manager",
        "team",
        sql=f"""
        WITH m AS MATERIALIZED ({CLIENT_MONITORING} JOIN caseload_user cu ON cu.id = c.coach_id WHERE cu.team_id = %(team)s)
        SELECT u.id, u.full_name, u.fte, {MONITORING_COUNTS},
               count(*) FILTER (WHERE m.status = 'exited' AND m.exit_date >= %(year_ago)s
                                AND m.exit_reason = 'work') AS outflow_to_work
        FROM caseload_user u LEFT JOIN m ON m.coach_id = u.id
        WHERE u.team_id = %(team)s AND u.role = 'work_coach' AND u.is_active
        GROUP BY u.id ORDER BY u.full_name
        """,
    ),
    Page(
        "Quality dashboard",
        "quality_dashboard",
        "quality",
        "team",
        sql="""
        SELECT u.id, u.full_name, count(c.id) AS active,
               count(*) FILTER (WHERE c.date_of_birth IS NULL) AS dob_unknown,
               count(*) FILTER (WHERE c.household IS NULL) AS household_unknown,
               count(*) FILTER (WHERE c.education_level IS NULL) AS education_unknown,
               count(*) FILTER (WHERE c.language_level IS NULL) AS language_unknown,
               count(*) FILTER (WHERE c.driving_licence IS NULL) AS licence_unknown,
               count(*) FILTER (WHERE c.cv_on_file IS NULL) AS cv_unknown,
               count(*) FILTER (WHERE c.contact_frequency_weeks IS NULL) AS frequency_unknown,
               count(*) FILTER (WHERE c.household = 'single_parent' AND c.children_count = 0) AS contradictions
        FROM caseload_user u LEFT JOIN caseload_client c ON c.coach_id = u.id AND c.status = 'active'
        WHERE u.team_id = %(team)s AND u.role = 'work_coach'
        GROUP BY u.id ORDER BY u.full_name
        """,
    ),
    Page(
        "Visibility report, depth 3, all teams",
        "visibility_report",
        "admin",
        "visibility",
        query="depth=3",
        before_each=forget_visibility_runs,
        sql=VISIBILITY_SQL,
        max_requests=10,
    ),
    # The same report when the run for this data and these options is recorded (every request after
    # the first on the same data): the counts are read again and fingerprinted, the summary reused.
    Page(
        "Visibility report, depth 3, all teams, recorded run",
        "visibility_report",
        "admin",
        "visibility",
        query="depth=3",
        sql=VISIBILITY_SQL,
        max_requests=10,
    ),
    Page(
        "API client list (page of 50)",
        "client-list",
        "coach",
        "coach",
        query="page_size=50",
        sql=f"""
        WITH m AS MATERIALIZED ({CLIENT_MONITORING} WHERE c.coach_id = %(coach)s)
        SELECT m.*, u.employee_id, count(*) OVER () AS total
        FROM m LEFT JOIN caseload_user u ON u.id = m.coach_id ORDER BY m.client_number LIMIT 50
        """,
    ),
    Page(
        "API contact list (page of 50)",
        "contact-list",
        "coach",
        "coach",
        query="page_size=50",
        sql="""
        SELECT k.*, c.client_number, e.employee_id, count(*) OVER () AS total
        FROM caseload_contact k JOIN caseload_client c ON c.id = k.client_id
        LEFT JOIN caseload_user e ON e.id = k.employee_id
        WHERE c.coach_id = %(coach)s ORDER BY k.date DESC, k.contact_id LIMIT 50
        """,
    ),
]
