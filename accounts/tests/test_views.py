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
