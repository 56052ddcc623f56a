"""Bad input against the API: schemathesis generates requests for EVERY operation in
/api/schema/ (so operations added later are covered automatically), signed in as a superuser and
as a coach. No response may be a server error or break the schema.

100 examples per operation; derandomized so a failure reproduces.
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
from schemathesis.checks import not_a_server_error, response_schema_conformance

from tests.factories import ActionPlanFactory, ContactFactory, VacancyFactory

APP = get_wsgi_application()
CHECKS = [not_a_server_error, response_schema_conformance]


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


schema = schemathesis.openapi.from_dict(served_schema())
schema.app = APP


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=100,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_api_never_errs_and_keeps_to_its_schema(case, fuzz_world):
    for role in ("superuser", "coach_a"):
        case.call_and_validate(
            headers={"Authorization": f"Token {fuzz_world[role]}"}, checks=CHECKS
        )


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
