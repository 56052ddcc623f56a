"""Legend entries for the registered client fields and the caseload figures."""

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from .legend import define, define_section
from .thresholds import import_stale_days_lazy, not_seen_days_lazy, quiet_days_lazy

# Sections of the base app; feature apps add theirs (positions leave room between).
define_section("field", _("Registered fields"), 10)
define_section("overview", _("Overview figures"), 20)
define_section("characteristic", _("Characteristics"), 30)
define_section("monitoring", _("Monitoring"), 40)
define_section("quality", _("Data quality"), 50)
define_section("matching", _("Vacancy matching"), 70)

UNKNOWN = _("Empty in the registration system is shown as 'not registered', never as 'no'.")

# --- registered fields -------------------------------------------------------------------------
define(
    "client_number", _("Client number"), _("The client's key in the registration system."), "field"
)
define(
    "coach", _("Work coach"), _("The work coach who holds the case. Empty: unassigned."), "field"
)
define(
    "date_of_birth",
    _("Date of birth"),
    _("As registered. Used for age and age band only."),
    "field",
)
define(
    "age_band",
    _("Age band"),
    _(
        "Age in whole years today, grouped: under 27, 27–34, 35–44, 45–54, 55 and over. "
        "Not registered when the date of birth is empty. Never used to rank or filter in matching."
    ),
    "field",
)
define("gender", _("Gender"), _("F, M or X as registered; empty is 'not registered'."), "field")
define(
    "marital_status",
    _("Marital status"),
    _("Single, married, registered partnership, divorced or widowed."),
    "field",
)
define(
    "household",
    _("Household"),
    _("Single, single parent, couple, couple with children, or other, as registered."),
    "field",
)
define(
    "children_count",
    _("Number of children"),
    _("Children in the household as registered (0 is a registered zero)."),
    "field",
)
define(
    "single_parent_young_child",
    _("Single parent with a child under 12"),
    _(
        "Household is 'single parent' and the youngest child's date of birth lies less than 12 years "
        "before today. Not known when the youngest child's date of birth is not registered."
    ),
    "field",
)
define(
    "education_level",
    _("Education level"),
    _("Highest completed level, ISCED 2011 (0–8)."),
    "field",
)
define(
    "language_level",
    _("Language level"),
    _("CEFR level in the local language, A0 (none) to C2."),
    "field",
)
define(
    "driving_licence",
    _("Driving licence"),
    _("Whether the client holds a driving licence (yes / no / not registered)."),
    "field",
)
define(
    "physical_limitations",
    _("Physical limitations"),
    _("Registered physical limitations relevant to work."),
    "field",
)
define(
    "mental_health_issues",
    _("Mental health issues"),
    _("Registered mental health issues relevant to work."),
    "field",
)
define("cv_on_file", _("CV on file"), _("Whether a current CV is on file."), "field")
define("work_experience", _("Work experience"), _("Occupations the client has worked in."), "field")
define("skills", _("Skills"), _("Skills as registered."), "field")
define(
    "preferred_sectors",
    _("Preferred sectors"),
    _("Sectors the client would like to work in."),
    "field",
)
define(
    "participation_step",
    _("Participation step"),
    _(
        "Step on the participation ladder: 1 isolated, 2 social contacts, 3 organised activities, "
        "4 unpaid work, 5 paid work with support, 6 paid work."
    ),
    "field",
)
define(
    "service_track",
    _("Service track"),
    _("Free code of the service track from the registration system."),
    "field",
)
define(
    "contact_frequency_weeks",
    _("Agreed contact frequency"),
    _("Agreed interval between contacts, in weeks."),
    "field",
)
define("intake_date", _("Intake date"), _("Date the client came onto the caseload."), "field")
define("status", _("Status"), _("Active on the caseload, or exited."), "field")
define(
    "exit_reason",
    _("Exit reason"),
    _("Why an exited client left: work, education, moved, other."),
    "field",
)

# --- derived monitoring figures ----------------------------------------------------------------
define(
    "last_contact_date",
    _("Last contact"),
    _(
        "Date of the most recent registered contact of any channel, by anyone. Empty: never contacted."
    ),
    "monitoring",
)
define(
    "last_contact",
    _("Last contact"),
    _(
        "Active clients by the date of their most recent registered contact: within 4 weeks (0–28 days "
        "ago), 1 to 3 months ago (29–90 days), more than 3 months ago (over 90 days), or never contacted "
        "(no contact registered at all)."
    ),
    "monitoring",
)
define(
    "days_since_last_contact",
    _("Days since last contact"),
    _(
        "Whole days from the last contact to today. Empty when the client was never contacted "
        "(that is not zero days)."
    ),
    "monitoring",
)
define(
    "contact_due_date",
    _("Contact due"),
    _(
        "Last contact (or the intake date, if never contacted) plus the agreed contact frequency. "
        "Not known when the agreed frequency is not registered."
    ),
    "monitoring",
)
define(
    "contact_overdue",
    _("Contact overdue"),
    _(
        "Active clients whose contact due date lies before today. Clients without an agreed frequency "
        "are not counted here (see data quality)."
    ),
    "monitoring",
)
define(
    "not_seen",
    _("Not seen recently"),
    format_lazy(
        _(
            "Active clients with no registered contact in the last N days (N is {days} unless chosen "
            "on the page): the last contact lies before the cutoff, or there has never been a contact "
            "and the client has been on the caseload longer than N days (or the intake date is not "
            "registered)."
        ),
        days=not_seen_days_lazy(),
    ),
    "monitoring",
)
define(
    "no_active_plan",
    _("No active action plan"),
    _("Active clients without an action plan whose status is 'active' (drafts do not count)."),
    "monitoring",
)
define(
    "plan_review_overdue",
    _("Plan review overdue"),
    _("Active clients with an active action plan whose review date lies before today."),
    "monitoring",
)
define(
    "quiet",
    _("Quiet client"),
    format_lazy(
        _(
            "Active clients who have not initiated any contact themselves in the last N days (N is "
            "{days} unless chosen on the page). Quiet clients are easily forgotten."
        ),
        days=quiet_days_lazy(),
    ),
    "monitoring",
)

# --- overview figures used as client filters ---------------------------------------------------
define(
    "new_this_month",
    _("New this month"),
    _(
        "Clients whose intake date lies in the current calendar month, up to today (any status). "
        "Clients without a registered intake date are never counted here."
    ),
    "overview",
)
define(
    "exited_in",
    _("Exited in period"),
    _(
        "Exited clients whose exit date lies in the current calendar month, quarter or year, up to "
        "today. Clients with status 'exited' but no registered exit date are not counted."
    ),
    "overview",
)

# --- figures the team manager dashboard counts per coach ------------------------------------------
define(
    "contact_due_this_week",
    _("Contact due this week"),
    _(
        "Active clients whose contact due date lies from today up to 6 days ahead (overdue ones are "
        "counted under 'contact overdue'). Clients without an agreed frequency are not counted."
    ),
    "monitoring",
)
define(
    "seen_within_frequency",
    _("Seen within agreed frequency"),
    _(
        "Active clients with an agreed contact frequency whose last registered contact lies no more "
        "than that frequency before today. Never contacted counts as not seen."
    ),
    "monitoring",
)
define(
    "no_contact_frequency",
    _("No agreed contact frequency"),
    _(
        "Active clients for whom no contact frequency is registered: they cannot be overdue and are "
        "left out of the capacity model, so they are counted and shown separately."
    ),
    "monitoring",
)
define(
    "missing_key_fields",
    _("Key fields not registered"),
    _(
        "Active clients with at least one key field not registered: date of birth, education level, "
        "language level, participation step, agreed contact frequency, intake date, driving licence, "
        "CV on file."
    ),
    "quality",
)
define(
    "health_flag",
    _("Health limitations registered"),
    _(
        "Active clients with physical limitations or mental health issues registered as 'yes'. "
        "Not registered is not counted as yes."
    ),
    "characteristic",
)
define(
    "data_as_of",
    _("Data as of"),
    format_lazy(
        _(
            "Every page, list and export says when the last successful import of the registration "
            "export finished (the data it shows) and when its figures were computed (live pages: "
            "at the request; a stored list: when it was built). When that import finished more "
            "than {days} days ago, every page warns that its figures may be out of date. Exports "
            "carry the import's time in their file name and in the X-Data-As-Of header."
        ),
        days=import_stale_days_lazy(),
    ),
    "overview",
)
