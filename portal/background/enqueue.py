"""Handing work to the Celery worker without letting a Redis outage hang a web request.

The broker settings make a publish to an unreachable Redis fail within about a second
(connect timeout, one quick retry, no result backend). The failure is logged and reported to
the caller, who has already recorded the work in the database; a beat sweep re-enqueues it.
"""

from __future__ import annotations

import logging

import kombu.exceptions
import redis.exceptions
from celery import Task

logger = logging.getLogger(__name__)

BROKER_ERRORS = (kombu.exceptions.OperationalError, redis.exceptions.ConnectionError)


def enqueue(task: Task, *args) -> bool:
    """Publish `task(*args)`; False (and a warning in the log) when the broker is unreachable."""
    try:
        task.apply_async(args=args)
    except BROKER_ERRORS as error:
        logger.warning("Không gửi được %s%r vào hàng đợi: %s", task.name, args, error)
        return False
    return True
