"""Fixed-window counters (core/counters.py) in the memory cache and, for Django's database cache, in RateCount rows."""

from datetime import timedelta

import pytest
from django.core.cache import caches
from django.utils import timezone

from core.counters import counter_get, counter_hit, counter_release
from core.models import RateCount

pytestmark = pytest.mark.django_db

DATABASE_CACHE = {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "django_cache"}


@pytest.fixture(params=["memory", "database"])
def store(request, settings):
    if request.param == "database":
        settings.CACHES = {**settings.CACHES, "default": DATABASE_CACHE}
    yield request.param
    caches["default"].close()


def test_each_hit_returns_the_new_count(store):
    assert [counter_hit(key="k", timeout=60) for _ in range(3)] == [1, 2, 3]
    assert counter_get(key="k") == 3


def test_a_release_takes_one_hit_back(store):
    counter_hit(key="k", timeout=60)
    counter_hit(key="k", timeout=60)

    counter_release(key="k")

    assert counter_get(key="k") == 1
    assert counter_hit(key="k", timeout=60) == 2


def test_releasing_a_key_never_hit_keeps_it_at_zero(store):
    counter_release(key="never")

    assert counter_get(key="never") == 0


def test_the_database_counts_in_rows_not_in_the_cache_table(settings):
    settings.CACHES = {**settings.CACHES, "default": DATABASE_CACHE}

    counter_hit(key="k", timeout=60)

    assert RateCount.objects.get().count == 1


def test_a_new_windows_first_hit_deletes_the_rows_of_windows_that_are_over(settings):
    settings.CACHES = {**settings.CACHES, "default": DATABASE_CACHE}
    RateCount.objects.create(key="old", count=7, expires_at=timezone.now() - timedelta(seconds=1))

    counter_hit(key="new", timeout=60)

    assert list(RateCount.objects.values_list("key", flat=True)) == ["new"]
