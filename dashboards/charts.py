"""Chart builders: pure functions from aggregated figures to a Plotly figure (as plain JSON data).

Readable without colour: one series per chart, every bar carries its number as text, bars have a
hatch pattern, and each chart sits next to a table with the same numbers (its text alternative).
"""

from __future__ import annotations

import json

import plotly.graph_objects as go

BAR_COLOUR = "#00548f"
UNKNOWN_COLOUR = "#767676"


def horizontal_bars(title: str, labels: list[str], values: list[int], *, unknown_label: str | None = None) -> dict:
    """A horizontal bar chart, first label on top. The bar named `unknown_label` ('not
    registered') is grey and dotted, so it reads as missing data rather than as a category."""
    labels = [str(label) for label in labels]
    is_unknown = [label == str(unknown_label) for label in labels]
    bars = go.Bar(
        x=values,
        y=labels,
        orientation="h",
        text=[str(value) for value in values],
        textposition="outside",
        cliponaxis=False,
        marker={
            "color": [UNKNOWN_COLOUR if unknown else BAR_COLOUR for unknown in is_unknown],
            "pattern": {"shape": ["." if unknown else "/" for unknown in is_unknown], "fgcolor": "#ffffff"},
        },
        hovertemplate="%{y}: %{x}<extra></extra>",
    )
    figure = go.Figure(bars)
    figure.update_layout(
        title={"text": str(title), "font": {"size": 15}},
        height=60 + 28 * max(len(labels), 1),
        margin={"l": 10, "r": 40, "t": 40, "b": 20},
        yaxis={"autorange": "reversed", "automargin": True},
        xaxis={"rangemode": "tozero", "showgrid": True, "gridcolor": "#e0e0e0", "fixedrange": True},
        paper_bgcolor="#ffffff",
        plot_bgcolor="#ffffff",
        font={"family": "system-ui, sans-serif", "color": "#1a1a1a"},
        showlegend=False,
    )
    # Through JSON, so the template's json_script gets plain lists and dicts (no numpy arrays).
    data = json.loads(figure.to_json())
    # A static picture: the numbers are in the table next to it, and no hidden focusable controls.
    data["config"] = {"staticPlot": True, "displayModeBar": False}
    return data
