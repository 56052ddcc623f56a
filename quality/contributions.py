"""What the data-quality app adds to the base app (called from QualityConfig.ready()):

- the client list's `finding` filter, so every list, figure and API call can select the clients
  that break a rule (quality.selectors.finding_figure counts them);
- the findings panel of the client page;
- the demo's visibility report history (weeks of figures for its trend).
"""

from __future__ import annotations

import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from caseload import demo, panels
from caseload.filters import register_client_filter
from caseload.models import Team, User

from . import rules
from .selectors import findings_for_client


def filter_finding(queryset, name, value: str):
    """The clients breaking rule `value` (a rule id) today."""
    return rules.get(value).apply(queryset, timezone.localdate()) if value else queryset


def findings_panel(client, today) -> dict:
    return {"findings": findings_for_client(client, today)}


def visibility_demo_history(today) -> str:
    """The visibility report's trend for the teams of the demo's logins and for all teams."""
    from .visibility.trend import demo_history  # the report's modules load models: not at import

    cast = User.objects.filter(username__in=[member.username for member in demo.DEMO_CAST])
    teams = Team.objects.filter(pk__in=cast.values("team")).order_by("code")
    return _("Visibility report: %(weeks)s weeks of history recorded.") % {
        "weeks": demo_history(today, [*teams, None])
    }


def contribute() -> None:
    register_client_filter(
        "finding",
        django_filters.ChoiceFilter(
            label=_("Data-quality finding"), choices=rules.choices, method=filter_finding
        ),
    )
    panels.register_panel("quality/_client_findings.html", findings_panel)
    demo.register_after_import(visibility_demo_history)
