"""Start real app servers (gunicorn, and nginx in front) against the test database, for multi-server,
fault and serving tests. `production()` runs the README's own production command behind nginx."""

import contextlib
import os
import re
import shlex
import shutil
import socket
import subprocess
import sys
import tempfile
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


def wait_clear_of_window_end(seconds: int, margin: int = 15) -> None:
    """Wait for the next fixed window of the rate limits (core/counters.py) if this one ends within `margin`
    seconds, so the hits a test counts all land in one window (app servers keep real time)."""
    left = seconds - int(time.time()) % seconds
    if left < margin:
        time.sleep(left + 0.5)


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


def readme_gunicorn_command() -> list[str]:
    """The gunicorn command of the README's "Production" section (one server), as written there."""
    readme = (BASE_DIR / "README.md").read_text()
    section = readme.split("\n## Production\n", 1)[1].split("\n### ", 1)[0]
    for block in re.findall(r"```sh\n(.*?)```", section, flags=re.DOTALL):
        for line in block.splitlines():
            argv = shlex.split(line.split("#", 1)[0])
            if argv and Path(argv[0]).name == "gunicorn":
                return argv
    raise AssertionError("README.md's Production section has no gunicorn command")


def _with_port(argv: list[str], port: int) -> list[str]:
    """`argv` with its `--bind HOST:PORT` moved to `port`: tests need a free one. Nothing else changes."""
    bind = argv.index("--bind") + 1
    host, _ = argv[bind].rsplit(":", 1)
    return [*argv[:bind], f"{host}:{port}", *argv[bind + 1 :]]


@contextmanager
def gunicorn(*, workers: int = 1, env: dict | None = None, timeout: float = 20.0, argv: list[str] | None = None):
    """Run `gunicorn todoproject.wsgi` on a free port; yield its base URL and the process.

    `argv` is a whole gunicorn command (the README's) to run instead, its --bind moved to the free port.
    """
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
    if argv is None:
        argv = [
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
        ]
    else:
        argv = _with_port(argv, port)
    process = subprocess.Popen(argv, cwd=BASE_DIR, env=process_env)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(url, timeout=timeout, process=process)
        yield url, process
    finally:
        stop(process)


def stop(process) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
NGINX_CONF = BASE_DIR / "deploy" / "nginx.conf"


def self_signed_certificate(directory: Path) -> tuple[Path, Path]:
    cert, key = directory / "cert.pem", directory / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost"]
        + ["-keyout", str(key), "-out", str(cert)],
        check=True,
        capture_output=True,
    )
    return cert, key


@contextmanager
def nginx(*, upstream: str, timeout: float = 10.0):
    """Run nginx with deploy/nginx.conf in front of `upstream` (host:port); yield its https base URL.

    The shipped file as it is, but for what a test must change: its ports (free ones), its upstream
    (the test's gunicorn) and its certificate (self-signed). Each must be found, so an edit of the file
    that the test would silently not follow fails here.
    """
    conf = NGINX_CONF.read_text()
    http_port, https_port = free_port(), free_port()
    with tempfile.TemporaryDirectory(prefix="nginx-") as tmp:
        directory = Path(tmp)
        cert, key = self_signed_certificate(directory)
        for old, new in {
            "server 127.0.0.1:8000 ": f"server {upstream} ",
            "listen 80;": f"listen 127.0.0.1:{http_port};",
            "listen [::]:80;": "",
            "listen 443 ssl;": f"listen {https_port} ssl;",
            "listen [::]:443 ssl;": "",
            "/etc/letsencrypt/live/todo.example.com/fullchain.pem": str(cert),
            "/etc/letsencrypt/live/todo.example.com/privkey.pem": str(key),
        }.items():
            assert old in conf, f"{NGINX_CONF} no longer holds {old!r}: update servers.nginx()"
            conf = conf.replace(old, new)
        (directory / "todoproject.conf").write_text(conf)
        # Debian's /etc/nginx/nginx.conf, reduced to what a test needs and with every path in `directory`.
        (directory / "nginx.conf").write_text(
            f"""daemon off;
pid {directory}/nginx.pid;
error_log {directory}/error.log warn;
worker_processes 1;
events {{ worker_connections 256; }}
http {{
    access_log off;
    client_body_temp_path {directory}/body;
    proxy_temp_path {directory}/proxy;
    fastcgi_temp_path {directory}/fastcgi;
    uwsgi_temp_path {directory}/uwsgi;
    scgi_temp_path {directory}/scgi;
    include {directory}/todoproject.conf;
}}
"""
        )
        process = subprocess.Popen([NGINX, "-p", str(directory), "-c", str(directory / "nginx.conf")])
        url = f"https://127.0.0.1:{https_port}"
        try:
            deadline = time.monotonic() + timeout
            while True:
                if process.poll() is not None:
                    raise RuntimeError(
                        f"nginx exited with {process.returncode}: {(directory / 'error.log').read_text()}"
                    )
                with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", https_port), timeout=1):
                    break
                if time.monotonic() > deadline:
                    raise TimeoutError(f"nginx did not listen on {https_port} in {timeout} s")
                time.sleep(0.05)
            yield url
        finally:
            stop(process)


@contextmanager
def production(*, env: dict | None = None):
    """The README's production topology: its gunicorn command, with nginx (deploy/nginx.conf) in front.

    Yields the https URL that clients use and the URL of gunicorn itself.
    """
    with (
        gunicorn(argv=readme_gunicorn_command(), env=env) as (app, _),
        nginx(upstream=app.removeprefix("http://")) as url,
    ):
        yield url, app


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
