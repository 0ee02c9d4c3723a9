"""Django settings for liangji. Everything installation-specific comes from the environment."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import dj_database_url

from liangji import config

DATA_DIR = config.data_dir()
BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent

DEBUG = config.env_bool("LIANGJI_DEBUG", False)
# A town office PC serves the application to itself or its intranet; the secret is generated
# once into the data directory so that a fresh install needs no configuration.
SECRET_KEY = config.env_str("LIANGJI_SECRET_KEY", "") or config.secret_key_from(DATA_DIR)
ALLOWED_HOSTS = config.env_list("LIANGJI_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "liangji.accounts",
    "liangji.audit",
    "liangji.registers",
    "liangji.imports",
    "liangji.indicators",
    "liangji.archive",
    "liangji.dropout",
    "liangji.literacy",
    "liangji.inspection",
    "liangji.reports",
    "liangji.web",
    "liangji.demo",
    "liangji.ops",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "liangji.registers.school_year.SchoolYearMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "liangji.web.middleware.SecurityHeadersMiddleware",
    "liangji.web.middleware.StatementTimeoutMiddleware",
]

ROOT_URLCONF = "liangji.urls"
WSGI_APPLICATION = "liangji.wsgi.application"

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
                "liangji.web.context_processors.layout",
            ],
        },
    },
]

DATABASES = {"default": dj_database_url.parse(config.database_url(), conn_max_age=60)}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # WAL lets the web application read while an import writes; a busy timeout instead of
    # "database is locked" errors when two writers meet.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 30,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
    # Connections are kept between requests, as on PostgreSQL: the first statement of a new
    # SQLite connection reads the whole schema (about 4 ms for our ~250 tables and indexes),
    # more than a kept dashboard costs; under 200 requests at once it tripled the page time.
    DATABASES["default"]["CONN_MAX_AGE"] = 60
    # Tests use a file, not memory, so that background processes (the browser's import jobs)
    # open the same test database. One file per test process: concurrent runs never share it.
    DATABASES["default"]["TEST"] = {
        "NAME": str(Path(tempfile.gettempdir()) / f"liangji-test-{os.getpid()}.sqlite3")
    }

# On PostgreSQL no query of a web request runs longer than this (seconds; 0: no limit): a
# request that hits it gets an error page instead of holding a worker and the server. Set per
# request by the web middleware only, so imports and commands are not limited.
WEB_STATEMENT_TIMEOUT = config.env_int("LIANGJI_WEB_STATEMENT_TIMEOUT", 30)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
# zh-Hans with ISO input formats first, so that <input type="date"> shows and keeps the value.
FORMAT_MODULE_PATH = ["liangji.formats"]

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = (
    [("vendor", PROJECT_DIR / "node_modules")] if (PROJECT_DIR / "node_modules").is_dir() else []
)
MEDIA_ROOT = DATA_DIR / "media"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = config.env_bool("LIANGJI_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
# Behind an HTTPS reverse proxy (README "Production setup"): the proxy's origin for CSRF, and
# the proxy's X-Forwarded-Proto believed only when secure cookies say HTTPS is in front.
CSRF_TRUSTED_ORIGINS = config.env_list("LIANGJI_CSRF_TRUSTED_ORIGINS", [])
# Proxies whose X-Forwarded-For is believed (accounts/addresses.py): the local nginx by default.
LIANGJI_TRUSTED_PROXIES = config.env_networks("LIANGJI_TRUSTED_PROXIES", ["127.0.0.1", "::1"])
if SESSION_COOKIE_SECURE:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 31536000
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "web:dashboard"
LOGOUT_REDIRECT_URL = "accounts:login"
# An office session ends with the working day or when the browser closes.
SESSION_COOKIE_AGE = 10 * 60 * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# liangji.log rotates by size (5 × 10 MB kept) and never holds a full ID number or a password
# (liangji/logfilters.py masks every record before it is written).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"sensitive": {"()": "liangji.logfilters.SensitiveDataFilter"}},
    "handlers": {
        "file": {
            "class": "logging.handlers.RotatingFileHandler",
            "filename": str(DATA_DIR / "liangji.log"),
            "maxBytes": 10 * 1024 * 1024,
            "backupCount": 5,
            "encoding": "utf-8",
            "filters": ["sensitive"],
        },
    },
    "root": {"handlers": ["file"], "level": "WARNING"},
}
