from http import HTTPStatus

import pytest
from django.urls import reverse

from accounts.models import APIToken
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
