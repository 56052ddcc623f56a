"""Legend entries for the team manager dashboard."""

from django.utils.translation import gettext_lazy as _

from caseload.legend import define, define_section

define_section("team", _("Team figures"), 60)

define(
    "team_active_caseload",
    _("Active caseload"),
    _(
        "Active clients of the coach today. Compared with the team's norm and maximum, scaled to the "
        "coach's FTE (a 0.5 FTE coach: half the norm). Specialised teams carry their own norms."
    ),
    "team",
)
define(
    "team_seen_share",
    _("Seen within frequency (share)"),
    _(
        "Clients seen within their agreed frequency, divided by the active clients that have an agreed "
        "frequency. Clients without one are shown separately, not counted as seen or unseen."
    ),
    "team",
)
define(
    "team_plan_coverage",
    _("Action-plan coverage"),
    _("Share of active clients with an action plan whose status is 'active'."),
    "team",
)
define(
    "team_completeness",
    _("Data completeness"),
    _(
        "Share of active clients with all key fields registered (see 'key fields not registered'). "
        "Data quality is not service quality: read it beside the other figures."
    ),
    "team",
)
define(
    "team_referred_this_quarter",
    _("Referred this quarter"),
    _(
        "Clients (active or exited) with at least one referral to a vacancy that was sent to the employer "
        "(outcome sent, interview, hired or rejected; not proposed, not withdrawn) dated on or after the first "
        "day of the current calendar quarter. A client referred twice counts once."
    ),
    "team",
)
define(
    "team_exited_to_work_this_quarter",
    _("Exits to work this quarter"),
    _(
        "Clients exited with reason 'work' and an exit date on or after the first day of the current "
        "calendar quarter."
    ),
    "team",
)
define(
    "team_participation_step_1_2",
    _("Participation step 1–2"),
    _(
        "Active clients on participation step 1 (isolated) or 2 (social contacts). Composition of the "
        "caseload: a coach with many such clients needs more time per client, they are not 'slow'."
    ),
    "team",
)
define(
    "capacity_needed",
    _("Contact hours needed per week"),
    _(
        "Sum over the coach's active clients with an agreed frequency of: minutes per contact for the "
        "client's usual channel divided by the frequency in weeks. Usual channel: the channel of most "
        "of the client's contacts in the last 6 months; no such contact: the default minutes. Minutes "
        "per channel are configurable and include preparation and reporting."
    ),
    "team",
)
define(
    "capacity_available",
    _("Contact hours available per week"),
    _(
        "FTE × contract hours per full-time week × the share of time available for client contact "
        "(both configurable)."
    ),
    "team",
)
define(
    "capacity_balance",
    _("Capacity balance"),
    _(
        "Hours available minus hours needed per week. Negative: overloaded by that many hours. Clients "
        "without an agreed frequency are not in the model; their number is shown beside it."
    ),
    "team",
)
define(
    "team_trend",
    _("Team trends"),
    _(
        "Team totals from the weekly snapshots: the figures as they stood when the snapshot was taken "
        "in that ISO week (re-taking in the same week overwrites). Exits to work: exits with reason "
        "'work' dated in that week."
    ),
    "team",
)
