"""Settings for the benchmark: production settings plus the reference view's route (bench/urls.py).

Only the URLconf and the rate limits differ, so the app otherwise runs exactly as configured for production.
"""

from todoproject.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"

# One user sending thousands of requests a second would meet the production rate limits at once.
# The throttles still run (the same cache reads and writes per request); only the rates are out of reach.
REST_FRAMEWORK = {
    **REST_FRAMEWORK,  # noqa: F405
    "DEFAULT_THROTTLE_RATES": {"user": "100000000/day", "todobackend": "100000000/day"},
}
