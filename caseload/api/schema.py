"""The OpenAPI schema (/api/schema/): drf-spectacular, with two rules of this API added.

- An operation's query parameters are exactly those its view accepts (caseload.api.strict): the
  FilterSet's, the paginator's and the view's own, each with the range the view checks.
- Every operation documents its error answers: 400 (a parameter or field named with what is
  wrong), 401 (not signed in), 403 (signed in without the right) and 404 (no such record, or
  outside the caller's scope: the same answer).
"""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured
from drf_spectacular import openapi
from drf_spectacular.utils import OpenApiParameter

from . import strict

MESSAGE = {"type": "object", "properties": {"detail": {"type": "string"}}, "required": ["detail"]}
FIELD_ERRORS = {
    "type": "object",
    "minProperties": 1,
    "description": "Each parameter or field that is not accepted, with what is wrong with it "
    "(`detail` when it concerns the request as a whole).",
    "additionalProperties": {
        "anyOf": [
            {"type": "string"},
            {"type": "array", "items": {"type": "string"}},
            {"type": "object"},
        ]
    },
}
ERRORS = {
    "400": ("Bad request: the named parameters or fields are not accepted.", FIELD_ERRORS),
    "401": ("Not signed in (no or an invalid session or token).", MESSAGE),
    "403": ("Signed in, without the right to this operation.", MESSAGE),
    "404": ("No such record, or one outside the caller's scope (the same answer).", MESSAGE),
}


def error_response(description: str, schema: dict) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


class AutoSchema(openapi.AutoSchema):
    def get_operation(self, path, path_regex, path_prefix, method, registry):
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None:
            return None
        name = type(self.view).__name__
        if not isinstance(self.view, strict.StrictQueryParameters):
            raise ImproperlyConfigured(f"{name}: an API view derives from StrictQueryParameters")
        if any(
            isinstance(p, OpenApiParameter) and p.location == OpenApiParameter.QUERY
            for p in self.get_override_parameters()
        ):
            raise ImproperlyConfigured(f"{name}: declare query parameters in query_parameters")
        # Spectacular's own reading of the filters and the paginator gives way to what is checked.
        parameters = [p for p in operation.get("parameters", []) if p["in"] != "query"] + [
            p.openapi() for p in sorted(strict.view_parameters(self.view), key=lambda p: p.name)
        ]
        if parameters:
            operation["parameters"] = parameters
        else:
            operation.pop("parameters", None)
        for code, (description, schema) in ERRORS.items():
            operation["responses"].setdefault(code, error_response(description, schema))
        return operation
