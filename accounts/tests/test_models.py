from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import APIToken, token_digest
from accounts.tests.factories import api_token

pytestmark = pytest.mark.django_db


def test_a_token_stores_the_sha256_of_its_key_and_never_the_key(user):
    token = api_token(user)

    row = APIToken.objects.values().get(pk=token.pk)
    assert row["digest"] == token_digest(token.key)
    assert token.key not in {str(value) for value in row.values()}
    assert row["prefix"] == token.key[:8]


def test_keys_are_256_bit_random_hex(user):
    keys = {api_token(user).key for _ in range(5)}

    assert len(keys) == 5
    assert all(len(key) == 64 and int(key, 16) >= 0 for key in keys)


def test_for_key_finds_the_token_with_its_user_in_one_query(user, django_assert_num_queries):
    key = api_token(user).key

    with django_assert_num_queries(1):
        token = APIToken.objects.for_key(key).get()
        assert token.user.username == "alice"


def test_touch_writes_last_used_once_a_minute_at_most(user, django_assert_num_queries):
    token = api_token(user)
    now = timezone.now()

    with django_assert_num_queries(1):
        token.touch(now)
    with django_assert_num_queries(0):
        token.touch(now + timedelta(seconds=59))
    with django_assert_num_queries(1):
        token.touch(now + timedelta(seconds=61))

    assert APIToken.objects.get(pk=token.pk).last_used_at == now + timedelta(seconds=61)


def test_touch_does_not_move_last_used_back_when_another_request_wrote_it_first(user):
    token = api_token(user)
    now = timezone.now()
    stale = APIToken.objects.get(pk=token.pk)
    token.touch(now)

    stale.touch(now + timedelta(seconds=30))  # its copy says never used; the conditional UPDATE matches no row

    assert APIToken.objects.get(pk=token.pk).last_used_at == now


def test_is_expired_at_its_expiry_time(user):
    now = timezone.now()
    token = api_token(user, expires_at=now + timedelta(hours=1))

    assert not token.is_expired(now)
    assert token.is_expired(now + timedelta(hours=1))
    assert not api_token(user).is_expired(now + timedelta(days=10000))


def test_str_names_the_token_and_its_prefix_not_the_key(user):
    token = api_token(user, name="laptop")

    assert str(token) == f"laptop ({token.key[:8]}…)"
