"""Legend entries for the work coach dashboard's figures."""

from django.utils.translation import gettext_lazy as _

from caseload.legend import define

define(
    "active_clients",
    _("Active clients"),
    _("Clients on the caseload with status 'active' today."),
    "overview",
)
define(
    "exited_to_work",
    _("Exited to work this quarter"),
    _(
        "Clients who exited with exit reason 'work' and an exit date in the current calendar quarter, "
        "up to today."
    ),
    "overview",
)
define(
    "exited_otherwise",
    _("Exited otherwise this quarter"),
    _(
        "Clients who exited in the current calendar quarter for any reason other than work: education, "
        "moved away, other, or no registered exit reason."
    ),
    "overview",
)
define(
    "no_cv",
    _("No CV"),
    _(
        "Active clients registered as having no CV on file. Clients for whom this is not registered "
        "are counted separately (CV not registered), never as 'no CV'."
    ),
    "monitoring",
)
define(
    "cv_not_registered",
    _("CV not registered"),
    _("Active clients for whom the registration system does not say whether a CV is on file."),
    "monitoring",
)
define(
    "not_registered",
    _("Not registered"),
    _(
        "Active clients for whom this field is empty in the registration system. Shown separately, "
        "never counted as 'no' or as any value."
    ),
    "characteristic",
)
define(
    "characteristics",
    _("Characteristics of the caseload"),
    _(
        "Counts of active clients by each registered characteristic. The counts of one characteristic "
        "add up to the active clients, including 'not registered'."
    ),
    "characteristic",
)
define(
    "todo",
    _("To do"),
    _(
        "Active clients who need attention, most urgent first. Urgency adds up: not seen recently (5), "
        "contact overdue (4), plan review overdue (3), no active action plan (2), quiet client (1), "
        "no CV (1). Ties: earliest contact due date first. The reasons are shown for each client."
    ),
    "monitoring",
)
