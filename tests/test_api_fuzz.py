"""Bad input against the API: schemathesis generates requests for EVERY operation in
/api/schema/ (so operations added later are covered automatically) and runs EVERY check it has on
each answer: no server error; status code, content type, headers and body as documented;
schema-valid requests accepted and schema-violating ones (negative data: wrong types, out of
range, unknown parameters, missing required ones) refused; undeclared methods refused;
authentication enforced (it retries without and with invalid credentials); no object-level leaks.

Every phase the pytest plugin has: the schema's examples, the coverage phase (the boundary values
of each parameter and each kind of violation of it) and fuzzing, positive and negative; the
fuzzing phase MAX_EXAMPLES examples per operation, derandomized so a failure reproduces.

Deliberate limits, each for its reason:
- The coverage phase runs as the superuser only: it tests how parameters are read, which does not
  depend on the role; fuzzing runs as the superuser and as a coach (scoping: 404, 403).
- No coverage phase for GET /api/clients/summary/: it takes the very parameters of
  GET /api/clients/ (the same FilterSet, the same strict check, covered there in full), while each
  positive coverage case sets all ~40 filters at once and costs seconds of query building there
  (20 figures × 40 filters): ~650 cases, ~10 minutes. Fuzzing still sends it both kinds of data.
- Stateful sequences (links between operations) are a CLI phase, not run by the pytest plugin.
"""

import json

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import CHECKS, load_all_checks
from schemathesis.config import SchemathesisConfig
from schemathesis.generation.meta import TestPhase

from tests.factories import ActionPlanFactory, ContactFactory, VacancyFactory

APP = get_wsgi_application()
load_all_checks()
EVERY_CHECK = CHECKS.get_all()
MAX_EXAMPLES = 25


@pytest.fixture(autouse=True)
def keep_the_test_transaction():
    """The WSGI app closes "old" DB connections around each request, which on PostgreSQL ends the
    test's transaction; Django's own test client switches this off in the same way."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def fuzz_world(cast):
    for client in (cast["client_a"], cast["client_b"], cast["client_other"]):
        ContactFactory(client=client)
        ActionPlanFactory(client=client)
    VacancyFactory()
    return {role: Token.objects.create(user=cast[role]).key for role in ("superuser", "coach_a")}


def served_schema() -> dict:
    """The document /api/schema/ serves (same generator, same renderer), built in-process at
    collection time: the served endpoint needs a signed-in user, and there is no database yet."""
    generator = SchemaGenerator()
    document = generator.get_schema(request=None, public=True)
    return json.loads(OpenApiJsonRenderer().render(document, renderer_context={}))


CONFIG = SchemathesisConfig.from_dict(
    {
        "operations": [
            {"include-path": "/api/clients/summary/", "phases": {"coverage": {"enabled": False}}}
        ]
    }
)
schema = schemathesis.openapi.from_dict(served_schema(), config=CONFIG)
schema.app = APP


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_api_never_errs_and_keeps_to_its_schema(case, fuzz_world):
    roles = (
        ("superuser",) if case.meta.phase.name == TestPhase.COVERAGE else ("superuser", "coach_a")
    )
    for role in roles:
        case.call_and_validate(
            headers={"Authorization": f"Token {fuzz_world[role]}"}, checks=EVERY_CHECK
        )


def test_every_check_schemathesis_has_is_run():
    assert {check.__name__ for check in EVERY_CHECK} >= {
        "not_a_server_error",
        "status_code_conformance",
        "content_type_conformance",
        "response_headers_conformance",
        "response_schema_conformance",
        "negative_data_rejection",
        "positive_data_acceptance",
        "missing_required_header",
        "unsupported_method",
        "allow_header_conformance",
        "use_after_free",
        "ensure_resource_availability",
        "ignored_auth",
        "object_level_authorization",
    }


def test_the_fuzzer_covers_every_operation_of_the_served_schema(api, superuser):
    api.force_authenticate(superuser)
    served = api.get("/api/schema/?format=json")
    assert served.status_code == 200
    assert json.loads(served.content)["paths"].keys() == served_schema()["paths"].keys()
    operations = {f"{op.ok().method.upper()} {op.ok().path}" for op in schema.get_all_operations()}
    assert {
        "GET /api/clients/",
        "GET /api/clients/{client_number}/",
        "GET /api/access-log/",
    } <= operations


@pytest.fixture
def api():
    from rest_framework.test import APIClient

    return APIClient()


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["99999999999999999999999", "-1", "1.5"])
def test_out_of_range_coach_filter_is_a_400_not_a_crash(api, superuser, value):
    """Found by the fuzzer: SQLite overflowed on a coach id beyond 64 bits."""
    api.force_authenticate(superuser)
    response = api.get(f"/api/clients/?coach={value}")
    assert response.status_code == 400
    assert "coach" in response.json()
