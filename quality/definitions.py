"""Legend entries of the data-quality page: one per rule (its definition and what it blocks),
plus the page's own figures."""

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from caseload.legend import define

from .rules import RULES, rule_key

for _rule in RULES:
    define(
        rule_key(_rule.id),
        _rule.label,
        format_lazy("{} {}: {}", _rule.definition, _("Blocks"), _rule.blocks),
        "quality",
    )

define(
    "quality_completeness",
    _("Completeness"),
    _(
        "For one registered field: the share of active clients for whom the field is registered "
        "(not empty). 'No' counts as registered; only empty counts as missing."
    ),
    "quality",
)
define(
    "quality_weekly_list",
    _("Weekly incomplete-data list"),
    _(
        "Built every week (default Monday 07:00) for the ISO week: per coach, the clients with at least one "
        "finding, ranked by what the gap blocks (high severity first). A finding the coach has explained "
        "stays visible to the quality officer but is left off the coach's list from then on."
    ),
    "quality",
)
