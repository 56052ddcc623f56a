"""The visibility report's thresholds, declared once in settings.VISIBILITY_REPORT and read here by
the engine's defaults, the service, the labels, the legend and the page."""

from __future__ import annotations

from django.conf import settings
from django.utils.formats import number_format
from django.utils.functional import lazy


def configured(name: str):
    """K, FLAG_RATIO, FLAG_Q, MISSING_RATIO, PERIOD_DAYS, COMPLEMENTARY_LIMIT, TREND_WEEKS or
    CHARACTERISTICS."""
    return settings.VISIBILITY_REPORT[name]


def _shown(name: str) -> str:
    value = configured(name)
    return number_format(int(value) if float(value).is_integer() else value)


# For texts declared at import time (legend, labels): formatted in the reader's language when shown.
shown = lazy(_shown, str)


def _complementary_limit() -> str:
    """The largest cell hidden to protect another while a smaller one would do, in clients."""
    return number_format(configured("COMPLEMENTARY_LIMIT") * configured("K"))


shown_complementary_limit = lazy(_complementary_limit, str)
