"""Limit failed logins per username and per client address, in the shared cache.

Failures are counted from Django's `user_login_failed` signal, which both the login page
(AuthenticationForm) and the token endpoint (DRF's AuthTokenSerializer) send through
`authenticate()`. The middleware refuses further attempts with 429 and `Retry-After` once a
username or an address has failed `LOGIN_FAILURE_LIMIT` times in the current window of
`LOGIN_FAILURE_WINDOW` seconds (fixed windows, so the count is one cache increment).
"""

import hashlib
import json
import time
from functools import cached_property

from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.core.cache import cache
from django.core.exceptions import SuspiciousOperation
from django.dispatch import receiver
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse


def _window() -> tuple[int, int]:
    """Return the current window's number and the seconds left in it."""
    now = int(time.time())
    return now // settings.LOGIN_FAILURE_WINDOW, settings.LOGIN_FAILURE_WINDOW - now % settings.LOGIN_FAILURE_WINDOW


def _keys(request, username: str) -> list[str]:
    window, _ = _window()
    keys = [f"login-failures:ip:{request.META.get('REMOTE_ADDR', '')}:{window}"]
    if username:
        digest = hashlib.sha256(username.strip().lower().encode()).hexdigest()
        keys.append(f"login-failures:user:{digest}:{window}")
    return keys


@receiver(user_login_failed, dispatch_uid="core.ratelimit.count_failure")
def count_failure(sender, credentials, request=None, **kwargs):
    if request is None:
        return
    for key in _keys(request, credentials.get("username") or ""):
        cache.add(key, 0, timeout=settings.LOGIN_FAILURE_WINDOW)
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, timeout=settings.LOGIN_FAILURE_WINDOW)


def _submitted_username(request) -> str:
    if request.content_type == "application/json":
        try:
            body = json.loads(request.body or b"{}")
        except (ValueError, RecursionError):  # malformed or too deep: the view's parser answers 400
            return ""
        username = str(body.get("username", "")) if isinstance(body, dict) else ""
        try:
            username.encode()
        except UnicodeEncodeError:  # a lone surrogate ("\ud800") cannot be hashed; the parser answers 400
            return ""
        return username
    try:
        return request.POST.get("username", "")
    except SuspiciousOperation:  # too many fields: the view answers it (400, in JSON under /api/)
        return ""


class LoginRateLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    @cached_property
    def _limited_paths(self) -> set[str]:
        """The login URLs, reversed once per process rather than on every request."""
        paths = set()
        for name in settings.LOGIN_RATE_LIMITED_URLS:
            try:
                paths.add(reverse(name))
            except NoReverseMatch:
                continue
        return paths

    def __call__(self, request):
        if request.method == "POST" and request.path_info in self._limited_paths:
            keys = _keys(request, _submitted_username(request))
            counts = cache.get_many(keys)
            if any(count >= settings.LOGIN_FAILURE_LIMIT for count in counts.values()):
                return self._too_many(request)
        return self.get_response(request)

    @staticmethod
    def _too_many(request):
        _, retry_after = _window()
        message = f"Too many failed login attempts. Try again in {retry_after} seconds."
        if request.path_info.startswith("/api/"):
            response = JsonResponse({"detail": message}, status=429)
        else:
            response = render(request, "429.html", {"message": message}, status=429)
        response["Retry-After"] = str(retry_after)
        return response
