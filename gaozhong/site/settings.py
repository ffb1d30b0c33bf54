"""Django settings for gaozhong.

Environment:
- ``DATABASE_URL``: a database URL (``postgres://postgres@127.0.0.1:5432/test``); without it an embedded SQLite
  file under ``GAOZHONG_DATA_DIR`` (default ``var/`` at the repository root) is used.
- ``GAOZHONG_ENV=production`` with ``GAOZHONG_SECRET_KEY`` and ``GAOZHONG_ALLOWED_HOSTS`` (comma list) gives the
  production settings: HTTPS only, HSTS, secure cookies, strict CSP; ``manage check --deploy`` passes.
- ``GAOZHONG_DATA_DIR``: where the SQLite file, uploads and job logs live (outside the web root).
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent  # the gaozhong package
REPO_DIR = BASE_DIR.parent
DATA_DIR = Path(os.environ.get("GAOZHONG_DATA_DIR", REPO_DIR / "var"))

ENV = os.environ.get("GAOZHONG_ENV", "development")
PRODUCTION = ENV == "production"

if PRODUCTION:
    SECRET_KEY = os.environ["GAOZHONG_SECRET_KEY"]
    ALLOWED_HOSTS = [h.strip() for h in os.environ["GAOZHONG_ALLOWED_HOSTS"].split(",") if h.strip()]
    DEBUG = False
else:
    # Development and demo only: the demo serves on the loopback address.
    SECRET_KEY = os.environ.get("GAOZHONG_SECRET_KEY", "dev-only-not-secret-gaozhong-demo-key-0123456789abcdef")
    ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]", "testserver"]
    DEBUG = os.environ.get("GAOZHONG_DEBUG") == "1"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "csp",
    "gaozhong.site",
    "gaozhong.core",
    "gaozhong.admissions",
    "gaozhong.evaluation",
    "gaozhong.supervision",
    "gaozhong.people",
    "gaozhong.registry",
    "gaozhong.electives",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "gaozhong.site.language.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
    "gaozhong.core.views.mfa.MfaMiddleware",
]

ROOT_URLCONF = "gaozhong.site.urls"
WSGI_APPLICATION = "gaozhong.site.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "gaozhong.core.context.navigation",
                "gaozhong.core.context.standards",
            ],
        },
    },
]

if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": dj_database_url.parse(os.environ["DATABASE_URL"], conn_max_age=60)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("GAOZHONG_SQLITE", str(DATA_DIR / "gaozhong.sqlite3")),
            # The job worker is a second process: wait for locks instead of failing, and use WAL.
            "OPTIONS": {"timeout": 30, "transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Authentication: Argon2 first, lockout after repeated failures (django-axes), sessions expire.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "gaozhong.core.passwords.MixedCharactersValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.25  # hours: 15 minutes
# Lock an account after 5 failures from anywhere, and one browser (IP + user agent) after 5 failures across accounts.
AXES_LOCKOUT_PARAMETERS = ["username", ["ip_address", "user_agent"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "core/locked_out.html"
# The address axes counts is the platform's one notion of the client's address (behind the proxy: its header).
AXES_CLIENT_IP_CALLABLE = "gaozhong.core.clientaddr.client_address"
# Two-factor sign-in (TOTP) for city and county accounts: required in production unless GAOZHONG_MFA_REQUIRED=0.
MFA_REQUIRED = os.environ.get("GAOZHONG_MFA_REQUIRED", "1" if ENV == "production" else "0") == "1"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
SESSION_COOKIE_AGE = 4 * 60 * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_SAVE_EVERY_REQUEST = True  # the 4 hours count from the last request
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# Content Security Policy: every script and style is served from our own static files.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

if PRODUCTION:
    SECURE_SSL_REDIRECT = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["upgrade-insecure-requests"] = True

# Cache: counters that must hold across app servers (lookup and password-change limits) and sessions live in one
# shared Redis in production (GAOZHONG_REDIS_URL, e.g. redis://127.0.0.1:6379/0); without it, each process keeps
# its own memory cache, which is enough for one process (tests, development) and refused by `check --deploy`.
REDIS_URL = os.environ.get("GAOZHONG_REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL,
                          "KEY_PREFIX": "gaozhong", "TIMEOUT": 300}}
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "gaozhong"}}

# The client's address (gaozhong/core/clientaddr.py): behind the HTTPS proxy, the one header it writes the client's
# address into (GAOZHONG_TRUSTED_PROXY_HEADER, e.g. X-Forwarded-For or X-Real-IP), read only from a request whose
# peer is a trusted proxy (GAOZHONG_TRUSTED_PROXIES: comma list of addresses or networks, * for any; gunicorn
# gets the same list), with GAOZHONG_TRUSTED_PROXY_COUNT proxies in the chain. Without a header: REMOTE_ADDR.
TRUSTED_PROXY_HEADER = os.environ.get("GAOZHONG_TRUSTED_PROXY_HEADER", "").strip()
TRUSTED_PROXY_COUNT = int(os.environ.get("GAOZHONG_TRUSTED_PROXY_COUNT", "1"))
TRUSTED_PROXIES = [p.strip() for p in os.environ.get("GAOZHONG_TRUSTED_PROXIES", "127.0.0.1").split(",") if p.strip()]

# The public result lookup (准考证号 + 身份证号后 6 位): failed tries against one 准考证号 per window (from any
# address), and failed tries from one address (an IPv6 /64) per window, both counted in the shared cache.
LOOKUP_NUMBER_FAILURES = int(os.environ.get("GAOZHONG_LOOKUP_NUMBER_FAILURES", "10"))
LOOKUP_NUMBER_WINDOW = int(os.environ.get("GAOZHONG_LOOKUP_NUMBER_WINDOW", "3600"))
LOOKUP_ADDRESS_FAILURES = int(os.environ.get("GAOZHONG_LOOKUP_ADDRESS_FAILURES", "100"))
LOOKUP_ADDRESS_WINDOW = int(os.environ.get("GAOZHONG_LOOKUP_ADDRESS_WINDOW", "600"))

# Language: Simplified Chinese by default, English switchable. Message ids are the Chinese text.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Shanghai"
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise expects it; collectstatic fills it in production
WHITENOISE_USE_FINDERS = True  # serve app static files without collectstatic (demo, tests)
WHITENOISE_AUTOREFRESH = DEBUG

# Uploaded files (imports, evidence) are kept outside the web root and served only through views that check scope.
UPLOAD_DIR = DATA_DIR / "uploads"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
IMPORT_MAX_BYTES = 50 * 1024 * 1024

# Background jobs: django-tasks with its database backend; `gaozhong demo` starts the worker. A running job's worker
# writes a heartbeat every JOB_HEARTBEAT_SECONDS; a job without one for JOB_DEAD_AFTER_SECONDS lost its worker
# (killed, crashed, machine restarted) and is marked failed, which releases what it held.
JOB_HEARTBEAT_SECONDS = float(os.environ.get("GAOZHONG_JOB_HEARTBEAT_SECONDS", "10"))
JOB_DEAD_AFTER_SECONDS = float(os.environ.get("GAOZHONG_JOB_DEAD_AFTER_SECONDS", "120"))
TASKS = {
    "default": {
        "BACKEND": os.environ.get("GAOZHONG_TASK_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"gaozhong": {"handlers": ["console"], "level": "INFO"}},
}
