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
        "This ISO week's data-quality findings, one row per client with all its findings, the "
        "gravest first. Per coach, clients are ranked by what their gaps block: the worst "
        "severity, then the number of findings, then the client number. The list is brought up "
        "to date after every import and each Monday at 07:00 (which also mails the digests); the "
        "rules are evaluated on the Monday of the week. A coach (or the team's quality officer) "
        "can explain a finding with a reason: it then leaves the coach's open list, in the "
        "following weeks too, for as long as the finding holds; the quality officer can return "
        "it to the coach with a note. Who did what, when and why is kept and shown on the client "
        "page. A past week is closed: its list stays as it was built."
    ),
    "quality",
)
