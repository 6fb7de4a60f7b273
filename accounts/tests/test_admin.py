from http import HTTPStatus

import pytest
from django.urls import reverse

from accounts.models import APIToken, Profile
from accounts.selectors import profile_time_zone
from accounts.tests.factories import api_token

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:accounts_apitoken_changelist")


def test_changelist_shows_name_user_and_prefix_never_the_secret(admin_client, user):
    token = api_token(user, name="deploy bot", read_only=True)

    response = admin_client.get(CHANGELIST)

    assert response.status_code == HTTPStatus.OK
    page = response.content.decode()
    assert "deploy bot" in page
    assert "alice" in page
    assert token.prefix in page
    assert token.key not in page
    assert token.digest not in page
    assert (
        token.key not in admin_client.get(reverse("admin:accounts_apitoken_change", args=[token.pk])).content.decode()
    )


def test_revoke_action_deletes_the_selected_tokens(admin_client, user, other_user):
    revoked = api_token(user)
    kept = api_token(other_user)

    response = admin_client.post(CHANGELIST, {"action": "revoke", "_selected_action": [revoked.pk]}, follow=True)

    assert response.status_code == HTTPStatus.OK
    assert "Revoked 1 API token(s)." in response.content.decode()
    assert list(APIToken.objects.all()) == [kept]


def test_admin_cannot_add_a_token_whose_key_it_could_not_show(admin_client):
    assert admin_client.get(reverse("admin:accounts_apitoken_add")).status_code == HTTPStatus.FORBIDDEN


def test_the_user_admin_shows_and_saves_the_profile_and_forgets_the_cached_zone(admin_client, user):
    url = reverse("admin:auth_user_change", args=[user.pk])
    assert "Time zone" in admin_client.get(url).content.decode()
    assert profile_time_zone(user_id=user.pk) == "UTC"  # cached
    profile = user.profile
    data = {
        "username": user.username,
        "date_joined_0": "2026-01-01",
        "date_joined_1": "10:00:00",
        "profile-TOTAL_FORMS": "1",
        "profile-INITIAL_FORMS": "1",
        "profile-MIN_NUM_FORMS": "0",
        "profile-MAX_NUM_FORMS": "1",
        "profile-0-id": profile.pk,
        "profile-0-user": user.pk,
        "profile-0-time_zone": "Europe/Paris",
        "profile-0-first_day_of_week": "sunday",
    }

    response = admin_client.post(url, data)

    assert response.status_code == HTTPStatus.FOUND, response.context["adminform"].errors
    assert profile_time_zone(user_id=user.pk) == "Europe/Paris"


def test_adding_a_user_in_the_admin_makes_one_profile(admin_client):
    response = admin_client.post(
        reverse("admin:auth_user_add"),
        {
            "username": "newbie",
            "password1": "a-long-passphrase",
            "password2": "a-long-passphrase",
            "usable_password": "true",
        },
    )

    assert response.status_code == HTTPStatus.FOUND
    assert Profile.objects.filter(user__username="newbie").count() == 1
