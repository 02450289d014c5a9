"""Celery entry points of the portal core: thin, ids and plain values in, services do the work.

Every task is safe to run twice (acks_late redelivers after a worker dies): the planner's
rows are unique, digests and jobs are claimed by conditional updates, files are regenerated.
Each keeps the name it had as `portal.tasks.<name>`, which queued messages and the beat
schedule use. The job runner's two tasks are defined in jobs.py beside `dispatch_job`, which
enqueues them, and are listed here with the others.
"""

from __future__ import annotations

import datetime
import smtplib

from celery import shared_task

from portal.background import digests, reminders
from portal.background.enqueue import enqueue
from portal.background.jobs import requeue_stale_jobs_task as requeue_stale_jobs
from portal.background.jobs import run_job_task as run_job
from portal.background.locks import exclusive

__all__ = [
    "plan_reminders",
    "requeue_stale_jobs",
    "run_job",
    "send_digest",
    "send_digests",
    "send_due_digests",
]

PLAN_LOCK_SECONDS = 55 * 60
SEND_LOCK_SECONDS = 14 * 60


@shared_task(name="portal.tasks.plan_reminders")
def plan_reminders(day: str | None = None) -> dict:
    """Today's outbox (or that of `day`, an ISO date, for a run by hand)."""
    with exclusive("plan-reminders", timeout=PLAN_LOCK_SECONDS) as held:
        if not held:
            return {"skipped": True}
        result = reminders.plan_reminders(datetime.date.fromisoformat(day) if day else None)
        return {"items": result.items, "created": result.created}


@shared_task(name="portal.tasks.send_due_digests")
def send_due_digests(day: str | None = None) -> dict:
    """Hand one `send_digest` per person whose digest hour has come to the workers; with
    `day` (ISO date, a run by hand), everyone with pending rows up to that day."""
    with exclusive("send-due-digests", timeout=SEND_LOCK_SECONDS) as held:
        if not held:
            return {"skipped": True}
        digest_day, user_ids = digests.recipients_due(
            day=datetime.date.fromisoformat(day) if day else None
        )
        batches = [
            user_ids[start : start + digests.BATCH_SIZE]
            for start in range(0, len(user_ids), digests.BATCH_SIZE)
        ]
        queued = sum(
            len(batch) for batch in batches if enqueue(send_digests, batch, digest_day.isoformat())
        )
        return {"due": len(user_ids), "queued": queued}


@shared_task(
    name="portal.tasks.send_digest",
    autoretry_for=(smtplib.SMTPException, OSError),
    retry_backoff=60,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=6,
)
def send_digest(user_id: int, day: str) -> bool:
    """One person's digest (messages queued before digests went in batches)."""
    return digests.send_digest(user_id, datetime.date.fromisoformat(day)).sent


@shared_task(
    name="portal.tasks.send_digests",
    autoretry_for=(smtplib.SMTPException, OSError),
    retry_backoff=60,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=6,
)
def send_digests(user_ids: list[int], day: str) -> int:
    """A batch of digests over one mail connection; returns how many went this run."""
    outcomes = digests.send_digests(user_ids, datetime.date.fromisoformat(day))
    return sum(outcome.sent for outcome in outcomes.values())
