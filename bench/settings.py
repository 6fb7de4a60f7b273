"""Settings for the benchmark: production settings plus the reference view's route (bench/urls.py).

Only the URLconf and the rate limits differ, so the app otherwise runs exactly as configured for production.
"""

from todoproject.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"

# One user sending thousands of requests a second would meet the production rate limits at once, so
# the limits are out of reach; the throttles still run, with the same cache reads and writes per request.
# The window is one second: DRF keeps one timestamp per request within the window, so a day's window
# would grow that history to every request of the run (unpickled and pickled on each request, ~7 ms
# at 90,000), a cost production's 300/minute never has. Per second it holds ~100-300, as in production.
REST_FRAMEWORK = {
    **REST_FRAMEWORK,  # noqa: F405
    "DEFAULT_THROTTLE_RATES": {"user": "100000000/second", "todobackend": "100000000/second"},
}
