"""Chart of the visibility report: ratio to the rest of the caseload, with 95% intervals.

A pure function from presented findings to a Plotly figure (plain JSON). Withheld figures are left
out of the chart (the table beside it says they are withheld).
"""

from __future__ import annotations

from django.utils.formats import number_format
from django.utils.translation import gettext as _


def _number(value):
    return value if isinstance(value, (int, float)) else None


def ratio_chart(findings: list[dict], flag_ratio: float) -> dict:
    shown = [
        f
        for f in findings
        if not f["stats"]["suppressed"] and _number(f["stats"]["ratio"]) is not None
    ]
    labels = [f"{f['label']} — {f['measure_label']}" for f in shown]
    ratios = [f["stats"]["ratio"] for f in shown]
    upper = [
        max(0.0, (_number(f["stats"]["ratio_high"]) or f["stats"]["ratio"]) - f["stats"]["ratio"])
        for f in shown
    ]
    lower = [
        max(0.0, f["stats"]["ratio"] - (_number(f["stats"]["ratio_low"]) or f["stats"]["ratio"]))
        for f in shown
    ]
    reference_lines = [
        {
            "type": "line",
            "x0": x,
            "x1": x,
            "yref": "paper",
            "y0": 0,
            "y1": 1,
            "line": {"dash": dash, "color": colour, "width": 1},
        }
        for x, dash, colour in ((1.0, "solid", "#555"), (flag_ratio, "dash", "#b00020"))
    ]
    return {
        "data": [
            {
                "type": "scatter",
                "mode": "markers",
                "x": ratios,
                "y": labels,
                "marker": {"size": 9, "color": "#b00020"},
                "error_x": {
                    "type": "data",
                    "symmetric": False,
                    "array": upper,
                    "arrayminus": lower,
                },
                "hovertemplate": "%{y}<br>" + _("ratio") + " %{x:.2f}<extra></extra>",
            }
        ],
        "layout": {
            "title": {
                "text": _(
                    "Ratio to the rest of the caseload (95%% interval); dashed line: %(ratio)s"
                )
                % {"ratio": number_format(flag_ratio)}
            },
            "xaxis": {
                "title": {"text": _("ratio (1 = served like the rest)")},
                "rangemode": "tozero",
            },
            "yaxis": {"automargin": True, "autorange": "reversed"},
            "shapes": reference_lines,
            "height": max(320, 40 * len(shown) + 140),
            "margin": {"l": 20, "r": 20, "t": 60, "b": 50},
        },
    }
