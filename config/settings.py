"""Settings, driven by the environment, grouped by concern.

Without any environment this is the local demo set-up: DEBUG, SQLite, Celery tasks run eagerly
in-process. Production sets DJANGO_DEBUG=false, DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS,
DATABASE_URL (PostgreSQL) and REDIS_URL; README lists every variable read here.

The domain's thresholds (what "not seen", "quiet", a flagged group ... mean) are declared once, in
the last section, and read by code, labels, legend and templates alike.
"""

import os
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def crontab_from_env(name: str, default: str) -> crontab:
    """A five-field cron expression (minute hour day-of-month month day-of-week) from the environment."""
    fields = os.environ.get(name, default).split()
    if len(fields) != 5:
        raise ImproperlyConfigured(f"{name} must have five cron fields, e.g. '0 7 * * 1'")
    minute, hour, day_of_month, month_of_year, day_of_week = fields
    return crontab(
        minute=minute,
        hour=hour,
        day_of_month=day_of_month,
        month_of_year=month_of_year,
        day_of_week=day_of_week,
    )


# --- the application -----------------------------------------------------------------------------
DEBUG = env_bool("DJANGO_DEBUG", True)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is false.")
    # Local demo only: a fixed, obviously insecure key so sessions survive restarts.
    SECRET_KEY = "insecure-local-demo-key-do-not-use-in-production-0123456789abcdef"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    # ours: the base app first; the feature apps build on it
    "caseload",
    "quality",
    "dashboards",
    # security: lockout, change history, content security policy
    "axes",
    "simple_history",
    "csp",
]

# Order matters: /health/ answers before the host check and the HTTPS redirect (the compose
# healthcheck probes http://127.0.0.1:8000/health/; config.middleware says why that is safe);
# history needs request.user; the session guard runs after authentication; axes must be last (it
# turns a lockout into the lockout response).
MIDDLEWARE = [
    "config.middleware.health_check_middleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "config.middleware.LoginRequiredEverywhereMiddleware",
    "config.middleware.SessionLimitsMiddleware",
    "config.middleware.NoStoreMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "caseload.context_processors.navigation",
                "caseload.context_processors.freshness",
            ],
        },
    },
]

# --- database ------------------------------------------------------------------------------------
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # JIT off for every query: at national size the planner's cost estimates of the dashboards'
    # grouped counts pass jit_above_cost, and compiling took longer than running (~200 ms of the team
    # dashboard's ~350 ms of SQL at 500k clients; 2.4 s of 3.9 s for the visibility report's counts).
    # Our queries are many short ones; none gains from JIT.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Read replica and connection pooling (config/replica.py; README "Performance and scaling").
# DATABASE_REPLICA_URL: a streaming replica of DATABASE_URL. Read-only requests read from it, every
# write and the reads of a browser that just wrote go to the primary. Unset: no router, no alias.
DATABASE_REPLICA_MAX_LAG = float(os.environ.get("DATABASE_REPLICA_MAX_LAG", "5"))  # seconds
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["DATABASE_REPLICA_URL"],
        conn_max_age=DATABASES["default"]["CONN_MAX_AGE"],
        conn_health_checks=True,
    )
    if DATABASES["replica"]["ENGINE"] != DATABASES["default"]["ENGINE"]:
        raise ImproperlyConfigured("DATABASE_REPLICA_URL must name the same kind of database.")
    DATABASES["replica"]["OPTIONS"] = dict(DATABASES["default"].get("OPTIONS", {}))
    if DATABASES["replica"]["ENGINE"] == "django.db.backends.postgresql":
        DATABASES["replica"]["OPTIONS"]["connect_timeout"] = 2  # a dead replica: primary in 2 s
    # Tests create their database on the primary; it reaches the replica by streaming.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["config.replica.PrimaryReplicaRouter"]
    MIDDLEWARE.insert(
        MIDDLEWARE.index("config.middleware.health_check_middleware") + 1,
        "config.replica.ReplicaReadsMiddleware",
    )
# DATABASE_TRANSACTION_POOLING=true behind PgBouncer in transaction mode: consecutive transactions
# may run on different server connections, so no server-side cursors (QuerySet.iterator() would
# lose its cursor between fetches) and no startup options (PgBouncer refuses them: set jit = off
# for the role or server instead). Django's own pool ("pool" option) needs DJANGO_CONN_MAX_AGE=0.
if env_bool("DATABASE_TRANSACTION_POOLING", False):
    for _database in DATABASES.values():
        if _database["ENGINE"] == "django.db.backends.postgresql":
            _database["DISABLE_SERVER_SIDE_CURSORS"] = True
            _database.get("OPTIONS", {}).pop("options", None)

# --- sign-in, sessions and security --------------------------------------------------------------
AUTH_USER_MODEL = "caseload.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# AxesBackend refuses locked-out logins, then ModelBackend checks the password. AxesBackend is also a
# ModelBackend, so force_login (which picks the first backend) keeps working.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("DJANGO_AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.5  # hours
# Per username AND address: one office shares one public IP, so never lock out by IP alone.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = (
    True  # every failure kept (AccessFailureLog); successes in AccessLog
)
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = (
    False  # logins are logged by us (caseload.security); no start-up banner on every command
)
# The client address: REMOTE_ADDR, unless DJANGO_PROXY_COUNT says how many proxies (load balancer,
# TLS terminator) sit in front; only then is X-Forwarded-For read, from the right, so a client
# cannot dodge the lockout by sending its own X-Forwarded-For.
PROXY_COUNT = int(os.environ.get("DJANGO_PROXY_COUNT", "0"))
AXES_IPWARE_PROXY_COUNT = PROXY_COUNT or None
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"] if PROXY_COUNT else ["REMOTE_ADDR"]
)

# Sessions: 30 minutes idle (the expiry moves on with every request), 12 hours at most after login
# (config.middleware.SessionLimitsMiddleware), ended at once when the account is deactivated.
SESSION_COOKIE_AGE = 30 * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_ABSOLUTE_MAX_AGE = 12 * 60 * 60
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# Content Security Policy: no inline script or style, nothing from elsewhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        # Plotly adds an EMPTY <style> element and fills it through the CSSOM (allowed): the first
        # hash admits exactly the empty element (sha256 of ""). The second is the fixed stylesheet
        # plotly.min.js injects at load (MapLibre's CSS); a Plotly upgrade changes it, and
        # tests/browser/test_csp.py then names the new hash. No other inline style is allowed.
        "style-src": [
            "'self'",
            "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='",
            "'sha256-ji27qzEtxXZW+7dun6UwjHXJ18e6WAin1VvNtkzIE/o='",
        ],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    },
}

# Key for pseudonymous ids in exports (caseload/privacy.py); defaults to SECRET_KEY. Set it
# separately so rotating the secret key does not change every pseudonym.
PSEUDONYM_KEY = os.environ.get("DJANGO_PSEUDONYM_KEY", "")

# --- languages -----------------------------------------------------------------------------------
LANGUAGE_CODE = os.environ.get("DJANGO_LANGUAGE_CODE", "nl")
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Dates in one style per language ("13 mei 2026", "13 May 2026"); numbers by the active locale.
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

# --- static files: served by whitenoise, nothing from elsewhere -----------------------------------
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# Plotly's JS is served from the installed plotly package: no CDN, no copy in the repo.
PLOTLY_JS_DIR = Path(__import__("plotly").__file__).parent / "package_data"
STATICFILES_DIRS = [BASE_DIR / "static", ("plotly", PLOTLY_JS_DIR)]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# --- Celery: a real Redis broker when REDIS_URL is set; otherwise tasks run eagerly in-process ----
REDIS_URL = os.environ.get("REDIS_URL", "")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
# Fail fast when the broker is down, so a page that queues a job answers instead of hanging.
# Measured: with only the connection timeouts, .delay() against a closed port still slept 2 s
# (kombu's default first retry interval) before failing. Retry once, at once, then give up.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": 2,
    "socket_timeout": 5,
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# How long an unacknowledged task (its worker died) waits before Redis hands it to another worker.
# Default one hour; the worker-kill test sets a few seconds.
if os.environ.get("CELERY_VISIBILITY_TIMEOUT"):
    _visibility_timeout = int(os.environ["CELERY_VISIBILITY_TIMEOUT"])
    CELERY_BROKER_TRANSPORT_OPTIONS.update(
        {
            "visibility_timeout": _visibility_timeout,
            "unacked_restore_interval": max(1, _visibility_timeout // 5),
            "unacked_restore_throttle": 1,
        }
    )
# The schedule. Exactly one beat process runs it (docker-compose.yml).
CELERY_BEAT_SCHEDULE = {
    # Weekly team snapshots for the team manager's trends (dashboards/tasks.py), before the list.
    "team-weekly-snapshots": {
        "task": "dashboards.tasks.take_team_snapshots_task",
        "schedule": crontab_from_env("TEAM_SNAPSHOT_CRON", "30 6 * * 1"),
    },
    # The weekly incomplete-data list and its digests (quality/tasks.py).
    "weekly-incomplete-data-list": {
        "task": "quality.build_weekly_list",
        "schedule": crontab_from_env("WEEKLY_LIST_CRON", "0 7 * * 1"),
    },
    # The visibility report's week, stored per team for its trend (quality/tasks.py).
    "visibility-report-week": {
        "task": "quality.record_visibility_weeks",
        "schedule": crontab_from_env("VISIBILITY_WEEK_CRON", "30 7 * * 1"),
    },
    # GDPR retention: erase exited clients past the retention period (caseload/tasks.py).
    "apply-retention": {
        "task": "caseload.tasks.apply_retention_task",
        "schedule": 24 * 60 * 60,
    },
}

# --- API -----------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    # Token first: a request without credentials is then a 401 with `WWW-Authenticate: Token`.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "caseload.api.pagination.StandardPagination",
    "PAGE_SIZE": 50,
    # Query parameters as checked (caseload.api.strict) and the 400/401/403/404 of every operation.
    "DEFAULT_SCHEMA_CLASS": "caseload.api.schema.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Caseload dashboard API",
    "DESCRIPTION": "Read API over the caseload, scoped to the signed-in user.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "ENUM_NAME_OVERRIDES": {
        "EducationLevelEnum": "caseload.models.EducationLevel",
        "LanguageLevelEnum": "caseload.models.LanguageLevel",
    },
}

# --- e-mail (the weekly digests) ------------------------------------------------------------------
# SMTP when DJANGO_EMAIL_HOST is set. Without a host, mail is written to the log (console
# backend), in production too, instead of failing against a host that is not there.
EMAIL_HOST = os.environ.get("DJANGO_EMAIL_HOST", "")
EMAIL_PORT = int(os.environ.get("DJANGO_EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("DJANGO_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_SSL = env_bool("DJANGO_EMAIL_USE_SSL", False)  # implicit TLS, usually port 465
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS", not EMAIL_USE_SSL)  # STARTTLS, usually port 587
EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend",
)
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "caseload@localhost")
# The address the app is reached at, for links in mails (the digests).
SITE_URL = os.environ.get("DJANGO_SITE_URL", "http://127.0.0.1:8000")

# --- logging -------------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    # axes logs every reset at INFO; failures and lockouts (WARNING) are what matter.
    "loggers": {"axes": {"level": "WARNING"}},
}

# --- the domain's thresholds: each declared once, named in the legend ----------------------------
# Caseload figures (caseload/thresholds.py reads them). Caseload norm and maximum are per team
# (Team.caseload_norm / caseload_max, default 80 / 120).
CASELOAD = {
    # "Not seen recently": no contact for more days than this.
    "NOT_SEEN_DAYS": int(os.environ.get("CASELOAD_NOT_SEEN_DAYS", "90")),
    # "Quiet client": no contact initiated by the client for more days than this.
    "QUIET_DAYS": int(os.environ.get("CASELOAD_QUIET_DAYS", "90")),
    # Every page warns that its data may be out of date when the last successful import finished
    # more than this many days ago (caseload/freshness.py).
    "IMPORT_STALE_DAYS": int(os.environ.get("CASELOAD_IMPORT_STALE_DAYS", "2")),
}

# Capacity model of the team dashboard (dashboards/team/capacity.py). A coach's week needed =
# contacts (minutes per contact by usual channel, incl. preparation and reporting, divided by the
# agreed frequency) + administration around each active client (registration, plans and their
# reviews, reports, mail with partners: the invisible work). Available = FTE x contract hours x the
# share of those hours for casework. Where the defaults come from:
# - HOURS_PER_FTE 36: the full-time week of the municipal collective agreement (CAO Gemeenten).
# - CASEWORK_SHARE 0.75: an assumption: a quarter of contract hours goes to team meetings,
#   training, supervision and travel. Set it from the team's own time registration.
# - ADMIN_MINUTES_PER_CLIENT 9 (default of Team.admin_minutes_per_client; each team sets its own):
#   calibrated on the standard norm of 80 clients per full-time coach (Team.caseload_norm), the
#   caseload thought doable: 36 h x 0.75 x 60 / 80 = 20.25 min per client per week, minus the
#   reference contact (DEFAULT_MINUTES every REFERENCE_FREQUENCY_WEEKS: 45 / 4 = 11.25) = 9. So a
#   full-time coach at the norm with the reference caseload needs 100% of the time available
#   (tests/dashboards/team/test_capacity.py fixes it). A team with a lower norm (specialised
#   teams) needs more minutes per client: capacity.calibrated_admin_minutes(norm) computes them.
TEAM_CAPACITY = {
    "MINUTES_PER_CONTACT": {
        "face_to_face": 45,
        "home_visit": 90,
        "video": 30,
        "phone": 20,
        "email": 10,
    },
    "DEFAULT_MINUTES": 45,
    "REFERENCE_FREQUENCY_WEEKS": 4,
    "HOURS_PER_FTE": os.environ.get("TEAM_CAPACITY_HOURS_PER_FTE", "36"),
    "CASEWORK_SHARE": os.environ.get("TEAM_CAPACITY_CASEWORK_SHARE", "0.75"),
    "ADMIN_MINUTES_PER_CLIENT": int(os.environ.get("TEAM_CAPACITY_ADMIN_MINUTES_PER_CLIENT", "9")),
    "CHANNEL_LOOKBACK_DAYS": 182,
}

# Visibility report (quality/visibility/): who is served less, with disclosure control.
VISIBILITY_REPORT = {
    # No count between 1 and K - 1 is shown or can be worked out.
    "K": 10,
    # A group is flagged when its ratio to the rest is below FLAG_RATIO (the four-fifths rule) and
    # its q (Benjamini-Hochberg) below FLAG_Q; "not registered more often" at MISSING_RATIO times.
    "FLAG_RATIO": 0.8,
    "FLAG_Q": 0.05,
    "MISSING_RATIO": 2.0,
    # Referrals, enrolments and contacts are counted over this many days back.
    "PERIOD_DAYS": 365,
    # Disclosure control hides no cell larger than COMPLEMENTARY_LIMIT x K to protect a small one
    # while a cell at most that large would protect it as well.
    "COMPLEMENTARY_LIMIT": 5,
    # The trend of a flagged group: this many weekly reports back (quality.visibility.trend).
    "TREND_WEEKS": 12,
    # The characteristics combined (None: all of quality.visibility.engine.DEFAULT_CHARACTERISTICS).
    "CHARACTERISTICS": None,
}

# The weekly incomplete-data list (quality/weekly/): clients per page (a reader may choose up to
# MAX_PAGE_SIZE) and the most blocking clients a coach's digest lists.
WEEKLY_LIST = {
    "PAGE_SIZE": 50,
    "MAX_PAGE_SIZE": 200,
    "DIGEST_CLIENTS": int(os.environ.get("WEEKLY_LIST_DIGEST_CLIENTS", "10")),
}

# GDPR: exited clients are erased this many days after their exit date (`apply_retention`).
RETENTION_DAYS_AFTER_EXIT = int(os.environ.get("CASELOAD_RETENTION_DAYS_AFTER_EXIT", str(7 * 365)))
