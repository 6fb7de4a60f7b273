"""Sessions: Django's cached_db engine, so the database holds every session and the cache only speeds reads."""

from http import HTTPStatus

import pytest
from django.core.cache import caches
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_a_login_outlives_the_cache(client, user, todo_list):
    client.force_login(user)
    caches["default"].clear()  # e.g. Redis restarted, or another process that never cached it

    response = client.get(reverse("list_detail", kwargs={"pk": todo_list.pk}))

    assert response.status_code == HTTPStatus.OK


def test_a_logout_ends_the_session_although_it_was_cached(client, user, todo_list):
    client.force_login(user)
    page = reverse("list_detail", kwargs={"pk": todo_list.pk})
    assert client.get(page).status_code == HTTPStatus.OK  # read, so now cached
    cookie = client.cookies["sessionid"].value

    client.post(reverse("logout"))
    client.cookies["sessionid"] = cookie  # replay the old cookie

    assert client.get(page).status_code == HTTPStatus.FOUND  # to the login page
