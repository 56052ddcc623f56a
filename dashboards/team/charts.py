"""Chart builders of the team dashboard: pure functions from aggregated rows to a Plotly figure,
and the rows each chart is drawn from (also shown as its table and offered as CSV)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dashboards.charts import BAR_COLOUR

TREND_SERIES = (
    ("active_caseload", gettext_lazy("Active caseload")),
    ("contact_overdue", gettext_lazy("Contact overdue")),
    ("missing_key_fields", gettext_lazy("Key fields not registered")),
    ("exited_to_work", gettext_lazy("Exits to work in the week")),
)
NORM_COLOUR = "#8a4b00"
MAX_COLOUR = "#a00020"


def trend_series_labels() -> list[tuple[str, str]]:
    return [(key, str(label)) for key, label in TREND_SERIES]


def static(figure: dict, separators: str) -> dict:
    """No hidden focusable controls (the numbers are in the table beside it); numbers written with
    the active language's separators (`separators`: decimal then thousands, e.g. ",.")."""
    figure["layout"]["separators"] = separators
    figure["config"] = {"staticPlot": True, "displayModeBar": False}
    return figure


def team_trend_figure(rows: list[dict], separators: str = ".,") -> dict:
    """Lines per figure over ISO weeks; `rows` as from team_selectors.team_trend (oldest first)."""
    weeks = [row["iso_week"] for row in rows]
    return static(
        {
            "data": [
                {
                    "type": "scatter",
                    "mode": "lines+markers",
                    "name": label,
                    "x": weeks,
                    "y": [row[key] for row in rows],
                }
                for key, label in trend_series_labels()
            ],
            "layout": {
                "title": {"text": _("Team trends per week")},
                "xaxis": {"title": {"text": _("ISO week")}, "type": "category"},
                "yaxis": {"title": {"text": _("Clients")}, "rangemode": "tozero"},
                "legend": {"orientation": "h"},
                "margin": {"t": 50, "l": 60, "r": 20, "b": 60},
            },
        },
        separators,
    )


def caseload_norm_rows(rows) -> list[dict]:
    """Per coach: active caseload against the norm and maximum for their FTE (the chart's data)."""
    return [
        {
            "coach": str(row.coach),
            "active": row.active,
            "norm": round(float(row.norm_for_fte), 1),
            "maximum": round(float(row.max_for_fte), 1),
            "over_norm_by": row.over_norm_by,
        }
        for row in rows
    ]


def caseload_norm_figure(data: list[dict], separators: str = ".,") -> dict:
    """Bars: each coach's active caseload; markers: the norm and the maximum for their FTE."""
    coaches = [row["coach"] for row in data]

    def markers(key, label, colour, symbol):
        return {
            "type": "scatter",
            "mode": "markers",
            "name": label,
            "x": [row[key] for row in data],
            "y": coaches,
            "marker": {"color": colour, "symbol": symbol, "size": 14, "line": {"width": 2}},
        }

    return static(
        {
            "data": [
                {
                    "type": "bar",
                    "orientation": "h",
                    "name": _("Active caseload"),
                    "x": [row["active"] for row in data],
                    "y": coaches,
                    "text": [str(row["active"]) for row in data],
                    "textposition": "inside",
                    "marker": {
                        "color": BAR_COLOUR,
                        "pattern": {"shape": "/", "fgcolor": "#ffffff"},
                    },
                },
                markers("norm", _("Norm for FTE"), NORM_COLOUR, "line-ns-open"),
                markers("maximum", _("Maximum for FTE"), MAX_COLOUR, "x-thin-open"),
            ],
            "layout": {
                "title": {"text": _("Caseload against the norm per coach")},
                "height": 120 + 30 * max(len(data), 1),
                "xaxis": {"title": {"text": _("Active clients")}, "rangemode": "tozero"},
                "yaxis": {"autorange": "reversed", "automargin": True},
                "legend": {"orientation": "h", "y": -0.2},
                "margin": {"t": 50, "l": 10, "r": 20, "b": 60},
            },
        },
        separators,
    )
