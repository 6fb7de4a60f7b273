"""The README's production topology (nginx in front of gunicorn) answers while slow clients stall.

Gunicorn's sync workers serve one connection each from its first byte to its last, so clients that send
half a request and stop hold them; nginx (deploy/nginx.conf) buffers each request whole first.
"""

import http.client
import json
import os
import socket
import ssl
import time
import warnings
from concurrent.futures import ThreadPoolExecutor
from http import HTTPStatus
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests
import urllib3
from django.conf import settings
from django.db import connection

from todoproject.tests.servers import NGINX, gunicorn, production, readme_gunicorn_command, wait_clear_of_window_end

WORKERS = 3  # the README's
SLOW_CLIENTS = 5  # more than its workers
ANSWER_WITHIN = 1.0  # seconds
SETTLE = 0.3  # seconds for the slow clients' connections to be taken up before the page is asked for

pytestmark = [pytest.mark.servers, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("app servers need a database server they all reach: runs in the PostgreSQL pass")


@pytest.fixture
def nginx_present():
    """nginx from Debian's package. Missing in CI is a failure, never a skip (.ci/run installs it)."""
    if not Path(NGINX).exists():
        message = f"nginx not found at {NGINX} (apt-get install nginx)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


@pytest.fixture
def readme_topology(nginx_present):
    with production(env={"DJANGO_SECRET_KEY": settings.SECRET_KEY}) as (url, _):
        yield url


@pytest.fixture
def bare_gunicorn():
    """The README's gunicorn command reached directly, as the README used to put it on the network."""
    command = readme_gunicorn_command()
    assert command[command.index("--workers") + 1] == str(WORKERS)
    with gunicorn(argv=readme_gunicorn_command(), env={"DJANGO_SECRET_KEY": settings.SECRET_KEY}) as (url, _):
        yield url


def unverified() -> ssl.SSLContext:
    """The tests' nginx has a self-signed certificate."""
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context


def connect(url: str, source: str = "127.0.0.1") -> socket.socket:
    parts = urlsplit(url)
    sock = socket.create_connection((parts.hostname, parts.port), timeout=5, source_address=(source, 0))
    return unverified().wrap_socket(sock, server_hostname="localhost") if parts.scheme == "https" else sock


def stall(url: str) -> list[socket.socket]:
    """Open SLOW_CLIENTS connections that each send half a request (headers, or a body) and then nothing."""
    halves = [
        b"GET /admin/login/ HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ",
        b"POST /api/token/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        b'Content-Length: 200\r\n\r\n{"username": ',
    ]
    sockets = []
    for index in range(SLOW_CLIENTS):
        sock = connect(url)
        sock.sendall(halves[index % len(halves)])
        sockets.append(sock)
    return sockets


def seconds_to_a_page(url: str) -> float | None:
    """How long a GET of the login page takes while the slow clients stall; None past ANSWER_WITHIN."""
    # Every worker's first request is slow (templates, imports): warm them all, three at a time, so the
    # time measured is the wait, not a first request's.
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        pages = list(pool.map(lambda _: get_login_page(url, timeout=10), range(3 * WORKERS)))
    assert {page.status_code for page in pages} == {HTTPStatus.OK}
    sockets = stall(url)
    try:
        time.sleep(SETTLE)
        started = time.monotonic()
        try:
            response = get_login_page(url, timeout=ANSWER_WITHIN)
        except requests.Timeout:
            return None
        assert response.status_code == HTTPStatus.OK
        return time.monotonic() - started
    finally:
        for sock in sockets:
            sock.close()


def get_login_page(url: str, *, timeout: float) -> requests.Response:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", urllib3.exceptions.InsecureRequestWarning)
        return requests.get(f"{url}/admin/login/", timeout=timeout, verify=False)


def test_slow_clients_do_not_keep_others_waiting_behind_nginx(readme_topology):
    seconds = seconds_to_a_page(readme_topology)

    print(f"\nREADME topology (nginx + gunicorn, 3 workers), {SLOW_CLIENTS} stalled clients: a page in {seconds:.3f} s")
    assert seconds is not None, f"no answer within {ANSWER_WITHIN}s"


def test_slow_clients_hold_every_worker_of_gunicorn_alone(bare_gunicorn):
    """The check above fails on the old topology: gunicorn's workers taken straight from the network."""
    seconds = seconds_to_a_page(bare_gunicorn)

    print(f"\ngunicorn alone (3 workers), {SLOW_CLIENTS} stalled clients: a page in {seconds} (None: not within 1 s)")
    assert seconds is None, (
        f"gunicorn alone answered in {seconds}s: the check above would not tell the topologies apart"
    )


def failed_login(url: str, source: str, number: int, headers: dict | None = None) -> int:
    """Send a wrong password for a username of its own to /api/token/ from `source`; return the status."""
    parts = urlsplit(url)
    conn = http.client.HTTPSConnection(
        parts.hostname, parts.port, source_address=(source, 0), context=unverified(), timeout=10
    )
    try:
        body = json.dumps({"username": f"nobody{number}", "password": "wrong"})
        conn.request("POST", "/api/token/", body=body, headers={"Content-Type": "application/json", **(headers or {})})
        return conn.getresponse().status
    finally:
        conn.close()


def test_behind_nginx_failed_logins_are_counted_per_client_address(readme_topology):
    """Each client keeps its own address through nginx, and cannot claim another's."""
    limit = settings.LOGIN_FAILURE_LIMIT
    wait_clear_of_window_end(settings.LOGIN_FAILURE_WINDOW)
    for number in range(limit):
        assert failed_login(readme_topology, "127.0.0.2", number) == HTTPStatus.BAD_REQUEST

    assert failed_login(readme_topology, "127.0.0.2", limit) == HTTPStatus.TOO_MANY_REQUESTS
    assert failed_login(readme_topology, "127.0.0.3", limit + 1) == HTTPStatus.BAD_REQUEST
    escape = {"X-Real-IP": "127.0.0.4", "X-Forwarded-For": "127.0.0.4"}
    assert failed_login(readme_topology, "127.0.0.2", limit + 2, escape) == HTTPStatus.TOO_MANY_REQUESTS
    blame = {"X-Real-IP": "127.0.0.2", "X-Forwarded-For": "127.0.0.2"}
    assert failed_login(readme_topology, "127.0.0.3", limit + 3, blame) == HTTPStatus.BAD_REQUEST
