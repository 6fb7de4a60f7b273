"""The one place answers are cached: "the cached answer for these parts, or build it and keep it".

A cached answer is keyed by everything it depends on: callers pass as `parts` the same values that
their template or serializer is given (the person, the URL, the ids and versions of the rows shown),
so any change to them is another key and nothing stale is ever served. Versions only go up
(`TodoList.version`, `Order.version`), so an old key is never asked for again and ages out of the cache.
The same parts give the answer's `ETag`, so a conditional request is answered from them alone.
"""

import hashlib
from collections.abc import Callable, Hashable, Iterable

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


def _timeout(timeout: int | None) -> dict:
    # Django reads timeout=None as "forever": leave it out to mean the cache's default.
    return {} if timeout is None else {"timeout": timeout}


def cached(kind: str, parts, build: Callable, *, alias: str = PAGES, timeout: int | None = None):
    """The answer cached under `kind` and `parts`, else `build()`, kept for `timeout` seconds and returned.

    `build` must not return None (None means "not cached"); `timeout` None is the cache's default.
    """
    key = cache_key(kind, *parts)
    store = caches[alias]
    answer = store.get(key)
    if answer is None:
        answer = build()
        store.set(key, answer, **_timeout(timeout))
    return answer


def cached_many(
    kind: str,
    parts_of: dict[Hashable, Iterable],
    build: Callable[[list], dict],
    *,
    alias: str = PAGES,
    timeout: int | None = None,
) -> dict:
    """`cached` for many answers at once: {item: its answer} for `parts_of` ({item: its parts}).

    One read of the cache for all of them; `build(missing)` answers the items not found, as
    {item: answer}, and those are kept.
    """
    keys = {item: cache_key(kind, *parts) for item, parts in parts_of.items()}
    store = caches[alias]
    found = store.get_many(list(keys.values()))
    answers = {item: found[key] for item, key in keys.items() if key in found}
    missing = [item for item in keys if item not in answers]
    if missing:
        built = build(missing)
        store.set_many({keys[item]: built[item] for item in missing}, **_timeout(timeout))
        answers.update(built)
    return answers
