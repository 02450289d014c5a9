"""What /suc-khoe/ checks: the database, Redis when configured, and how long ago beat last ran.

Beat's own liveness cannot be asked directly; every task it schedules notes its start in the
shared cache (portal.celery), so the age of that note says whether beat and a worker still run.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches
from django.db import connection

BEAT_KEY = "portal:last-beat"


def note_beat(now: float | None = None) -> None:
    caches["shared"].set(BEAT_KEY, now or time.time(), timeout=None)


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str


def _database() -> Check:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as error:  # any failure of the driver means the database is down
        return Check("database", False, type(error).__name__)
    return Check("database", True, "ok")


def _redis() -> Check:
    import redis

    try:
        client = redis.Redis.from_url(
            settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1
        )
        client.ping()
    except (redis.RedisError, OSError) as error:
        return Check("redis", False, type(error).__name__)
    return Check("redis", True, "ok")


def _beat() -> Check:
    try:
        last = caches["shared"].get(BEAT_KEY)
    except Exception as error:  # the shared cache is Redis: down is reported by _redis too
        return Check("beat", False, type(error).__name__)
    if last is None:
        return Check("beat", False, "chưa chạy")
    age = int(time.time() - last)
    return Check("beat", age <= settings.BEAT_MAX_AGE_SECONDS, f"{age}s")


def checks() -> list[Check]:
    """Every check that applies: Redis and beat only when Redis is configured (without it,
    tasks run in-process and there is no beat)."""
    found = [_database()]
    if settings.REDIS_URL:
        found += [_redis(), _beat()]
    return found
