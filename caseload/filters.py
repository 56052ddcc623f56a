"""One FilterSet per resource, shared by the HTML dashboards and the API.

A figure on a dashboard links to the client list with the query string that this FilterSet turns
into exactly the queryset the figure counted, so the number and the list cannot disagree.

"Not registered" is a value of its own for every characteristic (`unknown`), never folded into "no".
"""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import definitions as _definitions  # noqa: F401  (registers the legend entries used below)
from . import legend, thresholds
from .keys import MAX_ID
from .models import (
    ActionPlan,
    Channel,
    Client,
    ClientStatus,
    Contact,
    EducationLevel,
    ExitReason,
    Gender,
    Household,
    InitiatedBy,
    LanguageLevel,
    MaritalStatus,
    ParticipationStep,
    PlanStatus,
    TeamKind,
    Vacancy,
)
from .querysets import AGE_BANDS, LAST_CONTACT_BANDS, last_contact_band_condition

UNKNOWN = "unknown"
UNKNOWN_CHOICE = (UNKNOWN, _("Not registered"))

AGE_BAND_LABELS = {
    "under_27": _("under 27"),
    "27_34": _("27–34"),
    "35_44": _("35–44"),
    "45_54": _("45–54"),
    "55_plus": _("55 and over"),
}
AGE_BAND_CHOICES = [(key, AGE_BAND_LABELS[key]) for key, _lower, _upper in AGE_BANDS]
LAST_CONTACT_LABELS = {
    "4_weeks": _("within 4 weeks"),
    "1_3_months": _("1 to 3 months ago"),
    "over_3_months": _("more than 3 months ago"),
}
LAST_CONTACT_CHOICES = [
    (key, LAST_CONTACT_LABELS[key]) for key, _fewest, _most in LAST_CONTACT_BANDS
]
TRISTATE_CHOICES = [("yes", _("Yes")), ("no", _("No")), UNKNOWN_CHOICE]
PERIOD_CHOICES = [
    ("month", _("this month")),
    ("quarter", _("this quarter")),
    ("year", _("this year")),
]


class CheckboxMultipleChoiceFilter(django_filters.MultipleChoiceFilter):
    """Any of the chosen values, offered as checkboxes (no Ctrl-click, every option visible)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", forms.CheckboxSelectMultiple)
        super().__init__(*args, **kwargs)


class RegisteredChoiceFilter(CheckboxMultipleChoiceFilter):
    """Any of the chosen values; `unknown` selects the clients for whom the field is NULL."""

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, choices=[*choices, UNKNOWN_CHOICE], **kwargs)

    def filter(self, qs, value):
        if not value:
            return qs
        known = [v for v in value if v != UNKNOWN]
        condition = Q()
        if known:
            condition |= Q(**{f"{self.field_name}__in": known})
        if UNKNOWN in value:
            condition |= Q(**{f"{self.field_name}__isnull": True})
        return qs.filter(condition)


class TriStateFilter(CheckboxMultipleChoiceFilter):
    """yes / no / not registered for a nullable boolean."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, choices=TRISTATE_CHOICES, **kwargs)

    def filter(self, qs, value):
        if not value:
            return qs
        condition = Q()
        if "yes" in value:
            condition |= Q(**{self.field_name: True})
        if "no" in value:
            condition |= Q(**{self.field_name: False})
        if UNKNOWN in value:
            condition |= Q(**{f"{self.field_name}__isnull": True})
        return qs.filter(condition)


class NativeDateFilter(django_filters.DateFilter):
    """A date filter shown as the browser's own date picker (ISO value, whatever the language)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
        super().__init__(*args, **kwargs)


def flag(label_key: str, method: str):
    """A checkbox filter that applies a ClientQuerySet method; its label comes from the legend."""
    return django_filters.BooleanFilter(
        label=legend.get(label_key).label,
        method=method,
        widget=forms.CheckboxInput,
        help_text=legend.get(label_key).text,
    )


class NullsPlacedOrderingFilter(django_filters.OrderingFilter):
    """Sorting that puts unknowns in the same place on every database (PostgreSQL and SQLite
    disagree), with the client number as tie-break so pages never shuffle.

    Never contacted counts as longest ago: first when sorting by last contact oldest-first, so the
    quiet clients lead the list. An unknown due date (no agreed frequency) always goes last.
    """

    NEVER_IS_OLDEST = {"last_contact_date"}

    def get_ordering_value(self, param):
        descending = param.startswith("-")
        name = self.param_map.get(param.lstrip("-"), param.lstrip("-"))
        if name in self.NEVER_IS_OLDEST:
            return F(name).desc(nulls_last=True) if descending else F(name).asc(nulls_first=True)
        return F(name).desc(nulls_last=True) if descending else F(name).asc(nulls_last=True)

    def filter(self, qs, value):
        qs = super().filter(qs, value)
        return qs.order_by(*qs.query.order_by, "client_number") if value else qs


class FilterSet(django_filters.FilterSet):
    """The base of every FilterSet of the app. A filter builds its form field once and keeps it,
    and each instance starts from a deep copy of the class-level filters: once anything built a
    class-level field (the API schema does), every page would get that field, with the schema's
    choices and querysets (built without a request) instead of the reader's. Each instance
    therefore builds its own fields, with its request and any widget the page sets."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for filter_ in self.filters.values():
            filter_.__dict__.pop("_field", None)

    def offer_as_list(self, name: str, empty_label, choices) -> None:
        """Show filter `name` (a record id) as a select of `choices` [(id, name)], the records
        the reader may pick; the API takes the id as a number."""
        self.filters[name].extra["widget"] = forms.Select(choices=[("", empty_label), *choices])


class ClientFilterSet(FilterSet):
    q = django_filters.CharFilter(label=_("Client number"), method="filter_q")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=ClientStatus.choices)
    # Bounded: a number beyond a 64-bit id is a 400, not a database overflow (found by schemathesis).
    coach = django_filters.NumberFilter(
        label=_("Work coach"), field_name="coach_id", min_value=1, max_value=MAX_ID, step_size=1
    )

    team = django_filters.NumberFilter(
        label=_("Team"), field_name="coach__team_id", min_value=1, max_value=MAX_ID, step_size=1
    )

    # characteristics
    age_band = CheckboxMultipleChoiceFilter(
        label=legend.get("age_band").label,
        choices=[*AGE_BAND_CHOICES, UNKNOWN_CHOICE],
        method="filter_age_band",
    )
    gender = RegisteredChoiceFilter(label=_("Gender"), choices=Gender.choices)
    marital_status = RegisteredChoiceFilter(
        label=_("Marital status"), choices=MaritalStatus.choices
    )
    household = RegisteredChoiceFilter(label=_("Household"), choices=Household.choices)
    single_parent_young_child = flag(
        "single_parent_young_child", "filter_single_parent_young_child"
    )
    education_level = RegisteredChoiceFilter(
        label=_("Education level"), choices=EducationLevel.choices
    )
    language_level = RegisteredChoiceFilter(
        label=_("Language level"), choices=LanguageLevel.choices
    )
    participation_step = RegisteredChoiceFilter(
        label=_("Participation step"), choices=ParticipationStep.choices
    )
    service_track = django_filters.CharFilter(
        label=_("Service track"), method="filter_service_track"
    )
    driving_licence = TriStateFilter(label=_("Driving licence"))
    physical_limitations = TriStateFilter(label=_("Physical limitations"))
    mental_health_issues = TriStateFilter(label=_("Mental health issues"))
    cv_on_file = TriStateFilter(label=_("CV on file"))
    exit_reason = RegisteredChoiceFilter(label=_("Exit reason"), choices=ExitReason.choices)
    team_kind = RegisteredChoiceFilter(
        label=_("Team kind"), choices=TeamKind.choices, field_name="coach__team__kind"
    )

    # monitoring
    last_contact = CheckboxMultipleChoiceFilter(
        label=_("Last contact"),
        choices=[*LAST_CONTACT_CHOICES, (UNKNOWN, _("Never contacted"))],
        method="filter_last_contact",
        help_text=legend.get("last_contact").text,
    )
    contact_overdue = flag("contact_overdue", "filter_contact_overdue")
    not_seen = flag("not_seen", "filter_not_seen")
    not_seen_days = django_filters.NumberFilter(
        label=_("Not seen for (days)"),
        method="filter_noop",
        min_value=thresholds.DAYS_MIN,
        max_value=thresholds.DAYS_MAX,
        step_size=1,
    )
    no_active_plan = flag("no_active_plan", "filter_no_active_plan")
    plan_review_overdue = flag("plan_review_overdue", "filter_plan_review_overdue")
    quiet = flag("quiet", "filter_quiet")
    quiet_days = django_filters.NumberFilter(
        label=_("Quiet for (days)"),
        method="filter_noop",
        min_value=thresholds.DAYS_MIN,
        max_value=thresholds.DAYS_MAX,
        step_size=1,
    )
    new_this_month = flag("new_this_month", "filter_new_this_month")
    exited_in = django_filters.ChoiceFilter(
        label=legend.get("exited_in").label,
        choices=PERIOD_CHOICES,
        method="filter_exited_in",
        help_text=legend.get("exited_in").text,
    )
    # figures the team manager dashboard counts per coach
    contact_due_this_week = flag("contact_due_this_week", "filter_contact_due_this_week")
    seen_within_frequency = flag("seen_within_frequency", "filter_seen_within_frequency")
    no_contact_frequency = flag("no_contact_frequency", "filter_no_contact_frequency")
    missing_key_fields = flag("missing_key_fields", "filter_missing_key_fields")
    health_flag = flag("health_flag", "filter_health_flag")
    exited_to_work_since = NativeDateFilter(
        label=_("Exited to work on or after"), method="filter_exited_to_work_since"
    )
    exited_to_work_until = NativeDateFilter(
        label=_("Exited to work on or before"), method="filter_exited_to_work_until"
    )
    referred_since = NativeDateFilter(
        label=_("Referred on or after"), method="filter_referred_since"
    )

    ordering = NullsPlacedOrderingFilter(
        label=_("Sort by"),
        fields=(
            ("client_number", "client_number"),
            ("intake_date", "intake_date"),
            ("coach__full_name", "coach"),
            ("status", "status"),
            ("participation_step", "participation_step"),
            ("last_contact_date", "last_contact_date"),
            ("contact_due_date", "contact_due_date"),
            ("has_active_plan", "active_plan"),
            ("cv_on_file", "cv_on_file"),
        ),
    )

    class Meta:
        model = Client
        fields: list[str] = []

    def __init__(self, *args, coach_choices=None, team_choices=None, **kwargs):
        """`coach_choices`, `team_choices` [(id, name)]: the client list page offers the coach and
        team filters as lists of those the reader may see (the API and the figures take the id as
        a number). Without team choices (a reader of one team) the team filter is not offered."""
        super().__init__(*args, **kwargs)
        if coach_choices is not None and len(coach_choices) < 2 and "coach" not in self.data:
            del self.filters["coach"]  # a coach's own list: nothing to choose
        elif coach_choices is not None:
            self.offer_as_list("coach", _("Any coach"), coach_choices)
        if team_choices:
            self.offer_as_list("team", _("Any team"), team_choices)
        elif coach_choices is not None and "team" not in self.data:
            del self.filters["team"]

    # Thresholds default to the configured ones; the figure links carry them explicitly.
    DEFAULT_DAYS = {"not_seen_days": thresholds.not_seen_days, "quiet_days": thresholds.quiet_days}

    def days(self, name: str) -> int:
        value = self.form.cleaned_data.get(name) if hasattr(self.form, "cleaned_data") else None
        return int(value) if value else self.DEFAULT_DAYS[name]()

    def filter_noop(self, qs, name, value):
        return qs

    def filter_q(self, qs, name, value):
        return qs.filter(client_number__icontains=value.strip()) if value.strip() else qs

    def filter_service_track(self, qs, name, value):
        if value == UNKNOWN:
            return qs.filter(Q(service_track__isnull=True) | Q(service_track=""))
        return qs.filter(service_track=value)

    def filter_age_band(self, qs, name, value):
        if not value:
            return qs
        matching = qs.none()
        for band in value:
            matching = matching | (
                qs.filter(date_of_birth__isnull=True) if band == UNKNOWN else qs.in_age_band(band)
            )
        return qs.filter(pk__in=matching.values("pk"))

    def filter_single_parent_young_child(self, qs, name, value):
        return qs.single_parent_with_young_child() if value else qs

    def filter_last_contact(self, qs, name, value):
        """Any of the chosen bands; `unknown`: never contacted. One condition, so bands combine as OR."""
        if not value:
            return qs
        today = timezone.localdate()
        condition = Q()
        for key, fewest, most in LAST_CONTACT_BANDS:
            if key in value:
                condition |= last_contact_band_condition(fewest, most, today)
        if UNKNOWN in value:
            condition |= Q(last_contact_date__isnull=True)
        return qs.with_last_contact().filter(condition)

    def filter_contact_overdue(self, qs, name, value):
        return qs.contact_overdue() if value else qs

    def filter_not_seen(self, qs, name, value):
        return qs.active().not_seen_for(self.days("not_seen_days")) if value else qs

    def filter_no_active_plan(self, qs, name, value):
        return qs.active().without_active_plan() if value else qs

    def filter_plan_review_overdue(self, qs, name, value):
        return qs.active().plan_review_overdue() if value else qs

    def filter_quiet(self, qs, name, value):
        return qs.active().quiet(self.days("quiet_days")) if value else qs

    def filter_new_this_month(self, qs, name, value):
        return qs.new_in_month() if value else qs

    def filter_exited_in(self, qs, name, value):
        return qs.exited_in_period(value) if value else qs

    def filter_contact_due_this_week(self, qs, name, value):
        return qs.contact_due_within(7) if value else qs

    def filter_seen_within_frequency(self, qs, name, value):
        return qs.seen_within_frequency() if value else qs

    def filter_no_contact_frequency(self, qs, name, value):
        return qs.without_contact_frequency() if value else qs

    def filter_missing_key_fields(self, qs, name, value):
        return qs.missing_key_fields() if value else qs

    def filter_health_flag(self, qs, name, value):
        return qs.with_health_flag() if value else qs

    def filter_exited_to_work_since(self, qs, name, value):
        return qs.exited_to_work_since(value) if value else qs

    def filter_exited_to_work_until(self, qs, name, value):
        return qs.exited_to_work_until(value) if value else qs

    def filter_referred_since(self, qs, name, value):
        return qs.referred_since(value) if value else qs

    # Lists show and sort on last contact / due date / plan flags; a FilterSet used only to count
    # (caseload.figures.narrowed_filterset) switches this off: every filter method annotates what
    # it needs itself, so the rows selected are the same either way.
    annotate_for_listing = True

    def filter_queryset(self, queryset):
        if self.annotate_for_listing:
            queryset = queryset.with_monitoring()
        return super().filter_queryset(queryset)


def register_client_filter(name: str, filter_: django_filters.Filter) -> None:
    """Add a filter that a feature app defines to the client list (and so to every figure and API
    list built on ClientFilterSet), from the app's AppConfig.ready(). The base knows no feature:
    the data-quality app adds its `finding` filter this way. Filters keep the form's order: a
    feature's filters come after the base's, before the sort order. Registering a name again
    replaces the feature's filter (AppConfig.ready() may run twice); a base filter's name is a bug."""
    if name in ClientFilterSet.declared_filters:
        raise ValueError(f"client filter {name!r} is the base's own")
    filter_.field_name = filter_.field_name or name
    ordered = dict(ClientFilterSet.base_filters)
    ordering = ordered.pop("ordering")
    ordered[name] = filter_
    ClientFilterSet.base_filters = {**ordered, "ordering": ordering}


class ContactFilterSet(FilterSet):
    client = django_filters.CharFilter(field_name="client__client_number", label=_("Client number"))
    date_from = django_filters.DateFilter(field_name="date", lookup_expr="gte", label=_("From"))
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="lte", label=_("To"))
    channel = django_filters.MultipleChoiceFilter(choices=Channel.choices, label=_("Channel"))
    initiated_by = django_filters.ChoiceFilter(choices=InitiatedBy.choices, label=_("Initiated by"))

    class Meta:
        model = Contact
        fields: list[str] = []


class ActionPlanFilterSet(FilterSet):
    client = django_filters.CharFilter(field_name="client__client_number", label=_("Client number"))
    status = django_filters.MultipleChoiceFilter(choices=PlanStatus.choices, label=_("Status"))
    review_before = django_filters.DateFilter(
        field_name="review_date", lookup_expr="lt", label=_("Review before")
    )

    class Meta:
        model = ActionPlan
        fields: list[str] = []


class VacancyFilterSet(FilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("Search"))
    sector = django_filters.CharFilter(field_name="sector", lookup_expr="iexact", label=_("Sector"))
    open_on = django_filters.DateFilter(method="filter_open_on", label=_("Open on"))
    requires_driving_licence = django_filters.BooleanFilter(label=_("Requires a driving licence"))

    class Meta:
        model = Vacancy
        fields: list[str] = []

    def filter_q(self, qs, name, value):
        return qs.filter(
            Q(title__icontains=value) | Q(employer__icontains=value) | Q(vacancy_id__iexact=value)
        )

    def filter_open_on(self, qs, name, value):
        return qs.filter(Q(open_until__gte=value) | Q(open_until__isnull=True))
