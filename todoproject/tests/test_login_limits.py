"""Failed logins on the login pages: 5 per username and per address in a minute, then 429."""

from http import HTTPStatus

import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock_at_an_hours_start")]


def log_in(client, username, password, *, address="10.0.0.1", url_name="login"):
    return client.post(reverse(url_name), {"username": username, "password": password}, REMOTE_ADDR=address)


FULL_WIDTH_ALICE = "\uff41\uff4c\uff49\uff43\uff45"  # "ａｌｉｃｅ": NFKC makes it "alice"


def fail_from_five_addresses(client, username, *, url_name="login"):
    for address in ["10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4", "10.0.0.5"]:
        assert log_in(client, username, "wrong", address=address, url_name=url_name).status_code == HTTPStatus.OK


def test_a_username_with_five_failures_is_refused_to_an_address_that_failed(client, user):
    fail_from_five_addresses(client, "alice")

    refused = log_in(client, "ALICE", "password", address="10.0.0.1")

    assert refused.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert 0 < int(refused["Retry-After"]) <= settings.LOGIN_FAILURE_WINDOW
    assert "Too many failed login attempts" in refused.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_full_width_spelling_of_a_locked_username_is_refused(client, user):
    fail_from_five_addresses(client, "alice")

    assert log_in(client, FULL_WIDTH_ALICE, "password", address="10.0.0.1").status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert "_auth_user_id" not in client.session


def test_failures_under_a_full_width_spelling_count_for_the_username(client, user):
    fail_from_five_addresses(client, FULL_WIDTH_ALICE)

    assert log_in(client, "alice", "password", address="10.0.0.1").status_code == HTTPStatus.TOO_MANY_REQUESTS


def test_the_admin_login_refuses_a_full_width_spelling_of_a_locked_username(client, user):
    # Failures happen on the site's login page: the admin's login is that page (accounts/two_factor.py).
    fail_from_five_addresses(client, "alice", url_name="login")

    refused = log_in(client, FULL_WIDTH_ALICE, "password", address="10.0.0.1", url_name="admin:login")

    assert refused.status_code == HTTPStatus.TOO_MANY_REQUESTS


def test_the_owner_logs_in_from_a_clean_address_while_an_attacker_has_locked_the_username(client, user):
    """Five failures from one address lock that address, not the person whose username it tried."""
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        log_in(client, "alice", "wrong", address="10.6.6.6")
    assert log_in(client, "alice", "password", address="10.6.6.6").status_code == HTTPStatus.TOO_MANY_REQUESTS

    assert log_in(client, "alice", "password", address="10.0.0.9").status_code == HTTPStatus.FOUND
    assert client.session["_auth_user_id"] == str(user.pk)
    client.logout()
    assert log_in(client, "alice", "password", address="10.6.6.6").status_code == HTTPStatus.TOO_MANY_REQUESTS


def test_the_owner_logs_in_from_a_clean_address_after_failures_from_several_addresses(client, user):
    fail_from_five_addresses(client, "alice")

    assert log_in(client, "alice", "password", address="10.0.0.9").status_code == HTTPStatus.FOUND


def test_a_username_is_refused_to_clean_addresses_too_after_its_higher_limit(client, user, settings):
    settings.LOGIN_USERNAME_FAILURE_LIMIT = 8
    for number in range(8):
        log_in(client, "alice", "wrong", address=f"10.1.0.{number}")

    assert log_in(client, "alice", "password", address="10.0.0.9").status_code == HTTPStatus.TOO_MANY_REQUESTS


def test_successful_logins_do_not_count_as_failures(client, user):
    for _ in range(settings.LOGIN_FAILURE_LIMIT * 2):
        assert log_in(client, "alice", "password").status_code == HTTPStatus.FOUND
        client.logout()

    log_in(client, "alice", "wrong")
    assert log_in(client, "alice", "password").status_code == HTTPStatus.FOUND


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
