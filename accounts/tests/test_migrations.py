"""The migration from DRF's plaintext authtoken keys: each key keeps working, stored only as its sha256."""

from datetime import UTC, datetime
from http import HTTPStatus

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import APIToken, Profile, token_digest
from todos.tests.factories import UserFactory

pytestmark = [pytest.mark.migrations, pytest.mark.django_db(transaction=True)]

LEGACY_KEY = "9944b09199c62bcf9418ad846dd0e4bbdfc6ee4b"  # DRF's format: 40 hex characters


@pytest.fixture(autouse=True)
def _back_to_latest():
    yield
    call_command("migrate", verbosity=0)


def create_legacy_table(user_id: int) -> None:
    """rest_framework.authtoken's table and one key in it, as a database from before this change holds."""
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE authtoken_token (key varchar(40) PRIMARY KEY, "
            "created timestamp with time zone NOT NULL, user_id integer NOT NULL)"
        )
        cursor.execute(
            "INSERT INTO authtoken_token (key, created, user_id) VALUES (%s, %s, %s)",
            [LEGACY_KEY, datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC), user_id],
        )


def test_a_legacy_key_is_imported_hashed_and_keeps_working():
    user = UserFactory(username="alice")
    call_command("migrate", "accounts", "zero", verbosity=0)
    create_legacy_table(user.pk)

    call_command("migrate", "accounts", verbosity=0)

    token = APIToken.objects.get()
    assert (token.user, token.digest, token.prefix, token.read_only) == (
        user,
        token_digest(LEGACY_KEY),
        "9944b091",
        False,
    )
    assert token.created == datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC)
    assert "authtoken_token" not in connection.introspection.table_names()  # no plaintext key left behind
    client = APIClient(HTTP_AUTHORIZATION=f"Token {LEGACY_KEY}")
    assert client.get(reverse("api:todolist-list")).status_code == HTTPStatus.OK


def test_a_new_database_has_nothing_to_import():
    call_command("migrate", "accounts", "zero", verbosity=0)

    call_command("migrate", "accounts", verbosity=0)

    assert not APIToken.objects.exists()


def test_users_from_before_profiles_get_one_each_and_the_migration_reverses():
    call_command("migrate", "accounts", "0002", verbosity=0)
    User = get_user_model()
    User.objects.bulk_create([User(username="alice"), User(username="bob")])  # no signal: no profile yet

    call_command("migrate", "accounts", verbosity=0)

    assert sorted(Profile.objects.values_list("user__username", "time_zone", "first_day_of_week")) == [
        ("alice", "UTC", "monday"),
        ("bob", "UTC", "monday"),
    ]
    call_command("migrate", "accounts", "0002", verbosity=0)
    assert "accounts_profile" not in connection.introspection.table_names()
