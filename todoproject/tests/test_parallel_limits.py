"""40 parallel requests against real app servers: exactly the limit passes, with Redis and with the database cache.

The API throttle (core/throttling.py) and the failed-login limiter (core/ratelimit.py) count with atomic
increments (core/counters.py); a read-then-write count would let most of the 40 through.
"""

import threading
from http import HTTPStatus

import pytest
import redis
import requests
from django.conf import settings
from django.db import connection
from django.test import Client

from todoproject.tests.servers import gunicorn, wait_clear_of_window_end
from todos.tests.factories import UserFactory

REDIS_URL = "redis://127.0.0.1:6379/1"
PARALLEL = 40
RATE = 10

pytestmark = [pytest.mark.servers, pytest.mark.django_db(transaction=True)]


@pytest.fixture(params=[2, 8], ids=lambda workers: f"{workers}-workers")
def workers(request):
    return request.param


@pytest.fixture(params=["redis", "database-cache"])
def cache_env(request):
    if connection.vendor != "postgresql":
        pytest.skip("several app server processes need a shared database server: runs in the PostgreSQL pass")
    if request.param == "database-cache":
        yield {}
        return
    client = redis.Redis.from_url(REDIS_URL)
    client.flushdb()
    yield {"REDIS_URL": REDIS_URL}
    client.flushdb()


@pytest.fixture
def server(workers, cache_env):
    env = {**cache_env, "DJANGO_SECRET_KEY": settings.SECRET_KEY, "DJANGO_THROTTLE_RATE_USER": f"{RATE}/hour"}
    with gunicorn(workers=workers, env=env, timeout=60) as (url, _):
        yield url


def in_parallel(send) -> list[int]:
    """Send `send()` from PARALLEL threads released together; return the status codes."""
    statuses = []
    start = threading.Barrier(PARALLEL)

    def run():
        with requests.Session() as session:
            start.wait(timeout=30)
            statuses.append(send(session))

    threads = [threading.Thread(target=run) for _ in range(PARALLEL)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert len(statuses) == PARALLEL
    return statuses


def test_parallel_api_requests_pass_exactly_the_rate(server):
    user = UserFactory()
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    wait_clear_of_window_end(3600)

    statuses = in_parallel(lambda s: s.get(f"{server}/api/lists/", cookies={"sessionid": cookie}).status_code)

    assert statuses.count(HTTPStatus.OK) == RATE, statuses
    assert statuses.count(HTTPStatus.TOO_MANY_REQUESTS) == PARALLEL - RATE, statuses


def test_parallel_wrong_passwords_check_exactly_the_limit(server):
    user = UserFactory()
    wait_clear_of_window_end(settings.LOGIN_FAILURE_WINDOW)

    def wrong_password(session):
        return session.post(f"{server}/api/token/", json={"username": user.username, "password": "wrong"}).status_code

    statuses = in_parallel(wrong_password)

    assert statuses.count(HTTPStatus.BAD_REQUEST) == settings.LOGIN_FAILURE_LIMIT, statuses
    assert statuses.count(HTTPStatus.TOO_MANY_REQUESTS) == PARALLEL - settings.LOGIN_FAILURE_LIMIT, statuses
