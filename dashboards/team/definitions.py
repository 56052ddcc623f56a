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
    "team_over_norm",
    _("Over the norm by"),
    _(
        "Per coach: active clients above the team's norm scaled to the coach's FTE, in whole clients "
        "(rounded up); 0 at or below the norm. For the team: the sum over its coaches, so the clients "
        "that would have to move for nobody to be above the norm."
    ),
    "team",
)
define(
    "team_fte_needed",
    _("FTE needed to bring everyone to the norm"),
    _(
        "(Active clients of the team − the norm × the team's total FTE) ÷ the norm, when positive: "
        "the extra full-time coaches needed for every coach to be at the norm, after moving clients "
        "between coaches. 0: the team has room within the norm."
    ),
    "team",
)
define(
    "capacity_needed",
    _("Hours needed per week"),
    _(
        "Contacts plus administration. Contacts: the sum over the coach's active clients with an "
        "agreed frequency of the minutes per contact for the client's usual channel divided by the "
        "frequency in weeks (usual channel: the channel of most of the client's contacts in the last "
        "6 months; no such contact: the default minutes). Administration: every active client (with "
        "or without a frequency) × the team's administration minutes per client per week "
        "(registration, plans and reviews, reports: the work around the contacts). Both are "
        "configurable; the defaults are calibrated so that a full-time coach at the norm needs about "
        "all the hours available."
    ),
    "team",
)
define(
    "capacity_available",
    _("Hours available per week"),
    _(
        "FTE × contract hours per full-time week × the share of those hours available for casework "
        "(client contact and its administration; the rest goes to meetings, training and travel). "
        "Both are configurable."
    ),
    "team",
)
define(
    "capacity_balance",
    _("Capacity balance"),
    _(
        "Hours available minus hours needed per week. Negative: overloaded by that many hours. The "
        "contacts of clients without an agreed frequency cannot be planned and are not in it; their "
        "number is shown beside it (their administration is)."
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
