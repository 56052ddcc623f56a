"""Chart builders: pure functions from aggregated figures to a Plotly figure (as plain JSON data).

Readable without colour: one series per chart, every bar carries its number as text, bars have a
hatch pattern, and each chart sits next to a table with the same numbers (its text alternative).
"""

from __future__ import annotations

BAR_COLOUR = "#00548f"
UNKNOWN_COLOUR = "#767676"


def horizontal_bars(
    title: str, labels: list[str], values: list[int], *, unknown_label: str | None = None
) -> dict:
    """A horizontal bar chart, first label on top. The bar named `unknown_label` ('not
    registered') is grey and dotted, so it reads as missing data rather than as a category.

    Built as the figure's JSON directly: a dashboard draws ~15 of these, and plotly's validating
    graph objects cost ~15 ms each for a structure this small.
    """
    labels = [str(label) for label in labels]
    is_unknown = [label == str(unknown_label) for label in labels]
    bars = {
        "type": "bar",
        "orientation": "h",
        "x": list(values),
        "y": labels,
        "text": [str(value) for value in values],
        "textposition": "outside",
        "cliponaxis": False,
        "marker": {
            "color": [UNKNOWN_COLOUR if unknown else BAR_COLOUR for unknown in is_unknown],
            "pattern": {
                "shape": ["." if unknown else "/" for unknown in is_unknown],
                "fgcolor": "#ffffff",
            },
        },
        "hovertemplate": "%{y}: %{x}<extra></extra>",
    }
    layout = {
        "title": {"text": str(title), "font": {"size": 15}},
        "height": 60 + 28 * max(len(labels), 1),
        "margin": {"l": 10, "r": 40, "t": 40, "b": 20},
        "yaxis": {"autorange": "reversed", "automargin": True},
        "xaxis": {
            "rangemode": "tozero",
            "showgrid": True,
            "gridcolor": "#e0e0e0",
            "fixedrange": True,
        },
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#ffffff",
        "font": {"family": "system-ui, sans-serif", "color": "#1a1a1a"},
        "showlegend": False,
    }
    # A static picture: the numbers are in the table next to it, and no hidden focusable controls.
    return {
        "data": [bars],
        "layout": layout,
        "config": {"staticPlot": True, "displayModeBar": False},
    }
