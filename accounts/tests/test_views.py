from http import HTTPStatus

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from todos.models import TodoList

pytestmark = pytest.mark.django_db


def test_signup_creates_account_with_empty_inbox_and_logs_in(client):
    response = client.post(
        reverse("signup"), {"username": "newbie", "password1": "a-long-passphrase", "password2": "a-long-passphrase"}
    )

    assert response.status_code == HTTPStatus.FOUND
    user = get_user_model().objects.get(username="newbie")
    assert [(item.name, item.todos.count()) for item in TodoList.objects.for_owner(user)] == [("Inbox", 0)]
    assert client.get(reverse("home")).status_code == HTTPStatus.FOUND  # logged in: no login redirect
    assert client.get(reverse("home")).url == reverse("list_detail", args=[user.todo_lists.get().pk])


@pytest.mark.parametrize(
    "data",
    [
        {"username": "", "password1": "", "password2": ""},
        {"username": "x" * 151, "password1": "a-long-passphrase", "password2": "a-long-passphrase"},
        {"username": "newbie", "password1": "a-long-passphrase", "password2": "another-passphrase"},
    ],
    ids=["empty", "too-long-username", "passwords-differ"],
)
def test_signup_with_bad_input_shows_errors_and_creates_nothing(client, data):
    response = client.post(reverse("signup"), data)

    assert response.status_code == HTTPStatus.OK
    assert response.context["form"].errors
    assert not get_user_model().objects.exists()
    assert not TodoList.objects.exists()


def test_signup_without_csrf_token_is_forbidden():
    client = Client(enforce_csrf_checks=True)

    response = client.post(
        reverse("signup"), {"username": "newbie", "password1": "a-long-passphrase", "password2": "a-long-passphrase"}
    )

    assert response.status_code == HTTPStatus.FORBIDDEN


# Limits: sign-ups per address, wrong old passwords on the password change page (core/ratelimit.py)


def sign_up(client, username, *, address="10.0.0.1"):
    data = {"username": username, "password1": "a-long-passphrase", "password2": "a-long-passphrase"}
    return client.post(reverse("signup"), data, REMOTE_ADDR=address)


def test_sign_ups_past_the_rate_from_one_address_answer_429_with_a_page(settings):
    settings.SIGNUP_RATE = "3/hour"
    for number in range(3):
        assert sign_up(Client(), f"newbie{number}").status_code == HTTPStatus.FOUND

    refused = sign_up(Client(), "one-too-many")

    assert refused.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert 0 < int(refused["Retry-After"]) <= 3600
    assert "Too many sign-ups from your address." in refused.content.decode()
    assert not get_user_model().objects.filter(username="one-too-many").exists()
    assert sign_up(Client(), "elsewhere", address="10.0.0.2").status_code == HTTPStatus.FOUND


def change_password(client, old, *, address="10.0.0.1"):
    data = {"old_password": old, "new_password1": "a-new-passphrase", "new_password2": "a-new-passphrase"}
    return client.post(reverse("password_change"), data, REMOTE_ADDR=address)


def test_wrong_old_passwords_past_the_limit_answer_429(auth_client, user, settings):
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        response = change_password(auth_client, "wrong")
        assert response.status_code == HTTPStatus.OK
        assert response.context["form"].has_error("old_password")

    refused = change_password(auth_client, "password")

    assert refused.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert "Retry-After" in refused
    user.refresh_from_db()
    assert user.check_password("password")


def test_wrong_old_passwords_count_for_the_user_from_another_address(auth_client, user, settings):
    """Per user: an address that has failed for this user meets the user's count too."""
    for number in range(settings.LOGIN_FAILURE_LIMIT):
        change_password(auth_client, "wrong", address=f"10.3.0.{number}")

    assert change_password(auth_client, "password", address="10.3.0.0").status_code == HTTPStatus.TOO_MANY_REQUESTS


def test_wrong_old_passwords_count_as_failed_logins(auth_client, client, user, settings):
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        change_password(auth_client, "wrong")

    response = Client().post(reverse("login"), {"username": "alice", "password": "password"}, REMOTE_ADDR="10.0.0.1")

    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS


def test_a_right_old_password_after_four_wrong_ones_changes_it(auth_client, user, settings):
    for _ in range(settings.LOGIN_FAILURE_LIMIT - 1):
        change_password(auth_client, "wrong")

    assert change_password(auth_client, "password").status_code == HTTPStatus.FOUND
    user.refresh_from_db()
    assert user.check_password("a-new-passphrase")
