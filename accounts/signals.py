"""A changed password revokes every API token of its user (password change, reset, admin, manage.py)."""

from django.contrib.auth import get_user_model
from django.db.models.signals import pre_save
from django.dispatch import receiver

from accounts import services


@receiver(pre_save, sender=get_user_model())
def revoke_api_tokens_on_password_change(sender, instance, update_fields=None, raw=False, **kwargs):
    """Record on the user how many tokens were revoked (`api_tokens_revoked`), for the page to say so."""
    if raw or instance.pk is None or (update_fields is not None and "password" not in update_fields):
        return
    if update_fields is not None and set(update_fields) == {"password"}:
        # How check_password saves a hash upgrade (a new hasher or more iterations): the same password.
        # Every password change Django makes (change, reset, admin, changepassword) saves the whole user.
        return
    stored = sender.objects.filter(pk=instance.pk).values_list("password", flat=True).first()
    if stored is not None and stored != instance.password:
        instance.api_tokens_revoked = services.api_token_revoke_all(user=instance)
