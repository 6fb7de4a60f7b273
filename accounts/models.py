"""Personal API tokens: several per person, named, optionally expiring, read-only or read-write, stored hashed;
and a person's profile: their time zone and first day of the week."""

import functools
import hashlib
import secrets
import zoneinfo
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

# last_used_at is written at most this often per token, so reads don't write on every request.
LAST_USED_EVERY = timedelta(minutes=1)


def token_digest(key: str) -> str:
    """The sha256 of a key: keys are 256-bit random secrets, so a fast unsalted hash is safe to store and look up."""
    return hashlib.sha256(key.encode()).hexdigest()


def token_generate() -> str:
    return secrets.token_hex(32)


class APITokenQuerySet(models.QuerySet):
    def for_owner(self, user):
        return self.filter(user=user)

    def for_key(self, key: str):
        """The token whose key this is (one indexed lookup by digest), with its user."""
        return self.filter(digest=token_digest(key)).select_related("user")


class APIToken(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, related_name="api_tokens", on_delete=models.CASCADE)
    name = models.CharField(max_length=100)
    # The key's first characters, shown so a person can tell their tokens apart; never enough to use.
    prefix = models.CharField(max_length=8, editable=False)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    read_only = models.BooleanField(default=False, help_text="Only GET, HEAD and OPTIONS requests.")
    created = models.DateTimeField(default=timezone.now, editable=False)
    expires_at = models.DateTimeField(null=True, blank=True, help_text="Never expires when empty.")
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = APITokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = "API token"

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    def is_expired(self, now=None) -> bool:
        return self.expires_at is not None and self.expires_at <= (now or timezone.now())

    def touch(self, now=None) -> None:
        """Record a use, with one conditional UPDATE at most once a minute (none in between)."""
        now = now or timezone.now()
        if self.last_used_at is not None and self.last_used_at > now - LAST_USED_EVERY:
            return
        APIToken.objects.filter(pk=self.pk).filter(
            models.Q(last_used_at__isnull=True) | models.Q(last_used_at__lte=now - LAST_USED_EVERY)
        ).update(last_used_at=now)
        self.last_used_at = now


UNKNOWN_TIME_ZONE = (
    "“%(value)s” is not a time zone we know: pick one from the list (an IANA name such as Europe/Paris)."
)


@functools.cache
def time_zone_names() -> frozenset[str]:
    """The IANA time zone names this server knows (zoneinfo), less "localtime": the server's own zone, not a place."""
    return frozenset(zoneinfo.available_timezones() - {"localtime"})


def validate_time_zone(value: str) -> None:
    if value not in time_zone_names():
        raise ValidationError(UNKNOWN_TIME_ZONE, code="unknown_time_zone", params={"value": value})


class Weekday(models.TextChoices):
    MONDAY = "monday", "Monday"
    SUNDAY = "sunday", "Sunday"
    SATURDAY = "saturday", "Saturday"


class Profile(models.Model):
    """A person's settings: the time zone every date and time is shown in, and the first day of their week."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, related_name="profile", on_delete=models.CASCADE)
    time_zone = models.CharField(
        max_length=64,
        default="UTC",
        validators=[validate_time_zone],
        help_text="An IANA time zone name, e.g. Europe/Paris: dates and times are shown in it.",
    )
    first_day_of_week = models.CharField(max_length=8, choices=Weekday.choices, default=Weekday.MONDAY)

    class Meta:
        ordering = ["user_id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(first_day_of_week__in=Weekday.values), name="profile_first_day_of_week_valid"
            ),
        ]

    def __str__(self):
        return f"Profile of {self.user_id} ({self.time_zone})"
