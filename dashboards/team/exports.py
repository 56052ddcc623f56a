"""Export of the team overview (CSV and XLSX): the same rows and columns as the page."""

from __future__ import annotations

import csv
import io
from fractions import Fraction

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from caseload import freshness, legend

from .charts import trend_series_labels
from .selectors import CoachRow

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def rounded(value: Fraction | None, digits: int = 1) -> float | None:
    return None if value is None else round(float(value), digits)


def overview_columns() -> list[tuple[str, callable]]:
    """(header, value of a CoachRow). Counts are the figures; shares are 0–100; hours per week."""

    def count(key):
        return legend.get(key).label, lambda row: row.counts[key]

    def percent(label, attribute):
        return f"{label} (%)", lambda row: rounded(
            None if getattr(row, attribute) is None else getattr(row, attribute) * 100
        )

    return [
        (_("Work coach"), lambda row: str(row.coach)),
        (_("FTE"), lambda row: float(row.coach.fte)),
        count("team_active_caseload"),
        (_("Norm for FTE"), lambda row: rounded(row.norm_for_fte)),
        (_("Maximum for FTE"), lambda row: rounded(row.max_for_fte)),
        (_("Over the norm by (clients)"), lambda row: row.over_norm_by),
        count("contact_due_this_week"),
        count("contact_overdue"),
        count("seen_within_frequency"),
        percent(legend.get("team_seen_share").label, "seen_share"),
        count("no_contact_frequency"),
        count("not_seen"),
        count("no_active_plan"),
        percent(legend.get("team_plan_coverage").label, "plan_coverage"),
        count("missing_key_fields"),
        percent(legend.get("team_completeness").label, "completeness"),
        count("team_referred_this_quarter"),
        count("team_exited_to_work_this_quarter"),
        count("team_participation_step_1_2"),
        count("health_flag"),
        (
            _("Hours needed for contacts per week"),
            lambda row: rounded(row.capacity.contact_minutes / 60, 2),
        ),
        (
            _("Hours needed for administration per week"),
            lambda row: rounded(row.capacity.admin_minutes / 60, 2),
        ),
        (legend.get("capacity_needed").label, lambda row: rounded(row.capacity.needed_hours, 2)),
        (
            legend.get("capacity_available").label,
            lambda row: rounded(row.capacity.available_hours, 2),
        ),
        (
            legend.get("capacity_balance").label,
            lambda row: rounded(row.capacity.balance_minutes / 60, 2),
        ),
    ]


def overview_table(rows: list[CoachRow]) -> tuple[list[str], list[list]]:
    columns = overview_columns()
    return [str(header) for header, _value in columns], [
        [value(row) for _h, value in columns] for row in rows
    ]


def safe_cell(value):
    """Spreadsheet programs run text starting with = + - @ as a formula: neutralise it."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def stem(team) -> str:
    return f"team-{team.code}-{timezone.localdate():%Y-%m-%d}"


def overview_csv_response(team, rows: list[CoachRow]) -> HttpResponse:
    return csv_response(*overview_table(rows), stem(team))


def csv_response(headers: list[str], body: list[list], file_stem: str) -> HttpResponse:
    """A CSV download named `<file_stem>_data-<when the data was imported>.csv`."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers)
    for line in body:
        writer.writerow(["" if cell is None else safe_cell(cell) for cell in line])
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    return freshness.stamp_export(response, file_stem, "csv")


def overview_xlsx_response(team, rows: list[CoachRow]) -> HttpResponse:
    from openpyxl import Workbook

    headers, body = overview_table(rows)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(team.code)[:31]
    sheet.append(headers)
    for line in body:
        sheet.append([safe_cell(cell) for cell in line])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    return freshness.stamp_export(response, stem(team), "xlsx")


def chart_table(name: str, data: list[dict]) -> tuple[list[str], list[list]]:
    """The numbers a team chart is drawn from, as a table (headers, rows)."""
    if name == "caseload":
        columns = [
            ("coach", _("Work coach")),
            ("active", legend.get("team_active_caseload").label),
            ("norm", _("Norm for FTE")),
            ("maximum", _("Maximum for FTE")),
            ("over_norm_by", _("Over the norm by (clients)")),
        ]
    else:
        columns = [("iso_week", _("ISO week")), *trend_series_labels()]
    return [str(label) for _key, label in columns], [
        [row[key] for key, _label in columns] for row in data
    ]


def chart_csv_response(team, name: str, data: list[dict]) -> HttpResponse:
    return csv_response(*chart_table(name, data), f"{stem(team)}-{name}")
