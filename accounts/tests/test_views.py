from http import HTTPStatus

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import SetPasswordForm
from django.test import Client
from django.urls import reverse

from accounts.models import APIToken
from accounts.tests.factories import api_token
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


@pytest.mark.usefixtures("fresh_rate_windows")
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


@pytest.mark.usefixtures("fresh_rate_windows")
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


@pytest.mark.usefixtures("fresh_rate_windows")
def test_wrong_old_passwords_count_for_the_user_from_another_address(auth_client, user, settings):
    """Per user: an address that has failed for this user meets the user's count too."""
    for number in range(settings.LOGIN_FAILURE_LIMIT):
        change_password(auth_client, "wrong", address=f"10.3.0.{number}")

    assert change_password(auth_client, "password", address="10.3.0.0").status_code == HTTPStatus.TOO_MANY_REQUESTS


@pytest.mark.usefixtures("fresh_rate_windows")
def test_wrong_old_passwords_count_as_failed_logins(auth_client, client, user, settings):
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        change_password(auth_client, "wrong")

    response = Client().post(reverse("login"), {"username": "alice", "password": "password"}, REMOTE_ADDR="10.0.0.1")

    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS


@pytest.mark.usefixtures("fresh_rate_windows")
def test_a_right_old_password_after_four_wrong_ones_changes_it(auth_client, user, settings):
    for _ in range(settings.LOGIN_FAILURE_LIMIT - 1):
        change_password(auth_client, "wrong")

    assert change_password(auth_client, "password").status_code == HTTPStatus.FOUND
    user.refresh_from_db()
    assert user.check_password("a-new-passphrase")


# The Account page and its API tokens (no JavaScript needed: forms, POST, redirect)


def test_account_page_lists_my_tokens_without_keys(auth_client, user, other_user):
    mine = api_token(user, name="laptop script", read_only=True)
    api_token(other_user, name="their token")

    response = auth_client.get(reverse("account"))

    assert response.status_code == HTTPStatus.OK
    page = response.content.decode()
    assert "laptop script" in page
    assert f"{mine.prefix}…" in page
    assert "Read-only" in page
    assert mine.key not in page
    assert "their token" not in page


def test_account_page_needs_a_login(client):
    response = client.get(reverse("account"))

    assert response.status_code == HTTPStatus.FOUND
    assert response.url.startswith(reverse("login"))


def test_the_nav_links_to_the_account_page(auth_client):
    assert f'href="{reverse("account")}"' in auth_client.get(reverse("account")).content.decode()


def test_creating_a_token_shows_its_key_once(auth_client, user):
    response = auth_client.post(reverse("token_create"), {"name": "ci", "read_only": "on", "expires": "30"})

    assert response.status_code == HTTPStatus.OK
    assert {"no-store", "private"} <= {d.strip() for d in response["Cache-Control"].split(",")}
    token = APIToken.objects.get()
    assert (token.name, token.read_only, token.user) == ("ci", True, user)
    assert token.expires_at is not None
    key = response.context["new_token"].key
    assert key in response.content.decode()
    assert APIToken.objects.for_key(key).get() == token
    assert key not in auth_client.get(reverse("account")).content.decode()


def test_creating_a_token_without_a_name_shows_the_error_and_creates_nothing(auth_client):

    response = auth_client.post(reverse("token_create"), {"name": "  ", "expires": ""})

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert 'class="field-error"' in response.content.decode()
    assert not APIToken.objects.exists()


def test_revoking_a_token_redirects_with_a_message(auth_client, user):
    token = api_token(user, name="old")

    response = auth_client.post(reverse("token_revoke", args=[token.pk]), follow=True)

    assert response.redirect_chain == [(reverse("account"), HTTPStatus.FOUND)]
    assert "API token “old” revoked." in response.content.decode()
    assert not APIToken.objects.exists()


def test_revoking_another_persons_token_is_404(auth_client, other_user):
    theirs = api_token(other_user)

    response = auth_client.post(reverse("token_revoke", args=[theirs.pk]))

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert APIToken.objects.filter(pk=theirs.pk).exists()


def test_changing_the_password_revokes_the_api_tokens_and_says_so(auth_client, user):
    api_token(user)
    api_token(user, read_only=True)

    response = auth_client.post(
        reverse("password_change"),
        {"old_password": "password", "new_password1": "a-new-passphrase", "new_password2": "a-new-passphrase"},
        follow=True,
    )

    assert response.status_code == HTTPStatus.OK
    assert "Your 2 API tokens were revoked." in response.content.decode()
    assert not APIToken.objects.exists()


def test_a_wrong_old_password_keeps_the_api_tokens(auth_client, user):
    api_token(user)

    auth_client.post(
        reverse("password_change"),
        {"old_password": "wrong", "new_password1": "a-new-passphrase", "new_password2": "a-new-passphrase"},
    )

    assert APIToken.objects.count() == 1


def test_a_password_reset_revokes_the_api_tokens(client, user):
    api_token(user)
    form = SetPasswordForm(user, {"new_password1": "a-new-passphrase", "new_password2": "a-new-passphrase"})
    assert form.is_valid()

    form.save()  # what PasswordResetConfirmView (and the admin's password form) does

    assert not APIToken.objects.exists()


def test_logging_out_says_so_on_the_login_page(auth_client):
    response = auth_client.post(reverse("logout"), follow=True)

    assert response.redirect_chain == [(reverse("login"), HTTPStatus.FOUND)]
    assert [str(message) for message in response.context["messages"]] == ["You have been logged out."]
    assert "<span>You have been logged out.</span>" in response.content.decode()
    assert "_auth_user_id" not in auth_client.session


def test_logging_out_without_a_login_says_nothing(client):
    response = client.post(reverse("logout"), follow=True)

    assert response.redirect_chain == [(reverse("login"), HTTPStatus.FOUND)]
    assert list(response.context["messages"]) == []
