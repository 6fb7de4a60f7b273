"""Show every page in the person's own time zone."""

from django.conf import settings
from django.utils import timezone

from accounts.selectors import profile_time_zone


def activate_time_zone(user) -> None:
    """Make the person's time zone the active one for the rest of the request (from the cache: no query)."""
    timezone.activate(profile_time_zone(user_id=user.pk))


class TimeZoneMiddleware:
    """Activate a logged-in person's time zone for their request; anyone else has settings.TIME_ZONE.

    The API authenticates tokens later, in the view (accounts.authentication activates the zone then);
    either way the zone is deactivated here when the request ends, so no thread carries it to the next one.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Without a session cookie there is no session user: request.user is not even looked at, so the
        # session is not marked accessed (which would add `Vary: Cookie` to API and anonymous answers).
        if settings.SESSION_COOKIE_NAME in request.COOKIES and request.user.is_authenticated:
            activate_time_zone(request.user)
        else:
            timezone.deactivate()
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
