"""The client's address behind a trusted proxy, the request size limit for /api/ (answered in JSON before
anything reads the body), idle session expiry, `Cache-Control` on personal answers, and 503 for a query
cancelled by the statement timeout."""

import contextlib
import ipaddress
import logging
import time

from django.conf import settings
from django.contrib.auth import SESSION_KEY, logout
from django.contrib.auth.signals import user_logged_in
from django.db import OperationalError
from django.dispatch import receiver
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control

logger = logging.getLogger(__name__)

QUERY_CANCELED = "57014"  # PostgreSQL's SQLSTATE for a statement cancelled (statement_timeout among others)
RETRY_AFTER = 5


class ApiRequestSizeLimitMiddleware:
    """Refuse an /api/ request whose body is larger than DATA_UPLOAD_MAX_MEMORY_SIZE with 413.

    Django enforces that setting only when `request.body` or `request.POST` is read; DRF's parsers read
    the stream instead, so without this a JSON body of any size would be parsed into memory. The WSGI
    input is limited to Content-Length (no length, no body), so checking the header is enough.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if limit is not None and request.path_info.startswith("/api/"):
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0
            if length > limit:
                return JsonResponse(
                    {"detail": f"Request body too large: at most {limit} bytes are accepted."}, status=413
                )
        return self.get_response(request)


class TrustedProxyMiddleware:
    """Behind a trusted proxy, make REMOTE_ADDR the client's address, from the proxy's X-Real-IP.

    REMOTE_ADDR is the rate limits' client address. Behind nginx it is nginx's own, for every client
    alike; nginx sets X-Real-IP to the address it was connected from (deploy/nginx.conf), overwriting
    whatever the client sent. The header is believed only on a connection from an address in
    TRUSTED_PROXY_IPS; from anyone else it is ignored, so a client cannot choose its address.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.META.get("REMOTE_ADDR") in settings.TRUSTED_PROXY_IPS:
            client = request.META.get("HTTP_X_REAL_IP", "").strip()
            with contextlib.suppress(ValueError):  # no address given: the proxy's own stands
                request.META["REMOTE_ADDR"] = str(ipaddress.ip_address(client))
        return self.get_response(request)


def is_query_canceled(error: BaseException) -> bool:
    """Whether `error` is PostgreSQL cancelling a statement (the driver's QueryCanceled, wrapped by Django)."""
    cause = error.__cause__
    code = getattr(cause, "pgcode", None) or getattr(cause, "sqlstate", None)  # psycopg2, psycopg 3
    return isinstance(error, OperationalError) and code == QUERY_CANCELED


class QueryCanceledMiddleware:
    """Answer a view whose query ran past the statement timeout (settings DATABASES) with 503 and Retry-After.

    JSON under /api/ (DRF's exception handler leaves the error to Django, so it arrives here), a page elsewhere.
    The request's transaction has been rolled back by the time the view's exception gets here.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not is_query_canceled(exception):
            return None
        logger.warning("Query cancelled by the statement timeout: %s %s", request.method, request.path)
        message = "The server took too long to answer this request. Try again in a moment."
        if request.path_info.startswith("/api/"):
            response = JsonResponse({"detail": message}, status=503)
        else:
            response = render(request, "503.html", {"message": message}, status=503)
        response["Retry-After"] = str(RETRY_AFTER)
        return response


class SessionIdleTimeoutMiddleware:
    """Log out a session left idle for SESSION_COOKIE_AGE seconds; keep an active one alive.

    A session's expiry (its database row, its cache entry and its cookie) is set when it is saved, so
    an active session must be saved now and then to stay alive; saving it on every request
    (SESSION_SAVE_EVERY_REQUEST) would write the database on every request. Instead the session holds
    when it was last refreshed and is saved again only once that is SESSION_REFRESH_INTERVAL old: a
    session expires between SESSION_COOKIE_AGE minus that interval and SESSION_COOKIE_AGE after its
    last request. The age is also checked here, so an expired session never counts, whatever a cache holds.
    """

    KEY = "_refreshed_at"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            self._logged_in(request)
            and self.KEY in request.session
            and self._idle_for(request) >= settings.SESSION_COOKIE_AGE
        ):
            logout(request)
        response = self.get_response(request)
        # A session without a stamp (made before this middleware) gets one rather than being logged out.
        if self._logged_in(request) and self._idle_for(request) >= settings.SESSION_REFRESH_INTERVAL:
            stamp_session(request.session)
        return response

    def _logged_in(self, request) -> bool:
        # The session says so, without loading the user. Without a cookie there is no session to read.
        return settings.SESSION_COOKIE_NAME in request.COOKIES and SESSION_KEY in request.session

    def _idle_for(self, request) -> float:
        """Seconds since the session was last refreshed (infinite for one never stamped)."""
        refreshed_at = request.session.get(self.KEY)
        return float("inf") if refreshed_at is None else time.time() - refreshed_at


class PrivateCacheControlMiddleware:
    """`Cache-Control: private, no-store` on every answer to a logged-in person (pages and API).

    Those answers hold personal data: no shared cache may keep them, and no browser may keep them on
    disk after logout. Anonymous answers (the login page, public URLs) are left alone, and static files
    never get here (whitenoise answers them first). `ETag`s stay: a client that sends `If-None-Match`
    itself, as API clients do when polling, still gets its 304.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # After the view: DRF sets request.user for a token too, and a login has just made one.
        if request.user.is_authenticated:
            patch_cache_control(response, private=True, no_store=True)
        return response


def stamp_session(session) -> None:
    """Record that the session is in use now (SessionIdleTimeoutMiddleware counts idle time from here)."""
    session[SessionIdleTimeoutMiddleware.KEY] = time.time()


@receiver(user_logged_in)
def _stamp_session_at_login(sender, request, user, **kwargs):
    # Logging in saves the session anyway: stamped now, the next requests need not save it again.
    if request is not None:
        stamp_session(request.session)
