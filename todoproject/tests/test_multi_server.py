"""App servers share sessions, rate limits and Idempotency-Key records.

Several servers behind one PostgreSQL and one Redis; and one server's several workers without Redis
(the database cache), as the README's production command runs them.
"""

import uuid
from concurrent.futures import ThreadPoolExecutor
from http import HTTPStatus

import pytest
import redis
import requests
from django.conf import settings
from django.db import connection

from accounts.services import api_token_create
from todoproject.tests.servers import gunicorn, readme_gunicorn_command, wait_clear_of_window_end
from todos.models import TodoList
from todos.tests.factories import UserFactory

REDIS_URL = "redis://127.0.0.1:6379/15"

pytestmark = [pytest.mark.servers, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def shared_redis():
    if connection.vendor != "postgresql":
        pytest.skip("several app servers need a shared database server: runs in the PostgreSQL pass")
    client = redis.Redis.from_url(REDIS_URL)
    client.flushdb()
    yield client
    client.flushdb()


@pytest.fixture
def two_servers(shared_redis):
    env = {"REDIS_URL": REDIS_URL, "DJANGO_SECRET_KEY": settings.SECRET_KEY}
    with gunicorn(env=env) as (first, _), gunicorn(env=env) as (second, _):
        yield first, second


def admin_login(session: requests.Session, base: str, password: str) -> requests.Response:
    session.get(f"{base}/accounts/login/")
    return session.post(
        f"{base}/accounts/login/",
        data={
            "username": "boss",
            "password": password,
            "next": "/admin/",
            "csrfmiddlewaretoken": session.cookies["csrftoken"],
        },
        headers={"Referer": f"{base}/accounts/login/"},
        allow_redirects=False,
    )


def test_a_session_from_one_server_works_on_the_other(two_servers):
    first, second = two_servers
    UserFactory(username="boss", is_staff=True, is_superuser=True)
    session = requests.Session()
    assert admin_login(session, first, "password").status_code == HTTPStatus.FOUND

    response = session.get(f"{second}/admin/", allow_redirects=False)
    assert response.status_code == HTTPStatus.OK
    assert "Lists, todos, products and orders" in response.text  # the admin index (its title), not the login page


def test_failed_logins_are_counted_across_servers(two_servers):
    first, second = two_servers
    UserFactory(username="boss", is_staff=True, is_superuser=True)
    wait_clear_of_window_end(settings.LOGIN_FAILURE_WINDOW)
    for base in [first, second, first, second, first]:
        assert admin_login(requests.Session(), base, "wrong").status_code == HTTPStatus.OK

    refused = admin_login(requests.Session(), second, "password")
    assert refused.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert 0 < int(refused.headers["Retry-After"]) <= settings.LOGIN_FAILURE_WINDOW


# One server, several workers, no REDIS_URL: the README's single-server production command.

WORKERS = 3


@pytest.fixture
def workers_without_redis(settings):
    """The README's gunicorn command (its port moved), with no REDIS_URL, so with the database cache."""
    if connection.vendor != "postgresql":
        pytest.skip("several workers need a database server they all reach: runs in the PostgreSQL pass")
    command = readme_gunicorn_command()
    assert command[command.index("--workers") + 1] == str(WORKERS)
    with gunicorn(argv=command, env={"DJANGO_SECRET_KEY": settings.SECRET_KEY}) as (base, _):
        yield base


def test_an_idempotency_key_sent_to_several_workers_at_once_creates_one_row(workers_without_redis):
    token = api_token_create(user=UserFactory(username="alice"), name="test")
    headers = {"Authorization": f"Token {token.key}", "Idempotency-Key": str(uuid.uuid4())}

    def create(_):
        return requests.post(f"{workers_without_redis}/api/lists/", json={"name": "Groceries"}, headers=headers)

    with ThreadPoolExecutor(max_workers=12) as pool:
        responses = list(pool.map(create, range(24)))

    assert {response.status_code for response in responses} == {HTTPStatus.CREATED}
    assert len({response.json()["id"] for response in responses}) == 1
    assert TodoList.objects.filter(name="Groceries").count() == 1
