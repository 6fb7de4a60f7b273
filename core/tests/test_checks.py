import subprocess
import sys

import pytest
from django.conf import settings as django_settings
from django.core.checks import run_checks
from django.core.management import call_command
from django.core.management.base import SystemCheckError

LOCMEM = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
DATABASE_CACHE = {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "django_cache"}


def deploy_errors():
    return [message.id for message in run_checks(include_deployment_checks=True) if message.id.startswith("core.")]


def test_a_per_process_default_cache_fails_the_deploy_check_with_debug_off(settings):
    settings.DEBUG = False
    settings.CACHES = {**settings.CACHES, "default": LOCMEM}

    assert deploy_errors() == ["core.E001"]
    with pytest.raises(SystemCheckError, match="core.E001"):
        call_command("check", "--deploy", "--tag", "caches")


@pytest.mark.parametrize(
    "default",
    [
        DATABASE_CACHE,
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:6379/0"},
    ],
    ids=["database", "redis"],
)
def test_a_shared_default_cache_passes_the_deploy_check(settings, default):
    settings.DEBUG = False
    settings.CACHES = {**settings.CACHES, "default": default}

    assert deploy_errors() == []


def test_a_per_process_cache_is_fine_while_debugging(settings):
    settings.DEBUG = True
    settings.CACHES = {**settings.CACHES, "default": LOCMEM}

    assert deploy_errors() == []


def production_cache_backend(**environ) -> str:
    """The default cache backend that the production settings pick in a fresh process with `environ`."""
    code = "from todoproject import settings; print(settings.CACHES['default']['BACKEND'], settings.SESSION_ENGINE)"
    env = {"DJANGO_SECRET_KEY": "x" * 50, "PATH": "/usr/bin:/bin", **environ}
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=django_settings.BASE_DIR, env=env, capture_output=True, text=True, check=True
    )
    return result.stdout.split()


def test_production_without_redis_shares_the_database_cache_and_caches_sessions_in_it():
    assert production_cache_backend() == [
        "django.core.cache.backends.db.DatabaseCache",
        "django.contrib.sessions.backends.cached_db",
    ]


def test_production_with_redis_url_uses_redis():
    backend, _ = production_cache_backend(REDIS_URL="redis://127.0.0.1:6379/0")
    assert backend == "django.core.cache.backends.redis.RedisCache"


def test_make_run_keeps_the_cache_in_its_one_process():
    backend, _ = production_cache_backend(DJANGO_DEBUG="true")
    assert backend == "django.core.cache.backends.locmem.LocMemCache"
