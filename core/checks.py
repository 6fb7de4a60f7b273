"""System checks for deployments (`manage.py check --deploy`)."""

from django.conf import settings
from django.core.checks import Error, Tags, register

PER_PROCESS_BACKENDS = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
}


@register(Tags.caches, deploy=True)
def check_shared_default_cache(app_configs, **kwargs):
    """Refuse a per-process default cache with DEBUG off: rate limits and idempotency keys would not be shared."""
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if settings.DEBUG or backend not in PER_PROCESS_BACKENDS:
        return []
    return [
        Error(
            f"The default cache ({backend}) lives in one process's memory; with several gunicorn workers or "
            "servers, rate limits, Idempotency-Key records and cached sessions would each be per process.",
            hint="Set REDIS_URL, or use Django's database cache (the default without REDIS_URL; run "
            "`manage.py createcachetable`).",
            id="core.E001",
        )
    ]
