"""Charts of the visibility report: pure functions from presented rows to Plotly figures (plain
JSON) or to the points of a sparkline. Withheld figures are left out (the tables beside the charts
say they are withheld).

- `sibling_chart`: the largest gaps, each beside its siblings (single fathers beside single mothers
  and the other households of fathers), on the measure the group is flagged for, with 95% intervals
  and the rest of the caseload as a dashed line.
- `trend_chart` and `trend_table`: the same groups' ratio to the rest, week by week.
- `sparkline`: a group's figure week by week, as the points of a small SVG polyline.
"""

from __future__ import annotations

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from .labels import number_text

GROUP_COLOUR, SIBLING_COLOUR, REST_COLOUR = "#b00020", "#4a4a4a", "#555555"
ROW_HEIGHT, PLOT_GAP = 26, 0.12
SPARK_WIDTH, SPARK_HEIGHT = 84, 20


def _number(value):
    return value if isinstance(value, (int, float)) else None


def _shown(figure: dict) -> bool:
    return not figure["suppressed"] and _number(figure["stats"]["rate"]) is not None


def sibling_chart(gaps: list[dict]) -> dict | None:
    """One panel per gap: the group (red) and its shown siblings (grey) on that measure."""
    panels = [(row, [row, *[s for s in row["siblings"] if _shown(s)]]) for row in gaps]
    if not panels:
        return None
    rows = sum(len(members) for _row, members in panels)
    data, layout = (
        [],
        {
            "height": 70 * len(panels) + ROW_HEIGHT * rows + 40,
            "margin": {"l": 20, "r": 20, "t": 30, "b": 30},
            "showlegend": False,
            "shapes": [],
            "annotations": [],
        },
    )
    top, usable = 1.0, 1.0 - PLOT_GAP * (len(panels) - 1)
    for index, (row, members) in enumerate(panels, start=1):
        height = usable * len(members) / rows
        domain = [max(0.0, top - height), top]
        top = domain[0] - PLOT_GAP
        suffix = "" if index == 1 else str(index)
        percent = row["kind"] == "proportion"
        rates = [member["stats"]["rate"] for member in members]
        data.append(
            {
                "type": "scatter",
                "mode": "markers",
                "x": rates,
                "y": [member["name"] for member in members],
                "xaxis": f"x{suffix}",
                "yaxis": f"y{suffix}",
                "marker": {
                    "size": 10,
                    "color": [GROUP_COLOUR] + [SIBLING_COLOUR] * (len(members) - 1),
                    "symbol": ["diamond"] + ["circle"] * (len(members) - 1),
                },
                "error_x": {
                    "type": "data",
                    "symmetric": False,
                    "array": [
                        max(0.0, (_number(m["stats"]["high"]) or r) - r)
                        for m, r in zip(members, rates, strict=True)
                    ],
                    "arrayminus": [
                        max(0.0, r - (_number(m["stats"]["low"]) or r))
                        for m, r in zip(members, rates, strict=True)
                    ],
                    "color": "#777777",
                },
                "hovertemplate": "%{y}: %{x" + (":.0%" if percent else ":.2f") + "}<extra></extra>",
            }
        )
        layout[f"xaxis{suffix}"] = {
            "anchor": f"y{suffix}",
            "rangemode": "tozero",
            "tickformat": ".0%" if percent else None,
            "title": {"text": row["measure_label"], "standoff": 2, "font": {"size": 11}},
        }
        layout[f"yaxis{suffix}"] = {
            "domain": domain,
            "automargin": True,
            "autorange": "reversed",
        }
        rest = _number(row["stats"]["rest_rate"])
        if rest is not None:
            layout["shapes"].append(
                {
                    "type": "line",
                    "xref": f"x{suffix}",
                    "yref": f"y{suffix} domain",
                    "x0": rest,
                    "x1": rest,
                    "y0": 0,
                    "y1": 1,
                    "line": {"dash": "dash", "color": REST_COLOUR, "width": 1},
                }
            )
    layout["annotations"].append(
        {
            "text": _("Dashed: the rest of the caseload; bars: 95% intervals."),
            "xref": "paper",
            "yref": "paper",
            "x": 0,
            "y": 1.0,
            "yanchor": "bottom",
            "showarrow": False,
            "font": {"size": 11},
        }
    )
    return {"data": data, "layout": layout, "config": {"displayModeBar": False}}


def trend_chart(weeks: list[str], gaps: list[dict]) -> dict | None:
    """The largest gaps' ratio to the rest of the caseload, week by week (gaps: not shown)."""
    lines = [row for row in gaps if any(v is not None for v in row["trend_ratios"])]
    if not lines:
        return None
    return {
        "data": [
            {
                "type": "scatter",
                "mode": "lines+markers",
                "name": row["name"],
                "x": weeks,
                "y": row["trend_ratios"],
                "connectgaps": False,
            }
            for row in lines
        ],
        "layout": {
            "height": 320,
            "margin": {"l": 50, "r": 20, "t": 20, "b": 40},
            "yaxis": {
                "title": {"text": _("ratio to the rest")},
                "rangemode": "tozero",
            },
            "xaxis": {"type": "category"},
            "legend": {"orientation": "h", "y": -0.25},
        },
        "config": {"displayModeBar": False},
    }


def trend_table(weeks: list[str], gaps: list[dict]) -> dict:
    """The numbers of `trend_chart`: a row per week, a column per group (— not shown)."""
    return {
        "columns": [row["name"] for row in gaps],
        "rows": [
            (week, [number_text(row["trend_ratios"][i]) for row in gaps])
            for i, week in enumerate(weeks)
        ],
    }


def sparkline(values: list) -> dict | None:
    """Points of a small line chart of `values` (None: a gap), scaled to SPARK_WIDTH × SPARK_HEIGHT;
    None when fewer than two values are shown."""
    known = [v for v in values if isinstance(v, (int, float))]
    if len(known) < 2:
        return None
    low, high = min(known), max(known)
    span = (high - low) or 1.0
    step = SPARK_WIDTH / max(1, len(values) - 1)
    segments, current = [], []
    for index, value in enumerate(values):
        if not isinstance(value, (int, float)):
            if current:
                segments.append(current)
            current = []
            continue
        x = round(index * step, 1)
        y = round(SPARK_HEIGHT - 2 - (value - low) / span * (SPARK_HEIGHT - 4), 1)
        current.append(f"{x},{y}")
    if current:
        segments.append(current)
    last = segments[-1][-1].split(",")
    return {
        "lines": [" ".join(points) for points in segments],
        "width": SPARK_WIDTH,
        "height": SPARK_HEIGHT,
        "last_x": last[0],
        "last_y": last[1],
        "low": number_format(round(low, 2), 2),
        "high": number_format(round(high, 2), 2),
    }
