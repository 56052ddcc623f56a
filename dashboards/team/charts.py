"""Chart builders of the team dashboard: pure functions from aggregated rows to a Plotly figure."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

TREND_SERIES = (
    ("active_caseload", gettext_lazy("Active caseload")),
    ("contact_overdue", gettext_lazy("Contact overdue")),
    ("missing_key_fields", gettext_lazy("Key fields not registered")),
    ("exited_to_work", gettext_lazy("Exits to work in the week")),
)


def trend_series_labels() -> list[tuple[str, str]]:
    return [(key, str(label)) for key, label in TREND_SERIES]


def team_trend_figure(rows: list[dict]) -> dict:
    """Lines per figure over ISO weeks; `rows` as from team_selectors.team_trend (oldest first)."""
    weeks = [row["iso_week"] for row in rows]
    return {
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
    }
