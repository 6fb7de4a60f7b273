"""Settings for todoproject.

Every deploy-specific value comes from the environment through django-environ.
See https://docs.djangoproject.com/en/5.2/ref/settings/ and README.md.
"""

from pathlib import Path

import environ
from corsheaders.defaults import default_headers as default_cors_headers
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

# GENERAL
DEBUG = env.bool("DJANGO_DEBUG", default=False)

SECRET_KEY = env("DJANGO_SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("Set DJANGO_SECRET_KEY (or DJANGO_DEBUG=true for local development).")
    SECRET_KEY = "django-insecure-local-development-only"

ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    # whitenoise serves static files in runserver too, so development matches production.
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    # Full-text search and trigram similarity on PostgreSQL (todos.selectors.todo_search).
    # https://docs.djangoproject.com/en/5.2/ref/contrib/postgres/search/
    "django.contrib.postgres",
    # Two-factor login: authenticator apps (TOTP) and recovery codes. https://django-otp-official.readthedocs.io/
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "corsheaders",
    "csp",
    "django_filters",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    # request.htmx, and the template loader that serves a template's named partials ("page.html#row").
    # https://django-htmx.readthedocs.io/ https://github.com/carltongibson/django-template-partials
    "django_htmx",
    "template_partials",
    "core",
    "accounts",
    "todos",
    "orders",
]

MIDDLEWARE = [
    "core.middleware.TrustedProxyMiddleware",  # first: everything after it sees the client's address
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "core.middleware.SessionIdleTimeoutMiddleware",
    "accounts.middleware.TimeZoneMiddleware",  # after the session's user is known (and an idle one logged out)
    "core.middleware.PrivateCacheControlMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "core.middleware.ApiRequestSizeLimitMiddleware",
    "core.ratelimit.LoginRateLimitMiddleware",
    "accounts.two_factor.StaffTwoFactorMiddleware",
    # Last, so it is the first to see a view's exception: a query cancelled by the statement timeout is a 503.
    "core.middleware.QueryCanceledMiddleware",
]

ROOT_URLCONF = "todoproject.urls"
WSGI_APPLICATION = "todoproject.wsgi.application"

# template_partials (its default app config) wraps these loaders at startup in its own, which finds a
# template's named partials ("todos/list_detail.html#todo-row").
# https://github.com/carltongibson/django-template-partials#installation
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
                "core.context_processors.nav_section",  # the top bar's current tab
                "core.context_processors.notice",  # the page's one notice (templates/includes/messages.html)
            ],
        },
    },
]

# DATABASES
# Unset DATABASE_URL means the embedded SQLite file; e.g. postgres://postgres@127.0.0.1:5432/todoproject
# selects PostgreSQL. https://django-environ.readthedocs.io/en/latest/types.html#environ-env-db-url
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE takes the write lock at BEGIN, so concurrent writers wait (timeout) instead of
    # failing with "database is locked" half-way through a transaction.
    # https://docs.djangoproject.com/en/5.2/ref/databases/#sqlite-transaction-behavior
    DATABASES["default"]["OPTIONS"] = {"transaction_mode": "IMMEDIATE", "timeout": 20}
else:
    # Persistent connections, checked before reuse so a restarted server is survived.
    # https://docs.djangoproject.com/en/5.2/ref/databases/#persistent-connections
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # No query runs longer than this (milliseconds; 0: no limit): a cancelled one answers 503
    # (core.middleware.QueryCanceledMiddleware) instead of holding a worker. Long-running management
    # commands (a big migration, generate_data) lift it: DJANGO_DB_STATEMENT_TIMEOUT=0 manage.py ...
    # https://www.postgresql.org/docs/current/runtime-config-client.html#GUC-STATEMENT-TIMEOUT
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
        f"-c statement_timeout={env.int('DJANGO_DB_STATEMENT_TIMEOUT', default=5000)}"
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# CACHES
# The default cache holds what every process must agree on: failed-login and API rate limits,
# Idempotency-Key records, list counts, and (cached_db sessions) the sessions in front of the database.
# REDIS_URL (e.g. redis://127.0.0.1:6379/0) shares it between every process of every app server.
# Without it, production uses Django's database cache (`manage.py createcachetable`), shared by every
# process on the database; only `make run` (DEBUG, one runserver process) keeps it in process memory,
# and `check --deploy` refuses that with DEBUG off (core/checks.py).
# https://docs.djangoproject.com/en/5.2/topics/cache/#redis
# https://docs.djangoproject.com/en/5.2/topics/cache/#database-caching
REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
elif DEBUG:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "django_cache"}}
# Rendered pages and API pages (core/caching.py) in each process's memory: their keys hold list and
# order versions read from the database, so no process serves a page that another one made stale.
CACHES["pages"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "pages",
    "TIMEOUT": 600,
    "OPTIONS": {"MAX_ENTRIES": 500},  # about 50 KB a page of 100 todos: at most ~25 MB per process
}

# SESSIONS
# In the database, read through the cache (Redis with REDIS_URL, so shared by every app server).
# https://docs.djangoproject.com/en/5.2/topics/http/sessions/#using-cached-sessions
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
# Idle expiry: a session unused for DJANGO_SESSION_IDLE_TIMEOUT seconds (default 14 days) is logged out.
# core.middleware.SessionIdleTimeoutMiddleware re-saves an active session (moving its expiry) at most
# once per SESSION_REFRESH_INTERVAL, not on every request (SESSION_SAVE_EVERY_REQUEST would write the
# database each time).
SESSION_COOKIE_AGE = env.int("DJANGO_SESSION_IDLE_TIMEOUT", default=14 * 24 * 60 * 60)
SESSION_REFRESH_INTERVAL = min(5 * 60, SESSION_COOKIE_AGE // 10)

# AUTH
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# Staff must set up two-factor login before any other page, and the admin takes a code from them.
REQUIRE_STAFF_2FA = env.bool("DJANGO_REQUIRE_STAFF_2FA", default=False)
# The authenticator app shows this name beside the account.
OTP_TOTP_ISSUER = "todoproject"

# EMAIL
# Password reset links. DJANGO_EMAIL_URL picks the server: smtp+tls://user:pass@host:587 (STARTTLS),
# smtp+ssl://user:pass@host:465 (TLS), smtp://host:25 (unencrypted), consolemail:// (prints mails
# to the console: the default with DEBUG on, so `make run` needs no mail server).
# https://django-environ.readthedocs.io/en/latest/types.html#environ-env-email-url
vars().update(env.email_url("DJANGO_EMAIL_URL", default="consolemail://" if DEBUG else "smtp://localhost:25"))
DEFAULT_FROM_EMAIL = env("DJANGO_DEFAULT_FROM_EMAIL", default="webmaster@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# I18N
LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# STATIC FILES
# Compressed, content-hashed files served by whitenoise; nothing is loaded from a CDN.
# https://whitenoise.readthedocs.io/en/stable/django.html
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# whitenoise knows no .webmanifest: browsers want the web app manifest's own type.
# https://whitenoise.readthedocs.io/en/stable/django.html#WHITENOISE_MIMETYPES
WHITENOISE_MIMETYPES = {".webmanifest": "application/manifest+json"}

# DRF
# https://www.django-rest-framework.org/api-guide/settings/
REST_FRAMEWORK = {
    # Token first: its WWW-Authenticate header makes DRF answer 401 (not 403) to anonymous requests.
    # The personal API tokens (accounts.models.APIToken: hashed, named, expiring, read-only or not).
    # Session auth (the site's own JavaScript) still works, with its CSRF check on unsafe methods.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.authentication.APITokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # JSON bodies only: any other Content-Type answers 415. (The token endpoint also takes forms.)
    # core.parsers answers 400 to a body nested deeper than JSON_MAX_DEPTH or holding a lone surrogate.
    "DEFAULT_PARSER_CLASSES": ["core.parsers.JSONParser"],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "core.api.BoundedSearchFilter",
        "core.api.StableOrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "core.api.PageNumberPagination",
    "EXCEPTION_HANDLER": "core.api.exception_handler",
    # Rate limits, atomic counters in the shared store (core/throttling.py, core/counters.py): each user's
    # API requests (anonymous ones per client address), and per client address the anonymous Todo-Backend
    # URLs (todos/todobackend.py picks that scope). Over the limit: 429 with Retry-After.
    # https://www.django-rest-framework.org/api-guide/throttling/
    "DEFAULT_THROTTLE_CLASSES": ["core.throttling.RateThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "user": env("DJANGO_THROTTLE_RATE_USER", default="300/minute"),
        "todobackend": env("DJANGO_THROTTLE_RATE_TODOBACKEND", default="120/minute"),
    },
    # The client address is REMOTE_ADDR, as for the failed-login limiter: a client can forge X-Forwarded-For.
    # (Behind nginx, REMOTE_ADDR is made the client's by core.middleware.TrustedProxyMiddleware.)
    "NUM_PROXIES": 0,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}

# `?search=` takes at most this many characters and terms (core.api.BoundedSearchFilter); more is a 400.
SEARCH_MAX_LENGTH = 200
SEARCH_MAX_TERMS = 10

# JSON request bodies nest at most this deep (ours nest 3 levels: an order's items); deeper is a 400.
JSON_MAX_DEPTH = 32

# https://drf-spectacular.readthedocs.io/en/latest/settings.html
SPECTACULAR_SETTINGS = {
    "TITLE": "todoproject API",
    "DESCRIPTION": "Todo lists, todos, products and orders.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Request bodies get components of their own, without the read-only fields (`id`, timestamps, counts):
    # the API ignores those in a request, which a request schema that lists them as readOnly cannot say.
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # One name for the Order.status choices wherever they appear.
    "ENUM_NAME_OVERRIDES": {"OrderStatusEnum": "orders.models.OrderStatus"},
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "core.schema.document_common_errors",
        "accounts.schema.document_read_only_tokens",
    ],
}

# CORS
# https://github.com/adamchainz/django-cors-headers#configuration
# The configured origins may call /api/ (without cookies). /api/todobackend/ is left out: those public
# URLs send `Access-Control-Allow-Origin: *` themselves (todos/todobackend.py).
CORS_ALLOWED_ORIGINS = env.list("DJANGO_CORS_ALLOWED_ORIGINS", default=[])
CORS_URLS_REGEX = r"^/api/(?!todobackend/).*$"
CORS_ALLOW_CREDENTIALS = False
# Conditional writes (If-Match/ETag), idempotent creation and rate limits work cross-origin too.
CORS_ALLOW_HEADERS = [*default_cors_headers, "if-match", "idempotency-key"]
CORS_EXPOSE_HEADERS = ["Location", "ETag", "Idempotent-Replayed", "Retry-After"]

# SECURITY
# https://docs.djangoproject.com/en/5.2/howto/deployment/checklist/
# nginx sets X-Forwarded-Proto and X-Real-IP itself (deploy/nginx.conf), and gunicorn listens on
# 127.0.0.1 only, so both come from nginx. X-Real-IP is believed only from these addresses (the
# proxy's as gunicorn sees it; gunicorn's --forwarded-allow-ips defaults to the same):
# core.middleware.TrustedProxyMiddleware.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
TRUSTED_PROXY_IPS = env.list("DJANGO_TRUSTED_PROXY_IPS", default=["127.0.0.1", "::1"])
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=False)
SESSION_COOKIE_SECURE = env.bool("DJANGO_SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Request size limits: no single request may exhaust the server.
# https://docs.djangoproject.com/en/5.2/ref/settings/#data-upload-max-memory-size
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
# One file: the import of the Account page and /api/import/ (accounts/data.py); their size is checked there.
DATA_UPLOAD_MAX_NUMBER_FILES = 1

# Failed logins (login pages and token endpoint) per client address and per username, counted in
# the shared store (core/ratelimit.py). The username's limit holds for addresses with failures of
# their own; one without any may try until the higher LOGIN_USERNAME_FAILURE_LIMIT, so that failing
# from elsewhere cannot lock the owner out.
LOGIN_FAILURE_LIMIT = env.int("DJANGO_LOGIN_FAILURE_LIMIT", default=5)
LOGIN_USERNAME_FAILURE_LIMIT = env.int("DJANGO_LOGIN_USERNAME_FAILURE_LIMIT", default=50)
LOGIN_FAILURE_WINDOW = 60
# Sign-up forms sent per client address (accounts/views.py), as a DRF-style rate.
SIGNUP_RATE = env("DJANGO_SIGNUP_RATE", default="10/hour")
LOGIN_RATE_LIMITED_URLS = ["login", "two_factor_login", "api:token", "admin:login"]

# IDEMPOTENCY
# How long a first request holds its Idempotency-Key before a retry may run it again (core/idempotency.py).
# Longer than any request can run (gunicorn's --timeout, 30 s by default), or a slow first attempt and
# its retry could both write.
IDEMPOTENCY_LEASE_SECONDS = env.int("DJANGO_IDEMPOTENCY_LEASE_SECONDS", default=60)

# CONTENT SECURITY POLICY
# No inline scripts anywhere (the admin and Swagger UI included); styles only from our origin
# plus inline style attributes, which the admin and Swagger UI use.
# https://django-csp.readthedocs.io/en/latest/configuration.html
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# LOGGING
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", default="INFO")},
}
