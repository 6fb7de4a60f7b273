"""Settings for the benchmark: production settings plus the reference view's route (bench/urls.py).

Only the URLconf differs, so the app runs exactly as configured for production otherwise.
"""

from todoproject.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
