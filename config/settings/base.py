"""Settings shared by every environment. Everything environment-specific comes from the environment."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

COUNCIL_NAME = os.environ.get("COUNCIL_NAME", "Oxfordshire County Council (demo)")
SERVICE_NAME = "Family keywork"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "csp",
    "simple_history",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "pgtrigger",
    "pghistory",
    "config",
    "core",
    "families",
    "outcomes",
    "casework",
    "claims",
    "referrals",
    "reports",
    "privacy",
]

MIDDLEWARE = [
    "config.request_checks.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Refuses a NUL or control character in the path, query string or form/JSON body (400).
    "config.request_checks.BadInputMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Names the signed-in user and the page in the database history triggers (core/history.py).
    "pghistory.middleware.HistoryMiddleware",
    "config.middleware.SessionLimitsMiddleware",
    "config.middleware.LoginRequiredMiddleware",
    "config.access_log.AccessLogMiddleware",
    # Static files are answered by WhiteNoise above and keep their long caching.
    "config.request_checks.NoStoreMiddleware",
    # Last: turns a sign-in refused for too many failures into the lockout page.
    "axes.middleware.AxesMiddleware",
]

# Content-Security-Policy (django-csp 4): everything from this origin, nothing inline.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
# The same protections the production settings force, on in every environment.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

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
                "config.context_processors.service",
                "core.context_processors.session_timeout",
            ],
        },
    },
]

# DATABASE_URL: the application's role (the web app, worker and beat). MIGRATION_DATABASE_URL:
# the owner of the tables, which `migrate` and `setup_database_roles` connect as; without it
# the application's role migrates too (docs/operations.md).
if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": dj_database_url.parse(os.environ["DATABASE_URL"], conn_max_age=60)}
else:
    from config.embedded import embedded_database

    DATABASES = {"default": embedded_database(BASE_DIR)}
MIGRATION_DATABASE = (
    dj_database_url.parse(os.environ["MIGRATION_DATABASE_URL"])
    if os.environ.get("MIGRATION_DATABASE_URL")
    else None
)
# The history middleware names the user on requests that may change records (not on reads).
PGHISTORY_MIDDLEWARE_METHODS = ("POST", "PUT", "PATCH", "DELETE")
# Tables the application's role may only read and add to, besides every row history table,
# and the logs the audit chain covers besides the row history (a label whose model is not
# installed is passed over).
APPEND_ONLY_MODELS = ["families.AccessLog", "families.AuditChainLink", "families.SecurityEvent"]
AUDIT_CHAIN_MODELS = ["families.AccessLog", "families.SecurityEvent"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "families.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Axes first: it refuses a sign-in for a username and address locked out (docs/security.md).
AUTHENTICATION_BACKENDS = [
    "families.backends.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Signing in (docs/security.md): a second factor (an authenticator app's code, or a recovery
# code) after the password, for every role. Production forces it on; see dev.py for the demo.
TWO_FACTOR_REQUIRED = env_bool("TWO_FACTOR_REQUIRED", True)
# A dotted path to a function(user) -> bool naming users who may skip the second step (the
# embedded demo's users only; production.py sets it to None whatever the environment says).
TWO_FACTOR_SKIP_CALLABLE = None
OTP_TOTP_ISSUER = "Family keywork"
# Administrators reset a lost authenticator by deleting it; they never see its secret.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
RECOVERY_CODE_COUNT = 10
# Five failed sign-ins for one username from one address lock that pair out for 15 minutes,
# on the sign-in page, the admin's and the API's token endpoint alike.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "families.views_signin.locked_out"
AXES_VERBOSE = False
# API tokens last this many days from issue (an expired token gets 401; ask for a new one).
API_TOKEN_LIFETIME = timedelta(days=int(os.environ.get("API_TOKEN_LIFETIME_DAYS", "30")))

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
DATE_FORMAT = "j F Y"
SHORT_DATE_FORMAT = "j M Y"

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Uploaded files (case note attachments): outside the web root and never served by URL; only
# families.views_team.note_file serves them, to people who may see the family.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
CASE_FILE_MAX_BYTES = int(os.environ.get("CASE_FILE_MAX_BYTES", str(10 * 1024 * 1024)))
# A case note takes a few files; a request bigger than this is refused (413) before it is read.
DATA_UPLOAD_MAX_NUMBER_FILES = 10
REQUEST_MAX_BYTES = int(
    os.environ.get("REQUEST_MAX_BYTES", str(5 * CASE_FILE_MAX_BYTES + 1024 * 1024))
)

# A session ends after 30 minutes without a page or "stay signed in" (SESSION_IDLE_TIMEOUT)
# and 10 hours after signing in whatever happens (SESSION_COOKIE_AGE): config.middleware.
SESSION_IDLE_TIMEOUT = int(os.environ.get("SESSION_IDLE_TIMEOUT", str(30 * 60)))
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_ABSOLUTE_LIMIT", str(10 * 60 * 60)))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# Pages warn this many seconds before the session ends, offering to stay signed in.
SESSION_TIMEOUT_WARNING = int(os.environ.get("SESSION_TIMEOUT_WARNING", str(2 * 60)))

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "config.authentication.VerifiedSessionAuthentication",
        "config.authentication.ExpiringTokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "config.api.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Family keywork API",
    "DESCRIPTION": "Family records, outcomes evaluations and claims, scoped to the signed-in user's role.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # The schema and its documentation pages are for signed-in users (session or token).
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    # Swagger UI from this server's static files, never a CDN (the CSP allows 'self' only).
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {"FamilyStatusEnum": "families.models.Family.Status"},
}

# Celery: Redis when REDIS_URL is set; otherwise tasks run in-process (the embedded default).
REDIS_URL = os.environ.get("REDIS_URL", "")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
# A chunk whose worker died is delivered again after this many seconds (late acknowledgement).
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": int(os.environ.get("CELERY_VISIBILITY_TIMEOUT", "3600"))
}
CELERY_RESULT_EXPIRES = 7 * 24 * 3600

# The nightly eligibility check (outcomes/services/eligibility.py).
ELIGIBILITY_CHUNK_SIZE = int(os.environ.get("ELIGIBILITY_CHUNK_SIZE", "500"))
ELIGIBILITY_LOCK_TTL = int(os.environ.get("ELIGIBILITY_LOCK_TTL", str(15 * 60)))
# A run that recorded its start this many seconds ago but never sent its chunks (its worker
# died in between) is taken over by the next run instead of holding the lock.
ELIGIBILITY_START_GRACE = int(os.environ.get("ELIGIBILITY_START_GRACE", str(5 * 60)))
NOTIFY_BY_EMAIL = env_bool("NOTIFY_BY_EMAIL", False)
# What runs when a whole eligibility check finishes, each in its own transaction: how the
# outcomes app hands over to the apps that build on it without importing them.
ELIGIBILITY_RUN_FINISHED = ["claims.services.claim_batch_draft_on_claim_date"]
# Sections other apps add to the family page, in order (families/sections.py).
FAMILY_PAGE_SECTIONS = [
    "families.sections.family_team_section",
    "families.sections.family_notes_section",
    "outcomes.sections.family_outcomes_section",
    "casework.sections.family_plan_section",
    "casework.sections.family_stars_section",
    "privacy.sections.family_privacy_section",
]
# How long each kind of record is kept before `apply_retention` anonymises (or, for the access
# log, deletes) it: docs/security.md, "Retention". Whole years; changing one needs no deploy of
# code, only of settings.
PRIVACY_RETENTION = {
    # A closed case that was attached: this many years after closure...
    "closed_case_years": int(os.environ.get("RETAIN_CLOSED_CASE_YEARS", "7")),
    # ...or until its youngest child member reaches this age, whichever is later (0: no rule).
    "child_until_age": int(os.environ.get("RETAIN_CHILD_UNTIL_AGE", "25")),
    # A family identified but never attached (a referral that did not proceed), after closure.
    "never_attached_years": int(os.environ.get("RETAIN_NEVER_ATTACHED_YEARS", "1")),
    # A partner file's row that never matched anyone, after its file was imported.
    "unmatched_row_years": int(os.environ.get("RETAIN_UNMATCHED_ROW_YEARS", "1")),
    # A claim's audit period, from its batch's payment (or approval, or the claim's creation):
    # the family is kept whole until every claim's period has ended.
    "claim_audit_years": int(os.environ.get("RETAIN_CLAIM_AUDIT_YEARS", "7")),
}
# Rows of the family at a glance, in order (families/glance.py, docs/family-page.md).
FAMILY_GLANCE_ITEMS = [
    "families.glance.family_items",
    "outcomes.glance.problem_items",
    "claims.glance.claim_items",
    "casework.glance.plan_items",
    "families.glance.contact_items",
]
# Panels of a keyworker's or team manager's home page, in order (families/home.py).
HOME_PAGE_PANELS = [
    "families.home.notifications_panel",
    "casework.home.plan_panel",
    "outcomes.home.near_claim_panel",
    "families.home.unallocated_panel",
]

if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "family-keywork@localhost")
# Where the phase banner's feedback link and the accessibility statement send people, and the
# data protection officer the privacy notice names (blank: "through the council's website").
FEEDBACK_EMAIL = os.environ.get("FEEDBACK_EMAIL", DEFAULT_FROM_EMAIL)
DATA_PROTECTION_EMAIL = os.environ.get("DATA_PROTECTION_EMAIL", "")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Query strings carry search terms (names, postcodes): never written to a log.
    "filters": {"no_query_strings": {"()": "config.logging.StripQueryStrings"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["no_query_strings"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # fpdf2 subsets the evidence pack's font through fontTools, which logs every glyph at INFO.
    "loggers": {
        "pgserver": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        # runserver's request lines (`make run`), through the filter above.
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}
