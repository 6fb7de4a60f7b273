"""core.middleware: the client's address behind a trusted proxy, idle sessions, Cache-Control on personal answers."""

from datetime import timedelta
from http import HTTPStatus

import pytest
import time_machine
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.services import api_token_create
from core.middleware import TrustedProxyMiddleware

pytestmark = pytest.mark.django_db

HOUR = 60 * 60


@pytest.fixture
def idle_timeout(settings):
    settings.SESSION_COOKIE_AGE = HOUR
    settings.SESSION_REFRESH_INTERVAL = 5 * 60
    return HOUR


def _logged_in(client) -> bool:
    return client.get(reverse("home")).url != f"{reverse('login')}?next=/"


def test_session_idle_longer_than_the_timeout_is_logged_out(client, user, idle_timeout):
    with time_machine.travel("2026-01-01 09:00", tick=False) as traveller:
        client.post(reverse("login"), {"username": "alice", "password": "password"})
        assert _logged_in(client)

        traveller.shift(timedelta(seconds=idle_timeout + 1))

        assert not _logged_in(client)


def test_active_session_stays_logged_in_past_the_timeout(client, user, idle_timeout):
    with time_machine.travel("2026-01-01 09:00", tick=False) as traveller:
        client.post(reverse("login"), {"username": "alice", "password": "password"})
        for _ in range(6):  # three hours, a request every half hour
            traveller.shift(timedelta(minutes=30))
            assert _logged_in(client)


def test_request_within_the_refresh_interval_does_not_save_the_session(client, user, idle_timeout):
    with time_machine.travel("2026-01-01 09:00", tick=False) as traveller:
        client.post(reverse("login"), {"username": "alice", "password": "password"})
        traveller.shift(timedelta(minutes=4))
        with CaptureQueriesContext(connection) as queries:
            client.get(reverse("home"))

    assert not [query for query in queries if "django_session" in query["sql"]]


def test_request_after_the_refresh_interval_saves_the_session(client, user, idle_timeout):
    with time_machine.travel("2026-01-01 09:00", tick=False) as traveller:
        client.post(reverse("login"), {"username": "alice", "password": "password"})
        traveller.shift(timedelta(minutes=6))
        with CaptureQueriesContext(connection) as queries:
            client.get(reverse("home"))

    assert [query for query in queries if "django_session" in query["sql"]]


def test_session_older_than_a_lowered_timeout_is_logged_out_though_its_store_still_holds_it(client, user, settings):
    """An operator who lowers DJANGO_SESSION_IDLE_TIMEOUT logs out sessions idle for longer at once."""
    with time_machine.travel("2026-01-01 09:00", tick=False) as traveller:
        client.post(reverse("login"), {"username": "alice", "password": "password"})  # saved for 14 days
        settings.SESSION_COOKIE_AGE = HOUR

        traveller.shift(timedelta(hours=2))

        assert not _logged_in(client)


def test_session_made_before_the_idle_timeout_is_stamped_not_logged_out(client, user, idle_timeout):
    client.force_login(user)
    session = client.session
    del session["_refreshed_at"]  # as a session made before the middleware was
    session.save()

    assert _logged_in(client)
    assert "_refreshed_at" in client.session


# Cache-Control on personal answers


def test_page_for_a_logged_in_person_is_private_and_not_stored(auth_client, todo_list):
    response = auth_client.get(reverse("list_detail", args=[todo_list.pk]))

    assert response.status_code == HTTPStatus.OK
    assert {"private", "no-store"} <= _directives(response)


def test_api_answer_to_a_token_is_private_and_not_stored(api_client, user, todo_list):
    token = api_token_create(user=user, name="test")

    response = api_client.get(reverse("api:todolist-list"), HTTP_AUTHORIZATION=f"Token {token.key}")

    assert response.status_code == HTTPStatus.OK
    assert {"private", "no-store"} <= _directives(response)


def test_api_answer_keeps_its_etag_and_answers_304_to_if_none_match(api_client, user, todo_list):
    token = api_token_create(user=user, name="test")
    url = reverse("api:todolist-detail", args=[todo_list.pk])
    first = api_client.get(url, HTTP_AUTHORIZATION=f"Token {token.key}")

    again = api_client.get(url, HTTP_AUTHORIZATION=f"Token {token.key}", HTTP_IF_NONE_MATCH=first["ETag"])

    assert again.status_code == HTTPStatus.NOT_MODIFIED
    assert again["ETag"] == first["ETag"]
    assert {"private", "no-store"} <= _directives(again)


def test_token_endpoint_answer_is_not_stored(api_client, user):
    response = api_client.post(reverse("api:token"), {"username": "alice", "password": "password"})

    assert response.status_code == HTTPStatus.OK
    assert {"private", "no-store"} <= _directives(response)


def test_anonymous_page_is_not_marked_private(client, db):
    response = client.get(reverse("signup"))  # not the login page: Django's LoginView is never_cache

    assert response.status_code == HTTPStatus.OK
    assert "no-store" not in _directives(response)
    assert "private" not in _directives(response)


def test_static_file_is_not_marked_private(auth_client):
    response = auth_client.get("/static/css/app.css")

    assert response.status_code == HTTPStatus.OK
    assert "no-store" not in _directives(response)


def _directives(response) -> set[str]:
    return {part.strip().split("=")[0] for part in response.get("Cache-Control", "").split(",") if part.strip()}


def remote_addr(settings, *, peer: str, real_ip: str | None) -> str:
    settings.TRUSTED_PROXY_IPS = ["127.0.0.1", "::1"]
    headers = {} if real_ip is None else {"HTTP_X_REAL_IP": real_ip}
    request = RequestFactory().get("/", REMOTE_ADDR=peer, **headers)
    return TrustedProxyMiddleware(lambda request: request.META["REMOTE_ADDR"])(request)


def test_a_trusted_proxys_x_real_ip_becomes_remote_addr(settings):
    assert remote_addr(settings, peer="127.0.0.1", real_ip="203.0.113.7") == "203.0.113.7"


def test_x_real_ip_from_anyone_else_is_ignored(settings):
    assert remote_addr(settings, peer="198.51.100.2", real_ip="203.0.113.7") == "198.51.100.2"


@pytest.mark.parametrize("real_ip", [None, "", "not an address", "203.0.113.7, 10.0.0.1"])
def test_a_trusted_proxy_without_a_valid_address_keeps_its_own(settings, real_ip):
    assert remote_addr(settings, peer="::1", real_ip=real_ip) == "::1"
