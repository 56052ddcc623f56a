"""A small caseload with known answers for the dashboard tests, unknowns included."""

import datetime

from django.utils import timezone

from caseload.querysets import period_start
from tests.factories import ActionPlanFactory, ClientFactory, ContactFactory


def days_ago(n):
    return timezone.localdate() - datetime.timedelta(days=n)


def known_caseload(coach):
    """Eight clients of `coach`; the expected figures are in EXPECTED below."""
    today = timezone.localdate()
    ok = ClientFactory(coach=coach, client_number="K-OK")  # nothing to do
    ContactFactory(client=ok, date=days_ago(3), initiated_by="client")
    ActionPlanFactory(client=ok)

    overdue = ClientFactory(
        coach=coach,
        client_number="K-OVERDUE",
        contact_frequency_weeks=2,
        gender=None,
        cv_on_file=False,
    )
    ContactFactory(client=overdue, date=days_ago(20))
    ActionPlanFactory(client=overdue, review_date=days_ago(1))

    ClientFactory(
        coach=coach,
        client_number="K-NEVER",
        intake_date=days_ago(200),
        date_of_birth=None,
        cv_on_file=None,
        driving_licence=None,
        service_track=None,
    )

    single_parent = ClientFactory(
        coach=coach,
        client_number="K-PARENT",
        household="single_parent",
        children_count=1,
        youngest_child_birth_date=days_ago(3 * 365),
        intake_date=today,
        contact_frequency_weeks=None,
    )
    ActionPlanFactory(client=single_parent)
    ContactFactory(client=single_parent, date=today, initiated_by="client")

    ClientFactory(
        coach=coach,
        client_number="K-WORK",
        status="exited",
        exit_reason="work",
        exit_date=period_start("quarter"),
    )
    ClientFactory(
        coach=coach, client_number="K-MOVED", status="exited", exit_reason=None, exit_date=today
    )
    ClientFactory(
        coach=coach,
        client_number="K-OLDEXIT",
        status="exited",
        exit_reason="work",
        exit_date=period_start("quarter") - datetime.timedelta(days=1),
    )


EXPECTED = {
    "active_clients": 4,
    "new_this_month": 1,
    "exited_to_work": 1,
    "exited_otherwise": 1,
    "contact_overdue": 2,  # K-OVERDUE, and K-NEVER (due: intake 200 days ago + 4 weeks)
    "not_seen": 1,  # K-NEVER
    "no_active_plan": 1,  # K-NEVER
    "plan_review_overdue": 1,  # K-OVERDUE
    "no_cv": 1,
    "cv_not_registered": 1,
    "quiet": 2,  # K-OVERDUE (only coach-initiated contact), K-NEVER
    "gender=unknown": 1,
    "age_band=unknown": 1,
    "driving_licence=unknown": 1,
    "service_track=unknown": 1,
    "single_parent_young_child": 1,
}
