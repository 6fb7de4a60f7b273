"""A counting wrapper around any cache backend, for the benchmark's hit rates (bench/settings.py).

bench/settings.py names `bench.cache.CountingCache` as every alias's BACKEND and moves the real one to
`BENCH_BACKEND`; everything but the lookups is handed to the real backend untouched. Each process counts
its lookups per alias and per kind of key (the key up to its first digit or colon: "list-page",
"throttle_user", "todolist-counts", ...), and a thread writes the totals every 0.1 s to
`$BENCH_CACHE_STATS/<pid>.json`, so the runner can read them between two wrk runs (bench/run.py).
"""

import json
import os
import re
import threading
from collections import defaultdict

from django.utils.module_loading import import_string

_MISS = object()
_KIND = re.compile(r"^[^\d:]*")
SESSION_PREFIX = "django.contrib.sessions"

_counts = defaultdict(lambda: [0, 0])  # (alias, kind) -> [hits, misses]
_lock = threading.Lock()
_writer = None


def key_kind(key) -> str:
    text = str(key)
    if text.startswith(SESSION_PREFIX):  # session keys are random letters and digits
        return "sessions"
    return _KIND.match(text).group(0).rstrip("_-.") or "other"


def _count(alias: str, key, hit: bool) -> None:
    global _writer
    with _lock:
        _counts[alias, key_kind(key)][0 if hit else 1] += 1
    if _writer is None and os.environ.get("BENCH_CACHE_STATS"):
        _writer = threading.Thread(target=_write_forever, args=(os.environ["BENCH_CACHE_STATS"],), daemon=True)
        _writer.start()


def snapshot() -> dict:
    """{alias: {kind: [hits, misses]}} counted by this process so far."""
    with _lock:
        out = defaultdict(dict)
        for (alias, kind), (hits, misses) in _counts.items():
            out[alias][kind] = [hits, misses]
        return dict(out)


def _write_forever(directory: str) -> None:
    # Started in the worker after gunicorn forked it (on its first lookup), so the pid is the worker's.
    path = os.path.join(directory, f"{os.getpid()}.json")
    event, written = threading.Event(), None
    while not event.wait(0.1):
        current = snapshot()
        if current != written:
            with open(f"{path}.tmp", "w") as file:
                json.dump(current, file)
            os.replace(f"{path}.tmp", path)
            written = current


def read_totals(directory) -> dict:
    """The sum of every process's counts written to `directory`: {alias: {kind: [hits, misses]}}."""
    totals = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    for name in os.listdir(directory):
        if not name.endswith(".json"):
            continue
        try:
            with open(os.path.join(directory, name)) as file:
                counts = json.load(file)
        except (OSError, ValueError):  # replaced while we read it: the next read has it
            continue
        for alias, kinds in counts.items():
            for kind, (hits, misses) in kinds.items():
                totals[alias][kind][0] += hits
                totals[alias][kind][1] += misses
    return {alias: dict(kinds) for alias, kinds in totals.items()}


def difference(after: dict, before: dict) -> dict:
    """Counts in `after` less those in `before`, dropping kinds that saw no lookup."""
    out = {}
    for alias, kinds in after.items():
        for kind, (hits, misses) in kinds.items():
            old = before.get(alias, {}).get(kind, [0, 0])
            delta = [hits - old[0], misses - old[1]]
            if any(delta):
                out.setdefault(alias, {})[kind] = delta
    return out


class CountingCache:
    """Delegate to the backend named in params["BENCH_BACKEND"], counting hits and misses of get and get_many."""

    def __init__(self, location, params):
        params = dict(params)
        self._alias = params.pop("BENCH_ALIAS")
        self._inner = import_string(params.pop("BENCH_BACKEND"))(location, params)

    def __getattr__(self, name):
        return getattr(self._inner, name)

    def get(self, key, default=None, version=None):
        value = self._inner.get(key, _MISS, version=version)
        _count(self._alias, key, value is not _MISS)
        return default if value is _MISS else value

    def get_many(self, keys, version=None):
        keys = list(keys)
        found = self._inner.get_many(keys, version=version)
        for key in keys:
            _count(self._alias, key, key in found)
        return found

    def get_or_set(self, key, default, timeout=_MISS, version=None):
        value = self.get(key, _MISS, version=version)
        if value is not _MISS:
            return value
        if timeout is _MISS:
            return self._inner.get_or_set(key, default, version=version)
        return self._inner.get_or_set(key, default, timeout=timeout, version=version)

    def has_key(self, key, version=None):
        found = self._inner.has_key(key, version=version)
        _count(self._alias, key, found)
        return found

    def __contains__(self, key):
        # `key in cache` (cached_db sessions ask it) skips __getattr__, as every special method does.
        return self.has_key(key)
