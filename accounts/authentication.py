"""`Authorization: Token <key>` against the hashed APIToken table: one indexed query per request."""

from django.utils import timezone
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication
from rest_framework.permissions import SAFE_METHODS

from accounts.middleware import activate_time_zone
from accounts.models import APIToken

READ_ONLY_MESSAGE = "This API token is read-only: it can only make GET, HEAD and OPTIONS requests."


class APITokenAuthentication(TokenAuthentication):
    """DRF's header parsing and 401 with `WWW-Authenticate: Token`; the key is looked up by its sha256.

    A read-only token on an unsafe method answers 403 here, before any view runs, whatever the view's
    permission classes. A token's person gets their time zone here, as the middleware gives it to sessions
    (the middleware runs before DRF authenticates a token, and deactivates the zone when the request ends).
    """

    model = APIToken

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is not None and result[1].read_only and request.method not in SAFE_METHODS:
            raise exceptions.PermissionDenied(READ_ONLY_MESSAGE)
        if result is not None:
            activate_time_zone(result[0])
        return result

    def authenticate_credentials(self, key):
        token = APIToken.objects.for_key(key).first()
        if token is None:
            raise exceptions.AuthenticationFailed("Invalid token.")
        now = timezone.now()
        if token.is_expired(now):
            raise exceptions.AuthenticationFailed("Token has expired.")
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed("User inactive or deleted.")
        token.touch(now)
        return token.user, token
