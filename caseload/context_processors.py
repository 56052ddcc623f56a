"""For every page: the header's menu (the pages the signed-in user may open, caseload.access) and
how fresh the data is (caseload.freshness; read only when the page shows it)."""

from django.utils.functional import SimpleLazyObject

from . import access
from . import freshness as data_freshness


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"navigation": []}
    return {"navigation": access.menu(user, request.path)}


def freshness(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"freshness": SimpleLazyObject(data_freshness.current)}
