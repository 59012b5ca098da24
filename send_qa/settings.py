"""Settings of the SEND QA portal, all read from the environment (see docs/configuration.md)."""

from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from send_qa.env import env_bool, env_int, env_int_item, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("SEND_QA_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DJANGO_DEBUG", False)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("Set SECRET_KEY (required unless DJANGO_DEBUG is on).")
    SECRET_KEY = "insecure-development-key-only-for-debug-mode"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
SERVICE_NAME = "SEND quality assurance"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_forms_gds",
    "guardian",
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "rest_framework",
    "drf_spectacular",
    "send_qa.core",
    "send_qa.dashboard",
    "benchmarks",
    "audits",
    "kpis",
    "wsoa",
    "risks",
    "governance",
    "send_qa.reports",
    "send_qa.api",
]
# The portal's own code, whose loggers keep LOG_LEVEL (send_qa covers core, dashboard, reports).
PORTAL_APPS = ["send_qa", "benchmarks", "audits", "kpis", "wsoa", "risks", "governance"]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "send_qa.core.middleware.HealthFirst",  # before anything that reads the session
    "send_qa.core.middleware.RefuseNulCharacters",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "send_qa.core.middleware.SignInRequired",  # Django's LoginRequiredMiddleware, 401 for scripts
    "send_qa.core.two_factor.TwoFactorRequiredMiddleware",
    "send_qa.core.middleware.NoStoreWhenSignedIn",
    "django.contrib.messages.middleware.MessageMiddleware",
    "send_qa.core.session_timeout.SessionTimeoutMiddleware",
    "send_qa.core.once.SubmittedOnce",  # a form posted twice makes one record
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, so it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "send_qa.urls"
WSGI_APPLICATION = "send_qa.wsgi.application"

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
                "send_qa.core.context_processors.portal",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'send_qa.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
# The two PostgreSQL roles of a deployment (send_qa.core.database_roles): the owner runs the
# migrations, the app role is what the portal connects as. The passwords are read only by
# `manage.py database_roles`, run once as a superuser.
DATABASE_OWNER_ROLE = env_str("DATABASE_OWNER_ROLE", "")
DATABASE_APP_ROLE = env_str("DATABASE_APP_ROLE", "")
DATABASE_OWNER_PASSWORD = env_str("DATABASE_OWNER_PASSWORD", "")
DATABASE_APP_PASSWORD = env_str("DATABASE_APP_PASSWORD", "")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses locked-out sign-ins
    "django.contrib.auth.backends.ModelBackend",
    "send_qa.core.sso.SignInWithProviderBackend",  # the organisation's account, when set up
    "guardian.backends.ObjectPermissionBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard:home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ["email", "full_name", "job_title"]},
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Seconds a link works for: a password reset for an hour, an invitation for three days
# (send_qa.core.invitations.invitation_tokens).
PASSWORD_RESET_TIMEOUT = env_int("PASSWORD_RESET_TIMEOUT", 60 * 60)
INVITATION_TIMEOUT = env_int("INVITATION_TIMEOUT", 60 * 60 * 24 * 3)
for _link in ("PASSWORD_RESET_TIMEOUT", "INVITATION_TIMEOUT"):
    if globals()[_link] < 60:
        raise ImproperlyConfigured(f"{_link} must be 60 seconds or more.")
ANONYMOUS_USER_NAME = None  # django-guardian: no anonymous user row; nobody anonymous sees data

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "static" / "build",
    ("js", BASE_DIR / "static" / "js"),
    ("css", BASE_DIR / "static" / "css"),
]
# Files (send_qa.core.storage): object storage through django-storages when STORAGE_BUCKET is
# set, so that several web servers and workers share them; else MEDIA_ROOT on this disk.
STORAGE_BUCKET = env_str("STORAGE_BUCKET")
STORAGES = {
    "default": (
        {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": STORAGE_BUCKET,
                "endpoint_url": env_str("STORAGE_ENDPOINT_URL") or None,
                "region_name": env_str("STORAGE_REGION") or None,
                "access_key": env_str("STORAGE_ACCESS_KEY") or None,
                "secret_key": env_str("STORAGE_SECRET_KEY") or None,
                "file_overwrite": False,
                "default_acl": None,
                "querystring_auth": True,
            },
        }
        if STORAGE_BUCKET
        else {"BACKEND": "send_qa.core.storage.WholeFileStorage"}
    ),
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_bool("STATIC_MANIFEST", not DEBUG)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not env_bool("STATIC_MANIFEST", not DEBUG)
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))

# Uploads (docs/imports.md): checked by content, not name. Sizes in bytes.
UPLOAD_MAX_BYTES = env_int("UPLOAD_MAX_BYTES", 20 * 1024 * 1024)
EVIDENCE_MAX_BYTES = env_int("EVIDENCE_MAX_BYTES", 10 * 1024 * 1024)
# An XLSX (or other Office file) may unpack to at most this much, in at most this many parts:
# a guard against zip bombs, checked before pandas or openpyxl opens the file.
XLSX_MAX_UNCOMPRESSED_BYTES = env_int("XLSX_MAX_UNCOMPRESSED_BYTES", 200 * 1024 * 1024)
XLSX_MAX_MEMBERS = env_int("XLSX_MAX_MEMBERS", 1000)
# Counts from 1 to this less one are withheld in anything that leaves SENDOPS (ADR 0004).
SMALL_NUMBER_THRESHOLD = env_int("SMALL_NUMBER_THRESHOLD", 5)
if SMALL_NUMBER_THRESHOLD < 1:
    raise ImproperlyConfigured("SMALL_NUMBER_THRESHOLD must be 1 or more.")

CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"
CRISPY_GDS_FRONTEND_VERSION = "5.8.0"
CRISPY_FAIL_SILENTLY = not DEBUG

# Signing in with the organisation's own accounts (OpenID Connect, send_qa.core.sso): off
# unless OIDC_ISSUER is set. Password sign-in stays unless PASSWORD_SIGN_IN is off.
OIDC_ISSUER = env_str("OIDC_ISSUER").rstrip("/")
OIDC_CLIENT_ID = env_str("OIDC_CLIENT_ID", required=bool(OIDC_ISSUER))
OIDC_CLIENT_SECRET = env_str("OIDC_CLIENT_SECRET", required=bool(OIDC_ISSUER))
OIDC_PROVIDER_NAME = env_str("OIDC_PROVIDER_NAME", "your organisation's account")
OIDC_TRUST_EMAIL = env_bool("OIDC_TRUST_EMAIL", False)
OIDC_RP_SIGN_ALGO = env_str("OIDC_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = "openid email profile"
OIDC_CREATE_USER = False
OIDC_AUTHENTICATION_CALLBACK_URL = "core:sso_callback"
OIDC_USE_PKCE = True
PASSWORD_SIGN_IN = env_bool("PASSWORD_SIGN_IN", True)
if not PASSWORD_SIGN_IN and not OIDC_ISSUER:
    raise ImproperlyConfigured("PASSWORD_SIGN_IN can be off only when OIDC_ISSUER is set.")

# The read-only data feed (send_qa.api): named API tokens only, never a session; its
# OpenAPI schema at /api/schema/.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["send_qa.api.authentication.BearerToken"],
    "DEFAULT_PERMISSION_CLASSES": ["send_qa.api.authentication.TokenScope"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "SEND quality assurance: data feed",
    "DESCRIPTION": (
        "Read-only tables of the portal's figures for Power BI and other programs: aggregates"
        " only, small numbers withheld as for the board. Send a named API token (made by an"
        " admin) as `Authorization: Bearer <token>`. Add `?format=csv` for CSV."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
}

# Email (send_qa.core.emails): every email is kept in the outbox and delivered by the worker
# through the mail service EMAIL_SERVICE names: "console" (the default in development), "smtp"
# (the default otherwise), "notify" (GOV.UK Notify, send_qa.core.notify) or a Django email
# backend's dotted path.
EMAIL_BACKEND = "send_qa.core.emails.OutboxBackend"
EMAIL_SERVICES = {
    "console": "django.core.mail.backends.console.EmailBackend",
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "notify": "send_qa.core.notify.NotifyBackend",
}
EMAIL_SERVICE = env_str("EMAIL_SERVICE", "console" if DEBUG else "smtp")
if EMAIL_SERVICE not in EMAIL_SERVICES and "." not in EMAIL_SERVICE:
    raise ImproperlyConfigured(
        f"EMAIL_SERVICE must be console, smtp, notify or a Django email backend's dotted path,"
        f" not {EMAIL_SERVICE!r}."
    )
EMAIL_SERVICE_BACKEND = EMAIL_SERVICES.get(EMAIL_SERVICE, EMAIL_SERVICE)
_NOTIFY = EMAIL_SERVICE == "notify"
NOTIFY_API_KEY = env_str("NOTIFY_API_KEY", required=_NOTIFY)
NOTIFY_BASE_URL = env_str("NOTIFY_BASE_URL", "https://api.notifications.service.gov.uk")
NOTIFY_TEMPLATE_ID = env_str("NOTIFY_TEMPLATE_ID", required=_NOTIFY)
NOTIFY_REPLY_TO_ID = env_str("NOTIFY_REPLY_TO_ID")
# Seconds to wait before each further try of an email the mail service did not take: five
# tries over about two and a half hours by default, then it is listed as not sent.
EMAIL_RETRY_AFTER = [
    env_int_item("EMAIL_RETRY_AFTER", item)
    for item in env_list("EMAIL_RETRY_AFTER", ["60", "300", "1800", "7200"])
]
# The kinds of email (their templates' names under templates/emails/), each of which may have
# its own Notify template: NOTIFY_TEMPLATE_ID_INVITATION and so on.
EMAIL_KINDS = (
    "invitation",
    "password_reset",
    "roles_changed_person",
    "roles_changed_admin",
    "advice_reminder",
    "action_reminder",
    "exception_request",
    "skills_self_audit",
)
NOTIFY_TEMPLATE_IDS = {
    kind: env_str(f"NOTIFY_TEMPLATE_ID_{kind.upper()}")
    for kind in EMAIL_KINDS
    if env_str(f"NOTIFY_TEMPLATE_ID_{kind.upper()}")
}
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str(
    "DEFAULT_FROM_EMAIL", "SEND quality assurance <noreply@send-qa.invalid>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Celery: Redis in production and tests; make run falls back to an embedded
# filesystem broker when no Redis is given.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", "filesystem://")
CELERY_RESULT_BACKEND = env_str("CELERY_RESULT_BACKEND")
if CELERY_BROKER_URL == "filesystem://":
    _queue = VAR_DIR / "celery"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue / "queue"),
        "data_folder_out": str(_queue / "queue"),
        "processed_folder": str(_queue / "processed"),
        "store_processed": False,
        # kombu keeps its exchange tables in ./control unless told otherwise.
        "control_folder": str(_queue / "control"),
    }
    if not CELERY_RESULT_BACKEND:
        CELERY_RESULT_BACKEND = f"file://{_queue / 'results'}"
    for _folder in ("queue", "processed", "results", "control"):
        (_queue / _folder).mkdir(parents=True, exist_ok=True)
else:
    if not CELERY_RESULT_BACKEND:
        CELERY_RESULT_BACKEND = CELERY_BROKER_URL
    # Redis redelivers an unacknowledged job after this long: longer than the longest job, so a
    # slow report is never handed to a second worker while the first still works on it.
    # A job left unacknowledged by a worker that died is handed out again by the next worker
    # to start once this has passed.
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 2 * 60 * 60)
    }
CELERY_TASK_ACKS_LATE = True

# The cache keeps built scorecard tables (kpis.cache). It must be shared by every process:
# Redis in production (CACHE_URL, else the broker's Redis in database 1), files under var/
# for `make run`, and this process's memory in the tests (CACHE_URL=locmem://).
CACHE_URL = env_str("CACHE_URL", "")
if not CACHE_URL and CELERY_BROKER_URL.startswith("redis"):
    CACHE_URL = urlunsplit(urlsplit(CELERY_BROKER_URL)._replace(path="/1"))
if CACHE_URL.startswith(("redis://", "rediss://")):
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
    }
elif CACHE_URL == "locmem://":
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 600)
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 540)
CELERY_RESULT_EXPIRES = 60 * 60 * 24
# A worker process is replaced once it has used this much memory (KiB), so a runaway PDF
# render cannot take the machine down.
CELERY_WORKER_MAX_MEMORY_PER_CHILD = env_int("CELERY_WORKER_MAX_MEMORY_PER_CHILD", 600_000)
# Compiling a report: seconds before it is stopped (hard) and told to stop (soft).
REPORT_TIME_LIMIT = env_int("REPORT_TIME_LIMIT", 180)
REPORT_SOFT_TIME_LIMIT = env_int("REPORT_SOFT_TIME_LIMIT", 150)
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
# Case-level details of plans are removed this many years after the plan ceased (audits.retention).
RETENTION_YEARS = env_int("RETENTION_YEARS", 6)
CELERY_BEAT_SCHEDULE: dict = {
    # Case-level details past the retention period are removed each night.
    "apply-retention": {
        "task": "audits.tasks.apply_retention",
        "schedule": crontab(hour=3, minute=15),
    },
    # Services are told each morning of the advice they owe (audits.reminders).
    "advice-reminders": {
        "task": "audits.tasks.send_advice_reminders",
        "schedule": crontab(hour=7, minute=0),
    },
    # Action owners hear about their overdue and stale actions on Monday mornings.
    "action-reminders": {
        "task": "wsoa.tasks.send_action_reminders",
        "schedule": crontab(hour=8, minute=0, day_of_week=1),
    },
    # A report compilation whose worker was killed (its heartbeat stopped) is marked failed
    # within a minute or so, never "being compiled" for ever.
    "fail-stuck-reports": {
        "task": "send_qa.reports.tasks.fail_stuck_reports",
        "schedule": crontab(minute="*"),
    },
    # Exports prepared in the background are kept 24 hours (send_qa.core.exports).
    "remove-expired-exports": {
        "task": "send_qa.core.tasks.remove_expired_exports",
        "schedule": crontab(minute=20),
    },
    # A KPI file checked but never confirmed keeps its checked rows two hours (kpis.imports).
    "forget-staged-kpi-imports": {
        "task": "kpis.tasks.forget_staged_imports",
        "schedule": crontab(minute=40),
    },
    # The one-time tokens of posted forms (send_qa.core.once) are kept two days.
    "forget-submitted-forms": {
        "task": "send_qa.core.tasks.forget_submitted_forms",
        "schedule": crontab(hour=3, minute=45),
    },
    # Emails whose delivery job was lost are queued again; old ones are forgotten after 90 days.
    "queue-lost-emails-again": {
        "task": "send_qa.core.tasks.queue_lost_emails_again",
        "schedule": crontab(minute="*/10"),
    },
    # GOV.UK Notify's receipts: an email it could not deliver is listed as not sent.
    "check-email-deliveries": {
        "task": "send_qa.core.tasks.check_email_deliveries",
        "schedule": crontab(minute="*/15"),
    },
    "forget-staged-uploads": {
        "task": "send_qa.core.tasks.forget_staged_uploads",
        "schedule": crontab(hour=3, minute=55),
    },
    "forget-old-emails": {
        "task": "send_qa.core.tasks.forget_old_emails",
        "schedule": crontab(hour=3, minute=50),
    },
    # A compilation the worker's queue never got (Redis was down) is sent again.
    "resend-unsent-reports": {
        "task": "send_qa.reports.tasks.resend_unsent_reports",
        "schedule": crontab(minute="*"),
    },
    # The draft termly report is created when a term ends.
    "termly-report-drafts": {
        "task": "send_qa.reports.tasks.create_term_reports",
        "schedule": crontab(hour=6, minute=0),
    },
    # Computed indicators are recalculated as records change; nightly catches bulk imports.
    "recalculate-indicators": {
        "task": "kpis.tasks.recalculate_indicators",
        "schedule": crontab(hour=2, minute=30),
    },
    # The scorecard rows are stored after each change and, for the new day, each night.
    "store-scorecard-rows": {
        "task": "kpis.tasks.store_scorecard_rows",
        "schedule": crontab(hour=0, minute=5),
    },
}

# Reverse proxies in front of the portal (see README, "Running behind a reverse proxy").
BEHIND_TLS_PROXY = env_bool("BEHIND_TLS_PROXY", True) and not DEBUG
# No forwarded address is trusted unless the deployment says how many proxies append one:
# without a proxy, X-Forwarded-For is whatever the client wrote.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)

# Two-factor sign-in (django-otp): required of these roles on every page, a choice for others.
OTP_REQUIRED_ROLES = ["admin", "sendops"]
OTP_TOTP_ISSUER = SERVICE_NAME  # the name people see in their authenticator app
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# Sign-in throttling (django-axes): 5 failed sign-ins for one email address from one
# client address lock that pair out for 15 minutes; 20 for one email address from any
# addresses lock the account out everywhere for 15 minutes (send_qa/core/sign_in_protection.py).
AXES_FAILURE_LIMIT = 5
SIGN_IN_ACCOUNT_FAILURE_LIMIT = 20
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_HANDLER = "send_qa.core.sign_in_protection.SignInAttempts"
# What a success resets and old failures are cleaned by: the account, and the account and address.
AXES_LOCKOUT_PARAMETERS = ["username", ["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_CALLABLE = "send_qa.core.sign_in_protection.email_signing_in"
AXES_CLIENT_IP_CALLABLE = "send_qa.core.sign_in_protection.client_ip"
AXES_LOCKOUT_CALLABLE = "send_qa.core.sign_in_protection.locked_out"
AXES_WHITELIST_CALLABLE = "send_qa.core.sign_in_protection.not_a_password"
AXES_SENSITIVE_PARAMETERS = ["username", "password", "ip_address"]

# Sessions and cookies: a session ends after 30 minutes unused or 12 hours in all.
SESSION_IDLE_TIMEOUT = 30 * 60
SESSION_ABSOLUTE_TIMEOUT = 12 * 60 * 60
# The GOV.UK timeout warning opens this long before a session would end.
SESSION_TIMEOUT_WARNING = 5 * 60
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_TIMEOUT
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "send_qa.core.views.csrf_failure"  # the portal's page, not Django's bare one

# Production hardening (python manage.py check --deploy is clean with these).
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content Security Policy (django-csp): everything from the portal itself, no inline
# script or style (GOV.UK Frontend's "js-enabled" snippet lives in static/js/body-class.js).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
    }
}
if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", True)
    CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", True)
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    if BEHIND_TLS_PROXY:
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    # Libraries (django-axes announces itself on every command and every sign-in, WeasyPrint
    # narrates each rendering step) log at WARNING unless LIBRARY_LOG_LEVEL asks for more; the
    # portal's own apps log at LOG_LEVEL.
    "root": {"handlers": ["console"], "level": env_str("LIBRARY_LOG_LEVEL", "WARNING")},
    "loggers": {
        # Django's own logger keeps INFO from its defaults unless told (runserver's reloader).
        "django": {"level": env_str("LIBRARY_LOG_LEVEL", "WARNING")},
        **{app: {"level": env_str("LOG_LEVEL", "INFO")} for app in PORTAL_APPS},
    },
}

# What `seed_demo` runs after the core demo area, in order: each takes the area.
DEMO_SEEDERS = [
    "benchmarks.demo.seed",
    "audits.demo.seed",
    "kpis.demo.seed",
    "wsoa.demo.seed",
    "risks.demo.seed",
    "governance.demo.seed",
]
SERVICE_PHASE = env_str("SERVICE_PHASE", "beta")
