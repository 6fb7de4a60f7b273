"""Settings for the test suite: the main settings plus speed-ups that change no behaviour."""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-secret-key-not-for-production")

from todoproject.settings import *  # noqa: E402, F403

# MD5 hashes in microseconds; the real hashers are deliberately slow.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# The manifest storage needs collectstatic to have run; tests render templates without it.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Tests run over http on the live server.
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False

# Serve static files straight from the source folders, as runserver does: no collectstatic needed.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True

# The suite runs in one process, where per-process memory is a correct default cache, and it keeps
# cache reads out of the query-count tests. App servers that tests start (todoproject/tests/servers.py)
# are several processes and keep the production choice: Redis with REDIS_URL, else the database cache.
if not REDIS_URL and not os.environ.get("TODO_APP_SERVER"):  # noqa: F405
    CACHES = {**CACHES, "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}  # noqa: F405
