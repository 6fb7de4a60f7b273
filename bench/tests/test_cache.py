from bench.cache import CountingCache


def test_the_counting_cache_answers_membership_as_the_cache_it_wraps():
    """cached_db sessions ask `key in cache`: a special method that __getattr__ never delegates."""
    cache = CountingCache(
        "bench-test", {"BENCH_ALIAS": "default", "BENCH_BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
    cache.set("present", 1)

    assert "present" in cache
    assert "absent" not in cache
