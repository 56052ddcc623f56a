"""Visibility report: page and CSV export (the API is quality.api.visibility). Thin: validate,
run the service, present.

Access (caseload.access, page "visibility_report"): team managers and quality officers see their
own team; a superuser sees all teams, or one with ?team=CODE; everyone else gets 403. Every figure
shown comes from the disclosure-controlled result (no count 0 < n < k anywhere).
"""

from __future__ import annotations

import csv

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.formats import number_format
from django.views.decorators.http import require_GET

from caseload import access, freshness

from .charts import sibling_chart, sparkline, trend_chart, trend_table
from .engine import MEASURES, group_key, sibling_rows
from .forms import VisibilityForm, form_data
from .labels import (
    characteristic_label,
    count_text,
    drilldown_url,
    gap_sentence,
    group_label,
    interval_text,
    measure_label,
    number_text,
    plain_name,
    q_text,
    rate_text,
    trend_summary,
)
from .services import run_visibility_report
from .trend import RATE, RATIO, group_series, series, trend_key


def run_for_request(request, api: bool = False):
    """(form, run): the run is None when the parameters are invalid."""
    access.check_page(request.user, "visibility_report")
    form = VisibilityForm(form_data(request.GET), user=request.user, api=api)
    if not form.is_valid():
        return form, None
    return form, run_visibility_report(request.user, **form.report_arguments())


# --- presentation ---------------------------------------------------------------------------------
SUMMARY_FINDINGS = 3  # the largest gaps said in words above the table, and charted


def _figure(group: dict, key: str, k: int, not_seen_days: int, links: bool) -> dict:
    """A group's figures on one measure, as the table shows them (withheld ones as None)."""
    kind = MEASURES[key].kind
    m = group["measures"][key]
    shown = not m["suppressed"] and m["rate"] is not None
    return {
        "name": plain_name(group["characteristics"]),
        "chain": group_label(group["characteristics"]),
        "url": drilldown_url(group, k) if links else None,
        "n_label": count_text(group["n"], group["n_label"], k, group["suppressed"]),
        "n": group["n"] if group["n"] is not None else -1,
        "suppressed": not shown,
        "rate": rate_text(kind, m["rate"]) if shown else None,
        "interval": interval_text(kind, m["low"], m["high"]) if shown else None,
        "rest_rate": rate_text(kind, m["rest_rate"]) if shown else None,
        "ratio": number_text(m["ratio"]) if shown and m["ratio"] is not None else None,
        "ratio_interval": interval_text("rate", m["ratio_low"], m["ratio_high"])
        if shown and m["ratio_low"] is not None
        else None,
        "ratio_value": m["ratio"] if shown and isinstance(m["ratio"], (int, float)) else None,
        "q": q_text(m["q"]) if shown and m["q"] is not None else None,
        "q_value": m["q"] if shown and m["q"] is not None else None,
        "test": m["test"] if shown else None,
        "flagged": key in group["flagged_measures"],
        "stats": m,
        "measure_label": measure_label(key, not_seen_days),
        "kind": kind,
    }


def finding_rows(result: dict, links: bool = True, trend=([], [])) -> list[dict]:
    """One row per flagged (group, measure), in report order (strongest evidence first; withheld
    figures after the shown ones), each with its siblings (the same characteristics with one
    taking its other values) and its trend."""
    k, not_seen_days = result["k"], result["parameters"]["not_seen_days"]
    weeks, figures = trend
    rows_by_parent = sibling_rows(result["groups"])
    rows = []
    for group in result["groups"]:
        key_of_group = group_key(group["characteristics"])
        for key in group["flagged_measures"]:
            siblings = []
            for name, value in group["characteristics"]:
                row = rows_by_parent.get((key_of_group - {(name, value)}, name), [])
                varying = characteristic_label(name)
                siblings += [
                    {**_figure(other, key, k, not_seen_days, links), "varies": varying}
                    for other in sorted(row, key=lambda g: -(g["n"] or 0))
                    if other is not group
                ]
            values = group_series(figures, group["characteristics"], key, RATE)
            ratios = group_series(figures, group["characteristics"], key, RATIO)
            row_id = f"finding-{len(rows) + 1}"
            rows.append(
                {
                    **_figure(group, key, k, not_seen_days, links),
                    "id": row_id,
                    "key": trend_key(group["characteristics"]),
                    "sibling_ids": " ".join(f"{row_id}-{i}" for i in range(1, len(siblings) + 1)),
                    "measure": key,
                    "characteristics": " ".join(name for name, _v in group["characteristics"]),
                    "siblings": siblings,
                    "trend": trend_summary(weeks, values, MEASURES[key].kind),
                    "trend_ratios": ratios,
                    "sparkline": sparkline(values),
                }
            )
    return sorted(rows, key=lambda row: row["suppressed"])


def largest_gaps(rows: list[dict], number: int = SUMMARY_FINDINGS) -> list[dict]:
    """The findings with the lowest shown ratio, one per group: said in words above the table."""
    shown = sorted(
        (row for row in rows if row["ratio_value"] is not None),
        key=lambda row: (row["ratio_value"], row["q_value"] or 0),
    )
    chosen, names = [], set()
    for row in shown:
        if row["name"] not in names:
            chosen.append({**row, "sentence": gap_sentence(row)})
            names.add(row["name"])
        if len(chosen) == number:
            break
    return chosen


def overview(result: dict, links: bool = True) -> list[dict]:
    """Groups of one characteristic: the single-attribute view, for context."""
    k = result["k"]
    measures = result["parameters"]["measures"]
    rows = []
    for group in result["groups"]:
        if group["depth"] != 1:
            continue
        rows.append(
            {
                "label": plain_name(group["characteristics"]),
                "n_label": count_text(group["n"], group["n_label"], k, group["suppressed"]),
                "url": drilldown_url(group, k) if links else None,
                "rates": [
                    "—"
                    if group["measures"][key]["suppressed"]
                    else rate_text(MEASURES[key].kind, group["measures"][key]["rate"])
                    for key in measures
                ],
            }
        )
    return sorted(rows, key=lambda row: row["label"])


def report_context(run, links: bool = True) -> dict:
    """`links`: whether drill-down links are offered. The client list has no team filter, so a
    superuser's report narrowed to one team links to nothing rather than to a longer list."""
    result = run.summary
    k = result["k"]
    measures = result["parameters"]["measures"]
    not_seen_days = result["parameters"]["not_seen_days"]
    weeks, figures = series(run.team_id)
    rows = finding_rows(result, links, (weeks, figures))
    gaps = largest_gaps(rows)
    characteristics = sorted(
        {name for row in rows for name in row["characteristics"].split()},
        key=characteristic_label,
    )
    return {
        "run": run,
        "result": result,
        "findings": rows,
        "findings_total": len(rows),
        "flagged_groups": len({row["name"] for row in rows}),
        "gaps": gaps,
        "measure_filter": [
            (key, measure_label(key, not_seen_days))
            for key in measures
            if any(row["measure"] == key for row in rows)
        ],
        "characteristic_filter": [(name, characteristic_label(name)) for name in characteristics],
        "overview": overview(result, links),
        "measure_headers": [measure_label(key, not_seen_days) for key in measures],
        "overall": [
            {
                "label": measure_label(key, not_seen_days),
                "rate": rate_text(MEASURES[key].kind, result["total"]["measures"][key]["rate"]),
            }
            for key in measures
        ],
        "best_served": [
            {
                "measure": measure_label(key, not_seen_days),
                "label": plain_name(best["characteristics"]),
                "rate": rate_text(MEASURES[key].kind, best["rate"]),
            }
            for key, best in result["best_served"].items()
        ],
        "missing_data": [
            {
                **row,
                "label": plain_name(row["characteristics"]),
                "missing_label": characteristic_label(row["missing"]),
                "n_label": count_text(row["n"], row["n_label"], k, row["suppressed"]),
                "unknown_label": count_text(
                    row["unknown"], row["unknown_label"], k, row["suppressed"]
                ),
            }
            for row in result["missing_data"]
        ],
        "total_label": count_text(
            result["total"]["n"], result["total"]["n_label"], k, result["total"]["n"] is None
        ),
        "sibling_chart": sibling_chart(gaps),
        "trend_chart": trend_chart(weeks, gaps) if weeks else None,
        "trend_table": trend_table(weeks, gaps) if weeks else None,
        "trend_weeks": len(weeks),
        "synthetic_weeks": sum(1 for week in figures if week["synthetic"]),
        # the thresholds this run flagged with, in the reader's number format
        "flag_ratio": number_format(result["parameters"]["ratio_threshold"]),
        "flag_q": number_format(result["parameters"]["q_threshold"]),
        "stratified_by": characteristic_label(result["parameters"]["stratify_by"])
        if result["parameters"]["stratify_by"]
        else None,
    }


@require_GET
def visibility_report(request):
    form, run = run_for_request(request)
    context = {"form": form}
    if run is not None:
        context.update(report_context(run, links=not form.cleaned_data.get("team")))
    return render(request, "quality/visibility_report.html", context, status=200 if run else 400)


CSV_COLUMNS = [
    "section",
    "group",
    "characteristics",
    "depth",
    "clients",
    "rest_of_caseload",
    "measure",
    "rate",
    "rate_low",
    "rate_high",
    "rest_rate",
    "ratio",
    "ratio_low",
    "ratio_high",
    "difference",
    "p",
    "q",
    "test",
    "flagged",
    "withheld",
]


def csv_rows(result: dict):
    k = result["k"]
    for group in result["groups"]:
        characteristics = "; ".join(f"{name}={value}" for name, value in group["characteristics"])
        for key, m in group["measures"].items():
            yield [
                "service",
                plain_name(group["characteristics"]),
                characteristics,
                group["depth"],
                count_text(group["n"], group["n_label"], k, group["suppressed"]),
                count_text(group["rest_n"], group["rest_n_label"], k, group["suppressed"]),
                key,
                m["rate"],
                m["low"],
                m["high"],
                m["rest_rate"],
                m["ratio"],
                m["ratio_low"],
                m["ratio_high"],
                m["difference"],
                m["p"],
                m["q"],
                m["test"] or "",
                "yes" if m["flagged"] else "no",
                "yes" if m["suppressed"] else "no",
            ]
    for row in result["missing_data"]:
        characteristics = "; ".join(f"{name}={value}" for name, value in row["characteristics"])
        yield [
            "not_registered",
            plain_name(row["characteristics"]),
            characteristics,
            len(row["characteristics"]),
            count_text(row["n"], row["n_label"], k, row["suppressed"]),
            count_text(row["rest_n"], row["rest_n_label"], k, row["suppressed"]),
            f"{row['missing']} not registered",
            row["share"],
            "",
            "",
            row["rest_share"],
            row["ratio"],
            "",
            "",
            "",
            row["p"],
            row["q"],
            "",
            "yes",
            "yes" if row["suppressed"] else "no",
        ]


@require_GET
def visibility_csv(request):
    form, run = run_for_request(request)
    if run is None:
        return HttpResponse(
            "; ".join(f"{name}: {' '.join(errors)}" for name, errors in form.errors.items()),
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    freshness.stamp_export(response, "visibility-report", "csv")
    writer = csv.writer(response)
    writer.writerow(CSV_COLUMNS)
    writer.writerows(
        ["" if value is None else value for value in row] for row in csv_rows(run.result)
    )
    return response
