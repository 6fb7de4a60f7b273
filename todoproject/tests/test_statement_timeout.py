"""The PostgreSQL statement timeout: a query past it is cancelled and the request answers 503, not a hung worker."""

import os
import subprocess
import sys
import time
from http import HTTPStatus

import pytest
from django.conf import settings
from django.db import OperationalError, connection, transaction
from django.urls import reverse

from todos import services

pytestmark = pytest.mark.django_db

TIMEOUT_MS = 200


@pytest.fixture
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("statement_timeout is PostgreSQL's: the PostgreSQL pass runs these")


@pytest.fixture
def short_timeout(_postgresql_only):
    """This test's connection with a short statement timeout, until the test's transaction is rolled back."""
    with connection.cursor() as cursor:
        cursor.execute(f"SET statement_timeout = {TIMEOUT_MS}")


@transaction.atomic  # as the services are: the cancelled statement aborts this block, not the test's transaction
def sleep_in_the_database(**kwargs):
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_sleep(10)")


def settings_options(timeout: str | None) -> dict:
    """DATABASES["default"]["OPTIONS"] as the settings module builds them in a fresh process."""
    code = "from django.conf import settings; print(settings.DATABASES['default'].get('OPTIONS', {}))"
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_DB_STATEMENT_TIMEOUT"}
    env |= {"DJANGO_SETTINGS_MODULE": "todoproject.test_settings"}
    if timeout is not None:
        env["DJANGO_DB_STATEMENT_TIMEOUT"] = timeout
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        cwd=settings.BASE_DIR,
    )
    return eval(result.stdout)  # noqa: S307 (our own settings' repr)


@pytest.mark.usefixtures("_postgresql_only")
def test_connections_carry_a_five_second_statement_timeout_by_default():
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        (shown,) = cursor.fetchone()

    assert settings_options(None)["options"] == "-c statement_timeout=5000"
    if "DJANGO_DB_STATEMENT_TIMEOUT" not in os.environ:  # this run's own connection: set by the settings
        assert shown == "5s"


@pytest.mark.usefixtures("_postgresql_only")
def test_the_statement_timeout_comes_from_the_environment():
    assert settings_options("0")["options"] == "-c statement_timeout=0"


def test_a_slow_query_is_cancelled_at_the_timeout(short_timeout):
    started = time.monotonic()

    with pytest.raises(OperationalError, match="statement timeout"):
        sleep_in_the_database()

    assert time.monotonic() - started < 5


def test_an_api_request_whose_query_is_cancelled_answers_503_json(short_timeout, auth_api_client, monkeypatch):
    monkeypatch.setattr(services, "todo_list_create", sleep_in_the_database)
    started = time.monotonic()

    response = auth_api_client.post(reverse("api:todolist-list"), {"name": "Slow"}, format="json")

    assert time.monotonic() - started < 5
    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert response["Content-Type"].startswith("application/json")
    assert "took too long" in response.json()["detail"]
    assert response["Retry-After"]


def test_a_page_whose_query_is_cancelled_answers_a_503_page(short_timeout, auth_client, monkeypatch):
    monkeypatch.setattr(services, "todo_list_ensure_inbox", sleep_in_the_database)

    response = auth_client.get(reverse("home"))

    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert response["Content-Type"].startswith("text/html")
    assert "took too long" in response.content.decode()
    assert response["Retry-After"]
