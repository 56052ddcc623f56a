"""Navigation shown in the page header, by role. Apps add their entries in NAVIGATION."""

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from .models import Role

ALL_ROLES = {Role.WORK_COACH, Role.QUALITY_OFFICER, Role.TEAM_MANAGER}

# (url name, label, roles that see it; superusers see everything)
NAVIGATION = [
    ("home", _("Home"), ALL_ROLES),
    ("caseload:client_list", _("Clients"), ALL_ROLES),
    ("coach_dashboard", _("My caseload"), {Role.WORK_COACH}),
    ("vacancies", _("Vacancies"), {Role.WORK_COACH, Role.TEAM_MANAGER}),
    (
        "quality_dashboard",
        _("Data quality"),
        {Role.QUALITY_OFFICER, Role.TEAM_MANAGER, Role.WORK_COACH},
    ),
    ("team_dashboard", _("Team"), {Role.TEAM_MANAGER}),
    ("visibility_report", _("Visibility"), {Role.TEAM_MANAGER, Role.QUALITY_OFFICER}),
    ("caseload:legend", _("Legend"), ALL_ROLES),
]


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"navigation": []}
    items = []
    for url_name, label, roles in NAVIGATION:
        if not (user.is_superuser or user.role in roles):
            continue
        try:
            url = reverse(url_name)
        except NoReverseMatch:
            continue  # that part of the app is not installed (yet)
        items.append({"url": url, "label": label, "active": request.path == url})
    return {"navigation": items}
