"""Limit failed logins per username and per client address, with atomic counters in the shared store.

The middleware guards the login URLs (login page, admin login, token endpoint): before the view checks a
password it takes one from each count (`counter_hit`, core/counters.py) and refuses with 429 and
`Retry-After` when a count it got back is over the limit, so parallel attempts cannot check more passwords
than the limit allows. An attempt that does not fail (a successful login, or a form that never reached
`authenticate()`) gives its hits back; a failure, reported by Django's `user_login_failed` signal (which
AuthenticationForm and DRF's AuthTokenSerializer send through `authenticate()`), keeps them.

Per address: `LOGIN_FAILURE_LIMIT` failures in a window of `LOGIN_FAILURE_WINDOW` seconds. Per username
(normalized as authentication does, then case-folded, so a full-width or other lookalike spelling counts
with the name it logs in as): the same limit, but only for addresses that have failures of their own in
the window; an address without any may still try until `LOGIN_USERNAME_FAILURE_LIMIT`, so anyone who
fails 5 times from elsewhere cannot lock the owner out.
"""

import hashlib
import json
import unicodedata
from functools import cached_property

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import SuspiciousOperation
from django.dispatch import receiver
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse

from core.counters import counter_hit, counter_release, parse_rate, window

FAILED = "_login_failed"  # set on the request by the signal: the attempt's hits stay counted


def normalized_username(username: str) -> str:
    """The name authentication looks up (NFKC, as AuthenticationForm's UsernameField), case-folded."""
    return unicodedata.normalize("NFKC", AbstractBaseUser.normalize_username(username.strip()).casefold())


def address_key(request) -> str:
    number, _ = window(settings.LOGIN_FAILURE_WINDOW)
    return f"login-failures:ip:{request.META.get('REMOTE_ADDR', '')}:{number}"


def username_key(username: str) -> str:
    number, _ = window(settings.LOGIN_FAILURE_WINDOW)
    digest = hashlib.sha256(normalized_username(username).encode()).hexdigest()
    return f"login-failures:user:{digest}:{number}"


def mark_failed(request) -> None:
    """Keep this attempt's counts: its password was wrong (for checks that send no `user_login_failed`)."""
    setattr(getattr(request, "_request", request), FAILED, True)  # DRF's Request wraps Django's


@receiver(user_login_failed, dispatch_uid="core.ratelimit.count_failure")
def count_failure(sender, credentials, request=None, **kwargs):
    if request is not None:
        mark_failed(request)


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
        if request.method != "POST" or request.path_info not in self._limited_paths:
            return self.get_response(request)
        return limit_attempt(request, _submitted_username(request), self.get_response)


def limit_attempt(request, username: str, attempt):
    """Answer `attempt(request)` if the address and `username` are within their limits, else 429."""
    keys = [address_key(request)]
    address_failures = counter_hit(key=keys[0], timeout=settings.LOGIN_FAILURE_WINDOW) - 1
    refused = address_failures >= settings.LOGIN_FAILURE_LIMIT
    if username and not refused:
        keys.append(username_key(username))
        username_failures = counter_hit(key=keys[1], timeout=settings.LOGIN_FAILURE_WINDOW) - 1
        limit = settings.LOGIN_FAILURE_LIMIT if address_failures else settings.LOGIN_USERNAME_FAILURE_LIMIT
        refused = username_failures >= limit
    if refused:
        _release(keys)
        return too_many(request)
    response = attempt(request)
    if not getattr(request, FAILED, False):
        _release(keys)
    return response


def _release(keys: list[str]) -> None:
    for key in keys:
        counter_release(key=key)


def address_over_rate(request, *, scope: str, rate: str) -> int:
    """Count this request against the address's `rate` for `scope`; return the seconds to wait if over it, else 0."""
    limit, seconds = parse_rate(rate)
    number, retry_after = window(seconds)
    key = f"{scope}:ip:{request.META.get('REMOTE_ADDR', '')}:{seconds}:{number}"
    return retry_after if counter_hit(key=key, timeout=seconds) > limit else 0


def too_many(request, message: str = "Too many failed login attempts.", retry_after: int | None = None):
    if retry_after is None:
        _, retry_after = window(settings.LOGIN_FAILURE_WINDOW)
    message = f"{message} Try again in {_duration(retry_after)}."
    if request.path_info.startswith("/api/"):
        response = JsonResponse({"detail": message}, status=429)
    else:
        response = render(request, "429.html", {"message": message}, status=429)
    response["Retry-After"] = str(retry_after)
    return response


def _duration(seconds: int) -> str:
    if seconds < 120:
        return f"{seconds} seconds"
    return f"{-(-seconds // 60)} minutes"
