"""Settings for the benchmark: production settings plus the bench-only routes (bench/urls.py).

Only the URLconf, the rate limits and (when asked) a counting wrapper around each cache (bench/cache.py,
for the hit rates) differ, so the app otherwise runs exactly as configured for production.
"""

from todoproject.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"

# One user sending thousands of requests a second would meet the production rate limits at once, so
# the limits are out of reach; the throttles still run, with the same counter increment per request
# (core/throttling.py). The window is one second, so a new window's key is made as often as in production.
REST_FRAMEWORK = {
    **REST_FRAMEWORK,  # noqa: F405
    "DEFAULT_THROTTLE_RATES": {"user": "100000000/second", "todobackend": "100000000/second"},
}

# Hit rates: when the runner asks for them (BENCH_CACHE_STATS, the directory for the counts), every
# alias, whatever its backend, is wrapped; the wrapper hands all but its counting to the real backend.
# The instruction counts (bench/instructions.py) run without it.
if env("BENCH_CACHE_STATS", default=""):  # noqa: F405
    CACHES = {
        alias: {
            **config,
            "BACKEND": "bench.cache.CountingCache",
            "BENCH_BACKEND": config["BACKEND"],
            "BENCH_ALIAS": alias,
        }
        for alias, config in CACHES.items()  # noqa: F405
    }
