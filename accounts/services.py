"""Writes of the accounts app: turning two-factor login on and off; API tokens: create (the key is returned
once, never stored), revoke one, revoke all of a person's; a person's profile (time zone, first day of week)."""

from collections.abc import Mapping, Sequence
from datetime import datetime
from functools import partial

from django.contrib.auth.models import AbstractBaseUser
from django.core.cache import cache
from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import APIToken, Profile, Weekday, token_digest, token_generate
from accounts.selectors import time_zone_cache_key
from orders import services as order_services
from todos import services as todo_services
from todos.models import Colour

RECOVERY_CODE_COUNT = 10


@transaction.atomic
def two_factor_enable(*, user: AbstractBaseUser, device: TOTPDevice) -> list[str]:
    """Confirm the user's authenticator app and give them fresh recovery codes (returned, shown once)."""
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    StaticDevice.objects.filter(user=user).delete()
    recovery = StaticDevice.objects.create(user=user, name="Recovery codes")
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=recovery, token=code) for code in codes)
    return codes


@transaction.atomic
def two_factor_disable(*, user: AbstractBaseUser) -> None:
    """Remove the user's authenticator app and recovery codes: logging in takes the password alone again."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()


@transaction.atomic
def api_token_create(
    *, user: AbstractBaseUser, name: str, read_only: bool = False, expires_at: datetime | None = None
) -> APIToken:
    """Create a token; its plaintext key is on the returned instance as `.key`, and nowhere else."""
    key = token_generate()
    token = APIToken.objects.create(
        user=user,
        name=name,
        prefix=key[:8],
        digest=token_digest(key),
        read_only=read_only,
        expires_at=expires_at,
    )
    token.key = key
    return token


@transaction.atomic
def api_token_revoke(*, token: APIToken) -> None:
    token.delete()


@transaction.atomic
def api_token_revoke_all(*, user: AbstractBaseUser) -> int:
    """Revoke every token of the user; return how many there were."""
    count, _ = APIToken.objects.for_owner(user).delete()
    return count


@transaction.atomic
def profile_for(*, user: AbstractBaseUser) -> Profile:
    """The person's profile; made with the defaults for a user that has none (bulk_create sends no signal)."""
    profile, _ = Profile.objects.get_or_create(user=user)
    return profile


@transaction.atomic
def profile_update(
    *, profile: Profile, time_zone: str | None = None, first_day_of_week: Weekday | None = None
) -> Profile:
    """Change what is given (a valid IANA name; a Weekday) and forget the cached time zone."""
    if time_zone is not None:
        profile.time_zone = time_zone
    if first_day_of_week is not None:
        profile.first_day_of_week = first_day_of_week
    profile.clean_fields(exclude=["user"])  # the validators: a known zone, one of the weekdays
    profile.save(update_fields=["time_zone", "first_day_of_week"])
    profile_time_zone_forget(user_id=profile.user_id)
    return profile


def profile_time_zone_forget(*, user_id: int) -> None:
    """Drop the cached time zone now, and again after the commit: a request that read the old row in
    between may have cached it again."""
    key = time_zone_cache_key(user_id)
    cache.delete(key)
    transaction.on_commit(partial(cache.delete, key))


# Your data: the import (accounts/imports.py reads the file; todos and orders services write)


@transaction.atomic
def account_data_import(
    *, owner: AbstractBaseUser, lists: Sequence[Mapping], labels: Sequence[Mapping] = (), orders: Sequence[Mapping] = ()
) -> dict[str, int]:
    """Create everything in an export document (validated) as new objects of `owner`'s, all or nothing.

    Labels are matched to the owner's by name, ignoring case, or created; an order naming a product this
    site does not sell is skipped (and counted). Returns the counts of what was created, per kind.
    """
    names = [(label["name"], label.get("colour", Colour.GREY)) for label in labels]
    names += [
        (name, Colour.GREY) for todo_list in lists for todo in todo_list["todos"] for name in todo.get("labels", ())
    ]
    label_map, labels_created = todo_services.label_import(owner=owner, labels=names)
    counts = {"lists": 0, "todos": 0, "labels": labels_created, "orders": 0, "orders_skipped": 0}
    for todo_list in lists:
        # By position (the export writes them in that order anyway); todos without one keep their place after.
        ranked = sorted(
            enumerate(todo_list["todos"]),
            key=lambda pair: (pair[1].get("position") is None, pair[1].get("position") or 0, pair[0]),
        )
        todos = [todo for _, todo in ranked]
        _, created = todo_services.todo_list_import(owner=owner, name=todo_list["name"], todos=todos, labels=label_map)
        counts["lists"] += 1
        counts["todos"] += created
    for order in orders:
        created = order_services.order_import(owner=owner, status=order["status"], items=order["items"])
        counts["orders" if created else "orders_skipped"] += 1
    return counts
