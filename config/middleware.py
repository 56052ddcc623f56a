import time

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.urls import reverse

from caseload.security import LOGIN_AT_SESSION_KEY
from caseload.views import health


class LoginRequiredEverywhereMiddleware(LoginRequiredMiddleware):
    """Django's LoginRequiredMiddleware, leaving the API to DRF (which answers 401/403, not a redirect).

    Views opt out with @login_not_required (login page, health check, static files).
    """

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.path_info.startswith("/api/"):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)


class SessionLimitsMiddleware:
    """Ends a session 12 hours after login, however active (SESSION_ABSOLUTE_MAX_AGE).

    The idle limit is Django's own: SESSION_COOKIE_AGE with SESSION_SAVE_EVERY_REQUEST. The login
    time is stored in the session by caseload.security at user_logged_in.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            login_at = request.session.get(LOGIN_AT_SESSION_KEY)
            if login_at is None or time.time() - login_at > settings.SESSION_ABSOLUTE_MAX_AGE:
                logout(request)
        return self.get_response(request)


class NoStoreMiddleware:
    """`Cache-Control: no-store` on every response to a signed-in user: they all may carry client
    data, and a shared office computer must not keep them in its cache."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated or request.path_info.startswith("/api/"):
            response["Cache-Control"] = "no-store"
            response["Pragma"] = "no-cache"
        return response


def health_check_middleware(get_response):
    """First in MIDDLEWARE: answers /health/ before the host check (CommonMiddleware) and the HTTPS
    redirect (SecurityMiddleware). The compose probe asks http://127.0.0.1:8000/health/ from inside
    the container: neither an allowed host nor HTTPS, whatever DJANGO_ALLOWED_HOSTS says. The answer
    is a fixed "ok" built from nothing in the request, so skipping both is safe."""
    path = reverse("health")

    def middleware(request):
        if request.path_info == path:
            return health(request)
        return get_response(request)

    return middleware
