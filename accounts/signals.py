"""A changed password revokes every API token of its user (password change, reset, admin, manage.py);
a new user gets a profile; a login caches the person's time zone."""

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver

from accounts import selectors, services
from accounts.models import Profile


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


@receiver(post_save, sender=get_user_model())
def create_profile(sender, instance, created=False, raw=False, **kwargs):
    """Every user has a profile from the start, however made: sign-up, the admin, createsuperuser, seed_demo,
    the test factories. A signal, not a call in each of those places, because several are Django's own
    code; users made by bulk_create (generate_data) get theirs from services.profile_for when first needed."""
    if created and not raw:
        Profile.objects.get_or_create(user=instance)


@receiver(user_logged_in)
def cache_time_zone(sender, user, **kwargs):
    """Read the zone at login, so that the session's pages find it cached (accounts.middleware)."""
    selectors.profile_time_zone(user_id=user.pk)
