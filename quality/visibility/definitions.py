"""Legend entries of the visibility report (section "visibility")."""

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from caseload.legend import define, define_section
from caseload.thresholds import not_seen_days_lazy

from .thresholds import shown, shown_complementary_limit

SECTION = "visibility"


define_section(SECTION, _("Visibility report"), 80)

define(
    "visibility_group",
    _("Group"),
    _(
        "Active clients sharing up to three characteristics (gender, household, age band, education level, "
        "language level, physical limitations, mental health issues, participation step, team kind). "
        "'Not registered' is a value of its own. A household of 'single parent with a child under 12' is a "
        "single parent whose youngest child was born less than 12 years ago. Groups are named in plain "
        "words where a name is known ('single fathers with a child under 12'), otherwise by their "
        "characteristics. A group whose clients are exactly those of a group with one characteristic "
        "less (every member shares the extra one, e.g. 'men in a standard team' in a team of standard "
        "caseloads) is shown once, as that group, and tested once."
    ),
    SECTION,
)
define(
    "visibility_rest",
    _("Rest of the caseload"),
    _(
        "Every active client in the same scope who is not in the group. Groups are compared with the rest, "
        "not with the overall figure, which includes the group itself."
    ),
    SECTION,
)
define(
    "visibility_contact_on_time",
    _("Contact within the agreed frequency"),
    _(
        "Share of the group's clients with a registered contact frequency whose contact due date has not "
        "passed. Clients without an agreed frequency are not counted in this share."
    ),
    SECTION,
)
define(
    "visibility_seen_recently",
    format_lazy(_("Seen in the last {days} days"), days=not_seen_days_lazy()),
    format_lazy(
        _(
            "Share of the group's clients who are not 'not seen recently' (see Monitoring): a contact "
            "in the last {days} days, or on the caseload for less than {days} days."
        ),
        days=not_seen_days_lazy(),
    ),
    SECTION,
)
define(
    "visibility_active_plan",
    _("Active action plan"),
    _("Share of the group's clients with an action plan whose status is 'active'."),
    SECTION,
)
define(
    "visibility_referral",
    _("Vacancy referral"),
    format_lazy(
        _(
            "Share of the group's clients with at least one vacancy referral dated in the last "
            "{period} days."
        ),
        period=shown("PERIOD_DAYS"),
    ),
    SECTION,
)
define(
    "visibility_workshop",
    _("Workshop enrolment"),
    format_lazy(
        _(
            "Share of the group's clients with at least one workshop enrolment dated in the last "
            "{period} days."
        ),
        period=shown("PERIOD_DAYS"),
    ),
    SECTION,
)
define(
    "visibility_contact_rate",
    _("Contacts per client-month"),
    format_lazy(
        _(
            "Contacts in the last {period} days divided by the months the group's clients were on the "
            "caseload in that period (from the intake date; the whole period when the intake date is "
            "not registered). New clients thus count only for the time they have been here and are not "
            "counted as under-served."
        ),
        period=shown("PERIOD_DAYS"),
    ),
    SECTION,
)
define(
    "visibility_median_days",
    _("Median days since last contact"),
    _(
        "Middle value of the days since each client's last contact (since intake when never contacted). "
        "Read from a histogram (0–14, 14–30, 30–60, 60–90, 90–180, 180–365, 365–730, 730+ days) and "
        "interpolated within the bin, so it is approximate. Descriptive only: it is not tested or flagged."
    ),
    SECTION,
)
define(
    "visibility_ratio",
    _("Ratio"),
    _(
        "The group's figure divided by the rest's figure. 1: served alike; 0.5: half as often. With a "
        "stratifier, the Mantel–Haenszel ratio within strata (e.g. within each team kind)."
    ),
    SECTION,
)
define(
    "visibility_interval",
    _("95% interval"),
    _(
        "Range of values compatible with the data: Wilson score interval for shares, exact (Garwood) "
        "Poisson interval for rates, Katz log interval for a ratio of shares, exact conditional interval "
        "for a ratio of rates."
    ),
    SECTION,
)
define(
    "visibility_tests",
    _("p and q"),
    _(
        "p: the chance of a difference at least this large if the group were served like the rest (Fisher's "
        "exact test when an expected count is below 5, otherwise a z-test; for rates the conditional "
        "binomial test; Cochran–Mantel–Haenszel when stratified). Only groups with at least k clients "
        "and a rest of at least k are tested. q: p adjusted for testing many groups and measures at "
        "once (Benjamini–Hochberg over every tested cell of the run)."
    ),
    SECTION,
)
define(
    "visibility_flag",
    _("Flagged"),
    format_lazy(
        _(
            "A group is flagged for a measure when its ratio is below {ratio} (the four-fifths rule) "
            "and q is below {q}: the gap is both large and unlikely to be chance."
        ),
        ratio=shown("FLAG_RATIO"),
        q=shown("FLAG_Q"),
    ),
    SECTION,
)
define(
    "visibility_missing",
    _("Not registered more often"),
    format_lazy(
        _(
            "Groups in which a characteristic is 'not registered' at least {times} times as often as "
            "in the rest of the caseload (q < {q}): the group is less visible in the data itself."
        ),
        times=shown("MISSING_RATIO"),
        q=shown("FLAG_Q"),
    ),
    SECTION,
)
define(
    "visibility_neighbours",
    _("Neighbours"),
    _(
        "The same group with one of its characteristics taking another value: single mothers with a "
        "child under 12 beside single fathers with a child under 12 (gender varies), fathers in other "
        "households beside them (household varies). Shown beside a flagged group whether or not they "
        "are flagged themselves, so a comparison takes one glance."
    ),
    SECTION,
)
define(
    "visibility_trend",
    _("Trend"),
    format_lazy(
        _(
            "The group's figure in each of the last {weeks} weekly reports, oldest first. Every "
            "Monday the report is run for each team and the figures it showed are stored, already "
            "protected: a figure withheld that week stays withheld ('—'), as does a week in which "
            "the group was not among those shown."
        ),
        weeks=shown("TREND_WEEKS"),
    ),
    SECTION,
)
define(
    "visibility_disclosure",
    _("Withheld figures"),
    format_lazy(
        _(
            "No count between 1 and k − 1 (k = {k}) is shown or exported, nor any figure from which "
            "one could be worked out (the rest of the caseload, a percentage, or a neighbouring group "
            "in the same table). '< {k}' means a withheld count, '0' a true zero, 'unknown' a figure "
            "that is not known. To protect a small count, other cells are withheld too; they are chosen "
            "to withhold as little as possible: cells the report is not about before flagged groups, "
            "no cell of more than {limit} clients while a smaller one would do, the fewest clients, "
            "and any cell that turns out not to be needed is shown again."
        ),
        k=shown("K"),
        limit=shown_complementary_limit(),
    ),
    SECTION,
)
