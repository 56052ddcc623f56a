"""Exports of a client list: pure functions over an already scoped and filtered queryset.

Two column sets: the full one for the coach's own work, and a pseudonymised one without direct
identifiers (a keyed pseudonym instead of the client number, the age band instead of the date of
birth, no free text: only fields with a closed set of values, numbers and dates) for sharing
figures. Empty cells mean 'not registered'.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook

from . import legend
from .filters import AGE_BAND_LABELS
from .models import Client
from .privacy import pseudonym

FULL = "full"
PSEUDONYMISED = "pseudonymised"
COLUMN_SETS = (FULL, PSEUDONYMISED)
# A spreadsheet would run a cell starting with one of these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Column:
    header: str
    value: Callable
    # The client field it reads, if it reads one as it is (the pseudonymised set is checked on it).
    source: str | None = None


def field(name: str, label=None) -> Column:
    """A model field, headed by its legend label; choices exported as their display text."""

    def value(client):
        display = getattr(client, f"get_{name}_display", None)
        raw = getattr(client, name)
        return display() if display and raw is not None else raw

    return Column(label or legend.get(name).label, value, source=name)


def annotation(name: str, label=None) -> Column:
    return Column(label or legend.get(name).label, lambda client: getattr(client, name, None))


CHARACTERISTICS = [
    field("gender"),
    field("marital_status"),
    field("household"),
    field("children_count"),
    field("education_level"),
    field("language_level"),
    field("driving_licence"),
    field("physical_limitations"),
    field("mental_health_issues"),
    field("cv_on_file"),
    field("participation_step"),
    field("service_track"),
    field("contact_frequency_weeks"),
    field("intake_date"),
    field("status"),
    field("exit_date", _("Exit date")),
    field("exit_reason"),
]
MONITORING = [
    annotation("last_contact_date"),
    annotation("contact_due_date"),
    annotation("has_active_plan", _("Active action plan")),
    annotation("plan_review_overdue"),
]


def is_free_text(name: str) -> bool:
    """A client field anyone could have typed anything into: text without a closed set of values,
    or a JSON list of words. The pseudonymised set never carries one (it could name a person)."""
    model_field = Client._meta.get_field(name)
    if isinstance(model_field, models.JSONField):
        return True
    return isinstance(model_field, models.CharField | models.TextField) and not model_field.choices


def without_free_text(columns: list[Column]) -> list[Column]:
    return [column for column in columns if not (column.source and is_free_text(column.source))]


COLUMNS = {
    FULL: [
        field("client_number"),
        Column(
            legend.get("coach").label, lambda client: str(client.coach) if client.coach else None
        ),
        field("date_of_birth"),
        field("youngest_child_birth_date", _("Youngest child's date of birth")),
        *CHARACTERISTICS,
        field("work_experience"),
        field("skills"),
        field("preferred_sectors"),
        *MONITORING,
    ],
    PSEUDONYMISED: [
        Column(_("Pseudonym"), lambda client: pseudonym(client.client_number)),
        Column(
            legend.get("coach").label,
            lambda client: client.coach.employee_id if client.coach else None,
        ),
        Column(
            legend.get("age_band").label,
            lambda client: AGE_BAND_LABELS.get(client.age_band) if client.age_band else None,
        ),
        *without_free_text(CHARACTERISTICS),
        *MONITORING,
    ],
}


def export_queryset(clients):
    """What every export needs, computed in SQL: monitoring annotations, age band, the coach."""
    return clients.with_monitoring().with_age_band().select_related("coach")


def cell(value):
    """One exported value: None stays empty (not registered), booleans yes/no, lists joined."""
    if value is None:
        return ""
    if value is True:
        return str(_("yes"))
    if value is False:
        return str(_("no"))
    if isinstance(value, list | tuple):
        value = "; ".join(str(item) for item in value)
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value if isinstance(value, int | float) or hasattr(value, "isoformat") else str(value)


def rows(clients: Iterable, columns: list[Column]) -> Iterator[list]:
    yield [str(column.header) for column in columns]
    for client in clients:
        yield [cell(column.value(client)) for column in columns]


class _Echo:
    def write(self, value):
        return value


def csv_lines(clients: Iterable, columns: list[Column]) -> Iterator[str]:
    """CSV, one line at a time (for a StreamingHttpResponse), UTF-8 with a BOM for spreadsheets."""
    writer = csv.writer(_Echo())
    yield "\ufeff"
    for row in rows(clients, columns):
        yield writer.writerow(
            [value.isoformat() if hasattr(value, "isoformat") else value for value in row]
        )


def xlsx_bytes(clients: Iterable, columns: list[Column], title: str = "Clients") -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    for row in rows(clients, columns):
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def file_response(items: Iterable, columns: list[Column], file_format: str, title: str):
    """The download of `items` as CSV (streamed) or XLSX; the caller names it (freshness)."""
    from django.http import HttpResponse, StreamingHttpResponse

    if file_format == "csv":
        response = StreamingHttpResponse(
            csv_lines(items, columns), content_type="text/csv; charset=utf-8"
        )
    else:
        response = HttpResponse(xlsx_bytes(items, columns, title), content_type=XLSX_CONTENT_TYPE)
    response["Cache-Control"] = "no-store"
    return response
