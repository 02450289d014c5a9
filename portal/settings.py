"""The portal's one settings module, driven by environment variables.

With DEBUG off (the default) it is production-safe: `manage.py check --deploy` is clean.
`make run` and the tests switch DEBUG on explicitly for the embedded first-run setup.
"""

import os
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG")

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set in the environment when DEBUG is off.")
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production-" + "x" * 20

# Loopback is always allowed so that container health checks can reach the app directly.
ALLOWED_HOSTS = [*env_list("ALLOWED_HOSTS"), "127.0.0.1", "localhost"]
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# Base URL used in e-mails, QR codes and verification links (no request at hand there).
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "simple_history",
    "axes",
    "django_htmx",
    "portal",
    "campaigns",
    "pledges",
    "awards",
    "reports",
    "ninja",
    "api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages gzipped (a 51 KB page weighs 3-4 KB); Django's middleware pads each response with
    # random bytes (Heal The Breach) against BREACH, and CSRF tokens are masked per response.
    # WhiteNoise, above, serves static files already compressed.
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "api.middleware.TokenUseLog",
    # Last, so that it sees the authenticated user and the login outcome.
    "axes.middleware.AxesMiddleware",
    "portal.security.SecurityHeadersMiddleware",
    "portal.security.ReadOnlyMiddleware",
    # After authentication (a refusal page may show who is signed in), before any view.
    "portal.security.TextHygieneMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

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
            ],
        },
    },
]

# Database: DATABASE_URL, or the embedded SQLite file under var/ for a first run.
(BASE_DIR / "var").mkdir(exist_ok=True)
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'var' / 'portal.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and not env_bool(
    "DATABASE_JIT", False
):
    # The web's queries are short: PostgreSQL's JIT compiled the cascade's plan on every request
    # (33–58 ms) for a query that runs in less. DATABASE_JIT=1 turns it back on.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
    # The dossiers' kept counts (awards.NominationTally) are PostgreSQL's alone, where their key
    # needs NULLS NOT DISTINCT; SQLite keeps no counts, so the constraint it cannot make is moot.
    SILENCED_SYSTEM_CHECKS = ["models.W047"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "portal.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# The open API's rate limits (django-ninja's syntax: "<n>/<s|m|h|d>"), per service token or
# signed-in user and per anonymous IP address. Counted in the default cache: configure a shared
# cache (Redis) when several processes serve the API.
API_RATE_LIMITS = {
    "authenticated": os.environ.get("API_RATE_AUTHENTICATED", "600/m"),
    "anonymous": os.environ.get("API_RATE_ANONYMOUS", "60/m"),
}
# Outbound webhooks go to public internet addresses only (api.webhooks.targets); the tests'
# local receiver listens on loopback, which only the tests switch this on for.
WEBHOOK_ALLOW_LOOPBACK = False
# Lockout after repeated failures (django-axes): per user name and address together.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", "0.5"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
# Behind the TLS proxy every request comes from the proxy's address: the client's own is the
# X-Forwarded-For entry the trusted proxies appended (portal.security.client_ip). Set this to
# the number of proxies in front of gunicorn (1 for the usual nginx); 0 trusts no header.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
AXES_CLIENT_IP_CALLABLE = "portal.security.client_ip"

# Public pages: (requests, seconds) per client address (portal.security.rate_limit).
RATE_LIMITS = {
    "verify_lookup": (60, 600),
    "verify_upload": (20, 600),
    "public_comment": (5, 3600),
}

SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(8 * 3600)))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True

LANGUAGE_CODE = "vi"
# Rows a page in every list (portal.paging).
LIST_PAGE_SIZE = 50
LANGUAGES = [("vi", "Tiếng Việt")]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["portal.formats"]
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))
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
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Stored files have no public URL (portal.files). In production the download view hands the
# file to nginx through X-Accel-Redirect under this internal location (docs/operations.md);
# empty: the view streams the bytes itself (development, tests).
PRIVATE_FILES_ACCEL_PREFIX = os.environ.get("PRIVATE_FILES_ACCEL_PREFIX", "")
# Excel imports (portal.excel): refused before parsing past these sizes; history rows capped.
EXCEL_MAX_UNCOMPRESSED_BYTES = int(
    os.environ.get("EXCEL_MAX_UNCOMPRESSED_BYTES", str(50 * 1024 * 1024))
)
EXCEL_MAX_ENTRIES = int(os.environ.get("EXCEL_MAX_ENTRIES", "500"))
HISTORY_IMPORT_MAX_ROWS = int(os.environ.get("HISTORY_IMPORT_MAX_ROWS", "5000"))
# One limit for every uploaded file (portal.uploads); the refusal names it.
UPLOAD_MAX_BYTES = int(os.environ.get("UPLOAD_MAX_BYTES", str(10 * 1024 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024

# E-mail: EMAIL_URL-like pieces from the environment; console in DEBUG, SMTP otherwise.
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(BASE_DIR / "var" / "mail"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Cổng thi đua <thidua@localhost>")

# Official documents: optional PAdES signing with a PKCS#12 (path + passphrase) from the
# environment; signature and seal images (transparent PNG) for the visible appearance;
# the calibration offset (x,y in mm) for printing certificates on pre-printed blanks.
# With DEBUG on and nothing configured, the demo's self-signed certificate (made by load_demo).
DOCUMENT_SIGNING_P12 = os.environ.get(
    "DOCUMENT_SIGNING_P12", str(BASE_DIR / "var" / "demo-signing.p12") if DEBUG else ""
)
DOCUMENT_SIGNING_PASSPHRASE = os.environ.get(
    "DOCUMENT_SIGNING_PASSPHRASE", "demo-thidua" if DEBUG else ""
)
# Papers a leader signs outside the portal are trusted when their certificate chains to one of
# the CA certificates (PEM or DER) in this folder: the government CA's roots and intermediates.
# With DEBUG on and nothing configured, the folder where `demo_outside_signing` puts its
# TEST-ONLY CA (portal/documents/demo_tokens.py).
DOCUMENT_TRUST_ANCHORS_DIR = os.environ.get(
    "DOCUMENT_TRUST_ANCHORS_DIR", str(BASE_DIR / "var" / "demo-ca") if DEBUG else ""
)
DOCUMENT_SIGNATURE_IMAGE = os.environ.get("DOCUMENT_SIGNATURE_IMAGE", "")
DOCUMENT_SEAL_IMAGE = os.environ.get("DOCUMENT_SEAL_IMAGE", "")
DOCUMENT_CERTIFICATE_OFFSET_MM = tuple(
    float(part) for part in os.environ.get("DOCUMENT_CERTIFICATE_OFFSET_MM", "0,0").split(",")
)
DOCUMENT_CERTIFICATE_PREPRINTED = env_bool("DOCUMENT_CERTIFICATE_PREPRINTED")

# Celery: Redis from REDIS_URL; without it, tasks run eagerly in-process (embedded default).
REDIS_URL = os.environ.get("REDIS_URL", "")
CELERY_BROKER_URL = REDIS_URL or "memory://"
# "shared": what every process must see alike (rate-limit counters, the last beat tick, the
# sessions). A Redis that hangs answers a request's call in a second at most.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "shared": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "shared"}
    ),
}
# Sessions are read from Redis with the database behind it, and from the database alone while
# Redis is down (portal/sessions.py). Without Redis, from the database: a cache of each process
# of its own would keep a session another process has logged out.
SESSION_ENGINE = "portal.sessions" if REDIS_URL else "django.contrib.sessions.backends.db"
SESSION_CACHE_ALIAS = "shared"
# /suc-khoe/ reports beat down when none of its tasks started for this long (the most frequent
# runs every 5 minutes).
BEAT_MAX_AGE_SECONDS = int(os.environ.get("BEAT_MAX_AGE_SECONDS", "900"))
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL or env_bool("CELERY_TASK_ALWAYS_EAGER")
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
# Fail fast when Redis is unreachable instead of hanging a web request: one quick publish retry,
# and no result backend round trip (task state lives in the database, so results are ignored;
# a Redis result backend would otherwise retry for ~20 s before giving up).
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 2, "max_retries": 1}
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}
CELERY_TASK_IGNORE_RESULT = True
# Several portals (or a test run beside a demo) may share one Redis: a queue name keeps them apart.
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("CELERY_QUEUE", "celery")
# Periodic jobs (celery beat), in CELERY_TIMEZONE.
CELERY_BEAT_SCHEDULE = {
    "plan-reminders": {"task": "portal.tasks.plan_reminders", "schedule": 3600.0},
    "send-due-digests": {"task": "portal.tasks.send_due_digests", "schedule": 900.0},
    "requeue-stale-jobs": {"task": "portal.tasks.requeue_stale_jobs", "schedule": 300.0},
    # Launch notices the broker missed at commit, or whose mail failed.
    "resend-launch-notices": {
        "task": "campaigns.tasks.resend_launch_notices",
        "schedule": 300.0,
    },
    # Webhook events the broker missed at commit, and deliveries whose retry is due.
    "redeliver-due-webhooks": {
        "task": "api.webhooks.tasks.redeliver_due_webhooks",
        "schedule": 60.0,
    },
    # After midnight local time: the period that ended yesterday (and any a missed run left).
    "generate-due-reports": {
        "task": "reports.tasks.generate_due_reports",
        "schedule": crontab(hour=0, minute=30),
    },
}

# Reminders: an overdue item reaches the superior unit's leader this many days after its due date.
REMINDER_ESCALATION_GRACE_DAYS = int(os.environ.get("REMINDER_ESCALATION_GRACE_DAYS", "3"))
# A digest or job claimed by a worker that then died may be taken over after this many seconds.
WORK_CLAIM_LEASE_SECONDS = int(os.environ.get("WORK_CLAIM_LEASE_SECONDS", "600"))

# Security: strict whenever DEBUG is off.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        # In eager mode (no Redis) Celery logs every task at INFO; keep its warnings there.
        **({"celery": {"level": "WARNING"}} if CELERY_TASK_ALWAYS_EAGER else {}),
        # WeasyPrint logs every layout step at INFO; keep its warnings (missing glyphs, fetches).
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
