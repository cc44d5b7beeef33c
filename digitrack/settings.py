"""DigiTrack settings, read strictly from the environment.

With no environment at all the app runs on an embedded default: SQLite in the
project folder, an in-process cache and Celery tasks run eagerly, so trying it
needs no server. Set DATABASE_URL and REDIS_URL for the production shape.
"""

from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

# The key used only when DEBUG is on and no SECRET_KEY is set; production refuses it.
INSECURE_DEFAULT_SECRET_KEY = "django-insecure-digitrack-local-development-only"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)


def _strict_bool(name: str, default: bool) -> bool:
    """Read a boolean that must be spelt True/False (or 1/0): a typo stops start-up."""
    raw = env.str(name, default=str(default))
    lowered = raw.strip().lower()
    if lowered in {"true", "1"}:
        return True
    if lowered in {"false", "0"}:
        return False
    raise ImproperlyConfigured(f"{name} must be True or False, not {raw!r}.")


DEBUG = _strict_bool("DEBUG", default=True)
SECRET_KEY = env.str("SECRET_KEY", default=INSECURE_DEFAULT_SECRET_KEY)
if not DEBUG and (SECRET_KEY == INSECURE_DEFAULT_SECRET_KEY or len(SECRET_KEY) < 50):
    raise ImproperlyConfigured(
        "DEBUG is off but SECRET_KEY is unset, the development default, or shorter than "
        "50 characters. Set a long random SECRET_KEY in the environment."
    )

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "axes",
    "auditlog",
    "digitrack",
    "trusts",
    "milestones",
    "dashboards",
]

MIDDLEWARE = [
    # First, so every log line of the request carries its id.
    "digitrack.logs.RequestContextMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy on every response that sets none itself (downloads set their own).
    "csp.middleware.CSPMiddleware",
    # Inside the policy's, so the page it puts in place gets the header and nonce; outside the
    # rest, so a 400 or 404 from anywhere, with DEBUG on, becomes the NHS page.
    "digitrack.errors.DebugErrorPagesMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After messages: a timed-out session is told why on the sign-in page.
    "digitrack.sessions.SessionTimeoutMiddleware",
    "digitrack.private_responses.PrivateResponseMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # django-auditlog's, reading the client's address as TRUSTED_PROXY_COUNT says (digitrack/client_address.py).
    "digitrack.client_address.AuditlogMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "digitrack.urls"
WSGI_APPLICATION = "digitrack.wsgi.application"

TEMPLATES = [
    {
        # Pages: NHS.UK design system macros through Jinja2 (templates/jinja2/).
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "templates" / "jinja2"],
        "APP_DIRS": False,
        "OPTIONS": {"environment": "digitrack.jinja2.environment"},
    },
    {
        # The Django admin keeps Django's own templates (templates/admin overrides).
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

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Django's own pool (psycopg 3); persistent connections are off when pooling.
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": env.int("DATABASE_POOL_MIN_SIZE", default=1),
        "max_size": env.int("DATABASE_POOL_MAX_SIZE", default=10),
        "timeout": env.int("DATABASE_POOL_TIMEOUT", default=10),
    }
    # No test of a pooled connection before each request (CONN_HEALTH_CHECKS): it was a round trip
    # on every request, a quarter of a cached page's cost under load. After a PostgreSQL restart,
    # the first request of each process to use a dead connection fails cleanly (the 503 page) and
    # has the pool replace every dead one it holds (digitrack.health.pooled_connections_check).
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = False
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    # The cache is a speed-up, never a dependency: with Redis unreachable every read is a
    # miss and every write is skipped (and logged), so pages render from PostgreSQL.
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "digitrack",
            "TIMEOUT": env.int("CACHE_TIMEOUT", default=3600),
            "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 1, "SOCKET_TIMEOUT": 1},
        }
    }
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
    DJANGO_REDIS_LOGGER = "digitrack.cache"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# The code release, in the keys of cached page parts: a deploy with changed templates or code
# never serves what the release before it rendered. A deploy may set it (a commit id); when it is
# empty, dashboards.cache.release() hashes the templates, the code and pyproject.toml instead.
RELEASE = env.str("RELEASE", default="")

# Celery: a real Redis broker when REDIS_URL is set, otherwise eager and in-process.
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=600)
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=540)
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": CELERY_TASK_TIME_LIMIT + 60}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = "Europe/London"
CELERY_WORKER_HIJACK_ROOT_LOGGER = False  # workers log through LOGGING below, as JSON lines
CELERY_BEAT_SCHEDULE: dict = {
    # Deadlines pass with time alone: every status is recomputed each night.
    "recompute-all-nightly": {
        "task": "milestones.tasks.recompute_all",
        "schedule": crontab(hour=2, minute=15),
    },
    # The outbox catches any recompute whose message was never sent.
    "drain-recompute-requests": {"task": "milestones.tasks.drain_recompute_requests", "schedule": 60.0},
    # Review emails that never went out are sent again.
    "resend-review-emails": {"task": "milestones.tasks.resend_review_emails", "schedule": 600.0},
    # Reminders due today are recorded once and the unsent ones queued (hourly, so an outage of
    # Redis or the mail server delays them by an hour, not a day).
    "send-reminders": {"task": "milestones.tasks.send_reminders", "schedule": crontab(minute=5)},
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's, reading a user's permissions in one query (digitrack/auth.py).
    "digitrack.auth.ModelBackend",
]
# Sessions end after this long without a request, and this long after signing in
# (digitrack/sessions.py): NHS workstations are shared. The cookie lasts no longer than a session may.
SESSION_IDLE_TIMEOUT_SECONDS = env.int("SESSION_IDLE_TIMEOUT_SECONDS", default=30 * 60)
SESSION_ABSOLUTE_TIMEOUT_SECONDS = env.int("SESSION_ABSOLUTE_TIMEOUT_SECONDS", default=12 * 60 * 60)
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_TIMEOUT_SECONDS
# Sessions are read from the cache (Redis) and written through to PostgreSQL, which answers when
# the cache misses or Redis is down: a signed-in request reads no session row.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "login"

# django-axes: throttle repeated failed sign-ins per username and address.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.5)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.jinja"

# Reverse proxies in front of the app, each appending to X-Forwarded-For. 0: the header is ignored
# and the socket's address is the client's. The audit log and axes both take the address from
# digitrack.client_address, so a lock-out and the audit entry name the same address. (axes' own
# AXES_IPWARE_* settings are not used: the callable replaces django-ipware.)
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
if TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured(f"TRUSTED_PROXY_COUNT must be 0 or more, not {TRUSTED_PROXY_COUNT}.")
AXES_CLIENT_IP_CALLABLE = "digitrack.client_address.client_address"

# django-auditlog: admin changes to these, and evidence uploads, withdrawals and reviews, with the
# request's user and address (AuditlogMiddleware). Sign-ins and evidence downloads are logged by
# milestones/audit.py, which also keeps users who have acted from being deleted.
# Sending the review email is no one's change: it is left out.
AUDITLOG_INCLUDE_TRACKING_MODELS = (
    "milestones.Target",
    "milestones.Requirement",
    "milestones.TargetRevision",
    "milestones.DsptSubmissionDeadline",
    "milestones.DsptDeadlineRevision",
    {"model": "milestones.EvidenceSubmission", "exclude_fields": ["review_emailed_at"]},
    "trusts.Region",
    {"model": "trusts.IntegratedCareBoard", "m2m_fields": {"successors"}},
    {"model": "trusts.Trust", "m2m_fields": {"cio_users", "successors"}},
    {"model": "auth.User", "m2m_fields": {"groups"}, "exclude_fields": ["last_login", "password"]},
)
AUDITLOG_STORE_JSON_CHANGES = True
# Raw saves are fixture loads (loaddata, test database restores), not anyone's action.
AUDITLOG_DISABLE_ON_RAW_SAVE = True

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# The NHS.UK page template takes a folder (nhsuk/assets) as its asset path: a folder has no
# manifest entry, so it resolves to its plain URL rather than failing every page.
WHITENOISE_MANIFEST_STRICT = False

# Evidence files live here and are never served from a public URL: a view checks access first.
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "media")))
MEDIA_URL = None
EVIDENCE_MAX_UPLOAD_BYTES = env.int("EVIDENCE_MAX_UPLOAD_BYTES", default=20 * 1024 * 1024)
# Office files (DOCX, XLSX) are ZIP archives: refused unread when they declare more parts, more bytes
# unpacked, or a higher ratio of unpacked to packed bytes than these (milestones/validators.py).
EVIDENCE_ARCHIVE_MAX_ENTRIES = env.int("EVIDENCE_ARCHIVE_MAX_ENTRIES", default=10_000)
EVIDENCE_ARCHIVE_MAX_UNCOMPRESSED_BYTES = env.int("EVIDENCE_ARCHIVE_MAX_UNCOMPRESSED_BYTES", default=250 * 1024 * 1024)
EVIDENCE_ARCHIVE_MAX_RATIO = env.int("EVIDENCE_ARCHIVE_MAX_RATIO", default=100)
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_PERMISSIONS = 0o640

EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = _strict_bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="DigiTrack <digitrack@localhost>")
CSRF_FAILURE_VIEW = "digitrack.errors.csrf_failure"
# Where people reach DigiTrack: emails link to its pages with absolute URLs built from it.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
if not SITE_URL.startswith(("https://", "http://")):
    raise ImproperlyConfigured(f"SITE_URL must start with https:// or http://, not {SITE_URL!r}.")

# Compliance: with fewer days than this left and requirements open, a target is at risk.
COMPLIANCE_AT_RISK_DAYS = env.int("COMPLIANCE_AT_RISK_DAYS", default=90)
# The outbox drain takes only recompute requests older than this: a younger one's own task
# is most likely still queued or running, and draining it too would recompute it twice.
RECOMPUTE_DRAIN_MIN_AGE_SECONDS = env.int("RECOMPUTE_DRAIN_MIN_AGE_SECONDS", default=60)

# Behind a TLS-terminating reverse proxy in production.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Scripts and styles from this site only, no inline code, no eval. The NHS.UK page template's one
# inline script (which marks the page as having JavaScript) carries the request's nonce
# (digitrack/jinja2.py); nothing else inline runs. See the README's operations section for why
# style-src needs no more than this for Plotly's charts.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [NONE],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "manifest-src": [SELF],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "object-src": [NONE],
    }
}
SESSION_COOKIE_HTTPONLY = True
if not DEBUG:
    SECURE_SSL_REDIRECT = _strict_bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# JSON lines on standard error, each with the request id, user id and trust code (digitrack/logs.py).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_context": {"()": "digitrack.logs.RequestContextFilter"}},
    "formatters": {"json": {"()": "digitrack.logs.JsonFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json", "filters": ["request_context"]}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}
