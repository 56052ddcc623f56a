"""The data-quality rules: what counts as a gap in the registration, and what each gap blocks.

Every rule is a filter the database runs (`matches(queryset, today) -> queryset`), so counting,
listing and the weekly list stay SQL-side and the figure on a page equals the list behind it.
Each rule's definition is also its legend entry (quality/definitions.py).

Rules apply to active clients unless `active_only` is False (a rule about exited clients).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from caseload.models import ActionPlan, Contact, Household

MISSING = "missing"
CONTRADICTORY = "contradictory"
STALE = "stale"
KIND_LABELS = {
    MISSING: _("Missing"),
    CONTRADICTORY: _("Contradictory"),
    STALE: _("Stale"),
}

# Severity ranks the weekly list: a gap that keeps a client from work comes first.
HIGH, MEDIUM, LOW = 3, 2, 1
SEVERITY_LABELS = {HIGH: _("high"), MEDIUM: _("medium"), LOW: _("low")}


@dataclass(frozen=True)
class Rule:
    id: str
    kind: str
    severity: int
    label: str
    definition: str
    blocks: str
    matches: Callable[[QuerySet, datetime.date], QuerySet]
    field: str | None = None  # the registered field a *missing* rule is about
    active_only: bool = True

    def apply(self, queryset: QuerySet, today: datetime.date) -> QuerySet:
        """The clients of `queryset` that break this rule on `today`."""
        base = queryset.active() if self.active_only else queryset
        return self.matches(base, today)

    @property
    def kind_label(self):
        return KIND_LABELS[self.kind]

    @property
    def finding_label(self):
        """The finding as a list names it: a missing field says so ("Gender: not registered")."""
        if self.field:
            return format_lazy(_("{field}: not registered"), field=self.label)
        return self.label

    @property
    def severity_label(self):
        return SEVERITY_LABELS[self.severity]


def not_registered(field: str):
    return lambda qs, today: qs.filter(**{f"{field}__isnull": True})


def missing(rule_id, field, label, blocks, severity=MEDIUM) -> Rule:
    return Rule(
        id=rule_id,
        kind=MISSING,
        severity=severity,
        label=label,
        field=field,
        blocks=blocks,
        definition=format_lazy(
            _(
                "Active clients for whom '{field}' is not registered (empty in the registration system)."
            ),
            field=label,
        ),
        matches=not_registered(field),
    )


def _no_cv_on_file(qs, today):
    return qs.filter(cv_on_file=False)


def _single_parent_without_children(qs, today):
    return qs.filter(household=Household.SINGLE_PARENT, children_count=0)


def _youngest_child_before_client(qs, today):
    return qs.filter(youngest_child_birth_date__lt=F("date_of_birth"))


def _plan_review_before_creation(qs, today):
    return qs.filter(
        Exists(ActionPlan.objects.filter(client=OuterRef("pk"), review_date__lt=F("created_date")))
    )


def _contacts_after_exit(qs, today):
    return qs.exited().filter(
        Exists(Contact.objects.filter(client=OuterRef("pk"), date__gt=OuterRef("exit_date")))
    )


def _frequency_without_contact(qs, today):
    return qs.filter(contact_frequency_weeks__isnull=False).exclude(
        Exists(Contact.objects.filter(client=OuterRef("pk")))
    )


def _plan_review_overdue(qs, today):
    return qs.plan_review_overdue(today)


def _contact_older_than_frequency(qs, today):
    return qs.with_contact_due().filter(
        Q(last_contact_date__isnull=False) & Q(contact_due_date__lt=today)
    )


RULES: list[Rule] = [
    Rule(
        id="no_cv_on_file",
        kind=MISSING,
        severity=HIGH,
        label=_("No CV on file"),
        definition=_(
            "Active clients registered as having no CV on file ('no' in the registration system). "
            "An empty field is the separate finding 'CV on file' not registered."
        ),
        blocks=_(
            "Cannot be referred to vacancies: without a CV the client is left out of referrals."
        ),
        matches=_no_cv_on_file,
    ),
    missing(
        "cv_not_registered",
        "cv_on_file",
        _("CV on file"),
        severity=HIGH,
        blocks=_(
            "Unknown whether the client can be referred to vacancies: nobody knows if a CV exists."
        ),
    ),
    missing(
        "driving_licence_not_registered",
        "driving_licence",
        _("Driving licence"),
        severity=HIGH,
        blocks=_("Invisible to vacancies that need a driving licence."),
    ),
    missing(
        "education_level_not_registered",
        "education_level",
        _("Education level"),
        severity=HIGH,
        blocks=_("Invisible to vacancies with a minimum education level."),
    ),
    missing(
        "language_level_not_registered",
        "language_level",
        _("Language level"),
        severity=HIGH,
        blocks=_("Invisible to vacancies with a minimum language level."),
    ),
    missing(
        "contact_frequency_not_registered",
        "contact_frequency_weeks",
        _("Agreed contact frequency"),
        severity=HIGH,
        blocks=_(
            "Never shown as 'contact overdue': the client can be forgotten without anyone seeing it."
        ),
    ),
    missing(
        "physical_limitations_not_registered",
        "physical_limitations",
        _("Physical limitations"),
        blocks=_("Matching cannot tell whether physically demanding vacancies fit."),
    ),
    missing(
        "household_not_registered",
        "household",
        _("Household"),
        blocks=_("Invisible in the visibility report (household groups, single parents)."),
    ),
    missing(
        "date_of_birth_not_registered",
        "date_of_birth",
        _("Date of birth"),
        blocks=_("Invisible in the visibility report by age band."),
    ),
    missing(
        "gender_not_registered",
        "gender",
        _("Gender"),
        blocks=_("Invisible in the visibility report by gender."),
    ),
    missing(
        "participation_step_not_registered",
        "participation_step",
        _("Participation step"),
        severity=LOW,
        blocks=_("Progress on the participation ladder cannot be followed."),
    ),
    missing(
        "intake_date_not_registered",
        "intake_date",
        _("Intake date"),
        severity=LOW,
        blocks=_(
            "Time on the caseload and 'not seen' for never-contacted clients cannot be worked out."
        ),
    ),
    Rule(
        id="single_parent_without_children",
        kind=CONTRADICTORY,
        severity=MEDIUM,
        label=_("Single parent with 0 children"),
        definition=_(
            "Active clients whose household is 'single parent' while the number of children is 0."
        ),
        blocks=_("Counted wrongly in the single-parent figures of the visibility report."),
        matches=_single_parent_without_children,
    ),
    Rule(
        id="youngest_child_before_client",
        kind=CONTRADICTORY,
        severity=MEDIUM,
        label=_("Youngest child born before the client"),
        definition=_("Active clients whose youngest child's date of birth lies before their own."),
        blocks=_("'Single parent with a child under 12' cannot be trusted for this client."),
        matches=_youngest_child_before_client,
    ),
    Rule(
        id="plan_review_before_creation",
        kind=CONTRADICTORY,
        severity=MEDIUM,
        label=_("Plan review before its creation"),
        definition=_(
            "Active clients with an action plan (any status) whose review date lies before the "
            "date the plan was created."
        ),
        blocks=_("The plan never shows as 'review overdue' correctly."),
        matches=_plan_review_before_creation,
    ),
    Rule(
        id="contacts_after_exit",
        kind=CONTRADICTORY,
        severity=LOW,
        active_only=False,
        label=_("Contacts after exit"),
        definition=_("Exited clients with a registered contact dated after their exit date."),
        blocks=_(
            "Contact figures of the coach and team include contacts with someone no longer on the caseload."
        ),
        matches=_contacts_after_exit,
    ),
    Rule(
        id="frequency_without_contact",
        kind=CONTRADICTORY,
        severity=MEDIUM,
        label=_("Contact frequency but no contact ever"),
        definition=_(
            "Active clients with an agreed contact frequency and not a single registered contact."
        ),
        blocks=_("Either contacts are not being registered or the client has never been seen."),
        matches=_frequency_without_contact,
    ),
    Rule(
        id="plan_review_overdue",
        kind=STALE,
        severity=MEDIUM,
        label=_("Plan review overdue"),
        definition=_(
            "Active clients with an active action plan whose review date lies before the reference "
            "day (the Monday of the ISO week for the weekly list; today on the dashboard)."
        ),
        blocks=_("The plan on file may no longer describe what is agreed with the client."),
        matches=_plan_review_overdue,
    ),
    Rule(
        id="last_contact_older_than_frequency",
        kind=STALE,
        severity=MEDIUM,
        label=_("Last contact older than the agreed frequency"),
        definition=_(
            "Active clients with at least one contact whose last contact plus the agreed contact "
            "frequency lies before the reference day."
        ),
        blocks=_("Registered circumstances (CV, licence, household) may be out of date."),
        matches=_contact_older_than_frequency,
    ),
]

RULES_BY_ID: dict[str, Rule] = {rule.id: rule for rule in RULES}
RULE_ORDER: dict[str, int] = {rule.id: index for index, rule in enumerate(RULES)}


def rule_key(rule_id: str) -> str:
    """The legend key of a rule's definition."""
    return f"quality_{rule_id}"


def get(rule_id: str) -> Rule:
    return RULES_BY_ID[rule_id]


def choices() -> list[tuple[str, str]]:
    return [(rule.id, rule.label) for rule in RULES]
