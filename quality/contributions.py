"""What the data-quality app adds to the base app (called from QualityConfig.ready()):

- the client list's `finding` filter, so every list, figure and API call can select the clients
  that break a rule (quality.selectors.finding_figure counts them);
- the findings panel of the client page;
- the weekly list brought up to date after every import that stored data;
- the demo's history: past weekly lists and the visibility report's trend.
"""

from __future__ import annotations

import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from caseload import demo, panels, signals
from caseload.filters import register_client_filter
from caseload.models import Team, User

from . import rules
from .models import FindingAction
from .selectors import findings_for_client

PANEL_ACTIONS = 20  # the latest actions on the client's findings shown on the client page


def filter_finding(queryset, name, value: str):
    """The clients breaking rule `value` (a rule id) today."""
    return rules.get(value).apply(queryset, timezone.localdate()) if value else queryset


def findings_panel(client, today) -> dict:
    """The client's findings today, and what was done about them (who, when, reason)."""
    return {
        "findings": findings_for_client(client, today),
        "actions": list(
            FindingAction.objects.filter(client=client)
            .select_related("by")
            .order_by("-at", "-pk")[:PANEL_ACTIONS]
        ),
    }


def visibility_demo_history(sender=None, *, today, weeks_back: int, **kwargs) -> str:
    """Receiver of caseload.signals.demo_seeded: the visibility report's trend (`weeks_back` past
    weeks and this one) for the teams of the demo's logins and for all teams."""
    from .visibility.trend import demo_history  # the report's modules load models: not at import

    cast = User.objects.filter(username__in=[member.username for member in demo.DEMO_CAST])
    teams = Team.objects.filter(pk__in=cast.values("team")).order_by("code")
    return _("Visibility report: %(weeks)s weeks of history recorded.") % {
        "weeks": demo_history(today, [*teams, None], weeks=weeks_back + 1)
    }


def contribute() -> None:
    register_client_filter(
        "finding",
        django_filters.ChoiceFilter(
            label=_("Data-quality finding"), choices=rules.choices, method=filter_finding
        ),
    )
    panels.register_panel("quality/_client_findings.html", findings_panel)

    from . import tasks
    from .weekly import history

    signals.import_succeeded.connect(
        tasks.queue_refresh_after_import, dispatch_uid="quality_weekly_list_after_import"
    )
    signals.demo_seeded.connect(history.write_demo_history, dispatch_uid="quality_demo_history")
    signals.demo_seeded.connect(visibility_demo_history, dispatch_uid="quality_visibility_history")
