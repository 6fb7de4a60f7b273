"""Counters for the rate limits when the default cache is Django's database cache (core/counters.py)."""

from django.db import models


class RateCount(models.Model):
    """How many hits one limit's key has had in one fixed window; the row is gone once the window is."""

    key = models.CharField(max_length=250, unique=True)
    count = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["key"]

    def __str__(self) -> str:
        return f"{self.key}: {self.count}"
