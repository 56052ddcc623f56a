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

from .charts import ratio_chart
from .engine import MEASURES
from .forms import VisibilityForm, form_data
from .labels import (
    characteristic_label,
    drilldown_url,
    finding_sentence,
    group_label,
    measure_label,
    rate_text,
)
from .services import run_visibility_report

MAX_FINDINGS_SHOWN = 50


def run_for_request(request, api: bool = False):
    """(form, run): the run is None when the parameters are invalid."""
    access.check_page(request.user, "visibility_report")
    form = VisibilityForm(form_data(request.GET), user=request.user, api=api)
    if not form.is_valid():
        return form, None
    return form, run_visibility_report(request.user, **form.report_arguments())


# --- presentation ---------------------------------------------------------------------------------
def findings(result: dict, links: bool = True) -> list[dict]:
    """Flagged (group, measure) pairs in report order, with words and a drill-down link."""
    k, not_seen_days = result["k"], result["parameters"]["not_seen_days"]
    rows = []
    for group in result["groups"]:
        for key in group["flagged_measures"]:
            kind = MEASURES[key].kind
            m = group["measures"][key]
            rows.append(
                {
                    "group": group,
                    "label": group_label(group["characteristics"]),
                    "measure": key,
                    "measure_label": measure_label(key, not_seen_days),
                    "sentence": finding_sentence(group, key, kind, k, not_seen_days),
                    "stats": m,
                    "rate": rate_text(kind, m["rate"]),
                    "rest_rate": rate_text(kind, m["rest_rate"]),
                    "url": drilldown_url(group, k) if links else None,
                }
            )
    return rows


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
                "label": group_label(group["characteristics"]),
                "n_label": group["n_label"],
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
    measures = result["parameters"]["measures"]
    rows = findings(result, links)
    return {
        "run": run,
        "result": result,
        "findings": rows[:MAX_FINDINGS_SHOWN],
        "findings_total": len(rows),
        "overview": overview(result, links),
        "measure_headers": [
            measure_label(key, result["parameters"]["not_seen_days"]) for key in measures
        ],
        "overall": [
            {
                "label": measure_label(key, result["parameters"]["not_seen_days"]),
                "rate": rate_text(MEASURES[key].kind, result["total"]["measures"][key]["rate"]),
            }
            for key in measures
        ],
        "best_served": [
            {
                "measure": measure_label(key, result["parameters"]["not_seen_days"]),
                "label": group_label(best["characteristics"]),
                "rate": rate_text(MEASURES[key].kind, best["rate"]),
            }
            for key, best in result["best_served"].items()
        ],
        "missing_data": [
            {
                **row,
                "label": group_label(row["characteristics"]),
                "missing_label": characteristic_label(row["missing"]),
            }
            for row in result["missing_data"]
        ],
        "chart": ratio_chart(rows[:MAX_FINDINGS_SHOWN], result["parameters"]["ratio_threshold"]),
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
    for group in result["groups"]:
        characteristics = "; ".join(f"{name}={value}" for name, value in group["characteristics"])
        for key, m in group["measures"].items():
            yield [
                "service",
                group_label(group["characteristics"]),
                characteristics,
                group["depth"],
                group["n_label"],
                group["rest_n_label"],
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
            group_label(row["characteristics"]),
            characteristics,
            len(row["characteristics"]),
            row["n_label"],
            row["rest_n_label"],
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
