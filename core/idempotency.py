"""Idempotent creation for API clients: a repeated POST with the same `Idempotency-Key` is done once.

The first request with a key claims it in the shared cache (an atomic add, so concurrent repeats
cannot both claim it), runs, and stores its response for a day. Repeats wait for that response and
get it back unchanged, with `Idempotent-Replayed: true`. A key reused with a different body answers
422; a key whose first request is still running after `WAIT_SECONDS` answers 409. Keys are scoped
to the path and to the caller's credentials (token or session), so clients cannot collide.
"""

import hashlib
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse, JsonResponse

TTL_SECONDS = 24 * 60 * 60
WAIT_SECONDS = 10
MAX_KEY_LENGTH = 255
REPLAYED_HEADERS = ["Content-Type", "Location", "ETag"]


def _digest(*parts: bytes | str) -> str:
    hasher = hashlib.sha256()
    for part in parts:
        hasher.update(part.encode() if isinstance(part, str) else part)
        hasher.update(b"\0")
    return hasher.hexdigest()


class IdempotencyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        key = request.headers.get("Idempotency-Key")
        if request.method != "POST" or key is None or not request.path_info.startswith("/api/"):
            return self.get_response(request)
        if not key or len(key) > MAX_KEY_LENGTH:
            return JsonResponse({"detail": f"Idempotency-Key must be 1 to {MAX_KEY_LENGTH} characters."}, status=400)

        caller = request.headers.get("Authorization") or request.COOKIES.get(settings.SESSION_COOKIE_NAME, "")
        cache_key = "idempotency:" + _digest(request.path_info, caller, key)
        fingerprint = _digest(request.body)

        deadline = time.monotonic() + WAIT_SECONDS
        while True:
            if cache.add(cache_key, {"fingerprint": fingerprint}, timeout=TTL_SECONDS):
                return self._first(request, cache_key, fingerprint)
            record = cache.get(cache_key)
            if record is None:
                continue  # the first request failed and released the key: claim it for this one
            if record["fingerprint"] != fingerprint:
                return JsonResponse(
                    {"detail": "This Idempotency-Key was already used with a different request body."}, status=422
                )
            if "status" in record:
                return self._replay(record)
            if time.monotonic() > deadline:
                return JsonResponse(
                    {"detail": "A request with this Idempotency-Key is still being processed; retry later."},
                    status=409,
                )
            time.sleep(0.05)

    def _first(self, request, cache_key, fingerprint):
        try:
            response = self.get_response(request)
        except Exception:
            cache.delete(cache_key)
            raise
        if response.status_code >= 500 or response.streaming:
            cache.delete(cache_key)  # nothing reliable to replay; let the client retry
            return response
        stored = {
            "fingerprint": fingerprint,
            "status": response.status_code,
            "content": response.content,
            "headers": {h: response[h] for h in REPLAYED_HEADERS if response.has_header(h)},
        }
        cache.set(cache_key, stored, timeout=TTL_SECONDS)
        return response

    @staticmethod
    def _replay(record):
        response = HttpResponse(record["content"], status=record["status"])
        for header, value in record["headers"].items():
            response[header] = value
        response["Idempotent-Replayed"] = "true"
        return response
