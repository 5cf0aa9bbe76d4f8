"""Settings for the portal: one module, configured only by environment variables.

Every variable has a default that lets ``make run`` work on a bare machine;
production sets variables, never edits this file. The README lists them all.
"""

from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

# --- Core -------------------------------------------------------------------

DEBUG = env.bool("DJANGO_DEBUG", default=True)
DEVELOPMENT_SECRET_KEY = "insecure-development-key-set-DJANGO_SECRET_KEY-in-production"
SECRET_KEY = env("DJANGO_SECRET_KEY", default=DEVELOPMENT_SECRET_KEY)
if not DEBUG:
    # A publicly known or guessable key lets anyone sign reply links and
    # session cookies: production refuses to start rather than run on one.
    from django.core.exceptions import ImproperlyConfigured

    from .secret_key import weak_secret_key_reason

    _weak = weak_secret_key_reason(SECRET_KEY, development_key=DEVELOPMENT_SECRET_KEY)
    if _weak:
        raise ImproperlyConfigured(
            f"DJANGO_SECRET_KEY {_weak}. With DJANGO_DEBUG=0 the portal needs a strong secret: set "
            "DJANGO_SECRET_KEY to at least 50 random characters, e.g. the output of "
            "python -c 'import secrets; print(secrets.token_urlsafe(50))'."
        )
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[SITE_URL])

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
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "auditlog",
    "crispy_forms",
    "crispy_bootstrap5",
    # The portal, top to bottom (an app may import only those below it).
    "wgportal",
    "coordination",
    "briefings",
    "meetings",
    "members",
    "notifications",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "wgportal.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "wgportal.middleware.SessionIdleMiddleware",
    "members.mfa.MfaRequiredMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
]

ROOT_URLCONF = "wgportal.urls"
WSGI_APPLICATION = "wgportal.wsgi.application"

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
                "members.context_processors.portal",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------

DATABASES = {
    "default": env.db("DATABASE_URL", default="sqlite:///var/db.sqlite3"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A relative SQLite path is relative to the checkout, not to the shell's folder.
    name = Path(DATABASES["default"]["NAME"])
    if str(name) != ":memory:" and not name.is_absolute():
        DATABASES["default"]["NAME"] = str(BASE_DIR / name)
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE"}
    )
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ------------------------------------------------------------------

REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "wgportal",
        }
    }
    # Sessions read from Redis, written through to the database: a web node
    # restarted or a Redis flushed signs nobody out.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Authentication (django-allauth) ----------------------------------------

AUTH_USER_MODEL = "members.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    # ASVS 5.0 asks at least 12 characters; the common-password list and the
    # similarity to the person's own name and email stay.
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "dashboard"

ACCOUNT_ADAPTER = "members.adapters.AccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_LOGOUT_REDIRECT_URL = "account_login"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[TIP working group] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if env.bool("DJANGO_HTTPS", default=False) else "http"
# Changing the password keeps the person signed in here and ends their other sessions.
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False

# Two-factor sign-in (allauth.mfa): an authenticator app with recovery codes, or
# passkeys / security keys. Required for co-chairs, the secretariat and staff
# when MFA_REQUIRED is on (the default in production; ``make run`` turns it off
# so that a newcomer can try every demo role at once). Optional for members.
MFA_REQUIRED = env.bool("MFA_REQUIRED", default=not DEBUG)
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_ADAPTER = "members.mfa.MFAAdapter"  # authenticator secrets encrypted at rest
MFA_TOTP_ISSUER = env("PORTAL_NAME", default="TIP working group portal")
# Browsers refuse WebAuthn on plain http except on localhost, which the
# development server is.
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG

# Sessions: they end after SESSION_IDLE_HOURS without a request, and when the
# browser closes unless "remember me" was ticked at sign-in. People see their
# sessions and can end the others (allauth.usersessions).
SESSION_IDLE_HOURS = env.float("SESSION_IDLE_HOURS", default=8)
SESSION_COOKIE_AGE = int(SESSION_IDLE_HOURS * 3600)
# How often an active session's expiry is pushed forward (one write a minute, not one a request).
SESSION_ACTIVITY_RESOLUTION_SECONDS = 60
ACCOUNT_SESSION_REMEMBER = None  # ask ("remember me"); unticked: ends with the browser
USERSESSIONS_TRACK_ACTIVITY = False

# --- Internationalization ---------------------------------------------------

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Africa/Nairobi"
USE_I18N = True
USE_TZ = True

# --- Static and media files -------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Private uploads: stored here, served only by views that check permissions.
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(VAR_DIR / "media")))
MEDIA_URL = "/private-media/"  # never routed; files go out through views only

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
if DEBUG:
    STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
AWS_STORAGE_BUCKET_NAME = env("AWS_STORAGE_BUCKET_NAME", default="")
# Downloads from object storage are a redirect to a signed address valid this long:
# the bytes go from the bucket to the browser, not through a web process.
DOWNLOAD_URL_EXPIRE_SECONDS = env.int("DOWNLOAD_URL_EXPIRE_SECONDS", default=60)
if AWS_STORAGE_BUCKET_NAME:
    # S3-compatible media storage (several web nodes and workers share one bucket).
    # Credentials come from AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, read by boto3.
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": env("AWS_S3_ENDPOINT_URL", default=None),
            "region_name": env("AWS_S3_REGION_NAME", default=None),
            # "path" for MinIO, moto and most S3-compatible servers; unset for AWS.
            "addressing_style": env("AWS_S3_ADDRESSING_STYLE", default=None),
            "default_acl": None,  # objects stay private: the bucket policy decides
            "querystring_auth": True,
            "signature_version": "s3v4",  # what signed addresses need everywhere now
            "querystring_expire": DOWNLOAD_URL_EXPIRE_SECONDS,
            "file_overwrite": False,  # a second "report.pdf" never replaces the first
        },
    }

# --- Email ------------------------------------------------------------------

vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
if "EMAIL_URL" not in env.ENVIRON:
    # The development mailbox: the console, with a readable summary (to,
    # subject, links) before each raw message.
    EMAIL_BACKEND = "notifications.console.EmailBackend"
DEFAULT_FROM_EMAIL = env(
    "DEFAULT_FROM_EMAIL", default="TIP working group <noreply@wgportal.example>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=20)

# --- Celery -----------------------------------------------------------------

CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="")
# Without a broker, tasks run in-process so that `make run` needs nothing else.
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
# ...and `runserver` runs CELERY_BEAT_SCHEDULE itself (wgportal/embedded_beat.py); EMBEDDED_BEAT=false stops it.
EMBEDDED_BEAT = env.bool("EMBEDDED_BEAT", default=True)
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
# Deployments (or test runs) that share one Redis keep their tasks apart by queue.
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_QUEUE", default="celery")
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
# A request must not hang when the broker is down: the outbox sweep sends later.
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
}
CELERY_TIMEZONE = TIME_ZONE
# With several nodes, only the beat holding a lock in Redis sends (wgportal/beat.py).
CELERY_BEAT_SCHEDULER = "wgportal.beat:SingleBeatScheduler"
CELERY_BEAT_SCHEDULE = {
    "outbox-sweep": {"task": "notifications.tasks.outbox_sweep", "schedule": 60.0},
    "meeting-reminders": {"task": "meetings.tasks.reminders_send", "schedule": 300.0},
    "action-item-reminders": {"task": "meetings.tasks.action_item_reminders_send", "schedule": 3600.0},
    "invitation-reminders": {"task": "members.tasks.invitation_reminders_send", "schedule": 3600.0},
}

# --- Security ---------------------------------------------------------------

HTTPS = env.bool("DJANGO_HTTPS", default=False)
if HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- The portal's own settings ------------------------------------------------

PORTAL_NAME = env("PORTAL_NAME", default="TIP & Child Protection Donor Working Group")
GROUP_FOUNDED = "2006-11-01"
# Outbox: how many delivery attempts before a message is marked failed, and how
# old a queued message must be before the beat sweep enqueues it again.
OUTBOX_MAX_RETRIES = env.int("OUTBOX_MAX_RETRIES", default=5)
OUTBOX_SWEEP_AFTER_SECONDS = env.int("OUTBOX_SWEEP_AFTER_SECONDS", default=120)
# Delivery in batches: rows per task (one SMTP connection each), and how long a
# batch's claim on its rows lasts before a batch that died gives them up.
OUTBOX_BATCH_SIZE = env.int("OUTBOX_BATCH_SIZE", default=50)
OUTBOX_CLAIM_SECONDS = env.int("OUTBOX_CLAIM_SECONDS", default=300)

# Meetings: a reminder goes out this many hours before each scheduled meeting.
MEETING_REMINDER_HOURS = env.int("MEETING_REMINDER_HOURS", default=24)
# Open action items: the owner organization is reminded this many days before the due date, and once overdue.
ACTION_ITEM_REMINDER_DAYS = env.int("ACTION_ITEM_REMINDER_DAYS", default=3)

# Documents: the largest upload accepted (the proxy's body limit should match),
# and whether downloads are handed to nginx with X-Accel-Redirect.
DOCUMENT_MAX_UPLOAD_MB = env.int("DOCUMENT_MAX_UPLOAD_MB", default=50)
# Office and OpenDocument files are zip archives: the most one may unpack to
# (declared sizes are checked before anything is unpacked).
DOCUMENT_MAX_UNPACKED_MB = env.int("DOCUMENT_MAX_UNPACKED_MB", default=200)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024  # form fields; files stream to disk
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DOWNLOAD_X_ACCEL_REDIRECT = env.bool("DOWNLOAD_X_ACCEL_REDIRECT", default=False)
DOWNLOAD_X_ACCEL_PREFIX = env("DOWNLOAD_X_ACCEL_PREFIX", default="/protected-media/")

# Replies by email (notifications.inbound, meetings.mail_in): the inbound mailbox,
# read every minute when set (imaps://user:password@host:993/INBOX), where its
# messages go once handled, and the largest message read. Each invitation names
# a reply address of its own: rsvp+<token>@REPLY_EMAIL_DOMAIN, or the template
# REPLY_EMAIL_ADDRESS with "{token}" in it.
INBOUND_IMAP_URL = env("INBOUND_IMAP_URL", default="")
INBOUND_IMAP_PROCESSED_FOLDER = env("INBOUND_IMAP_PROCESSED_FOLDER", default="Processed")
INBOUND_IMAP_CAFILE = env("INBOUND_IMAP_CAFILE", default="")
INBOUND_IMAP_TIMEOUT = env.int("INBOUND_IMAP_TIMEOUT", default=30)
INBOUND_MAX_BYTES = env.int("INBOUND_MAX_BYTES", default=10 * 1024 * 1024)
INBOUND_BATCH = env.int("INBOUND_BATCH", default=200)
REPLY_EMAIL_DOMAIN = env("REPLY_EMAIL_DOMAIN", default="")
REPLY_EMAIL_ADDRESS = env("REPLY_EMAIL_ADDRESS", default="")
CELERY_BEAT_SCHEDULE["mail-in"] = {"task": "notifications.tasks.mail_in", "schedule": 60.0}

# Organization invitations: how long a link stays valid, and after how many
# days a pending invitation gets its automatic reminder.
INVITATION_VALID_DAYS = env.int("INVITATION_VALID_DAYS", default=30)
INVITATION_REMINDER_DAYS = env.int("INVITATION_REMINDER_DAYS", default=7)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

# Organization invitations: where people holding a dead invitation link (and
# answers to invitations nobody in particular sent) are directed, and the
# signup form that accepting an invitation opens.
SECRETARIAT_EMAIL = env("SECRETARIAT_EMAIL", default="secretariat@wgportal.example")
ACCOUNT_FORMS = {"signup": "members.forms.InvitationSignupForm", "login": "members.sign_in.SignInForm"}

# Briefings and documents: documents still "indexing" after a while (the broker
# was down when they were uploaded) are handed to the worker again.
CELERY_BEAT_SCHEDULE["documents-indexing-sweep"] = {
    "task": "briefings.tasks.documents_indexing_sweep",
    "schedule": 600.0,
}

# Coordination: a project not updated for this many months is flagged stale and
# its contact gets one reminder (beat, daily).
PROJECT_STALE_MONTHS = env.int("PROJECT_STALE_MONTHS", default=6)
CELERY_BEAT_SCHEDULE["coordination-stale-reminders"] = {
    "task": "coordination.tasks.stale_reminders_send",
    "schedule": 86400.0,
}
