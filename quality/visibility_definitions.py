"""Legend entries of the visibility report (section "visibility")."""

from django.utils.translation import gettext_lazy as _

from caseload.legend import define

SECTION = "visibility"

define(
    "visibility_group",
    _("Group"),
    _(
        "Active clients sharing up to three characteristics (gender, household, age band, education level, "
        "language level, physical limitations, mental health issues, participation step, team kind). "
        "'Not registered' is a value of its own. A household of 'single parent with a child under 12' is a "
        "single parent whose youngest child was born less than 12 years ago."
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
    _("Seen in the last 90 days"),
    _(
        "Share of the group's clients who are not 'not seen recently' (see Monitoring): a contact in the last "
        "N days (default 90), or on the caseload for less than N days."
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
    _(
        "Share of the group's clients with at least one vacancy referral dated in the last 365 days."
    ),
    SECTION,
)
define(
    "visibility_workshop",
    _("Workshop enrolment"),
    _(
        "Share of the group's clients with at least one workshop enrolment dated in the last 365 days."
    ),
    SECTION,
)
define(
    "visibility_contact_rate",
    _("Contacts per client-month"),
    _(
        "Contacts in the last 365 days divided by the months the group's clients were on the caseload in that "
        "period (from the intake date; the whole period when the intake date is not registered). New clients "
        "thus count only for the time they have been here and are not counted as under-served."
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
    _(
        "A group is flagged for a measure when its ratio is below 0.8 (the four-fifths rule) and q is below "
        "0.05: the gap is both large and unlikely to be chance."
    ),
    SECTION,
)
define(
    "visibility_missing",
    _("Not registered more often"),
    _(
        "Groups in which a characteristic is 'not registered' at least twice as often as in the rest of the "
        "caseload (q < 0.05): the group is less visible in the data itself."
    ),
    SECTION,
)
define(
    "visibility_disclosure",
    _("Withheld figures"),
    _(
        "No count between 1 and k − 1 (k = 10 by default) is shown or exported, nor any figure from which "
        "one could be worked out (the rest of the caseload, a percentage, or a neighbouring group in the "
        "same table). '< 10' means a withheld count, '0' a true zero, 'unknown' a figure that is not known."
    ),
    SECTION,
)
