"""Exports of the filtered client list: same FilterSet, same scoping, a column set without identifiers."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from caseload.exports import COLUMNS, FULL, PSEUDONYMISED, cell, is_free_text
from caseload.privacy import pseudonym
from tests.factories import ClientFactory

pytestmark = pytest.mark.django_db
CSV = reverse("caseload:client_export_csv")
XLSX = reverse("caseload:client_export_xlsx")


def csv_rows(response):
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_csv_is_filtered_and_scoped(login, cast):
    ClientFactory(coach=cast["coach_a"], client_number="CA0002", driving_licence=None)
    response = login(cast["coach_a"]).get(CSV + "?driving_licence=unknown")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    rows = csv_rows(response)
    assert [row[0] for row in rows[1:]] == ["CA0002"]
    header = rows[0]
    assert rows[1][header.index("Driving licence")] == ""  # not registered stays empty, never "no"


def test_csv_without_filters_is_the_whole_visible_caseload(login, cast):
    rows = csv_rows(login(cast["coach_a"]).get(CSV))
    assert [row[0] for row in rows[1:]] == ["CA0001"]  # never coach B's or another team's client


def test_team_manager_exports_team_only(login, cast):
    rows = csv_rows(login(cast["team_manager"]).get(CSV))
    assert sorted(row[0] for row in rows[1:]) == ["CA0001", "CB0001"]


def test_pseudonymised_columns_have_no_direct_identifiers(login, cast):
    client_a = cast["client_a"]
    client_a.work_experience = ["secret employer history"]
    client_a.service_track = "track agreed with Mrs Jansen"
    client_a.save()
    response = login(cast["coach_a"]).get(CSV + "?columns=pseudonymised")
    rows = csv_rows(response)
    text = "\n".join(",".join(row) for row in rows)
    assert "CA0001" not in text
    assert str(client_a.date_of_birth) not in text
    assert "secret employer history" not in text
    assert "Mrs Jansen" not in text
    assert rows[1][0] == pseudonym("CA0001")
    assert rows[1][rows[0].index("Age band")] == "35–44"


def test_the_pseudonymised_set_reads_no_free_text_field():
    """Every client field a pseudonymised column reads has a closed set of values (or is a number
    or a date); the full set does carry the free-text fields, so the check can fail."""
    assert not [c.source for c in COLUMNS[PSEUDONYMISED] if c.source and is_free_text(c.source)]
    assert {"service_track", "skills", "work_experience"} <= {
        c.source for c in COLUMNS[FULL] if c.source and is_free_text(c.source)
    }


def test_xlsx_export(login, cast):
    response = login(cast["coach_a"]).get(XLSX + "?status=active")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.values)
    assert values[0][0] == "Client number"
    assert [row[0] for row in values[1:]] == ["CA0001"]


def test_bad_filter_or_column_set_is_400_naming_it(login, cast):
    client = login(cast["coach_a"])
    response = client.get(CSV + "?gender=Q")
    assert response.status_code == 400
    assert b"gender" in response.content
    assert client.get(XLSX + "?columns=everything").status_code == 400


def test_export_needs_login(client):
    assert client.get(CSV).status_code == 302


def test_formula_cells_are_neutralised():
    assert cell("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert cell(None) == ""
    assert cell(False) == "no"
    assert cell(["a", "b"]) == "a; b"


def test_export_query_count_does_not_grow(login, cast, django_assert_max_num_queries):
    client = login(cast["coach_a"])
    with django_assert_max_num_queries(9) as small:
        b"".join(client.get(CSV).streaming_content)
    for _ in range(40):
        ClientFactory(coach=cast["coach_a"])
    with django_assert_max_num_queries(len(small.captured_queries)):
        rows = b"".join(client.get(CSV).streaming_content).decode("utf-8-sig").splitlines()
    assert len(rows) == 42


def test_coach_cannot_export_another_coachs_client(login, cast):
    client = login(cast["coach_a"])
    for url in (CSV + "?q=CB0001", CSV + f"?coach={cast['coach_b'].pk}"):
        assert csv_rows(client.get(url))[1:] == []
    assert client.get(reverse("caseload:client_detail", args=["CB0001"])).status_code == 404
