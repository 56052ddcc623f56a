from pathlib import Path

import pytest
from django.utils import translation

from caseload import legend
from caseload.filters import ClientFilterSet
from caseload.management.commands.legend_markdown import legend_markdown

ROOT = Path(__file__).resolve().parents[2]


def test_keys_are_unique_and_sections_known():
    with pytest.raises(ValueError):
        legend.define("contact_overdue", "x", "y", "monitoring")
    with pytest.raises(ValueError):
        legend.define("brand_new_key", "x", "y", "no-such-section")


def test_every_monitoring_filter_has_a_definition():
    for name in ("contact_overdue", "not_seen", "no_active_plan", "plan_review_overdue", "quiet"):
        field = ClientFilterSet.base_filters[name]
        assert field.extra["help_text"] == legend.text(name)


def test_docs_legend_is_generated_from_the_registry():
    committed = (ROOT / "docs" / "legend.md").read_text(encoding="utf-8")
    with translation.override("en"):
        generated = legend_markdown()
    assert committed == generated, "docs/legend.md is stale: run `python manage.py legend_markdown`"
