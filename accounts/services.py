"""Writes for API tokens: create (the key is returned once, never stored), revoke one, revoke all of a person's."""

from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from accounts.models import APIToken, token_digest, token_generate


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
