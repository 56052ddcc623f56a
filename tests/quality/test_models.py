"""The visibility run's result column: compressed JSON that reads back as it was written."""

import json
import zlib

import pytest
from django.db import connection

from quality.models import VisibilityRun

pytestmark = pytest.mark.django_db


def test_a_run_result_reads_back_as_written_and_is_stored_compressed():
    result = {
        "groups": [
            {
                "characteristics": [["gender", "female"]],
                "n": 12,
                "p": 0.0123,
                "q": None,
                "test": "z",
            }
        ]
        * 500,
        "total": {"n": 600, "median_days": 41.5, "ratio": "inf"},
    }
    run = VisibilityRun.objects.create(
        parameters={"depth": 2}, data_fingerprint="f" * 64, result=result, summary=result
    )

    assert VisibilityRun.objects.get(pk=run.pk).result == result
    with connection.cursor() as cursor:
        cursor.execute("SELECT result FROM quality_visibilityrun WHERE id = %s", [run.pk])
        stored = bytes(cursor.fetchone()[0])
    assert json.loads(zlib.decompress(stored)) == result
    assert len(stored) < len(json.dumps(result)) / 10


def test_a_run_result_survives_dumpdata_and_loaddata_text():
    field = VisibilityRun._meta.get_field("result")
    run = VisibilityRun(parameters={}, data_fingerprint="0" * 64, result={"groups": [], "k": 10})

    assert field.to_python(field.value_to_string(run)) == {"groups": [], "k": 10}
