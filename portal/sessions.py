"""Sessions read from Redis with the database behind them, and working on while Redis is down.

`SESSION_ENGINE = "portal.sessions"`: Django's `cached_db` store (every write goes to the
database first, reads come from the cache and fall back to the database) on the "shared" cache,
made tolerant. Django's own store lets a cache error through on several paths (filling the cache
after a database read, `exists`, `delete`): with Redis down, every signed-in page and every login
would answer 500. Here a cache error only sends the store to the database, for
`RETRY_SECONDS`, so that a dead Redis costs one failed attempt per process every few seconds
rather than one per request.

What the cache may no longer be trusted with: a session written or deleted while Redis could
not be told (a logout during the outage must not come back with Redis). Those keys are kept per
process and deleted from the cache before it is read again. A process that stops with keys
still pending leaves them for at most `CACHE_SECONDS`, the longest a session stays in the cache
without being read from the database again.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

from django.conf import settings
from django.contrib.sessions.backends import cached_db
from django.core.cache import caches

logger = logging.getLogger(__name__)

RETRY_SECONDS = 5.0
CACHE_SECONDS = 15 * 60


class TolerantCache:
    """The session's view of the cache: never raises, and stays away while the cache fails."""

    def __init__(self, alias: str) -> None:
        self.alias = alias
        self._lock = threading.Lock()
        self._down_until = 0.0
        self._stale: set[str] = set()

    @property
    def _cache(self):
        return caches[self.alias]

    def _usable(self) -> bool:
        if time.monotonic() < self._down_until:
            return False
        with self._lock:
            stale = list(self._stale)
        if not stale:
            return True
        try:
            self._cache.delete_many(stale)
        except Exception:
            self._failed("forget stale sessions")
            return False
        with self._lock:
            self._stale.difference_update(stale)
        return True

    def _failed(self, what: str) -> None:
        self._down_until = time.monotonic() + RETRY_SECONDS
        logger.warning(
            "Session cache %r unreachable (%s): sessions read from the database for %s s",
            self.alias,
            what,
            RETRY_SECONDS,
            exc_info=True,
        )

    def _unsynced(self, key: str) -> None:
        with self._lock:
            self._stale.add(key)

    def get(self, key: str) -> Any:
        if not self._usable():
            return None
        try:
            return self._cache.get(key)
        except Exception:
            self._failed("get")
            return None

    def set(self, key: str, value: Any, timeout: int) -> None:
        if not self._usable():
            self._unsynced(key)
            return
        try:
            self._cache.set(key, value, min(timeout, CACHE_SECONDS))
        except Exception:
            self._unsynced(key)
            self._failed("set")

    def delete(self, key: str) -> None:
        if not self._usable():
            self._unsynced(key)
            return
        try:
            self._cache.delete(key)
        except Exception:
            self._unsynced(key)
            self._failed("delete")

    def __contains__(self, key: str) -> bool:
        # Only ever a shortcut: `exists` asks the database when the cache says no.
        return self.get(key) is not None


_caches: dict[str, TolerantCache] = {}


def tolerant_cache(alias: str) -> TolerantCache:
    """One per alias and process, so that what it learnt of the cache's health is shared."""
    cache = _caches.get(alias)
    if cache is None:
        cache = _caches[alias] = TolerantCache(alias)
    return cache


class SessionStore(cached_db.SessionStore):
    cache_key_prefix = "portal.session:"

    def __init__(self, session_key: str | None = None) -> None:
        super().__init__(session_key)
        self._cache = tolerant_cache(settings.SESSION_CACHE_ALIAS)
