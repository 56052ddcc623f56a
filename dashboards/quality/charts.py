"""Chart builders: pure functions from aggregated figures to a Plotly figure (a JSON-able dict)."""

from __future__ import annotations


def trend_figure(trend: dict[str, dict[str, int]], labels: dict[str, str], title: str) -> dict:
    """One line per rule: findings per ISO week (from the weekly snapshots)."""
    weeks = sorted({week for counts in trend.values() for week in counts})
    data = [
        {
            "type": "scatter",
            "mode": "lines+markers",
            "name": str(labels.get(key, key)),
            "x": weeks,
            "y": [trend[key].get(week, 0) for week in weeks],
        }
        for key in sorted(trend, key=lambda k: -sum(trend[k].values()))
        if any(trend[key].values())
    ]
    return {
        "data": data,
        "layout": {
            "title": {"text": title},
            "xaxis": {"title": {"text": "ISO week"}, "type": "category"},
            "yaxis": {"title": {"text": "clients"}, "rangemode": "tozero"},
            "margin": {"l": 50, "r": 20, "t": 50, "b": 60},
            "height": 480,
            "legend": {"orientation": "h", "y": -0.25, "yanchor": "top"},
        },
        # The chart is aria-hidden (its table is the accessible version), so it may hold nothing
        # focusable: no mode bar buttons.
        "config": {"displayModeBar": False},
    }


def completeness_figure(rows: list[tuple[str, float]], title: str) -> dict:
    """Horizontal bars: share of active clients with the field registered (worst at the top)."""
    ordered = list(reversed(rows))
    return {
        "data": [
            {
                "type": "bar",
                "orientation": "h",
                "y": [str(label) for label, _share in ordered],
                "x": [round(share * 100, 1) for _label, share in ordered],
                "hovertemplate": "%{y}: %{x}%<extra></extra>",
            }
        ],
        "layout": {
            "title": {"text": title},
            "xaxis": {"range": [0, 100], "ticksuffix": "%"},
            "margin": {"l": 200, "r": 20, "t": 50, "b": 40},
        },
    }
