"""Atomic fixed-window counters for the rate limits, in the shared store every process agrees on.

`counter_hit` adds one to a key and returns the new count in one atomic step, so parallel requests
never read the same count: a limit lets exactly its number through. With Redis (or the one-process
memory cache) that is the cache's own `add` + `incr` (Redis INCR; locmem holds a lock). Django's
database cache implements `incr` as a read and a write (two requests can both read 3 and both write 4)
and stores values pickled, so the database cannot add to them; with that cache the counts are rows of
`core.RateCount` instead, incremented with `F()` under the row's lock.
"""

import contextlib
import time
from datetime import timedelta

from django.core.cache import caches
from django.core.cache.backends.db import DatabaseCache
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from core.models import RateCount

DURATIONS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate: str) -> tuple[int, int]:
    """Read a rate as DRF writes it: "300/minute" -> (300, 60), how many hits in how many seconds."""
    number, period = rate.split("/")
    return int(number), DURATIONS[period[0]]


def window(seconds: int) -> tuple[int, int]:
    """Return the current fixed window's number and the seconds left in it."""
    now = int(time.time())
    return now // seconds, seconds - now % seconds


def counter_hit(*, key: str, timeout: int) -> int:
    """Add one to `key` (kept `timeout` seconds from its first hit) and return its new count."""
    cache = caches["default"]
    if isinstance(cache, DatabaseCache):
        return _database_hit(key=key, timeout=timeout)
    for _ in range(3):
        cache.add(key, 0, timeout=timeout)
        try:
            return cache.incr(key)
        except ValueError:  # expired between add and incr: add it again
            continue
    raise RuntimeError(f"cannot count {key!r}: the cache drops it")


def counter_release(*, key: str) -> None:
    """Take back one hit of `key` (an attempt that turned out not to count); a key already gone stays gone."""
    cache = caches["default"]
    if isinstance(cache, DatabaseCache):
        RateCount.objects.filter(key=key, count__gt=0).update(count=F("count") - 1)
        return
    with contextlib.suppress(ValueError):  # expired meanwhile
        cache.decr(key)


def counter_get(*, key: str) -> int:
    cache = caches["default"]
    if isinstance(cache, DatabaseCache):
        counts = RateCount.objects.filter(key=key, expires_at__gt=timezone.now()).values_list("count", flat=True)
        return counts.first() or 0
    return cache.get(key, 0)


@transaction.atomic
def _database_hit(*, key: str, timeout: int) -> int:
    now = timezone.now()
    counter = RateCount.objects.select_for_update().filter(key=key).first()
    if counter is None:
        # A new window's first hit: clear the windows that are over, then create the row unless a
        # parallel first hit just did (ON CONFLICT DO NOTHING), and lock it.
        RateCount.objects.filter(expires_at__lte=now).delete()
        expires_at = now + timedelta(seconds=timeout)
        RateCount.objects.bulk_create([RateCount(key=key, expires_at=expires_at)], ignore_conflicts=True)
        counter = RateCount.objects.select_for_update().get(key=key)
    elif counter.expires_at <= now:  # a key reused after its window: start again
        RateCount.objects.filter(pk=counter.pk).update(count=0, expires_at=now + timedelta(seconds=timeout))
        counter.count = 0
    RateCount.objects.filter(pk=counter.pk).update(count=F("count") + 1)
    return counter.count + 1
