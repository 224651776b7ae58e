"""Settings of cppcc-portal, read from the environment (see README: "Configuration").

With DEBUG unset or false the portal runs in production mode: secure cookies, HSTS, HTTPS redirect,
and a SECRET_KEY that must be given. Without DATABASE_URL / REDIS_URL the embedded PostgreSQL and
Redis under .data/ are started (cppcc_portal.embedded).
"""

import os
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

from cppcc_portal import embedded

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG")
# Demo mode lets `seed_demo` create the documented demo accounts; never set it in production.
DEMO_MODE = env_bool("DEMO_MODE")

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "insecure-development-key-only-for-debug-mode"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# Our apps, in dependency order: core <- members <- workstations <- proposals / consultations /
# brands; notifications and yearbook collect what the apps register.
PROJECT_APPS = [
    "core",
    "members",
    "workstations",
    "proposals",
    "consultations",
    "opinions",
    "brands",
    "notifications",
    "yearbook",
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_celery_beat",
    "simple_history",
    "axes",
    "csp",
    "django_bootstrap5",
    "bootstrap",
    *PROJECT_APPS,
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "cppcc_portal.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "cppcc_portal.middleware.ApiConditionalGetMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes requires: turns lockouts into a response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "cppcc_portal.urls"
WSGI_APPLICATION = "cppcc_portal.wsgi.application"

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
                "notifications.context_processors.unread",
            ],
        },
    },
]

# --- Database and Redis -------------------------------------------------------------------------

DATABASE_URL = os.environ.get("DATABASE_URL") or embedded.database_url()
# Persistent connections suit a fixed pool of processes and threads (gunicorn sync/gthread, Celery):
# one connection each at most. Under `manage.py runserver` (a thread per request) set it to 0.
CONN_MAX_AGE = int(os.environ.get("CONN_MAX_AGE", "60"))
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL, conn_max_age=CONN_MAX_AGE, conn_health_checks=True
    )
}
# PostgreSQL's JIT compiles any plan estimated above jit_above_cost: 100–250 ms spent on a page
# whose query then runs in 30 ms (a change list over a million rows, the figures; measured by
# bench.proposals_scale). Off for our connections unless DATABASE_JIT=on.
DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
    f"-c jit={'on' if os.environ.get('DATABASE_JIT') == 'on' else 'off'}"
)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL") or embedded.redis_url()
CACHES = {"default": {"BACKEND": "core.cache.Cache", "LOCATION": REDIS_URL}}

# --- Identity -----------------------------------------------------------------------------------

AUTH_USER_MODEL = "members.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# Login lockout (django-axes, core.lockout): 5 failures for one username from one address, or 20
# from one address whatever the usernames (a password sprayed across accounts), lock it for 30
# minutes.
AXES_HANDLER = "core.lockout.LoginLockoutHandler"
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_IP_FAILURE_LIMIT = int(os.environ.get("AXES_IP_FAILURE_LIMIT", "20"))
AXES_COOLOFF_TIME = 0.5  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_IPWARE_PROXY_COUNT = int(os.environ.get("PROXY_COUNT", "0")) or None
# API tokens (members.authentication): 10 failed token attempts from one address within 10 minutes
# refuse every token attempt from it with 429 until the oldest failure is 10 minutes old.
API_TOKEN_FAILURE_RATE = os.environ.get("API_TOKEN_FAILURE_RATE", "10/10m")
# API requests allowed per token, per signed-in user (session) and per address without
# credentials (`count/period`, core.throttling): past it 429 with Retry-After; every answer carries
# RateLimit-Limit / RateLimit-Remaining / RateLimit-Reset. Login pages keep their lockout (axes).
API_RATES = {
    "token": os.environ.get("API_RATE_TOKEN", "1200/1m"),
    "user": os.environ.get("API_RATE_USER", "600/1m"),
    "anon": os.environ.get("API_RATE_ANON", "120/1m"),
}

# --- Language and time --------------------------------------------------------------------------

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static files -------------------------------------------------------------------------------

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "cppcc_portal" / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# Uploaded files are never served from MEDIA_URL: views check who may read them, then hand them
# out (core/files.py): "" streams them from Django; "nginx" answers X-Accel-Redirect to
# PROTECTED_MEDIA_URL, an `internal` location aliasing MEDIA_ROOT; "apache" answers X-Sendfile.
PROTECTED_MEDIA_SERVER = os.environ.get("PROTECTED_MEDIA_SERVER", "").strip().lower()
if PROTECTED_MEDIA_SERVER not in ("", "nginx", "apache"):
    raise ImproperlyConfigured('PROTECTED_MEDIA_SERVER must be "", "nginx" or "apache".')
PROTECTED_MEDIA_URL = os.environ.get("PROTECTED_MEDIA_URL", "/protected-media/")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# --- E-mail -------------------------------------------------------------------------------------

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG or DEMO_MODE
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "cppcc-portal@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
ADMINS = [("Administrator", address) for address in env_list("ADMIN_EMAILS")]
# Links in e-mails point here (`make run` sets it to the address it serves).
PORTAL_BASE_URL = os.environ.get(
    "PORTAL_BASE_URL", f"http://localhost:{os.environ.get('PORT', '8000')}"
)

# --- Reminders (notifications/) -----------------------------------------------------------------

REMINDER_BATCH_SIZE = int(os.environ.get("REMINDER_BATCH_SIZE", "2000"))
# A scan issuing at least this many reminders refreshes the statistics of the tables it filled.
REMINDER_ANALYZE_AFTER = int(os.environ.get("REMINDER_ANALYZE_AFTER", "10000"))
REMINDERS = {
    "cosign_after_days": 3,  # a co-sign request unanswered this many days
    "review_after_days": 5,  # a proposal waiting this many days at one review stage
    "handling_working_days_left": (30, 7, 1),  # handling deadline thresholds
    "escalate_after_working_days": 3,  # overdue this long: the proposal office is told too
    "feedback_days_left": 7,  # the proposer's rating window closes within this many days
    "leave_days_before": 3,  # undecided leave requests for meetings this close
    "opinion_unscreened_working_days": 5,  # a piece waiting this long for screening
    "opinion_no_outcome_days": 30,  # a report sent this long ago with no outcome recorded
}

# --- Security -----------------------------------------------------------------------------------

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 8 * 60 * 60
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 60 * 60)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    if env_bool("BEHIND_TLS_PROXY"):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Everything the pages load comes from this server: no CDN, no inline scripts.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    },
}

# History (django-simple-history): reasons can be long (a rejection's grounds).
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

# --- REST API -----------------------------------------------------------------------------------

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "members.authentication.CommitteeTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "core.rest.CursorPagination",
    "DEFAULT_THROTTLE_CLASSES": ["core.throttling.ApiRateThrottle"],
    # Strict: an invalid filter value, ordering or page size answers 400 (core.rest).
    "DEFAULT_FILTER_BACKENDS": [
        "core.rest.UpdatedAfterFilter",
        "core.rest.FilterBackend",
        "rest_framework.filters.SearchFilter",
        "core.rest.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "core.rest.exception_handler",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"]
    + (["rest_framework.renderers.BrowsableAPIRenderer"] if DEBUG else []),
}
SPECTACULAR_SETTINGS = {
    "TITLE": "cppcc-portal API",
    "DESCRIPTION": "REST API of the CPPCC work portal for district offices (区政协办公室), "
    "integrators and every user with a personal token (`Authorization: Token <key>`). Lists "
    "are cursor-paginated and take `updated_after`; deletions are at /api/v1/deletions/; GET "
    "answers carry an ETag (send it as If-None-Match for a 304) and the RateLimit-* headers. "
    "The README's integrator's guide shows a full mirror.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Open in development and demo mode; otherwise a signed-in user or a token (core.rest).
    "SERVE_PERMISSIONS": ["core.rest.SchemaAccess"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": "/api/v1",
    # The Error component and the error responses of every operation.
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "core.rest.error_responses",
    ],
    # Choice sets that share a field name get names of their own in the schema.
    "ENUM_NAME_OVERRIDES": {
        "HandlingUnitKindEnum": "members.models.HandlingUnit.Kind",
        "SeatStatusEnum": "members.models.SeatStatus",
        "StreetKindEnum": "workstations.models.Street.Kind",
        "ActivityKindEnum": "workstations.models.Activity.Kind",
        "MeetingKindEnum": "consultations.models.MeetingKind",
        "MeetingStatusEnum": "consultations.models.Meeting.Status",
        "SuggestionStatusEnum": "consultations.models.Suggestion.Status",
        "ProposalStateEnum": "proposals.models.State",
        "ProposalKindEnum": "proposals.models.Proposal.Kind",
        "AssignmentRoleEnum": "proposals.models.Assignment.Role",
        "PlacementRoleEnum": "workstations.models.Placement.Role",
        "InvitationRoleEnum": "consultations.models.Invitation.Role",
        "TopicStateEnum": "consultations.models.Topic.State",
        "AssignmentStatusEnum": "proposals.models.Assignment.Status",
        "BrandStatusEnum": "brands.models.Brand.Status",
        "TierEnum": "workstations.models.Tier",
        "PieceStateEnum": "opinions.models.PieceState",
        "OpinionReportStateEnum": "opinions.models.ReportState",
        "OutcomeKindEnum": "opinions.models.Outcome.Kind",
    },
}

# --- Brand voting (brands/voting.py) -----------------------------------------------------------

# Who delivers one-time codes: the console in development and demo mode; e-mail by SMTP; phones
# through an SMS gateway class (a subclass of brands.voting.SmsGatewaySender) named here.
BRAND_CODE_SENDERS = {
    "phone": os.environ.get("BRAND_SMS_SENDER", "brands.voting.ConsoleSender"),
    "email": "brands.voting.ConsoleSender" if DEBUG or DEMO_MODE else "brands.voting.EmailSender",
}
# Rates are "count/period" (e.g. "5/10m", "300/h"): fixed windows in Redis.
BRAND_CODE_RATES = {
    "address": os.environ.get("BRAND_CODE_RATE_ADDRESS", "3/10m"),
    "ip": os.environ.get("BRAND_CODE_RATE_IP", "20/h"),
}
BRAND_VOTE_RATES = {
    "burst": os.environ.get("BRAND_VOTE_RATE_BURST", "20/10s"),
    "sustained": os.environ.get("BRAND_VOTE_RATE_SUSTAINED", "300/h"),
}

# --- Celery -------------------------------------------------------------------------------------

CELERY_BROKER_URL = REDIS_URL
CELERY_RESULT_BACKEND = REDIS_URL
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("CELERY_QUEUE", "celery")
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_EXPIRES = 24 * 60 * 60
# An unacknowledged task is redelivered after the visibility timeout; task retries and time limits
# stay well below it so that a retried task is never also redelivered.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": 60 * 60,
    # Redis down: sending a task fails within about 2 s (core.errors.Unavailable, a 503) instead
    # of holding the request; BRPOP waits 1 s, well within the read timeout.
    "socket_connect_timeout": 1,
    "socket_timeout": 3,
}
CELERY_BROKER_CONNECTION_TIMEOUT = 1
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}
# The result store is the same Redis; sending a task subscribes to its result there first.
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = 1
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {
    "retry_policy": {
        "max_retries": 1,
        "interval_start": 0,
        "interval_step": 0.5,
        "interval_max": 0.5,
    },
}
CELERY_TASK_TIME_LIMIT = 30 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 25 * 60
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_INCLUDE = ["cppcc_portal.tasks"]
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BEAT_SCHEDULE = {
    "clear-expired-sessions": {
        "task": "cppcc_portal.tasks.clear_expired_sessions",
        "schedule": crontab(hour=3, minute=17),
    },
    "scan-reminders": {
        "task": "notifications.tasks.scan_reminders",
        "schedule": crontab(hour="7-21", minute=5),
    },
    "yearbook-current-year": {
        "task": "yearbook.tasks.compute_all",
        "schedule": crontab(hour=1, minute=30),
    },
    "yearbook-year-just-ended": {
        "task": "yearbook.tasks.compute_all",
        "schedule": crontab(hour=2, minute=30, day_of_month=1, month_of_year=1),
        "kwargs": {"years_ago": 1},
    },
}

# --- Logging ------------------------------------------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"pgserver": {"level": "WARNING"}, "axes": {"level": "WARNING"}},
}
