"""Settings for Jishiyu, read from the environment only.

Development defaults are safe to run on a laptop; with DEBUG=0 the settings refuse to start
without a real SECRET_KEY and FIELD_ENCRYPTION_KEY (see docs/deploy.md for every variable).
"""

from __future__ import annotations

import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

import django_stubs_ext
import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

# Lets the code write the type parameters the stubs define (ModelAdmin[Model], ModelForm[Model],
# Paginator[...]) in class bases, where Python evaluates them: adds a no-op __class_getitem__.
django_stubs_ext.monkeypatch(include_builtins=False)

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False) if (BASE_DIR / ".env").exists() else None

DEBUG = env.bool("DEBUG", default=True)
# With DEBUG on, missing pages still get the product's 404 page unless this asks for Django's technical one.
DEBUG_TECHNICAL_404 = env.bool("DEBUG_TECHNICAL_404", default=False)
TESTING = env.bool("TESTING", default="pytest" in sys.modules)

_DEV_SECRET = "dev-only-insecure-secret-key-change-me-0123456789abcdefghijklmnop"
# A development-only key for field encryption (32 bytes, url-safe base64). Never used with DEBUG=0.
_DEV_FIELD_KEY = "ZGV2LW9ubHktZmllbGQta2V5LWNoYW5nZS1tZS0wMDA="

SECRET_KEY = env.str("SECRET_KEY", default=_DEV_SECRET)
FIELD_ENCRYPTION_KEY = env.str("FIELD_ENCRYPTION_KEY", default=_DEV_FIELD_KEY)
# Earlier keys, newest first, kept while `manage.py rotate_field_key` rewrites the values they encrypted.
FIELD_ENCRYPTION_OLD_KEYS = env.list("FIELD_ENCRYPTION_OLD_KEYS", default=[])
# Key for the keyed hash (HMAC-SHA256) used to look up id numbers and phones; defaults to one derived
# from FIELD_ENCRYPTION_KEY so a laptop needs nothing set.
FIELD_HASH_KEY = env.str("FIELD_HASH_KEY", default="")
# Dotted path of the cipher used for sensitive fields: AES-GCM by default; an SM4 cipher can be plugged in.
FIELD_CIPHER = env.str("FIELD_CIPHER", default="jishiyu.core.crypto.AesGcmCipher")

if not DEBUG:
    if SECRET_KEY == _DEV_SECRET or len(SECRET_KEY) < 50:
        raise ImproperlyConfigured("Set SECRET_KEY (50+ characters) when DEBUG=0.")
    if FIELD_ENCRYPTION_KEY == _DEV_FIELD_KEY:
        raise ImproperlyConfigured("Set FIELD_ENCRYPTION_KEY when DEBUG=0.")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "axes",
    "huey.contrib.djhuey",
    "ninja",
    # core
    "jishiyu.core",
    "jishiyu.regions",
    "jishiyu.accounts",
    "jishiyu.organisations",
    "jishiyu.people",
    "jishiyu.audit",
    "jishiyu.notifications",
    # domain modules
    "jishiyu.tickets",
    "jishiyu.deliberation",
    "jishiyu.charity",
    "jishiyu.circles",
    # shells that read everything
    "jishiyu.portal",
    "jishiyu.workbench",
    "jishiyu.dashboard",
    "jishiyu.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    *(["jishiyu.core.errorpages.FriendlyNotFoundMiddleware"] if DEBUG and not DEBUG_TECHNICAL_404 else []),
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "jishiyu.accounts.middleware.IdleTimeoutMiddleware",
    "jishiyu.accounts.middleware.PasswordExpiryMiddleware",
    "jishiyu.audit.middleware.AuditContextMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

# The machine lane (jishiyu.core.wsgi): requests a machine signs with its own key (the 12345 push and
# its events, Open311) skip the middleware that serve signed-in people.
MACHINE_PATH_PREFIXES = ["/api/v1/hotline/tickets", "/open311/"]
MACHINE_MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "jishiyu.audit.middleware.MachineContextMiddleware",
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
                "jishiyu.core.context_processors.display",
            ],
        },
    },
]

# --- database -------------------------------------------------------------------------------
# SQLite by default (WAL, immediate transactions, busy timeout: concurrent writers wait instead of
# failing); PostgreSQL when DATABASE_URL says so.
VAR_DIR.mkdir(exist_ok=True)
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'jishiyu.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": (
                "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;PRAGMA busy_timeout=20000;PRAGMA foreign_keys=ON;"
            ),
        }
    )
    DATABASES["default"].setdefault("TEST", {})["NAME"] = str(VAR_DIR / "test.sqlite3")
else:
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # Behind PgBouncer in transaction mode, server-side cursors (long exports read in chunks) must be off.
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = env.bool("DB_DISABLE_SERVER_SIDE_CURSORS", default=False)
# Connections are kept on both engines: opening an SQLite connection runs the PRAGMAs above, and closing
# the last one checkpoints the WAL with an fsync; per request that was half of a 12345 push's CPU.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- cache ----------------------------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- background work (huey) ---------------------------------------------------------------
HUEY = {
    "name": "jishiyu",
    "immediate": env.bool("HUEY_IMMEDIATE", default=TESTING),
    "utc": True,
    "consumer": {"workers": 2, "worker_type": "thread"},
}
if REDIS_URL:
    HUEY.update({"huey_class": "huey.RedisHuey", "connection": {"url": REDIS_URL}})
else:
    # jishiyu.core.queue: huey's SQLite queue without an fsync per enqueue (WAL, synchronous=NORMAL)
    HUEY.update(
        {
            "huey_class": "jishiyu.core.queue.SqliteHuey",
            "filename": env.str("HUEY_FILE", default=str(VAR_DIR / "huey.sqlite3")),
        }
    )

# --- accounts and security (等保2.0 level 3 as a setting set) -------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "portal:home"
LOGOUT_REDIRECT_URL = "portal:home"
PASSWORD_HASHERS = (
    ["django.contrib.auth.hashers.MD5PasswordHasher"]
    if TESTING
    else ["django.contrib.auth.hashers.Argon2PasswordHasher", "django.contrib.auth.hashers.PBKDF2PasswordHasher"]
)
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "jishiyu.accounts.validators.CharacterClassValidator", "OPTIONS": {"min_classes": 3}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
SECURITY_POLICY = {
    "password_max_age_days": env.int("PASSWORD_MAX_AGE_DAYS", default=90),
    "password_history": env.int("PASSWORD_HISTORY", default=5),
    "staff_second_factor": env.bool("STAFF_SECOND_FACTOR", default=False),
    "idle_timeout_minutes": env.int("IDLE_TIMEOUT_MINUTES", default=30),
}
AXES_FAILURE_LIMIT = env.int("LOCKOUT_FAILURES", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOCKOUT_MINUTES", default=30))
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_USERNAME_FORM_FIELD = "phone"
AXES_RESET_ON_SUCCESS = True
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)
AXES_LOCKOUT_CALLABLE = "jishiyu.accounts.lockout.lockout_response"
AXES_SENSITIVE_PARAMETERS = ["password", "phone", "code"]
AXES_VERBOSE = False
# Axes logs the client; ours masks the mobile number (logs never hold a plain phone).
AXES_CLIENT_STR_CALLABLE = "jishiyu.accounts.lockout.client_str"
# Lockout is per account (等保2.0); rate limits per address belong to the reverse proxy (docs/deploy.md).
SILENCED_SYSTEM_CHECKS = ["axes.W006", "security.W021"]

SESSION_COOKIE_AGE = SECURITY_POLICY["idle_timeout_minutes"] * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False

SMS_SENDER = env.str("SMS_SENDER", default="jishiyu.notifications.sms.OutboxSender")
OTP_TTL_SECONDS = env.int("OTP_TTL_SECONDS", default=300)
API_TOKEN_TTL_HOURS = env.int("API_TOKEN_TTL_HOURS", default=12)

AUDIT_RETENTION_DAYS = max(180, env.int("AUDIT_RETENTION_DAYS", default=365))

if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:", *env.list("MAP_TILE_HOSTS", default=[])],
        "style-src": ["'self'", "'unsafe-inline'"],
        "script-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
MAP_TILE_URL = env.str("MAP_TILE_URL", default="")
# A self-hosted base map: a PMTiles archive on this server's disk, served by the installation itself
# (/regions/map/tiles.pmtiles, with HTTP ranges). Empty: maps draw the district from its own data only.
MAP_TILES_PMTILES = env.str("MAP_TILES_PMTILES", default="")

# --- i18n -----------------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- static and media -----------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=str(VAR_DIR / "media"))
FILE_STORAGE = env.str("FILE_STORAGE", default="django.core.files.storage.FileSystemStorage")
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": FILE_STORAGE},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
S3_STORAGE = "storages.backends.s3.S3Storage"
if FILE_STORAGE == S3_STORAGE:
    # Object storage (requirements-s3.txt): a private bucket; the app serves every file after its own scope
    # check, so objects get no public ACL and any URL the storage makes is signed.
    if not env.str("AWS_STORAGE_BUCKET_NAME", default="").strip():
        raise ImproperlyConfigured("Set AWS_STORAGE_BUCKET_NAME: FILE_STORAGE is S3 and needs a bucket.")
    STORAGES["default"]["OPTIONS"] = {
        "bucket_name": env.str("AWS_STORAGE_BUCKET_NAME").strip(),
        "endpoint_url": env.str("AWS_S3_ENDPOINT_URL", default="") or None,
        "region_name": env.str("AWS_S3_REGION_NAME", default="") or None,
        "access_key": env.str("AWS_ACCESS_KEY_ID", default="") or None,  # else boto3's own chain (a role)
        "secret_key": env.str("AWS_SECRET_ACCESS_KEY", default="") or None,
        "location": env.str("AWS_LOCATION", default="media"),
        "default_acl": None,
        "querystring_auth": True,
        "file_overwrite": False,
    }
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
IMPORT_MAX_BYTES = env.int("IMPORT_MAX_BYTES", default=20 * 1024 * 1024)
IMPORT_MAX_ROWS = env.int("IMPORT_MAX_ROWS", default=200_000)
IMPORT_MAX_UNPACKED_BYTES = env.int("IMPORT_MAX_UNPACKED_BYTES", default=256 * 1024 * 1024)  # an .xlsx unpacked
# Tickets: a handler's reply waits for a reviewer (审核答复) before the resident sees it; a district that
# does not review replies sets TICKETS_REPLY_REVIEW=0.
TICKETS_REPLY_REVIEW = env.bool("TICKETS_REPLY_REVIEW", default=True)

# --- logging: never a plain id number or phone (jishiyu.core.logging masks them) -------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"mask_personal": {"()": "jishiyu.core.logging.MaskPersonalDataFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["mask_personal"]}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # WeasyPrint (acknowledgement PDFs) logs each layout step and fontTools each subset at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

NINJA_PAGINATION_PER_PAGE = 20
DEMO_PASSWORD = env.str("DEMO_PASSWORD", default="Jishiyu@2024")
SITE_NAME = _("Jishiyu")
