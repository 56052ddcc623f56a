"""A team with known answers for the team manager dashboard tests."""

import datetime

from django.utils import timezone

from tests.factories import ActionPlanFactory, ClientFactory, ContactFactory, ReferralFactory

TODAY = timezone.localdate()


def days_ago(n):
    return TODAY - datetime.timedelta(days=n)


def known_caseload(coach, prefix="K"):
    """Seven active and two exited clients with, by construction:

    active 7; due this week 1 (DUE); overdue 2 (LATE, NEVER); seen within frequency 4 (OK, DUE, STEP1, MID);
    no agreed frequency 1 (NOFREQ); not seen 90 days 2 (NEVER, NOFREQ); no active plan 6 (all but OK);
    key fields missing 1 (NOFREQ); participation step 1–2: 1 (STEP1); health flag 1 (LATE);
    referred this quarter 1 (OK); exits to work this quarter 1 (WORK).
    """

    def make(name, **fields):
        return ClientFactory(coach=coach, client_number=f"{prefix}{name}", **fields)

    ok = make("OK")
    ContactFactory(client=ok, date=days_ago(3), channel="phone")
    ActionPlanFactory(client=ok)
    ReferralFactory(client=ok, date=TODAY)
    due = make("DUE")
    ContactFactory(client=due, date=days_ago(25))
    late = make("LATE", mental_health_issues=True)
    ContactFactory(client=late, date=days_ago(40))
    make("NEVER", intake_date=days_ago(200))
    nofreq = make("NOFREQ", contact_frequency_weeks=None, intake_date=days_ago(200))
    step1 = make("STEP1", participation_step=1)
    ContactFactory(client=step1, date=days_ago(1), channel="home_visit")
    ContactFactory(
        client=make("MID"), date=days_ago(10)
    )  # seen 10 days ago, freq 4: due in 18 days
    make("WORK", status="exited", exit_reason="work", exit_date=TODAY)
    make("EDU", status="exited", exit_reason="education", exit_date=TODAY)
    return nofreq


KNOWN = {
    "team_active_caseload": 7,
    "contact_due_this_week": 1,
    "contact_overdue": 2,
    "seen_within_frequency": 4,
    "no_contact_frequency": 1,
    "not_seen": 2,
    "no_active_plan": 6,
    "missing_key_fields": 1,
    "team_referred_this_quarter": 1,
    "team_exited_to_work_this_quarter": 1,
    "team_participation_step_1_2": 1,
    "health_flag": 1,
}
