from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from http import HTTPStatus
from unittest import mock

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts import services
from accounts.authentication import READ_ONLY_MESSAGE
from accounts.models import APIToken, Profile
from accounts.selectors import profile_time_zone
from accounts.tests.factories import api_token

pytestmark = pytest.mark.django_db

TOKENS = reverse("api:apitoken-list")


@contextmanager
def freeze_time(when):
    """Django's clock (timezone.now) stopped at `when`, an ISO time in UTC or a datetime."""
    moment = datetime.fromisoformat(when).replace(tzinfo=UTC) if isinstance(when, str) else when
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


def with_token(api_client, key):
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return api_client


# /api/tokens/


def test_create_answers_the_key_once_and_the_key_works(auth_api_client, api_client, user):
    response = auth_api_client.post(TOKENS, {"name": "laptop", "read_only": True}, format="json")

    assert response.status_code == HTTPStatus.CREATED
    body = response.json()
    assert set(body) == {"id", "name", "prefix", "read_only", "created", "expires_at", "last_used_at", "key"}
    assert (body["name"], body["read_only"], body["prefix"]) == ("laptop", True, body["key"][:8])
    api_client.force_authenticate(None)
    assert with_token(api_client, body["key"]).get(TOKENS).status_code == HTTPStatus.OK


def test_list_shows_my_tokens_without_their_keys(auth_api_client, user, other_user):
    mine = api_token(user, name="mine")
    api_token(other_user, name="theirs")

    response = auth_api_client.get(TOKENS)

    assert response.status_code == HTTPStatus.OK
    assert [row["name"] for row in response.json()["results"]] == ["mine"]
    assert "key" not in response.json()["results"][0]
    assert mine.key not in response.content.decode()


def test_create_refuses_a_blank_name_and_a_past_expiry(auth_api_client):
    response = auth_api_client.post(
        TOKENS, {"name": " ", "expires_at": (timezone.now() - timedelta(days=1)).isoformat()}, format="json"
    )

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert set(response.json()) == {"name", "expires_at"}
    assert not APIToken.objects.exists()


def test_destroy_revokes_my_token(api_client, user):
    key = api_token(user).key
    other = api_token(user, name="other")

    response = with_token(api_client, key).delete(reverse("api:apitoken-detail", kwargs={"pk": other.pk}))

    assert response.status_code == HTTPStatus.NO_CONTENT
    assert list(APIToken.objects.values_list("name", flat=True)) == ["test"]


def test_destroy_of_another_persons_token_is_404(auth_api_client, other_user):
    theirs = api_token(other_user)

    response = auth_api_client.delete(reverse("api:apitoken-detail", kwargs={"pk": theirs.pk}))

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert APIToken.objects.filter(pk=theirs.pk).exists()


def test_tokens_list_query_count_does_not_grow(api_client, user, django_assert_num_queries):
    key = api_token(user).key
    with_token(api_client, key).get(TOKENS)  # last_used_at written: not again within the minute
    for number in range(20):
        api_token(user, name=f"t{number}")

    with django_assert_num_queries(3):  # the token with its user, count, page
        response = api_client.get(TOKENS)

    assert response.json()["count"] == 21


# Authentication with a token


def test_an_api_request_with_a_token_costs_one_query_for_it(api_client, user, django_assert_num_queries):
    key = api_token(user).key
    with_token(api_client, key).get(TOKENS)

    with django_assert_num_queries(3):  # the token with its user; the page of tokens: count, rows
        api_client.get(TOKENS)


def test_last_used_is_written_at_most_once_a_minute(api_client, user, django_assert_num_queries):
    key = api_token(user).key
    with_token(api_client, key)
    # The token, its last_used_at, its person's time zone (cached from then on), count, page.
    with freeze_time("2026-01-01 10:00:00"), django_assert_num_queries(5):
        api_client.get(TOKENS)
    with freeze_time("2026-01-01 10:00:59"), django_assert_num_queries(3):
        api_client.get(TOKENS)
    with freeze_time("2026-01-01 10:01:30"):
        api_client.get(TOKENS)

    assert APIToken.objects.get().last_used_at.isoformat() == "2026-01-01T10:01:30+00:00"


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_a_read_only_token_is_403_on_any_write(api_client, user, method):
    key = api_token(user, read_only=True).key

    response = getattr(with_token(api_client, key), method)(TOKENS, {"name": "x"}, format="json")

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert response.json() == {"detail": READ_ONLY_MESSAGE}
    assert APIToken.objects.count() == 1


def test_a_read_only_token_reads(api_client, user):
    key = api_token(user, read_only=True).key

    assert with_token(api_client, key).get(reverse("api:todolist-list")).status_code == HTTPStatus.OK


def test_an_expired_token_is_401(api_client, user):
    token = api_token(user, expires_at=timezone.now() + timedelta(minutes=1))

    with freeze_time(timezone.now() + timedelta(minutes=2)):
        response = with_token(api_client, token.key).get(TOKENS)

    assert response.status_code == HTTPStatus.UNAUTHORIZED
    assert response.json() == {"detail": "Token has expired."}
    assert response["WWW-Authenticate"] == "Token"


# POST /api/token/ and DELETE /api/token/


def test_login_creates_a_named_read_write_token_each_time(api_client, user):
    with freeze_time("2026-03-04 12:00:00"):
        first = api_client.post(reverse("api:token"), {"username": "alice", "password": "password"}, format="json")
        second = api_client.post(reverse("api:token"), {"username": "alice", "password": "password"}, format="json")

    assert first.status_code == second.status_code == HTTPStatus.OK
    assert set(first.json()) == {"token"}
    assert first.json()["token"] != second.json()["token"]
    token = APIToken.objects.for_key(first.json()["token"]).get()
    assert (token.name, token.read_only, token.expires_at) == ("API login 2026-03-04", False, None)


def test_delete_token_revokes_only_the_token_it_was_sent_with(api_client, user):
    used = api_token(user, name="used")
    api_token(user, name="kept")

    response = with_token(api_client, used.key).delete(reverse("api:token"))

    assert response.status_code == HTTPStatus.NO_CONTENT
    assert list(APIToken.objects.values_list("name", flat=True)) == ["kept"]


# A password change revokes them all


def test_setting_a_new_password_revokes_every_token_of_the_user(api_client, user, other_user):
    key = api_token(user).key
    api_token(user, read_only=True)
    theirs = api_token(other_user)

    user.set_password("a-new-passphrase")
    user.save()

    assert list(APIToken.objects.all()) == [theirs]
    assert with_token(api_client, key).get(TOKENS).status_code == HTTPStatus.UNAUTHORIZED


def test_saving_a_user_without_a_new_password_keeps_their_tokens(user):
    api_token(user)

    user.first_name = "Alice"
    user.save()
    get_user_model().objects.get(pk=user.pk).save(update_fields=["last_login"])

    assert APIToken.objects.count() == 1


def test_a_login_that_upgrades_the_password_hash_keeps_the_tokens(api_client, user, settings):
    """check_password re-hashes with the preferred hasher and saves: the password itself did not change."""
    api_token(user, name="kept")
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
        "django.contrib.auth.hashers.MD5PasswordHasher",
    ]

    response = api_client.post(reverse("api:token"), {"username": "alice", "password": "password"}, format="json")

    assert response.status_code == HTTPStatus.OK
    user.refresh_from_db()
    assert user.password.startswith("pbkdf2_sha256$")
    assert sorted(APIToken.objects.values_list("name", flat=True)) == ["API login " + str(timezone.localdate()), "kept"]


# /api/profile/

PROFILE = reverse("api:profile")


def test_get_my_profile(auth_api_client, user):
    response = auth_api_client.get(PROFILE)

    assert response.status_code == HTTPStatus.OK
    assert response.json() == {"time_zone": "UTC", "first_day_of_week": "monday"}


def test_patch_my_profile_changes_the_zone_used_from_the_next_request(api_client, user):
    with_token(api_client, api_token(user).key)

    response = api_client.patch(PROFILE, {"time_zone": "Asia/Tokyo", "first_day_of_week": "sunday"}, format="json")

    assert response.status_code == HTTPStatus.OK
    assert response.json() == {"time_zone": "Asia/Tokyo", "first_day_of_week": "sunday"}
    assert Profile.objects.values_list("time_zone", "first_day_of_week").get(user=user) == ("Asia/Tokyo", "sunday")
    assert profile_time_zone(user_id=user.pk) == "Asia/Tokyo"


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"time_zone": "Mars/Olympus"}, "time_zone", "not a time zone we know"),
        ({"time_zone": 3}, "time_zone", "“3” is not a time zone we know"),
        ({"time_zone": ""}, "time_zone", "“” is not a time zone we know"),
        ({"first_day_of_week": "friday"}, "first_day_of_week", "is not a valid choice."),
    ],
)
def test_a_bad_profile_is_400_on_its_field(auth_api_client, user, body, field, message):
    response = auth_api_client.patch(PROFILE, body, format="json")

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert message in response.json()[field][0]
    assert Profile.objects.values_list("time_zone", "first_day_of_week").get(user=user) == ("UTC", "monday")


@pytest.mark.parametrize("method", ["put", "post", "delete"])
def test_the_profile_is_read_and_patched_only(auth_api_client, method):
    assert getattr(auth_api_client, method)(PROFILE, {}, format="json").status_code == HTTPStatus.METHOD_NOT_ALLOWED


def test_the_profile_needs_a_login(api_client):
    assert api_client.get(PROFILE).status_code == HTTPStatus.UNAUTHORIZED


def test_a_read_only_token_cannot_patch_the_profile(api_client, user):
    with_token(api_client, api_token(user, read_only=True).key)

    assert api_client.patch(PROFILE, {"time_zone": "Asia/Tokyo"}, format="json").status_code == HTTPStatus.FORBIDDEN


def test_the_schema_describes_the_zone_as_a_string_and_the_weekday_as_an_enum(api_client):
    schema = api_client.get(reverse("api:schema"), {"format": "json"}).json()

    assert set(schema["paths"]["/api/profile/"]) == {"get", "patch"}
    assert "400" in schema["paths"]["/api/profile/"]["patch"]["responses"]
    properties = schema["components"]["schemas"]["Profile"]["properties"]
    zone = schema["components"]["schemas"][properties["time_zone"]["allOf"][0]["$ref"].rsplit("/", 1)[1]]
    assert zone["type"] == "string"
    assert {"UTC", "Europe/Paris", "Pacific/Auckland"} <= set(zone["enum"])
    assert "Mars/Olympus" not in zone["enum"]
    assert "IANA time zone name" in properties["time_zone"]["description"]
    weekday = schema["components"]["schemas"][properties["first_day_of_week"]["$ref"].rsplit("/", 1)[1]]
    assert weekday["enum"] == ["monday", "sunday", "saturday"]


def test_a_token_request_writes_its_datetimes_in_the_persons_zone(api_client, user):
    """DRF authenticates the token after the middleware ran: the authentication class activates the zone."""
    with time_machine.travel(datetime(2026, 1, 1, 10, 0, tzinfo=UTC), tick=False):
        api_token(user, name="laptop")
    Profile.objects.filter(user=user).update(time_zone="Asia/Tokyo")
    with_token(api_client, api_token(user, name="script").key)

    created = {token["name"]: token["created"] for token in api_client.get(TOKENS).json()["results"]}

    assert created["laptop"] == "2026-01-01T19:00:00+09:00"


def test_a_warm_token_request_reads_no_profile(api_client, user):
    with_token(api_client, api_token(user).key)
    api_client.get(TOKENS)

    with CaptureQueriesContext(connection) as queries:
        api_client.get(TOKENS)

    assert [query for query in queries if "accounts_profile" in query["sql"]] == []


def test_cached_api_answers_are_keyed_by_the_zone(api_client, user, todo_list):
    """The same lists, in another zone, are another answer: their datetimes are written in it."""
    url = reverse("api:todolist-list")
    with_token(api_client, api_token(user).key)
    before = api_client.get(url)

    services.profile_update(profile=user.profile, time_zone="Pacific/Auckland")
    after = api_client.get(url, HTTP_IF_NONE_MATCH=before["ETag"])

    assert after.status_code == HTTPStatus.OK
    assert after.json()["results"][0]["created_at"].endswith("+13:00")
    assert before.json()["results"][0]["created_at"].endswith("Z")
