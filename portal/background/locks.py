"""Locks for periodic jobs that may outlive their interval (the planner at province scale).

With Redis (REDIS_URL set) the lock is a redis-py lock with a timeout, so a crashed holder
frees it by itself. Without Redis (the embedded first run: tasks are eager, one process) a
PostgreSQL session advisory lock does the same job; on SQLite there is nothing to race with.
"""

from __future__ import annotations

import logging
import zlib
from collections.abc import Iterator
from contextlib import contextmanager

import redis
from django.conf import settings
from django.db import connection

logger = logging.getLogger(__name__)


@contextmanager
def exclusive(name: str, *, timeout: int) -> Iterator[bool]:
    """Yield True when this process holds the lock `name`, False when another one does."""
    if settings.REDIS_URL:
        client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2)
        lock = client.lock(f"thidua:lock:{name}", timeout=timeout, blocking=False)
        acquired = lock.acquire()
        try:
            yield acquired
        finally:
            if acquired:
                try:
                    lock.release()
                except redis.exceptions.LockError:
                    logger.warning("Khóa %s đã hết hạn trước khi việc xong.", name)
        return
    if connection.vendor == "postgresql":
        key = zlib.crc32(f"thidua:{name}".encode())
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [key])
            acquired = cursor.fetchone()[0]
        try:
            yield acquired
        finally:
            if acquired:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_unlock(%s)", [key])
        return
    yield True
