"""The page header's menu: the pages the signed-in user may open (caseload.access)."""

from . import access


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"navigation": []}
    return {"navigation": access.menu(user, request.path)}
