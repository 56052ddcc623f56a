"""Settings of the gunicorn the load test runs: production settings (DJANGO_DEBUG=false, the same
middleware, sessions, password hasher and database options), served over plain HTTP on
127.0.0.1, which production never is. So only what HTTPS needs is switched off: the redirect,
HSTS and the Secure flag on cookies (Locust would not send them back over HTTP). Static files are
not requested by the load test, so no collected manifest is needed."""

from config.settings import *  # noqa: F403
from config.settings import STORAGES

SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
