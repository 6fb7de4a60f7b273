from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Plumbing shared by the apps: API base classes, caching, idempotency, rate limits, middleware, schema helpers.

    It imports no other app of this project.
    """

    default_auto_field = "django.db.models.BigAutoField"
    name = "core"

    def ready(self):
        from core import checks, ratelimit  # noqa: F401  (registers the checks; connects the failed-login counter)
