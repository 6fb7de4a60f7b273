"""Start real app servers (gunicorn) against the test database, for multi-server and fault tests."""

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

from core.models import RateCount

BASE_DIR = Path(settings.BASE_DIR)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database_url() -> str:
    """The URL of the database this test session uses (the test_ database), for other processes."""
    db = connection.settings_dict
    user = db.get("USER") or "postgres"
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    return f"postgres://{user}@{host}:{port}/{db['NAME']}"


DATABASE_CACHE = {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "django_cache"}


def empty_database_cache() -> None:
    """Create and empty the database cache's table, which app servers without REDIS_URL use (as production does).

    The README's production commands create it with `createcachetable`; emptied, and with the rate limits'
    counters (core/counters.py) deleted, no count or key of an earlier test reaches this one.
    """
    with override_settings(CACHES={**settings.CACHES, "default": DATABASE_CACHE}):
        call_command("createcachetable")
        caches["default"].clear()
    RateCount.objects.all().delete()


@contextmanager
def gunicorn(*, workers: int = 1, env: dict | None = None, timeout: float = 20.0):
    """Run `gunicorn todoproject.wsgi` on a free port; yield its base URL and the process."""
    if "REDIS_URL" not in (env or {}):
        empty_database_cache()
    port = free_port()
    process_env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "todoproject.test_settings",
        "DATABASE_URL": database_url(),
        "DJANGO_DEBUG": "false",
        "TODO_APP_SERVER": "1",  # several processes: the production cache choice (test_settings.py)
        **(env or {}),
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "todoproject.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--graceful-timeout",
            "2",
            "--log-level",
            "warning",
        ],
        cwd=BASE_DIR,
        env=process_env,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(url, timeout=timeout, process=process)
        yield url, process
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def wait_until_up(url: str, *, timeout: float, process=None, path: str = "/admin/login/") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url + path, timeout=2):
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.1)
    raise TimeoutError(f"{url} did not come up in {timeout} s")
