from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Sign-up, login, password change and API tokens."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "accounts"

    def ready(self):
        from accounts import signals  # noqa: F401  (connects the receivers)
