"""Protected attributes: never a matching filter, sort or field. Requests naming one get a 400,
as does an ordering the shortlist does not offer."""

from __future__ import annotations

from django.utils.translation import gettext as _

PROTECTED_ATTRIBUTES = frozenset(
    {
        "age",
        "age_band",
        "date_of_birth",
        "dob",
        "birth_date",
        "birthdate",
        "born",
        "leeftijd",
        "gender",
        "sex",
        "geslacht",
        "marital_status",
        "married",
        "burgerlijke_staat",
        "household",
        "huishouden",
        "single_parent",
        "single_parent_young_child",
        "children",
        "children_count",
        "kids",
        "kinderen",
        "youngest_child_birth_date",
        "youngest_child_age",
        "pregnant",
        "pregnancy",
        "health",
        "mental_health",
        "mental_health_issues",
        "physical_limitations",
        "disability",
        "nationality",
        "nationaliteit",
        "migration",
        "migration_background",
        "country_of_birth",
        "origin",
        "ethnicity",
        "religion",
        "language_as_mother_tongue",
        # Proxies: the asylum team holds status holders, so its kind stands for migration background.
        "team_kind",
        "team__kind",
        "coach__team__kind",
    }
)
# Parameters whose VALUES name fields (sorting, field selection, generic filters).
FIELD_NAMING_PARAMETERS = frozenset(
    {"ordering", "order", "order_by", "sort", "sort_by", "fields", "field", "filter"}
)


def base_name(token: str) -> str:
    """`-gender`, `Gender__in`, `age:desc`, `gender=F` all reduce to the attribute name."""
    token = token.strip().lstrip("-+").lower()
    for separator in ("__", ":", "=", "[", "."):
        token = token.split(separator, 1)[0]
    return token.strip()


def protected_parameter_error(query) -> str | None:
    """A message naming the first protected attribute in a query, or None when there is none."""
    for key in query:
        name = base_name(key)
        if name in PROTECTED_ATTRIBUTES:
            return _(
                "“%(parameter)s” is a protected attribute: matching never filters or sorts on it."
            ) % {"parameter": key}
        if name in FIELD_NAMING_PARAMETERS:
            for value in query.getlist(key):
                for token in value.replace(";", ",").split(","):
                    if base_name(token) in PROTECTED_ATTRIBUTES:
                        return _(
                            "“%(parameter)s=%(value)s” names a protected attribute: matching never "
                            "filters or sorts on it."
                        ) % {"parameter": key, "value": token.strip()}
    return None


ORDERINGS = ("rank", "client_number")


def shortlist_query_error(query) -> str | None:
    """A 400 message for a protected attribute or an unknown ordering, else None."""
    error = protected_parameter_error(query)
    if error is None and query.get("ordering", "rank") not in ORDERINGS:
        error = _("Unknown ordering “%(value)s”: use one of %(allowed)s.") % {
            "value": query.get("ordering"),
            "allowed": ", ".join(ORDERINGS),
        }
    return error
