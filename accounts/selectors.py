"""Reads of the accounts app: a person's time zone, cached so that activating it costs no query."""

from django.conf import settings
from django.core.cache import cache

from accounts.models import Profile

# Forgotten by accounts.services.profile_update on every change; the timeout only bounds a stale entry
# left by a change made elsewhere (the admin forgets it too, a shell would not).
TIME_ZONE_CACHE_TIMEOUT = 24 * 60 * 60


def time_zone_cache_key(user_id: int) -> str:
    return f"accounts:time-zone:{user_id}"


def profile_time_zone(*, user_id: int) -> str:
    """The person's IANA time zone name: from the shared cache, else one query (then cached).

    A user without a profile (made by bulk_create, which sends no signal) has settings.TIME_ZONE.
    """
    key = time_zone_cache_key(user_id)
    name = cache.get(key)
    if name is None:
        name = Profile.objects.filter(user_id=user_id).values_list("time_zone", flat=True).first()
        name = name or settings.TIME_ZONE
        cache.set(key, name, timeout=TIME_ZONE_CACHE_TIMEOUT)
    return name
