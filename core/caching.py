"""The one place answers are cached: "the cached answer for these parts, or build it and keep it".

A cached answer is keyed by everything it depends on: callers pass as `parts` the same values that
their template or serializer is given (the person, the URL, the ids and versions of the rows shown),
so any change to them is another key and nothing stale is ever served. Versions only go up
(`TodoList.version`, `Order.version`), so an old key is never asked for again and ages out of the cache.
The same parts give the answer's `ETag`, so a conditional request is answered from them alone.
"""

import hashlib

from django.core.cache import caches

# Rendered pages and API pages, in each process's memory (settings.CACHES): their keys hold versions
# read from the database, so no process can serve what another one has made stale.
PAGES = "pages"


def _digest(kind: str, parts) -> str:
    return hashlib.sha256(repr((kind, *parts)).encode()).hexdigest()


def cache_key(kind: str, *parts) -> str:
    """The key of a `kind` of answer that is a function of `parts` alone."""
    return f"{kind}:{_digest(kind, parts)}"


def etag(kind: str, *parts) -> str:
    """A strong, quoted entity tag for the answer that `parts` determine (RFC 9110, section 8.8.3)."""
    return f'"{_digest(kind, parts)[:32]}"'


def cached(kind: str, parts, build, *, alias: str = PAGES, timeout: int | None = None):
    """The answer cached under `kind` and `parts`, else `build()`, kept for `timeout` seconds and returned.

    `build` must not return None (None means "not cached"); `timeout` None is the cache's default.
    """
    key = cache_key(kind, *parts)
    store = caches[alias]
    answer = store.get(key)
    if answer is None:
        answer = build()
        if timeout is None:
            store.set(key, answer)
        else:
            store.set(key, answer, timeout)
    return answer
