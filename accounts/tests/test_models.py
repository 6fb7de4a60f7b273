from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts import services
from accounts.models import APIToken, Profile, Weekday, token_digest
from accounts.selectors import profile_time_zone, time_zone_cache_key
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


# Profile


def test_every_new_user_gets_a_profile_in_utc_with_weeks_from_monday(user):
    profile = Profile.objects.get(user=user)

    assert (profile.time_zone, profile.first_day_of_week) == ("UTC", Weekday.MONDAY)
    assert user.profile == profile


def test_seed_demo_users_have_profiles():
    call_command("seed_demo", verbosity=0)

    assert get_user_model().objects.filter(profile__isnull=True).count() == 0


@pytest.mark.parametrize("name", ["Mars/Olympus", "utc", "localtime", "Europe/Paris "])
def test_an_unknown_time_zone_is_invalid(user, name):
    user.profile.time_zone = name

    with pytest.raises(ValidationError) as error:
        user.profile.full_clean()

    assert "not a time zone we know" in error.value.message_dict["time_zone"][0]


def test_the_first_day_of_the_week_is_one_of_three_in_the_database(user):
    with pytest.raises(IntegrityError), transaction.atomic():
        Profile.objects.filter(user=user).update(first_day_of_week="friday")


def test_profile_update_changes_the_zone_and_forgets_the_cached_one(user):
    assert profile_time_zone(user_id=user.pk) == "UTC"  # now cached

    services.profile_update(profile=user.profile, time_zone="Asia/Tokyo", first_day_of_week=Weekday.SUNDAY)

    assert profile_time_zone(user_id=user.pk) == "Asia/Tokyo"
    assert Profile.objects.values_list("time_zone", "first_day_of_week").get(user=user) == ("Asia/Tokyo", "sunday")


def test_profile_update_refuses_an_unknown_zone(user):
    with pytest.raises(ValidationError):
        services.profile_update(profile=user.profile, time_zone="Mars/Olympus")

    assert Profile.objects.get(user=user).time_zone == "UTC"


def test_the_cached_zone_is_forgotten_again_after_the_commit(user, django_capture_on_commit_callbacks):
    """A request that read the old row before the commit and cached it again is corrected by the commit."""
    with django_capture_on_commit_callbacks(execute=True):
        services.profile_update(profile=user.profile, time_zone="Asia/Tokyo")
        cache.set(time_zone_cache_key(user.pk), "UTC")  # what such a request would have cached

    assert profile_time_zone(user_id=user.pk) == "Asia/Tokyo"


def test_a_user_without_a_profile_has_the_default_zone_and_gets_one_when_needed(user):
    Profile.objects.filter(user=user).delete()  # as bulk_create leaves a user (generate_data)

    assert profile_time_zone(user_id=user.pk) == "UTC"
    assert services.profile_for(user=user).time_zone == "UTC"
    assert Profile.objects.filter(user=user).exists()
