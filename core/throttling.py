"""The API's rate limit: a fixed-window count per user (or per address when anonymous) and scope.

DRF's own throttles read a list of timestamps from the cache, append one and write it back, so parallel
requests read the same list and all pass; this one adds one to an atomic counter (core/counters.py)
and lets a request through only when the count it got back is within the rate.
"""

from rest_framework.settings import api_settings
from rest_framework.throttling import BaseThrottle

from core.counters import counter_hit, parse_rate, window


class RateThrottle(BaseThrottle):
    """The view's `throttle_scope` ("user" when it names none), rate from DEFAULT_THROTTLE_RATES.

    Authenticated requests count per user (`request.user.pk`, whatever credential carried it: token and
    session together), anonymous ones per client address (REMOTE_ADDR with NUM_PROXIES = 0).
    """

    default_scope = "user"

    def allow_request(self, request, view):
        scope = getattr(view, "throttle_scope", None) or self.default_scope
        limit, seconds = parse_rate(api_settings.DEFAULT_THROTTLE_RATES[scope])
        user = getattr(request, "user", None)
        ident = f"user-{user.pk}" if user is not None and user.is_authenticated else f"ip-{self.get_ident(request)}"
        number, self.retry_after = window(seconds)
        return counter_hit(key=f"throttle:{scope}:{ident}:{seconds}:{number}", timeout=seconds) <= limit

    def wait(self):
        return self.retry_after
