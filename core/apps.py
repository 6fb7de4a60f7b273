from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Plumbing shared by the apps: API base classes, caching, idempotency, rate limits, middleware, schema helpers.

    It imports no other app of this project.
    """

    default_auto_field = "django.db.models.BigAutoField"
    name = "core"

    def ready(self):
        # Registers the checks; connects the failed-login counter and the session stamp at login.
        from core import checks, middleware, ratelimit  # noqa: F401
