"""Failed logins on the login pages: 5 per username and per address in a minute, then 429."""

from http import HTTPStatus

import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db


def log_in(client, username, password, *, address="10.0.0.1", url_name="login"):
    return client.post(reverse(url_name), {"username": username, "password": password}, REMOTE_ADDR=address)


def test_the_sixth_try_after_five_failures_for_a_username_is_refused(client, user):
    for address in ["10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4", "10.0.0.5"]:
        assert log_in(client, "alice", "wrong", address=address).status_code == HTTPStatus.OK

    refused = log_in(client, "ALICE", "password", address="10.0.0.6")

    assert refused.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert 0 < int(refused["Retry-After"]) <= settings.LOGIN_FAILURE_WINDOW
    assert "Too many failed login attempts" in refused.content.decode()
    assert "_auth_user_id" not in client.session


def test_failures_from_one_address_across_usernames_are_limited(client, user):
    for username in ["a", "b", "c", "d", "e"]:
        log_in(client, username, "wrong")
    assert log_in(client, "alice", "password").status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert log_in(client, "alice", "password", address="10.9.9.9").status_code == HTTPStatus.FOUND


def test_four_failures_still_let_the_right_password_in(client, user):
    for _ in range(4):
        log_in(client, "alice", "wrong")
    assert log_in(client, "alice", "password").status_code == HTTPStatus.FOUND


def test_the_admin_login_is_limited_too(client, user):
    """The admin's login is the site's login page (accounts/two_factor.py), where failures count."""
    for _ in range(5):
        log_in(client, "alice", "wrong")
    assert log_in(client, "alice", "password", url_name="admin:login").status_code == HTTPStatus.TOO_MANY_REQUESTS
