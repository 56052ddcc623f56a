"""Strict query parameters: what an API operation documents is exactly what it accepts.

An operation's query parameters come from three declarations, which also document it in
/api/schema/ (caseload.api.schema):

- its FilterSet (`filterset_class`; on a viewset only for the list),
- its paginator (`page`, `page_size`; lists only),
- `query_parameters` on the view, for whatever else it reads.

Each parameter is one JSON schema (a small subset: type, enum, minimum, maximum, minLength,
maxLength, pattern, format date, arrays of those). Every view of the API derives from
`StrictQueryParameters`, which checks the query string against them after authentication and
permissions and before the view runs: an unknown name, a missing required parameter, an empty
value, a value given twice that is not a list, or a value outside its schema is a 400 naming the
parameter. The FilterSet or form behind the view then validates as before (the same 400).
"""

from __future__ import annotations

import copy
import datetime
import math
import re
from dataclasses import dataclass

import django_filters
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.mixins import ListModelMixin
from rest_framework.viewsets import ViewSetMixin

from caseload.keys import MAX_ID

# The JSON schema keywords this module checks; a parameter using any other is a programming error.
KEYWORDS = {
    "type",
    "enum",
    "minimum",
    "maximum",
    "minLength",
    "maxLength",
    "pattern",
    "format",
    "items",
    "minItems",
}
INTEGER = re.compile(r"-?[0-9]+")
NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")
# Text parameters: no NUL (no database stores it) and at least one character.
TEXT_PATTERN = "^[^\\x00]+$"
DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def integer(minimum: int | None = None, maximum: int | None = None) -> dict:
    schema: dict = {"type": "integer"}
    if minimum is not None:
        schema["minimum"] = minimum
    if maximum is not None:
        schema["maximum"] = maximum
    return schema


def boolean() -> dict:
    return {"type": "boolean"}


def date() -> dict:
    return {"type": "string", "format": "date"}


def text(max_length: int | None = None) -> dict:
    schema: dict = {"type": "string", "minLength": 1, "pattern": TEXT_PATTERN}
    if max_length is not None:
        schema["maxLength"] = max_length
    return schema


def choice(values) -> dict:
    return {"type": "string", "enum": [str(value) for value in values]}


def array(items: dict) -> dict:
    return {"type": "array", "items": items}


@dataclass(frozen=True)
class QueryParameter:
    name: str
    schema: dict
    description: str = ""
    required: bool = False
    # A list either repeats the parameter (`a=1&a=2`) or separates its values by commas (`a=1,2`).
    comma_separated: bool = False

    def __post_init__(self):
        for schema in (self.schema, self.schema.get("items", {})):
            unknown = set(schema) - KEYWORDS
            if unknown:
                raise ImproperlyConfigured(f"{self.name}: unsupported keywords {sorted(unknown)}")

    @property
    def is_list(self) -> bool:
        return self.schema["type"] == "array"

    def openapi(self) -> dict:
        """The OpenAPI parameter object /api/schema/ shows."""
        parameter = {
            "in": "query",
            "name": self.name,
            "schema": self.schema,
            "required": self.required,
            "description": str(self.description),
        }
        if self.is_list:
            parameter.update(style="form", explode=not self.comma_separated)
        return parameter

    def errors(self, values: list[str]) -> list[str]:
        if not self.is_list and len(values) > 1:
            return [_("Give this parameter once.")]
        if self.is_list:
            if self.comma_separated:
                if len(values) > 1:
                    return [_("Give this parameter once, its values separated by commas.")]
                values = values[0].split(",")
            messages = (m for value in values for m in value_errors(value, self.schema["items"]))
            return list(dict.fromkeys(messages))
        return value_errors(values[0], self.schema)


def value_errors(value: str, schema: dict) -> list[str]:
    """Why one raw query value does not fit its schema (empty: it fits)."""
    if value == "":
        return [_("This parameter may not be empty.")]
    kind = schema["type"]
    if kind == "integer":
        if not INTEGER.fullmatch(value):
            return [_("Enter a whole number.")]
        # Beyond any range (and beyond what int() reads from text): compared as infinite.
        huge = -math.inf if value.startswith("-") else math.inf
        number = int(value) if len(value) <= 100 else huge
    elif kind == "number":
        if not NUMBER.fullmatch(value):
            return [_("Enter a number.")]
        number = float(value)
    elif kind == "boolean":
        return [] if value in ("true", "false") else [_("Enter true or false.")]
    else:
        number = None
    if number is not None:
        if "minimum" in schema and number < schema["minimum"]:
            return [_("Enter a number of at least %(limit)s.") % {"limit": schema["minimum"]}]
        if "maximum" in schema and number > schema["maximum"]:
            return [_("Enter a number of at most %(limit)s.") % {"limit": schema["maximum"]}]
        return []
    if "enum" in schema and value not in schema["enum"]:
        return [
            _("“%(value)s” is not one of %(allowed)s.")
            % {"value": value, "allowed": ", ".join(schema["enum"])}
        ]
    if schema.get("format") == "date" and not is_date(value):
        return [_("Enter a date as YYYY-MM-DD.")]
    if "minLength" in schema and len(value) < schema["minLength"]:
        return [_("This parameter may not be empty.")]
    if "maxLength" in schema and len(value) > schema["maxLength"]:
        return [_("Enter at most %(limit)s characters.") % {"limit": schema["maxLength"]}]
    if "pattern" in schema and not re.search(python_pattern(schema["pattern"]), value):
        return [_("This value is not in the accepted form.")]
    return []


def python_pattern(pattern: str) -> str:
    """A JSON schema pattern for Python's re: "$" is the very end (Python's also allows a newline)."""
    return pattern[:-1] + r"\Z" if pattern.endswith("$") else pattern


def is_date(value: str) -> bool:
    if not DATE.fullmatch(value):
        return False
    try:
        datetime.date.fromisoformat(value)
    except ValueError:
        return False
    return True


def query_errors(query, parameters: list[QueryParameter]) -> dict[str, list[str]]:
    """Errors per parameter name for a QueryDict, checked against the operation's parameters."""
    known = {parameter.name: parameter for parameter in parameters}
    errors = {
        name: [_("Unknown parameter: this operation does not accept it.")]
        for name in query
        if name not in known
    }
    for name, parameter in known.items():
        values = query.getlist(name)
        if not values:
            if parameter.required:
                errors[name] = [_("This parameter is required.")]
            continue
        messages = parameter.errors(values)
        if messages:
            errors[name] = messages
    return errors


# --- where the parameters come from --------------------------------------------------------------


def filter_parameter(name: str, filter_: django_filters.Filter) -> QueryParameter:
    """The documented form of one django-filter filter, as its form field accepts it."""
    description = str(filter_.extra.get("help_text") or filter_.label or name)
    if isinstance(filter_, django_filters.ModelChoiceFilter):
        # Its choices are the records the requesting user may pick: only the request knows them
        # (the FilterSet answers 400 for one outside them); here it is a record id.
        return QueryParameter(name, integer(1, MAX_ID), description)
    form_field = copy.deepcopy(filter_).field  # the class-level filter stays unbuilt
    if isinstance(filter_, django_filters.OrderingFilter):
        values = [value for value, _label in form_field.choices if value]
        schema = {**array(choice(values)), "minItems": 1}  # "ordering=" would be an empty list
        return QueryParameter(name, schema, description, comma_separated=True)
    if isinstance(filter_, django_filters.MultipleChoiceFilter):
        return QueryParameter(name, array(choice(v for v, _l in form_field.choices)), description)
    if isinstance(filter_, django_filters.ChoiceFilter):
        return QueryParameter(
            name, choice(v for v, _l in form_field.choices if v != ""), description
        )
    if isinstance(filter_, django_filters.BooleanFilter):
        return QueryParameter(name, boolean(), description)
    if isinstance(filter_, django_filters.NumberFilter):
        schema = integer(filter_.extra.get("min_value"), filter_.extra.get("max_value"))
        if filter_.extra.get("step_size") != 1:
            schema["type"] = "number"
        return QueryParameter(name, schema, description)
    if isinstance(filter_, django_filters.DateFilter):
        return QueryParameter(name, date(), description)
    if isinstance(filter_, django_filters.CharFilter):
        return QueryParameter(name, text(filter_.extra.get("max_length")), description)
    raise ImproperlyConfigured(f"filter {name}: teach caseload.api.strict its {type(filter_)}")


def filterset_parameters(filterset_class) -> list[QueryParameter]:
    return [filter_parameter(name, f) for name, f in filterset_class.base_filters.items()]


def is_list(view) -> bool:
    if isinstance(view, ViewSetMixin):
        return getattr(view, "action", None) == "list"
    return isinstance(view, ListModelMixin)


def view_parameters(view) -> list[QueryParameter]:
    """Every query parameter the view accepts (and documents)."""
    parameters = list(view.query_parameters)
    generic = isinstance(view, GenericAPIView)
    filterset_class = getattr(view, "filterset_class", None)
    if filterset_class is not None and (is_list(view) or not generic):
        parameters += filterset_parameters(filterset_class)
    if generic and is_list(view) and view.paginator is not None:
        if not hasattr(view.paginator, "query_parameters"):
            raise ImproperlyConfigured(f"{type(view.paginator)} does not declare its parameters")
        parameters += view.paginator.query_parameters()
    return parameters


class StrictQueryParameters:
    """The base of every API view: the query string is checked against what the view declares."""

    query_parameters: list[QueryParameter] = []

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        method = request.method.lower()
        if method in self.http_method_names and hasattr(self, method):  # else: DRF's 405
            self.check_query_parameters(request)

    def check_query_parameters(self, request) -> None:
        errors = query_errors(request.query_params, view_parameters(self))
        if errors:
            raise ValidationError(errors)
