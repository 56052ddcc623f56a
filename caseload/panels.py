"""The client page's panels that feature apps contribute (the data-quality findings, for one).

The base app knows no feature: an app registers a panel from its AppConfig.ready() with the
template that renders it and a function giving that template its context for one client.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Panel:
    template: str
    context: Callable[[object, datetime.date], dict]  # (client, today) -> template context


PANELS: list[Panel] = []


def register_panel(template: str, context: Callable[[object, datetime.date], dict]) -> None:
    if all(panel.template != template for panel in PANELS):
        PANELS.append(Panel(template, context))


def panels(client, today: datetime.date) -> list[dict]:
    """Each registered panel as {"template": ..., **its context}, in registration order."""
    return [{"template": panel.template, **panel.context(client, today)} for panel in PANELS]
