"""Clients that break (or keep) each data-quality rule, for the rule tests and the page tests."""

import datetime

from django.utils import timezone

from tests.factories import ActionPlanFactory, ClientFactory, ContactFactory


def days_ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


def seen_client(**fields):
    """A fully registered active client with a recent contact: breaks no rule."""
    client = ClientFactory(**fields)
    ContactFactory(client=client, date=days_ago(7))
    return client


MISSING_FIELDS = {
    "cv_not_registered": "cv_on_file",
    "driving_licence_not_registered": "driving_licence",
    "education_level_not_registered": "education_level",
    "language_level_not_registered": "language_level",
    "contact_frequency_not_registered": "contact_frequency_weeks",
    "physical_limitations_not_registered": "physical_limitations",
    "household_not_registered": "household",
    "date_of_birth_not_registered": "date_of_birth",
    "gender_not_registered": "gender",
    "participation_step_not_registered": "participation_step",
    "intake_date_not_registered": "intake_date",
}


def _missing(field):
    return (lambda **kw: seen_client(**{field: None}, **kw), lambda **kw: seen_client(**kw))


def _plan(client, **fields):
    ActionPlanFactory(client=client, **fields)
    return client


def _contact(client, days):
    ContactFactory(client=client, date=days_ago(days))
    return client


def _exited(**kw):
    return ClientFactory(status="exited", exit_date=days_ago(30), exit_reason="work", **kw)


# rule id -> (make a client that breaks it, make a client that does not)
CASES = {
    **{rule_id: _missing(field) for rule_id, field in MISSING_FIELDS.items()},
    "no_cv_on_file": (
        lambda **kw: seen_client(cv_on_file=False, **kw),
        lambda **kw: seen_client(**kw),
    ),
    "single_parent_without_children": (
        lambda **kw: seen_client(household="single_parent", children_count=0, **kw),
        lambda **kw: seen_client(
            household="single_parent",
            children_count=1,
            youngest_child_birth_date=days_ago(2000),
            **kw,
        ),
    ),
    "youngest_child_before_client": (
        lambda **kw: seen_client(
            date_of_birth=datetime.date(1990, 5, 1),
            youngest_child_birth_date=datetime.date(1985, 1, 1),
            **kw,
        ),
        lambda **kw: seen_client(
            date_of_birth=datetime.date(1990, 5, 1),
            youngest_child_birth_date=datetime.date(2015, 1, 1),
            **kw,
        ),
    ),
    "plan_review_before_creation": (
        lambda **kw: _plan(seen_client(**kw), created_date=days_ago(10), review_date=days_ago(20)),
        lambda **kw: _plan(seen_client(**kw), created_date=days_ago(10), review_date=days_ago(-20)),
    ),
    "contacts_after_exit": (
        lambda **kw: _contact(_exited(**kw), 5),
        lambda **kw: _contact(_exited(**kw), 40),
    ),
    "frequency_without_contact": (
        lambda **kw: ClientFactory(contact_frequency_weeks=4, **kw),
        lambda **kw: seen_client(contact_frequency_weeks=4, **kw),
    ),
    "plan_review_overdue": (
        lambda **kw: _plan(seen_client(**kw), status="active", review_date=days_ago(1)),
        lambda **kw: _plan(seen_client(**kw), status="active", review_date=days_ago(-1)),
    ),
    "last_contact_older_than_frequency": (
        lambda **kw: _contact(ClientFactory(contact_frequency_weeks=4, **kw), 40),
        lambda **kw: _contact(ClientFactory(contact_frequency_weeks=4, **kw), 20),
    ),
}
