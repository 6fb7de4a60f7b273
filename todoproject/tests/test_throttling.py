"""Rate limits: API requests per user, anonymous Todo-Backend traffic per address, failed token logins;
and token revocation."""

from http import HTTPStatus

import pytest
from django.conf import settings
from django.core.cache import cache
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import APIToken
from accounts.services import api_token_create
from core.counters import window
from todos import services
from todos.tests.factories import TodoListFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock_at_an_hours_start")]


@pytest.fixture
def low_rates(settings):
    """Rates small enough to reach in a test."""
    rates = {"user": "3/minute", "todobackend": "2/minute"}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}


def assert_throttled(response):
    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert 0 < int(response["Retry-After"]) <= 60
    assert response.json()["detail"].startswith("Request was throttled.")


def test_rates_are_configured_once_for_the_whole_api():
    rest = settings.REST_FRAMEWORK
    assert rest["DEFAULT_THROTTLE_CLASSES"] == ["core.throttling.RateThrottle"]
    assert rest["DEFAULT_THROTTLE_RATES"] == {"user": "300/minute", "todobackend": "120/minute"}


def test_api_requests_are_limited_per_user(low_rates, auth_api_client, other_user):
    url = reverse("api:todolist-list")
    for _ in range(3):
        assert auth_api_client.get(url).status_code == HTTPStatus.OK

    assert_throttled(auth_api_client.get(url))
    assert_throttled(auth_api_client.post(url, {"name": "x"}, format="json"))

    other = APIClient()
    other.force_authenticate(other_user)
    assert other.get(url).status_code == HTTPStatus.OK


def test_the_limit_counts_token_and_session_requests_of_one_user_together(low_rates, user, client):
    token = api_token_create(user=user, name="test")
    api = APIClient(HTTP_AUTHORIZATION=f"Token {token.key}")
    client.force_login(user)
    url = reverse("api:todolist-list")

    assert api.get(url).status_code == HTTPStatus.OK
    assert client.get(url).status_code == HTTPStatus.OK
    assert api.get(url).status_code == HTTPStatus.OK
    assert_throttled(client.get(url))


def test_todobackend_is_limited_per_client_address(low_rates, api_client, user):
    secret = services.todo_list_share(todo_list=TodoListFactory(owner=user))
    url = reverse("api:todobackend-root", kwargs={"secret": secret})
    for _ in range(2):
        assert api_client.get(url).status_code == HTTPStatus.OK

    response = api_client.get(url)
    assert_throttled(response)
    assert response["Access-Control-Allow-Origin"] == "*"  # a cross-origin client can read the 429
    # A forged X-Forwarded-For does not make a new client; another address does.
    assert_throttled(api_client.get(url, HTTP_X_FORWARDED_FOR="203.0.113.9"))
    assert api_client.get(url, REMOTE_ADDR="198.51.100.7").status_code == HTTPStatus.OK


def test_throttle_counts_live_in_the_shared_cache(low_rates, auth_api_client, user):
    auth_api_client.get(reverse("api:todolist-list"))
    number, _ = window(60)

    assert cache.get(f"throttle:user:user-{user.pk}:60:{number}") == 1


# Failed logins on the token endpoint (core/ratelimit.py)


def token_login(client, username, password, **extra):
    return client.post(reverse("api:token"), {"username": username, "password": password}, format="json", **extra)


def test_five_failed_token_logins_for_a_username_lock_it_for_the_failing_address(api_client, user):
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        assert token_login(api_client, "alice", "wrong").status_code == HTTPStatus.BAD_REQUEST

    refused = token_login(api_client, "alice", "password")

    assert refused.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert 0 < int(refused["Retry-After"]) <= settings.LOGIN_FAILURE_WINDOW
    assert refused["Content-Type"] == "application/json"
    assert "Too many failed login attempts" in refused.json()["detail"]
    assert not APIToken.objects.exists()


def test_the_owner_gets_a_token_from_a_clean_address_while_the_username_is_locked(api_client, user):
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        token_login(api_client, "alice", "wrong")

    assert token_login(api_client, "alice", "password", REMOTE_ADDR="198.51.100.7").status_code == HTTPStatus.OK
    assert token_login(api_client, "alice", "password").status_code == HTTPStatus.TOO_MANY_REQUESTS


def test_failed_token_logins_under_a_full_width_spelling_count_for_the_username(api_client, user):
    for number in range(settings.LOGIN_FAILURE_LIMIT):
        token_login(api_client, "\uff41\uff4c\uff49\uff43\uff45", "wrong", REMOTE_ADDR=f"10.2.0.{number}")

    refused = token_login(api_client, "alice", "password", REMOTE_ADDR="10.2.0.0")

    assert refused.status_code == HTTPStatus.TOO_MANY_REQUESTS


def test_five_failed_token_logins_from_one_address_lock_it_for_every_username(api_client, user):
    for number in range(settings.LOGIN_FAILURE_LIMIT):
        token_login(api_client, f"nobody{number}", "wrong")

    assert token_login(api_client, "alice", "password").status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert token_login(api_client, "alice", "password", REMOTE_ADDR="198.51.100.7").status_code == HTTPStatus.OK


def test_four_failures_do_not_lock(api_client, user):
    for _ in range(settings.LOGIN_FAILURE_LIMIT - 1):
        token_login(api_client, "alice", "wrong")

    assert token_login(api_client, "alice", "password").status_code == HTTPStatus.OK


# Token revocation: DELETE /api/token/


def test_delete_token_revokes_it(api_client, user):
    key = token_login(api_client, "alice", "password").json()["token"]
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api_client.get(reverse("api:todolist-list")).status_code == HTTPStatus.OK

    response = api_client.delete(reverse("api:token"))

    assert response.status_code == HTTPStatus.NO_CONTENT
    assert not APIToken.objects.for_key(key).exists()
    after = api_client.get(reverse("api:todolist-list"))
    assert after.status_code == HTTPStatus.UNAUTHORIZED
    assert after.json() == {"detail": "Invalid token."}
    assert api_client.delete(reverse("api:token")).status_code == HTTPStatus.UNAUTHORIZED


def test_a_new_login_after_revoking_gets_a_new_token(api_client, user):
    old = token_login(api_client, "alice", "password").json()["token"]
    api_client.delete(reverse("api:token"), HTTP_AUTHORIZATION=f"Token {old}")

    new = token_login(api_client, "alice", "password").json()["token"]

    assert new != old


def test_revoking_needs_the_token_itself(api_client, client, user):
    api_token_create(user=user, name="test")
    client.force_login(user)

    assert api_client.delete(reverse("api:token")).status_code == HTTPStatus.UNAUTHORIZED
    assert client.delete(reverse("api:token")).status_code == HTTPStatus.UNAUTHORIZED  # a session is not enough
    assert APIToken.objects.for_owner(user).exists()


def test_revoking_one_users_token_leaves_the_others(api_client, user):
    mine = api_token_create(user=user, name="mine")
    theirs = api_token_create(user=UserFactory(username="bob"), name="theirs")

    api_client.delete(reverse("api:token"), HTTP_AUTHORIZATION=f"Token {mine.key}")

    assert list(APIToken.objects.values_list("pk", flat=True)) == [theirs.pk]
