"""Idempotent creation for API clients: a repeated POST with the same `Idempotency-Key` is done once.

`IdempotentCreateMixin` goes on a DRF view whose POST creates. The key is looked at only after DRF has
authenticated the request and checked its permissions and throttles, so a request that may not create
(anonymous, a revoked token, a logged-out session, another user) gets its own 401/403/404, never someone
else's stored answer. A record is scoped to the caller (`idempotency_scope()`: the user by default),
the method, the path, the query string and the key.

The first request claims the record in the shared cache (an atomic add, so concurrent repeats cannot
both claim it) with a lease of `IDEMPOTENCY_LEASE_SECONDS`, runs, and stores its answer for a day.
Repeats wait for that answer and get it back unchanged, with `Idempotent-Replayed: true`. A key reused
with a different body answers 422; one whose first request is still running after `WAIT_SECONDS` answers
409 with `Retry-After`. A first attempt that died without answering (killed worker) leaves its claim
behind: once the lease has run out, the next repeat runs the request again. The write is one
transaction, so the dead attempt wrote all or nothing, and only a finished one stores an answer.
"""

import hashlib
import math
import time
import uuid

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from rest_framework import exceptions, status

TTL_SECONDS = 24 * 60 * 60
WAIT_SECONDS = 10
MAX_KEY_LENGTH = 255
REPLAYED_HEADERS = ["Content-Type", "Location", "ETag"]


def _now() -> float:
    """Wall-clock seconds: leases are compared across processes and servers, so not time.monotonic()."""
    return time.time()


def _digest(*parts: bytes | str) -> str:
    hasher = hashlib.sha256()
    for part in parts:
        hasher.update(part.encode() if isinstance(part, str) else part)
        hasher.update(b"\0")
    return hasher.hexdigest()


def record_key(*, scope: str, method: str, path: str, query: str, key: str) -> str:
    """The cache key of one caller's record for one key on one URL."""
    return "idempotency:" + _digest(scope, method, path, query, key)


class KeyInUse(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "A request with this Idempotency-Key is still being processed; retry later."
    default_code = "idempotency_key_in_use"

    def __init__(self, wait: float):
        super().__init__()
        self.wait = max(1, math.ceil(wait))  # DRF's exception handler sends it as Retry-After


class KeyReused(exceptions.APIException):
    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_detail = "This Idempotency-Key was already used with a different request body."
    default_code = "idempotency_key_reused"


class _Replay(Exception):
    """Raised from `initial()` to answer with the stored response instead of running the handler."""

    def __init__(self, response):
        self.response = response


class IdempotentCreateMixin:
    """Make a DRF view's creating POST idempotent under `Idempotency-Key` (see the module docstring)."""

    _idempotency_claim = None  # (cache key, claim id, fingerprint) while this request holds the record

    def idempotency_scope(self, request) -> str:
        """Who may see this request's stored answer: the authenticated user."""
        return f"user:{request.user.pk}"

    def _idempotent(self, request) -> bool:
        return request.method == "POST" and getattr(self, "action", "create") == "create"

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)  # authentication, permissions, throttles
        key = request.headers.get("Idempotency-Key")
        if key is None or not self._idempotent(request):
            return
        if not key or len(key) > MAX_KEY_LENGTH:
            raise exceptions.ParseError(f"Idempotency-Key must be 1 to {MAX_KEY_LENGTH} characters.")
        cache_key = record_key(
            scope=self.idempotency_scope(request),
            method=request.method,
            path=request.path,
            query=request.META.get("QUERY_STRING", ""),
            key=key,
        )
        self._claim(cache_key, _digest(request.body))

    def _claim(self, cache_key: str, fingerprint: str) -> None:
        """Claim the record for this request, or raise the stored answer, a 422 or a 409."""
        lease = settings.IDEMPOTENCY_LEASE_SECONDS
        claim_id = uuid.uuid4().hex
        claim = {"fingerprint": fingerprint, "claim": claim_id}
        deadline = time.monotonic() + WAIT_SECONDS
        while True:
            if cache.add(cache_key, {**claim, "lease_until": _now() + lease}, timeout=TTL_SECONDS):
                self._idempotency_claim = (cache_key, claim_id, fingerprint)
                return
            record = cache.get(cache_key)
            if record is None:
                continue  # the first request failed and released the key: claim it for this one
            if record["fingerprint"] != fingerprint:
                raise KeyReused()
            if "status" in record:
                raise _Replay(_replayed(record))
            if record["lease_until"] <= _now():
                # The attempt holding it died. One retry takes it over: the one that adds the takeover mark.
                if cache.add(f"{cache_key}:takeover:{record['claim']}", claim_id, timeout=TTL_SECONDS):
                    cache.set(cache_key, {**claim, "lease_until": _now() + lease}, timeout=TTL_SECONDS)
                    self._idempotency_claim = (cache_key, claim_id, fingerprint)
                    return
            elif time.monotonic() > deadline:
                raise KeyInUse(wait=record["lease_until"] - _now())
            time.sleep(0.05)

    def handle_exception(self, exc):
        if isinstance(exc, _Replay):
            return exc.response
        try:
            return super().handle_exception(exc)
        except Exception:
            self._release()  # an unhandled error: nothing reliable to replay; let the client retry
            raise

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if self._idempotency_claim is None:
            return response
        if response.status_code >= 500 or response.streaming:
            self._release()  # nothing reliable to replay; let the client retry
            return response
        cache_key, _, fingerprint = self._idempotency_claim
        self._idempotency_claim = None
        if hasattr(response, "render"):
            response.render()
        stored = {
            "fingerprint": fingerprint,
            "status": response.status_code,
            "content": response.content,
            "headers": {h: response[h] for h in REPLAYED_HEADERS if response.has_header(h)},
        }
        cache.set(cache_key, stored, timeout=TTL_SECONDS)
        return response

    def _release(self) -> None:
        """Drop this request's claim, unless a retry took the record over after the lease ran out."""
        if self._idempotency_claim is None:
            return
        cache_key, claim_id, _ = self._idempotency_claim
        self._idempotency_claim = None
        if (cache.get(cache_key) or {}).get("claim") == claim_id:
            cache.delete(cache_key)


def _replayed(record) -> HttpResponse:
    response = HttpResponse(record["content"], status=record["status"])
    for header, value in record["headers"].items():
        response[header] = value
    response["Idempotent-Replayed"] = "true"
    return response
